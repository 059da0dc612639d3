"""What the services share: validated saves, upserts by natural key, the change history, and the
report's row lock that every change of a report's content takes."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Change, Report


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def _upsert(model, lookup: dict, values: dict):
    """Create or update by natural key; an unchanged row is not written (nor re-stamped)."""
    obj = model.objects.filter(**lookup).first()
    if obj is not None and all(_same(getattr(obj, f), v) for f, v in values.items()):
        return obj
    obj = obj or model(**lookup)
    for field, value in values.items():
        setattr(obj, field, value)
    return _saved(obj)


def _same(current, new) -> bool:
    if isinstance(current, Decimal) and new is not None:
        return current == Decimal(str(new))
    return current == new


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _score(value):
    return None if value in (None, "") else Decimal(str(value))


def _record(*, report, measure, user, action, summary, before=None, after=None) -> Change:
    """Record a staff edit: who, when, what, and the data before and after.

    Every staff edit records one, so that staff can read a measure's history and bring a
    deleted one back.
    """
    return Change.objects.create(
        report=report,
        measure=measure,
        user=user if user and user.is_authenticated else None,
        action=action,
        summary=summary[:300],
        before=before,
        after=after,
    )


def report_check_editable(report: Report) -> None:
    """Refuse a change to a report under review or published."""
    if report.state not in Report.EDITABLE_STATES:
        raise ValidationError(
            _("The report is %(state)s: it can be changed again once it is returned for changes.")
            % {"state": report.get_state_display()},
            code="not_editable",
        )


def _report_for_writing(report: Report | int) -> Report:
    """Lock the report's row for a change of its content, and refuse unless staff may still
    change it; call it first in the transaction, before any measure's row.

    ``publication.services.report_transition`` takes the same lock first: a move waits for the
    writes in flight, and a write that waited for a move sees the report's new state. Taking the
    report before its measures, everywhere, keeps two writers from deadlocking.
    """
    pk = report if isinstance(report, int) else report.pk
    # Only the report's row: its agency and year are shared with other reports.
    rows = Report.objects.select_for_update(of=("self",)).select_related("agency", "fiscal_year")
    locked = rows.get(pk=pk)
    report_check_editable(locked)
    return locked
