"""Staff editing of measures: create, update, delete, restore and move, each recorded as a Change.

An update names the version it started from, and is refused with ``EditConflict`` when someone
saved the measure since.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ..models import Change, Indicator, Measure, Report
from ..report_format import measure_to_data
from .base import _record, _report_for_writing
from .reports import _measure_upsert


class EditConflict(Exception):
    """The measure changed since the form was opened; ``current`` is what is saved now."""

    def __init__(self, measure: Measure, current: dict):
        super().__init__(_("Someone else saved this measure while you were editing it."))
        self.measure = measure
        self.current = current


def _snapshot(measure: Measure) -> dict:
    return measure_to_data(measure=measure, digits=measure.report.digits)


def _measure_for_writing(measure: Measure) -> Measure:
    """The measure's row, locked (after its report's), as it is now; refused if deleted since."""
    locked = Measure.objects.select_for_update().filter(pk=measure.pk).first()
    if locked is None:
        raise ValidationError(
            _("Someone else deleted this measure meanwhile: it can be restored from the history."),
            code="deleted",
        )
    return locked


def _framework(report: Report) -> tuple[dict, dict]:
    indicators = {i.number: i for i in Indicator.objects.filter(fiscal_year=report.fiscal_year)}
    groups = {g.number: g for g in report.issue_groups.all()}
    return indicators, groups


@transaction.atomic
def measure_create(*, report: Report, data: dict, user) -> Measure:
    report = _report_for_writing(report)
    last = report.measures.order_by("-position").values_list("position", flat=True).first()
    indicators, groups = _framework(report)
    measure = _measure_upsert(report, (last or 0) + 1, data, indicators, groups)
    _record(
        report=report,
        measure=measure,
        user=user,
        action=Change.Action.CREATED,
        summary=measure.title,
        after=_snapshot(measure),
    )
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, data: dict, expected_version: int, user) -> Measure:
    """Save ``data`` over the measure, unless someone saved it since ``expected_version``."""
    _report_for_writing(measure.report_id)
    # The measure's row lock makes two simultaneous saves queue; the second then sees the raised
    # version and is refused.
    locked = _measure_for_writing(measure)
    if locked.version != expected_version:
        raise EditConflict(locked, _snapshot(locked))
    before = _snapshot(locked)
    indicators, groups = _framework(locked.report)
    saved = _measure_upsert(locked.report, locked.position, data, indicators, groups)
    Measure.objects.filter(pk=saved.pk).update(version=F("version") + 1)
    saved.refresh_from_db()
    after = _snapshot(saved)
    if after != before:
        _record(
            report=saved.report,
            measure=saved,
            user=user,
            action=Change.Action.UPDATED,
            summary=saved.title,
            before=before,
            after=after,
        )
    return saved


@transaction.atomic
def measure_delete(*, measure: Measure, user) -> Change:
    _report_for_writing(measure.report_id)
    measure = _measure_for_writing(measure)
    change = _record(
        report=measure.report,
        measure=None,
        user=user,
        action=Change.Action.DELETED,
        summary=measure.title,
        before=_snapshot(measure),
    )
    measure.delete()
    return change


@transaction.atomic
def measure_restore(*, change: Change, user) -> Measure:
    """Bring back a deleted measure, at the end of its report."""
    _report_for_writing(change.report_id)
    change = Change.objects.select_for_update().get(pk=change.pk)
    if change.action != Change.Action.DELETED or change.restored or not change.before:
        raise ValidationError(_("Only a deleted measure can be restored, and only once."))
    data = dict(change.before)
    group = data.get("issue_group")
    if group is not None and not change.report.issue_groups.filter(number=group).exists():
        data["issue_group"] = None
    measure = measure_create(report=change.report, data=data, user=user)
    Change.objects.filter(pk=change.pk).update(restored=True)
    Change.objects.filter(measure=measure, action=Change.Action.CREATED).update(
        action=Change.Action.RESTORED
    )
    return measure


@transaction.atomic
def measure_move(*, measure: Measure, offset: int, user) -> Measure:
    """Move the measure up (-1) or down (+1) among its report's measures."""
    _report_for_writing(measure.report_id)
    measure = _measure_for_writing(measure)
    siblings = list(measure.report.measures.order_by("position").values_list("pk", "position"))
    index = [pk for pk, _ in siblings].index(measure.pk)
    target = index + offset
    if offset == 0 or not 0 <= target < len(siblings):
        return measure
    other_pk, other_position = siblings[target]
    spare = siblings[-1][1] + 1
    # Through a spare position: the order is unique in the database at every step.
    Measure.objects.filter(pk=other_pk).update(position=spare)
    Measure.objects.filter(pk=measure.pk).update(position=other_position)
    Measure.objects.filter(pk=other_pk).update(position=siblings[index][1])
    measure.refresh_from_db()
    _record(
        report=measure.report,
        measure=measure,
        user=user,
        action=Change.Action.MOVED,
        summary=measure.title,
    )
    return measure
