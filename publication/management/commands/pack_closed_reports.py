from django.core.management.base import BaseCommand

from publication.packing import CLOSED_AFTER, reports_pack_closed


class Command(BaseCommand):
    help = (
        f"Keep the published reports of fiscal years closed {CLOSED_AFTER} years ago or more in "
        "their latest published version only: their measures' lines are dropped where that "
        "version holds them word for word, and written back when staff open the report (run "
        "each night by Celery beat)."
    )

    def handle(self, *args, **options):
        packed, left = reports_pack_closed()
        self.stdout.write(
            f"Packed {packed} reports of closed years; {left} changed since their publication, "
            "left as they are."
        )
