"""The analysis of last year's result: its scores per tool and per indicator, and the issues
(ประเด็น) found in it, each an urgent weakness or a point to develop.

``result_scores_read`` only reads a file of scores as ITAS gives them (an indicator and its
score per row, .csv or .xlsx) for staff to check before saving; the two services write.
"""

import os
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pythainlp.util import thai_digit_to_arabic_digit

from .. import thai
from ..importers import MAX_CELL_CHARS, MAX_ROWS, ReportImportError, csv_rows, xlsx_rows
from ..importers.base import _within_columns
from ..importers.files import _read_bytes
from ..models import AssessmentResult, Change, IssueGroup, Report
from ..validators import reject_markup
from .base import _record, _report_for_writing, _saved
from .reports import assessment_result_upsert

# -- Last year's scores ---------------------------------------------------------------------------


def _result_snapshot(result: AssessmentResult | None) -> dict | None:
    if result is None:
        return None
    return {
        "fiscal_year": result.fiscal_year.year,
        "overall": str(result.overall),
        **{
            tool: None if getattr(result, tool) is None else str(getattr(result, tool))
            for tool in ("iit", "eit", "oit")
        },
        "label": result.published_label,
        "indicators": [
            {"number": s.indicator.number, "score": str(s.score)}
            for s in result.indicator_scores.select_related("indicator").order_by(
                "indicator__number"
            )
        ],
    }


@transaction.atomic
def analysis_result_save(*, report: Report, data: dict, user) -> AssessmentResult:
    """Save last year's result as the report cites it: ``data`` as ``assessment_result_upsert``
    takes it (``fiscal_year``, ``overall``, ``iit``, ``eit``, ``oit``, ``label``, and
    ``indicators``: every indicator score there is, ``{"number", "score"}``)."""
    report = _report_for_writing(report)
    reject_markup(data.get("label", ""))
    if int(data["fiscal_year"]) > report.fiscal_year.year:
        raise ValidationError(_("A report cannot cite the result of a later year."))
    existing = report.agency.results.filter(fiscal_year__year=data["fiscal_year"]).first()
    before = _result_snapshot(existing)
    cited_before = report.cited_result_id
    result = assessment_result_upsert(agency=report.agency, data=data)
    if report.cited_result_id != result.pk:
        report.cited_result = result
        _saved(report)
    after = _result_snapshot(result)
    if after != before or cited_before != result.pk:
        _record(
            report=report,
            measure=None,
            user=user,
            action=Change.Action.UPDATED,
            summary=_("Result of fiscal year %(year)s") % {"year": result.fiscal_year.year},
            before=before,
            after=after,
        )
    return result


# -- The issues found ---------------------------------------------------------------------------


def _groups_snapshot(report: Report) -> list[dict]:
    return [
        {"number": g.number, "title": g.title, "kind": g.kind}
        for g in report.issue_groups.order_by("number")
    ]


@transaction.atomic
def issue_groups_save(*, report: Report, groups: list[dict], user) -> list[IssueGroup]:
    """The report's issues, in order (numbered 1, 2, … as listed): each ``{"id"}`` of an issue
    kept (None for a new one), ``"title"`` and ``"kind"`` (urgent, develop or empty).

    An issue left out is deleted, unless measures still hang off it: those are refused, so
    that no measure loses its issue unseen.
    """
    report = _report_for_writing(report)
    current = {g.pk: g for g in report.issue_groups.all()}
    kept = {int(g["id"]) for g in groups if g.get("id")}
    if kept - set(current):
        raise ValidationError(_("An issue of another report cannot be changed here."))
    dropped = [g for pk, g in current.items() if pk not in kept]
    busy = [g for g in dropped if g.measures.exists()]
    if busy:
        raise ValidationError(
            _("Issue %(number)s still has measures: tie them to another issue first.")
            % {"number": busy[0].number}
        )
    before = _groups_snapshot(report)
    IssueGroup.objects.filter(pk__in=[g.pk for g in dropped]).delete()
    # Out of the way first: the numbers are unique in the report at every step.
    top = max([g.number for g in current.values()] + [len(groups)] + [0])
    for offset, pk in enumerate(sorted(kept), start=1):
        IssueGroup.objects.filter(pk=pk).update(number=top + offset)
    saved = []
    for number, data in enumerate(groups, start=1):
        title = data["title"].strip()
        reject_markup(title)
        group = current[int(data["id"])] if data.get("id") else IssueGroup(report=report)
        group.number, group.title, group.kind = number, title, data.get("kind") or ""
        saved.append(_saved(group))
    after = _groups_snapshot(report)
    if after != before:
        _record(
            report=report,
            measure=None,
            user=user,
            action=Change.Action.UPDATED,
            summary=_("Issues found in last year's result"),
            before={"issues": before},
            after={"issues": after},
        )
    return saved


# -- Reading a file of scores ---------------------------------------------------------------------

INDICATOR_KEY = re.compile(r"^(?:ตัวชี้วัด\s*(?:ที่)?\s*)?(\d{1,2})(?!\d)(?!\.\d)")
TOOL_KEY = re.compile(r"(?<![A-Za-z])(IIT|EIT|OIT)(?![A-Za-z])", re.IGNORECASE)
OVERALL_KEY = re.compile(r"คะแนนรวม|ภาพรวม|คะแนน\s*ITA|^ITA$|overall|total|^รวม", re.IGNORECASE)
SCORE = re.compile(r"^(\d{1,3}(?:\.\d+)?)\s*%?$")


def _score_of(cell: str) -> Decimal | None:
    match = SCORE.match(thai_digit_to_arabic_digit(cell).strip())
    if match is None:
        return None
    try:
        value = Decimal(match[1]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    return value if value <= 100 else None


def _key_of(cell: str, indicators: dict[int, str]) -> tuple[str, int | None] | None:
    """("indicator", n), ("iit" | "eit" | "oit", None), ("overall", None), or None."""
    text = " ".join(thai_digit_to_arabic_digit(cell).split())
    match = INDICATOR_KEY.match(text)
    if match and int(match[1]) in indicators:
        return "indicator", int(match[1])
    match = TOOL_KEY.search(text)
    if match:
        return match[1].lower(), None
    named = [n for n, name in indicators.items() if name and " ".join(name.split()) in text]
    if named:
        return "indicator", max(named, key=lambda n: len(indicators[n]))
    if OVERALL_KEY.search(text):
        return "overall", None
    return None


def _xlsx_rows(data: bytes):
    # The importers' reader: bounded by the cells the file holds, not the sizes it declares.
    for row in xlsx_rows(data):
        yield ["" if v is None else str(v) for v in row.values]


def result_scores_read(*, file, filename: str, indicators: dict[int, str]) -> dict:
    """The scores in a .csv or .xlsx file, one per row: an indicator ("ตัวชี้วัดที่ 1 การปฏิบัติ
    หน้าที่", "1", "๑", or its name), a tool (IIT, EIT, OIT) or the overall score, then the score.

    Returns ``{"overall", "iit", "eit", "oit"`` (a Decimal or absent), ``"indicators": {n:
    Decimal}``, ``"problems": [...]}``; raises ReportImportError, its message for the user, when
    the file is not such a file. Writes nothing.
    """
    extension = os.path.splitext(filename or "")[1].lower()
    if extension not in (".csv", ".xlsx"):
        raise ReportImportError(_("Only .csv and .xlsx files of scores can be read."))
    data = _read_bytes(file)
    rows = csv_rows(data) if extension == ".csv" else _xlsx_rows(data)
    found: dict = {"indicators": {}, "problems": []}
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            found["problems"].append(
                _("Only the first %(count)s rows were read.") % {"count": MAX_ROWS}
            )
            break
        cells = [c.strip()[:MAX_CELL_CHARS] for c in _within_columns(row) if c and c.strip()]
        if len(cells) < 2:
            continue
        score = next((s for s in map(_score_of, cells[1:]) if s is not None), None)
        if score is None:
            continue  # a header or a title row
        key = _key_of(cells[0], indicators)
        if key is None:
            found["problems"].append(
                _("Row %(row)s: “%(text)s” is not an indicator, a tool or the overall score.")
                % {"row": thai.number(number), "text": cells[0][:80]}
            )
        elif key[0] == "indicator":
            found["indicators"][key[1]] = score
        else:
            found[key[0]] = score
    if not found["indicators"] and not any(k in found for k in ("overall", "iit", "eit", "oit")):
        raise ReportImportError(
            _(
                "No score was found in the file: each row holds an indicator and its score, "
                "such as “ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่, 92.10”."
            )
        )
    return found
