"""/verify/ finds a published version by the SHA-256 of its sealed PDF: an index, not a scan."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_search_scale")]

    operations = [
        migrations.AlterField(
            model_name="publishedversion",
            name="pdf_sha256",
            field=models.CharField(
                blank=True, db_index=True, max_length=64, verbose_name="PDF hash"
            ),
        ),
    ]
