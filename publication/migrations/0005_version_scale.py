"""Published versions at national scale: the measure count and the catalogue's order stored on
each version (filled from the report and data the version already has), with their indexes."""

from django.db import migrations, models

BACKFILL = {
    "postgresql": """
        UPDATE {version} SET
            measure_count = COALESCE(jsonb_array_length({version}.data -> 'measures'), 0),
            catalogue_key = lpad((10000 - y.year)::text, 4, '0') || '.' || a.slug
        FROM {report} r
        JOIN {agency} a ON a.id = r.agency_id
        JOIN {year} y ON y.id = r.fiscal_year_id
        WHERE r.id = {version}.report_id
    """,
    "sqlite": """
        UPDATE {version} SET
            measure_count = COALESCE(json_array_length({version}.data, '$.measures'), 0),
            catalogue_key = substr('0000' || (10000 - y.year), -4, 4) || '.' || a.slug
        FROM {report} r
        JOIN {agency} a ON a.id = r.agency_id
        JOIN {year} y ON y.id = r.fiscal_year_id
        WHERE r.id = {version}.report_id
    """,
}


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    tables = {
        name: apps.get_model(app, model)._meta.db_table
        for name, app, model in [
            ("version", "reports", "PublishedVersion"),
            ("report", "measures", "Report"),
            ("agency", "measures", "Agency"),
            ("year", "measures", "FiscalYear"),
        ]
    }
    if connection.vendor in BACKFILL:
        schema_editor.execute(BACKFILL[connection.vendor].format(**tables))
        return
    # Any other database: one version at a time.
    Version = apps.get_model("reports", "PublishedVersion")
    for version in Version.objects.select_related("report__agency", "report__fiscal_year"):
        year, slug = version.report.fiscal_year.year, version.report.agency.slug
        version.measure_count = len(version.data.get("measures") or [])
        version.catalogue_key = f"{10000 - year:04d}.{slug}"
        version.save(update_fields=["measure_count", "catalogue_key"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_version_files")]

    operations = [
        migrations.AddField(
            model_name="publishedversion",
            name="measure_count",
            field=models.PositiveIntegerField(default=0, verbose_name="number of measures"),
        ),
        migrations.AddField(
            model_name="publishedversion",
            name="catalogue_key",
            field=models.CharField(default="", max_length=110, verbose_name="catalogue order"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="publishedversion",
            index=models.Index(
                fields=["catalogue_key", "document", "-number"], name="version_catalogue"
            ),
        ),
        migrations.AddIndex(
            model_name="publishedversion",
            index=models.Index(fields=["-published_at"], name="version_published_at"),
        ),
    ]
