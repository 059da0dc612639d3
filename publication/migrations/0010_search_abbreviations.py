"""Search entries' words cut again: abbreviations (ป.ป.ช., อบต., พ.ศ.) are one word, with or
without their dots, and lone letters are no words (issue 15.4). The stored title and text are
unchanged; only ``tokens`` and ``title_tokens`` are recomputed from them. ``manage.py
reindex_search`` does the same by hand (after restoring an older backup, say)."""

from django.db import migrations


def reindex(apps, schema_editor):
    from publication.search import search_entries_reindex

    search_entries_reindex(model=apps.get_model("reports", "SearchEntry"))


class Migration(migrations.Migration):
    # Each batch commits on its own: at national scale this is minutes, not one long lock.
    atomic = False

    dependencies = [("reports", "0009_version_render_failure")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True)]
