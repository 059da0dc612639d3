"""Search entries' words cut again: abbreviations (ป.ป.ช., อบต., พ.ศ.) are one word, with or
without their dots, and lone letters are no words (issue 15.4). The stored title and text are
unchanged; only ``tokens`` and ``title_tokens`` are recomputed from them. ``manage.py
reindex_search`` does the same by hand (after restoring an older backup, say)."""

from django.db import migrations


def reindex(apps, schema_editor):
    # Its own loop on the words as text, as they were stored then (0011 makes them ids).
    from django.db import transaction

    from publication.search import tokens

    SearchEntry = apps.get_model("reports", "SearchEntry")
    entries = SearchEntry.objects.order_by("pk").only(
        "pk", "title", "text", "tokens", "title_tokens"
    )
    last = 0
    while batch := list(entries.filter(pk__gt=last)[:2000]):
        last = batch[-1].pk
        for entry in batch:
            entry.tokens = " ".join(dict.fromkeys(tokens(entry.text)))
            entry.title_tokens = " ".join(tokens(entry.title.strip()))
        with transaction.atomic():
            SearchEntry.objects.bulk_update(batch, ["tokens", "title_tokens"])


class Migration(migrations.Migration):
    # Each batch commits on its own: at national scale this is minutes, not one long lock.
    atomic = False

    dependencies = [("reports", "0009_version_render_failure")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True)]
