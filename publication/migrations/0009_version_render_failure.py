"""Why a version's PDF could not be rendered after every retry, for the staff to see and retry."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0008_version_html_file")]

    operations = [
        migrations.AddField(
            model_name="publishedversion",
            name="pdf_error",
            field=models.TextField(blank=True, verbose_name="PDF rendering error"),
        ),
        migrations.AddField(
            model_name="publishedversion",
            name="pdf_failed_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="PDF rendering failed at"
            ),
        ),
    ]
