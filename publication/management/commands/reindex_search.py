from django.core.management.base import BaseCommand

from publication.search import search_entries_reindex


class Command(BaseCommand):
    help = (
        "Cut the words of every search entry again from its version's measure, as search "
        "cuts them today (after a change to how words are cut, or restoring an older backup)."
    )

    def handle(self, *args, **options):
        changed = search_entries_reindex()
        self.stdout.write(f"Re-indexed {changed} search entries.")
