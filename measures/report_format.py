"""The report data format, `ita-portal/report@1` (docs/report-format.md), declared once.

The models below are the declaration. Their JSON schema is what the open-data API publishes;
`report_data_validate` holds whatever comes in (a file, an import, the demo) to it before anything
is written; `report_to_data` writes it from the database (the tests hold every export to the
schema). Text is plain text; numbering is the layout's, never stored.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic import ValidationError as SchemaError
from pydantic_core import PydanticCustomError

from . import open_data, thai
from .models import (
    Agency,
    IndicatorProgressItem,
    IssueGroup,
    Measure,
    MeasureItem,
    Numbering,
    PeriodStyle,
    Progress,
    Report,
    Responsible,
)
from .validators import URL_CHARS, validate_evidence_url

FORMAT = "ita-portal/report@1"
# The lists of a measure and of a progress row, by their name in the format.
MEASURE_LISTS = {
    "sub_items": MeasureItem.Kind.SUB_ITEM,
    "steps": MeasureItem.Kind.STEP,
    "outputs": MeasureItem.Kind.OUTPUT,
    "outcomes": MeasureItem.Kind.OUTCOME,
}
# The portal's open data, a row per measure (publication.tables writes it, the importers read it
# back): names for machines, the same in the CSV, the XLSX and the API; declared in open_data,
# with each column's Thai header for people.
CSV_COLUMNS = open_data.CSV_COLUMNS
MEASURE_NUMBERED = (*MEASURE_LISTS, "responsible")
PROGRESS_LISTS = {
    "guidelines": IndicatorProgressItem.Kind.GUIDELINE,
    "notes": IndicatorProgressItem.Kind.NOTE,
}
MEMO_FIELDS = tuple(name.removeprefix("memo_") for name in Report.MEMO_FIELDS)

Text = Annotated[str, Field(max_length=100_000)]
Score = Annotated[str, Field(pattern=r"^\d{1,3}(\.\d{1,2})?$", examples=["89.72"])]
FiscalYearBE = Annotated[int, Field(ge=2500, le=2700, description="Buddhist Era")]
ProgressValue = Progress | Literal[""]
Baht = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, examples=[25000])]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Item(_Part):
    """A line of a list: a bold label, then the text."""

    label: Text = Field("", description="A bold label before the text.")
    text: Text
    new_row: bool = Field(False, description="Starts a new table row (ต่อ); written only when true.")


class Period(_Part):
    style: PeriodStyle
    start: datetime.date | None = None
    end: datetime.date | None = None
    text: str | None = Field(None, description="As the document writes it (export only).")


class IndicatorRef(_Part):
    number: int = Field(ge=1, le=99)
    label: Text = Field("", description="The agency's own wording, when it differs.")
    tool: str | None = Field(None, description="IIT, EIT or OIT (export only).")
    name: str | None = Field(None, description="The framework's name (export only).")


class Responsibles(_Part):
    main: list[Text] = []
    supporting: list[Text] = []


def _web_address(value: str) -> str:
    try:
        validate_evidence_url(value)
    except ValidationError as error:  # said as it is, after where: no "Value error, " before it
        raise PydanticCustomError("url", "{message}", {"message": str(error.messages[0])}) from None
    return value


class EvidenceLink(_Part):
    title: Text
    url: Annotated[
        str,
        Field(
            max_length=URL_CHARS,
            description="A web address: http:// or https://, no spaces, quotes or < >.",
            json_schema_extra={"format": "uri"},
        ),
        AfterValidator(_web_address),
    ]


class MeasureRoundData(_Part):
    """Where the measure stood at the end of one of the report's progress rounds."""

    round: int = Field(ge=1, le=99, description="The number of the report's round.")
    progress: ProgressValue = ""
    percent: int | None = Field(None, ge=0, le=100)
    note: Text = ""


class MeasureData(_Part):
    title: Text
    indicator: IndicatorRef | None = None
    issue_group: int | None = None
    sub_items: list[Item] = []
    steps: list[Item] = []
    outputs: list[Item] = []
    outcomes: list[Item] = []
    numbering: dict[Literal[MEASURE_NUMBERED], Numbering] = {}  # type: ignore[valid-type]
    period: Period | None = None
    responsible: Responsibles | None = None
    progress: ProgressValue = ""
    evidence: list[EvidenceLink] = []
    objective: Text = ""
    target: Text = Field("", description="How success is judged.")
    budget_planned: Baht | None = Field(None, description="Baht; null when not given.")
    budget_spent: Baht | None = None
    budget_none: bool = Field(False, description="The document says ไม่ใช้งบประมาณ.")
    rounds: list[MeasureRoundData] = []


class ProgressRowData(_Part):
    """A row of the per-indicator progress table (seed 001)."""

    indicator: IndicatorRef | None = None
    guidelines: list[Item] = []
    responsible: Text = ""
    period: Period | None = None
    progress: ProgressValue = ""
    notes: list[Item] = []
    numbering: dict[Literal["guidelines", "notes"], Numbering] = {}


class AgencyData(_Part):
    slug: Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=100)]
    name: Text
    short_name: Text = ""
    kind: Agency.Kind
    subdistrict: Text = ""
    district: Text = ""
    province: Text
    province_slug: str = ""
    website: Text = ""
    units: list[Text] = []


class IndicatorScoreData(_Part):
    number: int = Field(ge=1, le=99)
    score: Score


class CitedResult(_Part):
    """Last year's result, which the analysis reads and the report quotes."""

    fiscal_year: FiscalYearBE
    overall: Score
    iit: Score | None = None
    eit: Score | None = None
    oit: Score | None = None
    label: Text = ""
    indicators: list[IndicatorScoreData] = []


class Memo(_Part):
    """The บันทึกข้อความ fields (layout memo_table)."""

    department: Text = ""
    reference: Text = ""
    date: datetime.date | None = None
    subject: Text = ""
    to: Text = ""
    background: Text = ""
    facts: Text = ""
    considerations: Text = ""
    closing: Text = ""
    signatory_name: Text = ""
    signatory_position: Text = ""


class IssueGroupData(_Part):
    number: int = Field(ge=1, le=99)
    title: Text
    kind: IssueGroup.Kind | Literal[""] = ""


class RoundData(_Part):
    number: int = Field(ge=1, le=99)
    label: Text
    as_of: datetime.date


class ReportData(_Part):
    """One agency's report for one fiscal year."""

    format: Literal["ita-portal/report@1"] = FORMAT
    agency: AgencyData
    fiscal_year: FiscalYearBE
    layout: Report.Layout = Report.Layout.BY_INDICATOR
    digits: Report.Digits = Report.Digits.THAI
    title: Text = ""
    year_style: Report.YearStyle = Report.YearStyle.ANNUAL_BE
    prepared_by: Text = ""
    heading: Text = ""
    intro: Text = ""
    progress_heading: Text = ""
    analysis: Text = ""
    obstacles: Text = Field("", description="ปัญหา อุปสรรค; empty is written ไม่มี.")
    suggestions: Text = Field("", description="ข้อเสนอแนะ; empty is written ไม่มี.")
    cited_result: CitedResult | None = None
    memo: Memo | None = None
    issue_groups: list[IssueGroupData] = []
    measures: list[MeasureData] = []
    indicator_progress: list[ProgressRowData] = []
    rounds: list[RoundData] = []


def _validate(model: type[BaseModel], data) -> None:
    try:
        model.model_validate(data)
    except SchemaError as error:
        raise ValidationError(
            [
                _("%(where)s: %(problem)s")
                % {"where": ".".join(str(part) for part in e["loc"]) or "-", "problem": e["msg"]}
                for e in error.errors()[:20]
            ]
        ) from None


def report_data_validate(data) -> None:
    """Refuse data that is not a report in this format, saying where, before anything is written."""
    if isinstance(data, dict) and data.get("format", FORMAT) != FORMAT:
        raise ValidationError(_("Unknown report format %(format)s.") % {"format": data["format"]})
    _validate(ReportData, data)


def measure_data_validate(data) -> None:
    _validate(MeasureData, data)


# -- From the database to the format ---------------------------------------------------------


def _items(items, kind) -> list[dict]:
    rows = []
    for item in items:
        if item.kind == kind:
            row = {"label": item.label, "text": item.text}
            if getattr(item, "new_row", False):
                row["new_row"] = True
            rows.append(row)
    return rows


def _period(obj, digits: str) -> dict | None:
    if not obj.period_style:
        return None
    return {
        "style": obj.period_style,
        "start": obj.period_start.isoformat() if obj.period_start else None,
        "end": obj.period_end.isoformat() if obj.period_end else None,
        "text": thai.to_digits(obj.period_text, digits),
    }


def _indicator(obj) -> dict | None:
    if not obj.indicator_id:
        return None
    return {
        "number": obj.indicator.number,
        "label": obj.indicator_label,
        "tool": obj.indicator.tool.code,
        "name": obj.indicator.name,
    }


def measure_to_data(*, measure: Measure, digits: str = thai.THAI) -> dict:
    """One measure in the report data format."""
    items = list(measure.items.all())
    responsibles = list(measure.responsibles.all())
    return {
        "title": measure.title,
        "indicator": _indicator(measure),
        "issue_group": measure.issue_group.number if measure.issue_group_id else None,
        **{key: _items(items, kind) for key, kind in MEASURE_LISTS.items()},
        "numbering": {name: getattr(measure, f"{name}_numbering") for name in MEASURE_NUMBERED},
        "period": _period(measure, digits),
        "responsible": {
            role: [r.name for r in responsibles if r.role == role]
            for role in Responsible.Role.values
        },
        "progress": measure.progress,
        "evidence": [{"title": e.title, "url": e.url} for e in measure.evidence.all()],
        "objective": measure.objective,
        "target": measure.target,
        "budget_planned": baht(measure.budget_planned),
        "budget_spent": baht(measure.budget_spent),
        "budget_none": measure.budget_none,
        "rounds": [
            {
                "round": entry.round.number,
                "progress": entry.progress,
                "percent": entry.percent,
                "note": entry.note,
            }
            for entry in measure.rounds.all()
        ],
    }


def agency_to_data(*, agency: Agency) -> dict:
    return {
        "slug": agency.slug,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "subdistrict": agency.subdistrict,
        "district": agency.district.name if agency.district_id else "",
        "province": agency.province.name,
        "website": agency.website,
        "units": [unit.name for unit in agency.units.all()],
    }


def _progress_row(row, digits: str) -> dict:
    items = list(row.items.all())
    return {
        "indicator": _indicator(row),
        "guidelines": _items(items, PROGRESS_LISTS["guidelines"]),
        "responsible": row.responsible,
        "period": _period(row, digits),
        "progress": row.progress,
        "notes": _items(items, PROGRESS_LISTS["notes"]),
        "numbering": {"guidelines": row.guidelines_numbering, "notes": row.notes_numbering},
    }


def _score(value) -> str | None:
    return None if value is None else str(value)


def baht(value: Decimal | None) -> int | float | None:
    """An amount as a JSON number: whole baht as an integer, satang as two decimals."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(round(value, 2))


def report_to_data(*, report: Report) -> dict:
    """The report in the report data format; fetch it with `selectors.report_documents`."""
    cited = report.cited_result
    digits = report.digits
    memo = None
    if report.has_memo:
        memo = {field: getattr(report, f"memo_{field}") for field in MEMO_FIELDS}
        memo["date"] = report.memo_date.isoformat() if report.memo_date else None
    return {
        "format": FORMAT,
        "agency": agency_to_data(agency=report.agency),
        "fiscal_year": report.fiscal_year.year,
        "layout": report.layout,
        "digits": report.digits,
        "title": report.title,
        "year_style": report.year_style,
        "prepared_by": report.prepared_by,
        "heading": report.heading,
        "intro": report.intro,
        "progress_heading": report.progress_heading,
        "analysis": report.analysis,
        "obstacles": report.obstacles,
        "suggestions": report.suggestions,
        "cited_result": None
        if cited is None
        else {
            "fiscal_year": cited.fiscal_year.year,
            "overall": str(cited.overall),
            "iit": _score(cited.iit),
            "eit": _score(cited.eit),
            "oit": _score(cited.oit),
            "label": cited.published_label,
            "indicators": [
                {"number": s.indicator.number, "score": str(s.score)}
                for s in cited.indicator_scores.all()
            ],
        },
        "memo": memo,
        "issue_groups": [
            {"number": g.number, "title": g.title, "kind": g.kind}
            for g in report.issue_groups.all()
        ],
        "measures": [measure_to_data(measure=m, digits=digits) for m in report.measures.all()],
        "indicator_progress": [_progress_row(r, digits) for r in report.indicator_progress.all()],
        "rounds": [
            {"number": r.number, "label": r.label, "as_of": r.as_of.isoformat()}
            for r in report.rounds.all()
        ],
    }


def report_schema() -> dict:
    """The JSON schema of the format (draft 2020-12), as the API and the docs publish it."""
    return ReportData.model_json_schema()
