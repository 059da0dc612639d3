"""Closed years' working copies kept in their published versions (measures.services.packing).

Each night the reports of years closed for ``CLOSED_AFTER`` fiscal years are packed: their
measures' lines dropped where the latest published version holds them word for word. A packed
report is written back before anything reads or changes its lines: staff opening it
(staff.access), a workflow move and a new version (publication.services), a preview job
(publication.previews), and a new report rolled forward from it (staff.views).
"""

import datetime
import logging

from django.utils import timezone

from measures import fiscal
from measures.models import Report
from measures.services.packing import report_unpack, reports_pack

from .models import PublishedVersion

log = logging.getLogger(__name__)

# A fiscal year's reports are packed once the year after it has ended too: 2568's in 2570.
CLOSED_AFTER = 2


def _published(report: Report) -> dict | None:
    latest = PublishedVersion.objects.latest_per_report().filter(report=report)
    return latest.values_list("data", flat=True).first()


def report_unpacked(report: Report) -> Report:
    """``report`` with its measures' lines in place (written back if it was packed)."""
    if report.packed:
        report_unpack(report=report, published=_published(report))
    return report


def last_closed_year(today: datetime.date | None = None) -> int:
    return fiscal.fiscal_year_of(today or timezone.localdate()) - CLOSED_AFTER


def reports_pack_closed(*, today: datetime.date | None = None, batch: int = 200) -> tuple[int, int]:
    """Pack the published reports of closed years, ``batch`` at a time, each batch its own
    transaction; (packed, left as they are: changed since their publication, or busy)."""
    candidates = Report.objects.filter(
        packed=False,
        state=Report.State.PUBLISHED,
        fiscal_year__year__lte=last_closed_year(today),
    ).order_by("pk")
    packed = left = 0
    last = 0
    while pks := list(candidates.filter(pk__gt=last).values_list("pk", flat=True)[:batch]):
        last = pks[-1]
        published = dict(
            PublishedVersion.objects.latest_per_report()
            .filter(report__in=pks)
            .values_list("report", "data")
        )
        done = len(reports_pack(published=published))
        packed, left = packed + done, left + len(pks) - done
    log.info("Packing: %s reports of closed years packed, %s left as they are", packed, left)
    return packed, left
