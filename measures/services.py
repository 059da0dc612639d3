"""Writes: loading the ITA framework and importing reports from the report data format.

The import is an upsert keyed on natural keys (agency slug, fiscal year, positions), so that
importing the same document twice leaves the database as it was.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import (
    Agency,
    AssessmentResult,
    District,
    EvidenceLink,
    FiscalYear,
    Indicator,
    IndicatorProgress,
    IndicatorProgressItem,
    IssueGroup,
    Measure,
    MeasureItem,
    OITItem,
    Province,
    Report,
    Responsible,
    ScoreBand,
    Tool,
    Unit,
)

REPORT_FORMAT = "ita-portal/report@1"
MEASURE_LISTS = {
    "sub_items": MeasureItem.Kind.SUB_ITEM,
    "steps": MeasureItem.Kind.STEP,
    "outputs": MeasureItem.Kind.OUTPUT,
    "outcomes": MeasureItem.Kind.OUTCOME,
}
PROGRESS_LISTS = {
    "guidelines": IndicatorProgressItem.Kind.GUIDELINE,
    "notes": IndicatorProgressItem.Kind.NOTE,
}
MEMO_FIELDS = (
    "department",
    "reference",
    "date",
    "subject",
    "to",
    "background",
    "facts",
    "considerations",
    "closing",
    "signatory_name",
    "signatory_position",
)


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


# -- The framework -------------------------------------------------------------------------------


@transaction.atomic
def framework_load(*, data: dict) -> list[FiscalYear]:
    years = []
    for year_data in data["fiscal_years"]:
        year = _upsert(
            FiscalYear,
            {"year": year_data["year"]},
            {"oit_deadline": _date(year_data.get("oit_deadline"))},
        )
        tools = {}
        for position, tool in enumerate(year_data["tools"], start=1):
            tools[tool["code"]] = _upsert(
                Tool,
                {"fiscal_year": year, "code": tool["code"]},
                {"name": tool["name"], "position": position},
            )
        indicators = {}
        for indicator in year_data["indicators"]:
            indicators[indicator["number"]] = _upsert(
                Indicator,
                {"fiscal_year": year, "number": indicator["number"]},
                {"tool": tools[indicator["tool"]], "name": indicator["name"]},
            )
        _bands_replace(year, year_data["bands"])
        for position, item in enumerate(year_data.get("oit_items", []), start=1):
            _upsert(
                OITItem,
                {"fiscal_year": year, "form": item.get("form", ""), "code": item["code"]},
                {
                    "title": item["title"],
                    "indicator": indicators.get(item.get("indicator")),
                    "position": position,
                },
            )
        years.append(year)
    return years


def _bands_replace(year: FiscalYear, bands: list[dict]) -> None:
    """Bands are replaced whole, since their order is what the rule means; unchanged, kept."""
    wanted = [
        (band["label"], _score(band["min_overall"]), _score(band.get("min_each_tool")))
        for band in bands
    ]
    if list(year.bands.values_list("label", "min_overall", "min_each_tool")) == wanted:
        return
    year.bands.all().delete()
    for position, (label, min_overall, min_each_tool) in enumerate(wanted, start=1):
        _saved(
            ScoreBand(
                fiscal_year=year,
                label=label,
                min_overall=min_overall,
                min_each_tool=min_each_tool,
                position=position,
            )
        )


# -- Agencies -----------------------------------------------------------------------------------


def agency_upsert(*, data: dict) -> Agency:
    province = Province.objects.filter(name=data["province"]).first()
    if province is None:
        province = _saved(
            Province(name=data["province"], slug=data.get("province_slug") or _slug_for(data))
        )
    district = None
    if data.get("district"):
        district = _upsert(District, {"province": province, "name": data["district"]}, {})
    agency = _upsert(
        Agency,
        {"slug": data["slug"]},
        {
            "name": data["name"],
            "short_name": data.get("short_name", ""),
            "kind": data["kind"],
            "subdistrict": data.get("subdistrict", ""),
            "district": district,
            "province": province,
            "website": data.get("website", ""),
        },
    )
    for position, name in enumerate(data.get("units", []), start=1):
        _upsert(Unit, {"agency": agency, "name": name}, {"position": position})
    return agency


def _slug_for(data: dict) -> str:
    from django.utils.text import slugify
    from pythainlp.transliterate import romanize

    base = slugify(romanize(data["province"], engine="royin")) or "province"
    slug, n = base, 1
    while Province.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# -- Reports --------------------------------------------------------------------------------------


@transaction.atomic
def report_import(*, data: dict) -> Report:
    """Create or update a report, with everything in it, from the report data format."""
    if data.get("format", REPORT_FORMAT) != REPORT_FORMAT:
        raise ValidationError(_("Unknown report format %(format)s.") % {"format": data["format"]})
    agency = agency_upsert(data=data["agency"])
    fiscal_year = FiscalYear.objects.filter(year=data["fiscal_year"]).first()
    if fiscal_year is None:
        raise ValidationError(
            _("Fiscal year %(year)s has no ITA framework yet: an administrator must add it.")
            % {"year": data["fiscal_year"]}
        )
    cited = data.get("cited_result")
    cited_result = None
    if cited:
        cited_result = assessment_result_upsert(agency=agency, data=cited)
    memo = data.get("memo") or {}
    report = _upsert(
        Report,
        {"agency": agency, "fiscal_year": fiscal_year},
        {
            "title": data.get("title", ""),
            "year_style": data.get("year_style", Report.YearStyle.ANNUAL_BE),
            "prepared_by": data.get("prepared_by", ""),
            "heading": data.get("heading", ""),
            "intro": data.get("intro", ""),
            "progress_heading": data.get("progress_heading", ""),
            "cited_result": cited_result,
            "layout": data.get("layout", Report.Layout.BY_INDICATOR),
            "digits": data.get("digits", Report.Digits.THAI),
            **{
                f"memo_{field}": (
                    _date(memo.get(field)) if field == "date" else memo.get(field, "")
                )
                for field in MEMO_FIELDS
            },
        },
    )
    indicators = {i.number: i for i in Indicator.objects.filter(fiscal_year=fiscal_year)}

    groups = {}
    for group in data.get("issue_groups", []):
        groups[group["number"]] = _upsert(
            IssueGroup, {"report": report, "number": group["number"]}, {"title": group["title"]}
        )
    report.issue_groups.exclude(number__in=groups).delete()

    for position, measure_data in enumerate(data.get("measures", []), start=1):
        _measure_upsert(report, position, measure_data, indicators, groups)
    report.measures.filter(position__gt=len(data.get("measures", []))).delete()

    for position, row_data in enumerate(data.get("indicator_progress", []), start=1):
        _progress_upsert(report, position, row_data, indicators)
    report.indicator_progress.filter(position__gt=len(data.get("indicator_progress", []))).delete()
    return report


def assessment_result_upsert(*, agency: Agency, data: dict) -> AssessmentResult:
    year = FiscalYear.objects.filter(year=data["fiscal_year"]).first()
    if year is None:
        raise ValidationError(
            _("Fiscal year %(year)s has no ITA framework yet: an administrator must add it.")
            % {"year": data["fiscal_year"]}
        )
    return _upsert(
        AssessmentResult,
        {"agency": agency, "fiscal_year": year},
        {
            "overall": _score(data["overall"]),
            "iit": _score(data.get("iit")),
            "eit": _score(data.get("eit")),
            "oit": _score(data.get("oit")),
            "published_label": data.get("label", ""),
        },
    )


def _indicator(reference, indicators: dict):
    if not reference:
        return None, ""
    indicator = indicators.get(reference["number"])
    if indicator is None:
        raise ValidationError(
            _("Indicator %(number)s is not in this fiscal year's framework.")
            % {"number": reference["number"]}
        )
    return indicator, reference.get("label", "")


def _period_values(period: dict | None) -> dict:
    period = period or {}
    return {
        "period_style": period.get("style", ""),
        "period_start": _date(period.get("start")),
        "period_end": _date(period.get("end")),
    }


def _sync_items(model, parent_field: str, parent, kind: str, items: list[dict]) -> None:
    for position, item in enumerate(items, start=1):
        values = {"label": item.get("label", ""), "text": item["text"]}
        if model is MeasureItem:
            values["new_row"] = bool(item.get("new_row", False))
        _upsert(model, {parent_field: parent, "kind": kind, "position": position}, values)
    model.objects.filter(**{parent_field: parent, "kind": kind}, position__gt=len(items)).delete()


def _measure_upsert(report, position, data, indicators, groups) -> Measure:
    indicator, indicator_label = _indicator(data.get("indicator"), indicators)
    group_number = data.get("issue_group")
    if group_number is not None and group_number not in groups:
        raise ValidationError(
            _("Issue group %(number)s is not defined in the report.") % {"number": group_number}
        )
    numbering = data.get("numbering", {})
    measure = _upsert(
        Measure,
        {"report": report, "position": position},
        {
            "title": data["title"],
            "indicator": indicator,
            "indicator_label": indicator_label,
            "issue_group": groups.get(group_number),
            "progress": data.get("progress", ""),
            **{
                f"{name}_numbering": numbering.get(
                    name, Measure._meta.get_field(f"{name}_numbering").default
                )
                for name in ("sub_items", "steps", "outputs", "outcomes", "responsible")
            },
            **_period_values(data.get("period")),
        },
    )
    for key, kind in MEASURE_LISTS.items():
        _sync_items(MeasureItem, "measure", measure, kind, data.get(key, []))

    units = {unit.name: unit for unit in report.agency.units.all()}
    responsible = data.get("responsible") or {}
    for role in Responsible.Role.values:
        names = responsible.get(role, [])
        for index, name in enumerate(names, start=1):
            _upsert(
                Responsible,
                {"measure": measure, "role": role, "position": index},
                {"name": name, "unit": units.get(name)},
            )
        measure.responsibles.filter(role=role, position__gt=len(names)).delete()

    evidence = data.get("evidence", [])
    for index, link in enumerate(evidence, start=1):
        _upsert(
            EvidenceLink,
            {"measure": measure, "position": index},
            {"title": link["title"], "url": link["url"]},
        )
    measure.evidence.filter(position__gt=len(evidence)).delete()
    return measure


def _progress_upsert(report, position, data, indicators) -> IndicatorProgress:
    indicator, indicator_label = _indicator(data.get("indicator"), indicators)
    numbering = data.get("numbering", {})
    row = _upsert(
        IndicatorProgress,
        {"report": report, "position": position},
        {
            "indicator": indicator,
            "indicator_label": indicator_label,
            "responsible": data.get("responsible", ""),
            "progress": data.get("progress", ""),
            "guidelines_numbering": numbering.get("guidelines", "auto"),
            "notes_numbering": numbering.get("notes", "auto"),
            **_period_values(data.get("period")),
        },
    )
    for key, kind in PROGRESS_LISTS.items():
        _sync_items(IndicatorProgressItem, "row", row, kind, data.get(key, []))
    return row
