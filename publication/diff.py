"""What changed between two published versions of a report, measure by measure."""

import difflib
from dataclasses import dataclass, field

LISTS = (
    ("sub_items", "ข้อย่อย"),
    ("steps", "ขั้นตอน"),
    ("outputs", "ผลการดำเนินการ"),
    ("outcomes", "ผลลัพธ์"),
)


@dataclass
class Line:
    kind: str  # "same", "added", "removed"
    text: str


@dataclass
class MeasureDiff:
    number: int
    status: str  # "same", "changed", "added", "removed"
    title_before: str = ""
    title_after: str = ""
    parts: list[tuple[str, list[Line]]] = field(default_factory=list)


def _text(item: dict) -> str:
    return f"{item['label']} {item['text']}".strip()


def _fields(measure: dict) -> dict[str, list[str]]:
    period = (measure.get("period") or {}).get("text", "")
    responsible = measure.get("responsible") or {}
    return {
        **{label: [_text(i) for i in measure.get(key, [])] for key, label in LISTS},
        "ระยะเวลา": [period] if period else [],
        "ผู้รับผิดชอบ": responsible.get("main", []) + responsible.get("supporting", []),
    }


def _lines(before: list[str], after: list[str]) -> list[Line]:
    lines = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after).get_opcodes():
        if op == "equal":
            lines += [Line("same", t) for t in before[i1:i2]]
        else:
            lines += [Line("removed", t) for t in before[i1:i2]]
            lines += [Line("added", t) for t in after[j1:j2]]
    return lines


def versions_diff(before: dict, after: dict) -> list[MeasureDiff]:
    """Measures are matched by title where they can be, else by their place."""
    old, new = before.get("measures", []), after.get("measures", [])
    matcher = difflib.SequenceMatcher(None, [m["title"] for m in old], [m["title"] for m in new])
    pairs = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            pairs += list(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            pairs += [(i, None) for i in range(i1, i2)] + [(None, j) for j in range(j1, j2)]
    result = []
    for i, j in pairs:
        a, b = (old[i] if i is not None else None), (new[j] if j is not None else None)
        number = (j if j is not None else i) + 1
        if a is None:
            result.append(MeasureDiff(number, "added", title_after=b["title"]))
            continue
        if b is None:
            result.append(MeasureDiff(number, "removed", title_before=a["title"]))
            continue
        fa, fb = _fields(a), _fields(b)
        parts = [(name, _lines(fa[name], fb[name])) for name in fa if fa[name] != fb[name]]
        status = "changed" if parts or a["title"] != b["title"] else "same"
        result.append(MeasureDiff(number, status, a["title"], b["title"], parts))
    return result
