"""Writing measures read from an agency's own file (measures.importers) into a report."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Change, IssueGroup, Report
from ..report_format import measure_data_validate, report_to_data
from ..selectors import report_document
from .base import _record, _upsert
from .editing import measure_create
from .reports import report_import


@transaction.atomic
def measures_import(*, report: Report, imported: dict, replace: bool, user) -> int:
    """Write measures read by measures.importers into the report; returns how many.

    ``imported`` holds "measures", and may hold "issue_groups" and "indicator_progress".
    Replacing swaps the report's measures (and its progress table and issues, when the file has
    them) for the file's; otherwise the file's measures are added after the report's own.
    """

    measures = imported.get("measures", [])
    for measure in measures:
        measure_data_validate(measure)
    if replace:
        data = report_to_data(report=report_document(pk=report.pk))
        data["measures"] = measures
        for key in ("issue_groups", "indicator_progress"):
            if imported.get(key):
                data[key] = imported[key]
        report_import(data=data)
    else:
        for group in imported.get("issue_groups", []):
            _upsert(
                IssueGroup, {"report": report, "number": group["number"]}, {"title": group["title"]}
            )
        for measure in measures:
            measure_create(report=report, data=measure, user=user)
    _record(
        report=report,
        measure=None,
        user=user,
        action=Change.Action.IMPORTED,
        summary=_("%(count)s measures imported") % {"count": len(measures)},
        after={"measures": [m["title"] for m in measures], "replace": replace},
    )
    return len(measures)
