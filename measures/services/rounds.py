"""Progress during the year: a round (รอบ ๖ เดือน, …) and every measure's state in it, saved at
once from one page, recorded as a Change like the other edits.

Only a report staff may still change (a draft, or returned for changes) takes a round.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .. import thai
from ..models import Change, MeasureRound, ProgressRound, Report
from ..validators import reject_markup
from .base import _record, _report_for_writing, _saved


def _round_snapshot(progress_round: ProgressRound, entries) -> dict:
    return {
        "number": progress_round.number,
        "label": progress_round.label,
        "as_of": progress_round.as_of.isoformat(),
        "measures": [
            {
                "measure": entry.measure_id,
                "progress": entry.progress,
                "percent": entry.percent,
                "note": entry.note,
            }
            for entry in sorted(entries, key=lambda e: e.measure_id)
        ],
    }


def _check_as_of(report: Report, as_of: datetime.date) -> None:
    year = report.fiscal_year
    if not year.contains(as_of):
        raise ValidationError(
            {
                "as_of": _(
                    "A round of fiscal year %(year)s reports up to a day inside that year: "
                    "check the year."
                )
                % {"year": thai.ui_digits(year.year)}
            }
        )


def _entry_values(entry: dict) -> dict:
    return {
        "progress": entry.get("progress") or "",
        "percent": entry.get("percent"),
        "note": (entry.get("note") or "").strip(),
    }


@transaction.atomic
def round_save(
    *,
    report: Report,
    number: int | None,
    label: str,
    as_of: datetime.date,
    entries: list[dict],
    user,
) -> ProgressRound:
    """Create the report's next round (``number`` None) or change round ``number``, with each
    measure's state in it.

    ``entries`` holds one dict per measure: ``measure`` (its id), ``progress``, ``percent``
    (0–100 or None) and ``note``. A measure with nothing entered has no entry in the round;
    a measure left out of ``entries`` keeps what it had.
    """
    report = _report_for_writing(report)
    reject_markup(label)
    _check_as_of(report, as_of)
    if number is None:
        last = report.rounds.aggregate(last=Max("number"))["last"] or 0
        progress_round, before = ProgressRound(report=report, number=last + 1), None
        existing = {}
    else:
        progress_round = ProgressRound.objects.filter(report=report, number=number).first()
        if progress_round is None:
            raise ValidationError(_("The round was deleted meanwhile: add it again."))
        existing = {e.measure_id: e for e in progress_round.entries.all()}
        before = _round_snapshot(progress_round, existing.values())
    progress_round.label, progress_round.as_of = label.strip(), as_of
    _saved(progress_round)

    measure_ids = set(report.measures.values_list("pk", flat=True))
    created, changed, emptied, seen = [], [], [], set()
    for entry in entries:
        measure_id = int(entry["measure"])
        if measure_id not in measure_ids:
            raise ValidationError(_("A measure of another report cannot be in this round."))
        if measure_id in seen:
            raise ValidationError(_("A measure is in the round only once."))
        seen.add(measure_id)
        values = _entry_values(entry)
        current = existing.get(measure_id)
        if not values["progress"] and values["percent"] is None and not values["note"]:
            if current is not None:
                emptied.append(current.pk)
            continue
        row = current or MeasureRound(measure_id=measure_id, round=progress_round)
        if current is not None and all(getattr(current, f) == v for f, v in values.items()):
            continue
        for field, value in values.items():
            setattr(row, field, value)
        # The measure and the round are known to be this report's: no query per row to check.
        row.clean_fields(exclude=["measure", "round"])
        (changed if current is not None else created).append(row)
    MeasureRound.objects.bulk_create(created)
    MeasureRound.objects.bulk_update(changed, ["progress", "percent", "note"])
    MeasureRound.objects.filter(pk__in=emptied).delete()

    after = _round_snapshot(progress_round, progress_round.entries.all())
    if after != before:
        _record(
            report=report,
            measure=None,
            user=user,
            action=Change.Action.CREATED if before is None else Change.Action.UPDATED,
            summary=_("Progress round: %(label)s") % {"label": progress_round.label},
            before=before,
            after=after,
        )
    return progress_round


@transaction.atomic
def round_delete(*, report: Report, number: int, user) -> Change:
    """Delete a round and every measure's state in it; the Change keeps what it held.

    Recorded as an update of the report: a "deleted" Change is a measure that can be restored.
    """
    report = _report_for_writing(report)
    progress_round = ProgressRound.objects.get(report=report, number=number)
    change = _record(
        report=report,
        measure=None,
        user=user,
        action=Change.Action.UPDATED,
        summary=_("Progress round deleted: %(label)s") % {"label": progress_round.label},
        before=_round_snapshot(progress_round, progress_round.entries.all()),
    )
    progress_round.delete()
    return change
