"""Two people saved one measure: what each changed since the form was opened, merged field by field.

The measure form carries the measure as it was when the form was opened (``base_token``: signed,
so what comes back is what was sent). When a save is refused because someone saved the measure
since, ``measure_merge`` compares three versions of each part the form edits: that base, the
saved one (theirs) and the one typed (mine). A part only one side changed takes that side's
value; a part both changed, differently, is a conflict the person settles by choosing theirs or
mine. Parts are compared as the form can write them, so that a value the form merely writes
differently (25000 for 25,000.00, the agency's units before other names) is not a change.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core import signing
from django.utils.translation import gettext_lazy as _

from measures import thai
from measures.models import Numbering, PeriodStyle, Progress, Responsible

SALT = "staff.measure-base"
THEIRS, MINE, BOTH = "theirs", "mine", "both"


@dataclass(frozen=True)
class Part:
    """A part of the measure merged whole: its name, its label, its keys in the data format."""

    name: str
    label: str
    keys: tuple[str, ...]


PARTS = (
    Part("title", _("measure"), ("title",)),
    # Tied to an indicator or to an issue, not both: the two are one choice.
    Part("tie", _("indicator or issue group"), ("indicator", "issue_group")),
    Part("objective", _("objective (วัตถุประสงค์)"), ("objective",)),
    Part(
        "target",
        _("target or measure of success (เป้าหมาย / ตัวชี้วัดความสำเร็จ)"),
        ("target",),
    ),
    Part("budget_planned", _("budget planned (baht)"), ("budget_planned",)),
    Part("budget_spent", _("budget spent (baht)"), ("budget_spent",)),
    Part("budget_none", _("no budget (ไม่ใช้งบประมาณ)"), ("budget_none",)),
    Part("period", _("Period"), ("period",)),
    Part("responsible", _("Responsible"), ("responsible",)),
    Part("steps", _("Steps"), ("steps",)),
    Part("outputs", _("Outputs"), ("outputs",)),
    Part("outcomes", _("Outcomes"), ("outcomes",)),
    Part("sub_items", _("Sub-items"), ("sub_items",)),
    Part("progress", _("progress"), ("progress",)),
    Part("evidence", _("Evidence"), ("evidence",)),
    Part("numbering", _("Numbering"), ("numbering",)),
)
PARTS_BY_NAME = {part.name: part for part in PARTS}


@dataclass
class Names:
    """What the form shows for numbers: the year's indicators, the report's issues, its units."""

    units: list[str] = field(default_factory=list)  # in the order the form lists them
    indicators: dict[int, str] = field(default_factory=dict)
    groups: dict[int, str] = field(default_factory=dict)
    year: int | None = None


@dataclass
class Difference:
    """A part that differs between the saved version and the one typed."""

    part: Part
    changed_by: str  # THEIRS (kept), MINE (saved) or BOTH (the person chooses)
    theirs: str  # as the person reads it
    mine: str | None  # None when it is only in the form (the form shown again)


@dataclass
class Merge:
    data: dict  # what the form shows now: mine, with theirs where only they changed
    differences: list[Difference]

    @property
    def conflicts(self) -> list[str]:
        return [d.part.name for d in self.differences if d.changed_by == BOTH]


# -- The base the form started from ---------------------------------------------------------------


def base_token(*, measure_pk: int, data: dict, conflicts=()) -> str:
    """The measure's data as the form opened it (and the parts still to settle), signed."""
    payload = {"measure": measure_pk, "data": data, "conflicts": list(conflicts)}
    return signing.dumps(payload, salt=SALT, compress=True)


def base_read(token: str, *, measure_pk: int) -> tuple[dict | None, list[str]]:
    """The base and the parts to settle from a token; (None, []) for a missing or false one."""
    try:
        payload = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return None, []
    if not isinstance(payload, dict) or payload.get("measure") != measure_pk:
        return None, []
    return payload.get("data"), [c for c in payload.get("conflicts", []) if c in PARTS_BY_NAME]


# -- Merging --------------------------------------------------------------------------------------


def measure_merge(*, base: dict | None, mine: dict, theirs: dict, names: Names) -> Merge:
    """Merge ``mine`` (typed from ``base``) with ``theirs`` (saved since), part by part.

    Without a base (an old page), every part that differs is the person's to choose.
    """
    merged = dict(mine)
    differences = []
    for part in PARTS:
        mine_value, theirs_value = _form_value(part, mine, names), _form_value(part, theirs, names)
        if mine_value == theirs_value:
            continue
        base_value = None if base is None else _form_value(part, base, names)
        if base is not None and mine_value == base_value:
            changed_by = THEIRS
            merged.update({key: theirs.get(key) for key in part.keys})
        elif base is not None and theirs_value == base_value:
            changed_by = MINE
        else:
            changed_by = BOTH
        differences.append(
            Difference(part, changed_by, _shown(part, theirs, names), _shown(part, mine, names))
        )
    return Merge(data=merged, differences=differences)


def merge_resolve(data: dict, *, theirs: dict, chosen: dict[str, str]) -> dict:
    """``data`` with the saved version's value of each part the person chose to keep."""
    resolved = dict(data)
    for name, choice in chosen.items():
        if choice == THEIRS:
            resolved.update({key: theirs.get(key) for key in PARTS_BY_NAME[name].keys})
    return resolved


def pending(*, theirs: dict, conflicts: list[str], names: Names) -> list[Difference]:
    """The parts still to settle, when the form comes back with a mistake in it."""
    return [
        Difference(PARTS_BY_NAME[name], BOTH, _shown(PARTS_BY_NAME[name], theirs, names), None)
        for name in conflicts
    ]


def _text(value) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _lines(items) -> tuple:
    return tuple(
        (_text(item.get("label")), _text(item.get("text")), bool(item.get("new_row")))
        for item in items or []
        if _text(item.get("text"))
    )


def _amount(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _form_value(part: Part, data: dict, names: Names):
    """The part as the measure form writes it back, for comparing."""
    key = part.keys[0]
    value = data.get(key)
    if part.name == "tie":
        indicator = data.get("indicator") or {}
        return (indicator.get("number"), _text(indicator.get("label")), data.get("issue_group"))
    if key in ("title", "objective", "target", "progress"):
        return _text(value)
    if key in ("budget_planned", "budget_spent"):
        return _amount(value)
    if key == "budget_none":
        return bool(value)
    if key == "period":
        return (value["style"], value.get("start"), value.get("end")) if value else None
    if key == "responsible":
        return tuple(_people(value or {}, role, names) for role in Responsible.Role.values)
    if key == "evidence":
        return tuple(
            (_text(link.get("title")) or _text(link.get("url")), _text(link.get("url")))
            for link in value or []
            if _text(link.get("url"))
        )
    if key == "numbering":
        return tuple(sorted((value or {}).items()))
    return _lines(value)


def _people(responsible: dict, role: str, names: Names) -> tuple:
    # The form ticks the agency's units in its own order, then lists the other names.
    typed = [_text(name) for name in responsible.get(role, []) if _text(name)]
    units = [unit for unit in names.units if unit in typed]
    return tuple(units + [name for name in typed if name not in names.units])


def _shown(part: Part, data: dict, names: Names) -> str:
    """The part as a person reads it, in plain text."""
    key = part.keys[0]
    value = data.get(key)
    if part.name == "tie":
        indicator = data.get("indicator")
        if indicator:
            number = indicator["number"]
            return f"{number}. {indicator.get('label') or names.indicators.get(number, '')}"
        group = data.get("issue_group")
        return "" if group is None else f"{group}. {names.groups.get(group, '')}"
    if key in ("budget_planned", "budget_spent"):
        amount = _amount(value)
        return "" if amount is None else f"{amount:,}"
    if key == "budget_none":
        return str(part.label) if value else "–"
    if key == "period":
        if not value:
            return ""
        return thai.period_text(
            value["style"], _day(value.get("start")), _day(value.get("end")), names.year
        ) or str(PeriodStyle(value["style"]).label)
    if key == "responsible":
        return "\n".join(
            f"{Responsible.Role(role).label}: {', '.join(_people(value or {}, role, names))}"
            for role in Responsible.Role.values
            if _people(value or {}, role, names)
        )
    if key == "evidence":
        return "\n".join(f"{title} – {url}" for title, url in _form_value(part, data, names))
    if key == "numbering":
        return "\n".join(f"{name}: {Numbering(v).label}" for name, v in (value or {}).items())
    if key == "progress":
        return str(Progress(value).label) if value else ""
    if key in ("title", "objective", "target"):
        return _text(value)
    return "\n".join(" ".join(filter(None, line[:2])) for line in _lines(value))


def _day(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
