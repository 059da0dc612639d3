"""A closed year's working copy kept once: the lines of its measures (items, responsible units,
evidence) dropped when its published version holds them word for word, and written back from
that version when staff open the report again.

At national scale the working copies of past years were half the database (their measures'
lines 1.6 of 3.2 GB), each repeating its latest published version. The measures themselves
stay: the dashboards count their indicators and progress, and staff lists show their titles.
The caller (``publication.packing``) gives the published version's data: this module knows
the report data format, not versions.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from ..models import EvidenceLink, MeasureItem, Report, Responsible, Unit
from ..report_format import report_to_data
from ..selectors import report_documents
from .reports import measure_lines_write

LINES = (MeasureItem, Responsible, EvidenceLink)


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).get(pk=report.pk)


def _as_stored(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))  # as a JSON field gives it back


@transaction.atomic
def reports_pack(*, published: dict[int, dict]) -> set[int]:
    """Drop the lines of the measures of the reports ``published`` names (report pk: the data
    of its latest published version) where writing them back from that data gives them again
    exactly; the pks of those packed.

    Only a published report is packed (staff cannot change one without a move, which writes
    its lines back first), and only when the report, as the report data format writes it, is
    its published data and each responsible unit is linked as its name links it: all that
    writing back restores. Reports another transaction holds are left for the next run.
    """
    rows = Report.objects.select_for_update(of=("self",), skip_locked=True)
    locked = rows.filter(pk__in=published, packed=False, state=Report.State.PUBLISHED)
    same = {
        report.pk
        for report in report_documents(
            Report.objects.filter(pk__in=list(locked.values_list("pk", flat=True)))
        )
        if _as_stored(report_to_data(report=report)) == published[report.pk]
    }
    units = {
        (agency, name): pk
        for pk, agency, name in Unit.objects.filter(agency__reports__in=same).values_list(
            "pk", "agency", "name"
        )
    }
    linked = Responsible.objects.filter(measure__report__in=same).values_list(
        "measure__report", "measure__report__agency", "name", "unit"
    )
    packable = same - {
        report for report, agency, name, unit in linked if units.get((agency, name)) != unit
    }
    for model in LINES:
        model.objects.filter(measure__report__in=packable).delete()
    Report.objects.filter(pk__in=packable).update(packed=True)
    return packable


@transaction.atomic
def report_unpack(*, report: Report, published: dict) -> bool:
    """Write back the lines of a packed report's measures from ``published`` (the data it was
    packed against); whether there was anything to write."""
    locked = _locked(report)
    if not locked.packed:
        return False
    units = {unit.name: unit for unit in locked.agency.units.all()}
    measures = locked.measures.order_by("position")
    for measure, data in zip(measures, published["measures"], strict=True):
        measure_lines_write(measure, data, units=units)
    Report.objects.filter(pk=locked.pk).update(packed=False)
    report.packed = False
    return True
