"""What the services share: validated saves, upserts by natural key, and the change history."""

import datetime
from decimal import Decimal

from ..models import Change


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
