"""A version's frozen page moves from a database column to a gzipped file in the storage.

At national scale the pages were a third of the database (some 10 KB a version, 41,500
versions); as files they sit beside the version's PDF and open data, and are read through a
cache (publication.selectors.version_article). Backwards, the files are read back into the column.
"""

import gzip

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models

import publication.models

BATCH = 500


def _name(version) -> str:
    folder = f"published/{version.report.agency.slug}/{version.report.fiscal_year.year}"
    if version.document != "report":
        folder += f"/{version.document}"
    return f"{folder}/v{version.number}.html.gz"


def pages_to_files(apps, schema_editor):
    PublishedVersion = apps.get_model("reports", "PublishedVersion")
    versions = PublishedVersion.objects.select_related("report__agency", "report__fiscal_year")
    for version in versions.only(
        "pk", "document", "number", "html", "report__agency__slug", "report__fiscal_year__year"
    ).iterator(chunk_size=BATCH):
        name = _name(version)
        if default_storage.exists(name):  # left by an earlier try of this migration
            default_storage.delete(name)
        content = gzip.compress(version.html.encode(), compresslevel=9, mtime=0)
        saved = default_storage.save(name, ContentFile(content))
        PublishedVersion.objects.filter(pk=version.pk).update(html_file=saved)


def files_to_pages(apps, schema_editor):
    PublishedVersion = apps.get_model("reports", "PublishedVersion")
    for version in PublishedVersion.objects.only("pk", "html_file").iterator(chunk_size=BATCH):
        with default_storage.open(version.html_file.name, "rb") as stored:
            html = gzip.decompress(stored.read()).decode()
        PublishedVersion.objects.filter(pk=version.pk).update(html=html)


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_version_pdf_hash_index")]

    operations = [
        migrations.AddField(
            model_name="publishedversion",
            name="html_file",
            field=models.FileField(
                blank=True,
                upload_to=publication.models._version_path,
                verbose_name="page",
            ),
        ),
        migrations.AlterField(
            model_name="publishedversion",
            name="html",
            field=models.TextField(blank=True, verbose_name="page"),
        ),
        migrations.RunPython(pages_to_files, files_to_pages, elidable=True),
        migrations.RemoveField(model_name="publishedversion", name="html"),
    ]
