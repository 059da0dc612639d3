"""Search at national scale: trigram indexes on the folded words instead of stored suffixes.

The vectors of every suffix of every word (8 KB an entry, most of the database) go; a pg_trgm GIN
index on ``tokens`` and one on the new ``title_tokens`` (the title's words, for ranking) find the
same words (see publication/search/__init__.py).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

INDEXES = {
    "tokens": "reports_searchentry_tokens_trgm",
    "title_tokens": "reports_searchentry_title_trgm",
}


def create_trigram_indexes(apps, schema_editor):
    # PostgreSQL only: SQLite searches with LIKE and no index.
    if schema_editor.connection.vendor == "postgresql":
        for column, name in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX {name} ON reports_searchentry USING gin ({column} gin_trgm_ops)"
            )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES.values():
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def fill_title_tokens(apps, schema_editor):
    from publication.search import tokens

    SearchEntry = apps.get_model("reports", "SearchEntry")
    batch = []
    for entry in SearchEntry.objects.only("title").iterator(chunk_size=2000):
        entry.title_tokens = " ".join(tokens(entry.title))
        batch.append(entry)
        if len(batch) == 2000:
            SearchEntry.objects.bulk_update(batch, ["title_tokens"])
            batch = []
    SearchEntry.objects.bulk_update(batch, ["title_tokens"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_version_scale")]

    operations = [
        # Dropping the column drops its GIN index (migration 0002's) with it.
        migrations.RemoveField(model_name="searchentry", name="search_vector"),
        migrations.AddField(
            model_name="searchentry",
            name="title_tokens",
            field=models.TextField(blank=True, default="", verbose_name="words of the title"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_title_tokens, migrations.RunPython.noop, elidable=True),
        TrigramExtension(),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
