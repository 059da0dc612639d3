"""Reports: importing them from the report data format, and creating and editing them.

The import is an upsert keyed on natural keys (agency slug, fiscal year, positions), so that
importing the same document twice leaves the database as it was.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import fiscal, thai
from ..models import (
    Agency,
    AssessmentResult,
    Change,
    District,
    EvidenceLink,
    FiscalYear,
    Indicator,
    IndicatorProgress,
    IndicatorProgressItem,
    IndicatorScore,
    IssueGroup,
    Measure,
    MeasureItem,
    MeasureRound,
    ProgressRound,
    Province,
    Report,
    Responsible,
    Unit,
)
from ..report_format import (
    MEASURE_LISTS,
    MEMO_FIELDS,
    PROGRESS_LISTS,
    report_data_validate,
    report_to_data,
)
from ..selectors import report_before, report_document
from .base import _date, _record, _report_for_writing, _saved, _score, _upsert

# -- Agencies -----------------------------------------------------------------------------------


def agency_upsert(*, data: dict) -> Agency:
    province = Province.objects.filter(name=data["province"]).first()
    if province is None:
        province = _saved(
            Province(name=data["province"], slug=data.get("province_slug") or _slug_for(data))
        )
    elif data.get("province_slug") and province.slug != data["province_slug"]:
        province = _upsert(Province, {"pk": province.pk}, {"slug": data["province_slug"]})
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


def _fiscal_year(year: int) -> FiscalYear:
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        raise ValidationError(
            _(
                "Fiscal year %(year)s has no ITA framework yet. An administrator opens it as a "
                "copy of the year before: in the administration (Fiscal years, the action “Open "
                "the next fiscal year”) or with python manage.py open_fiscal_year %(year)s."
            )
            % {"year": year},
            code="no_framework",
        )
    return fiscal_year


@transaction.atomic
def report_import(*, data: dict, progress: Callable[[int], None] | None = None) -> Report:
    """Create or update a report, with everything in it, from the report data format.

    ``progress``, when given, is called with the number of measures written so far."""
    report_data_validate(data)
    agency = agency_upsert(data=data["agency"])
    fiscal_year = _fiscal_year(data["fiscal_year"])
    cited = data.get("cited_result")
    cited_result = None
    if cited:
        cited_result = assessment_result_upsert(agency=agency, data=cited)
    memo = data.get("memo") or {}
    # A whole document is loaded by an administrator (the demo, the import command) whatever the
    # report's state; staff's imports check it first (imports.measures_import). The row lock
    # still keeps a review step from crossing the load.
    Report.objects.select_for_update(of=("self",)).filter(
        agency=agency, fiscal_year=fiscal_year
    ).first()
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
            "analysis": data.get("analysis", ""),
            "obstacles": data.get("obstacles", ""),
            "suggestions": data.get("suggestions", ""),
            "cited_result": cited_result,
            "packed": False,  # the whole document is written, its measures' lines too
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
            IssueGroup,
            {"report": report, "number": group["number"]},
            {"title": group["title"], "kind": group.get("kind", "")},
        )
    report.issue_groups.exclude(number__in=groups).delete()

    rounds = {}
    for round_data in data.get("rounds", []):
        rounds[round_data["number"]] = _upsert(
            ProgressRound,
            {"report": report, "number": round_data["number"]},
            {"label": round_data["label"], "as_of": _date(str(round_data["as_of"]))},
        )
    report.rounds.exclude(number__in=rounds).delete()

    for position, measure_data in enumerate(data.get("measures", []), start=1):
        # A whole document says all there is: what it leaves out is empty, not kept.
        measure_data = {**PLAN_DEFAULTS, **measure_data}
        _measure_upsert(report, position, measure_data, indicators, groups, rounds)
        if progress:
            progress(position)
    report.measures.filter(position__gt=len(data.get("measures", []))).delete()

    for position, row_data in enumerate(data.get("indicator_progress", []), start=1):
        _progress_upsert(report, position, row_data, indicators)
    report.indicator_progress.filter(position__gt=len(data.get("indicator_progress", []))).delete()
    return report


def assessment_result_upsert(*, agency: Agency, data: dict) -> AssessmentResult:
    year = _fiscal_year(data["fiscal_year"])
    result = _upsert(
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
    if "indicators" in data:  # scores typed or imported from ITAS; absent: left as they are
        indicators = {i.number: i for i in year.indicators.all()}
        for score in data["indicators"]:
            indicator, _label = _indicator({"number": score["number"]}, indicators)
            _upsert(
                IndicatorScore,
                {"result": result, "indicator": indicator},
                {"score": _score(score["score"])},
            )
        numbers = [score["number"] for score in data["indicators"]]
        result.indicator_scores.exclude(indicator__number__in=numbers).delete()
    return result


def _indicator(reference, indicators: dict):
    if not reference:
        return None, ""
    indicator = indicators.get(reference["number"])
    if indicator is None:
        raise ValidationError(
            _(
                "Indicator %(number)s is not in this fiscal year's framework. An administrator "
                "adds it in the administration (Fiscal years), or opens the year as a copy of the "
                "one before (python manage.py open_fiscal_year)."
            )
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


PLAN_DEFAULTS = {
    "objective": "",
    "target": "",
    "budget_planned": None,
    "budget_spent": None,
    "budget_none": False,
    "rounds": [],
}


def _plan_values(data: dict) -> dict:
    """The plan's and the report's parts of a measure; a form that does not show them (absent
    keys) leaves them as they are."""
    values = {name: data[name] for name in ("objective", "target") if name in data}
    for name in ("budget_planned", "budget_spent"):
        if name in data:
            values[name] = _score(data[name])
    if "budget_none" in data:
        values["budget_none"] = bool(data["budget_none"])
    return values


def _measure_upsert(report, position, data, indicators, groups, rounds=None) -> Measure:
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
            **_plan_values(data),
        },
    )
    if "rounds" in data:
        _sync_rounds(measure, data["rounds"], rounds)
    measure_lines_write(
        measure, data, units={unit.name: unit for unit in report.agency.units.all()}
    )
    return measure


def measure_lines_write(measure: Measure, data: dict, *, units: dict) -> None:
    """Write a measure's lines (items, responsible units, evidence) as ``data`` (the report data
    format) gives them; ``units``: the agency's units by name, which a responsible's name links."""
    for key, kind in MEASURE_LISTS.items():
        _sync_items(MeasureItem, "measure", measure, kind, data.get(key, []))
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


def _sync_rounds(measure: Measure, entries: list[dict], rounds: dict | None) -> None:
    if rounds is None:
        rounds = {r.number: r for r in measure.report.rounds.all()}
    kept = []
    for entry in entries:
        progress_round = rounds.get(entry["round"])
        if progress_round is None:
            raise ValidationError(
                _("Progress round %(number)s is not defined in the report.")
                % {"number": entry["round"]}
            )
        kept.append(progress_round.pk)
        _upsert(
            MeasureRound,
            {"measure": measure, "round": progress_round},
            {
                "progress": entry.get("progress", ""),
                "percent": entry.get("percent"),
                "note": entry.get("note", ""),
            },
        )
    measure.rounds.exclude(round__in=kept).delete()


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


# -- Staff editing of reports ---------------------------------------------------------------------


REPORT_FIELDS = Report.EDITABLE_FIELDS


@transaction.atomic
def report_update(*, report: Report, values: dict, user) -> Report:
    report = _report_for_writing(report)
    before = {field: str(getattr(report, field) or "") for field in REPORT_FIELDS}
    for field, value in values.items():
        if field not in REPORT_FIELDS:
            raise ValueError(f"{field} is not a report field staff edit")
        setattr(report, field, value)
    _saved(report)
    after = {field: str(getattr(report, field) or "") for field in REPORT_FIELDS}
    changed = [field for field in REPORT_FIELDS if before[field] != after[field]]
    if changed:
        _record(
            report=report,
            measure=None,
            user=user,
            action=Change.Action.UPDATED,
            summary=", ".join(str(Report._meta.get_field(f).verbose_name) for f in changed),
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    return report


@transaction.atomic
def report_create(*, agency: Agency, fiscal_year: FiscalYear, user, roll_forward: bool) -> Report:
    """A new report for the year: blank, or the previous year's rolled forward.

    Rolling forward keeps the measures, their sub-items, steps, responsible units, indicators and
    issues, with periods moved a year on; outputs, outcomes and progress are left for the new
    year's work, and the memo for its own date.
    """
    if Report.objects.filter(agency=agency, fiscal_year=fiscal_year).exists():
        raise ValidationError(
            _("%(agency)s already has a report for fiscal year %(year)s.")
            % {"agency": agency, "year": thai.ui_digits(fiscal_year.year)}
        )
    previous = report_before(agency=agency, year=fiscal_year.year)
    latest_result = agency.results.filter(fiscal_year__year__lte=fiscal_year.year).order_by(
        "-fiscal_year__year"
    )
    if roll_forward and previous is None:
        raise ValidationError(_("There is no earlier report to roll forward."))
    if roll_forward:
        data = _rolled_forward(report_to_data(report=report_document(pk=previous.pk)), fiscal_year)
        data["cited_result"] = None
        report = report_import(data=data)
    else:
        report = _saved(Report(agency=agency, fiscal_year=fiscal_year))
    report.cited_result = latest_result.first()
    _saved(report)
    _record(
        report=report,
        measure=None,
        user=user,
        action=Change.Action.CREATED,
        summary=(
            _("Rolled forward from fiscal year %(year)s") % {"year": previous.fiscal_year.year}
            if roll_forward
            else _("Created blank")
        ),
    )
    return report


def _years_later(day: str | None, years: int) -> str | None:
    return fiscal.years_later(datetime.date.fromisoformat(day), years).isoformat() if day else day


def _rolled_forward(data: dict, fiscal_year: FiscalYear) -> dict:
    """Last report's measures for ``fiscal_year``: periods moved by as many years as lie between
    (a report two years back moves two), the year in the title renamed, the year's work cleared."""
    years = fiscal_year.year - data["fiscal_year"]
    old = str(data["fiscal_year"])
    new = str(fiscal_year.year)

    def renamed(text: str) -> str:
        for digits in (thai.THAI, thai.ARABIC):
            text = text.replace(thai.to_digits(old, digits), thai.to_digits(new, digits))
        return text

    for field in ("title", "heading", "progress_heading"):
        data[field] = renamed(data[field])
    data.update(
        fiscal_year=fiscal_year.year,
        intro="",
        memo=None,
        indicator_progress=[],
        analysis="",
        obstacles="",
        suggestions="",
        rounds=[],
    )
    for measure in data["measures"]:
        # The plan (objective, target, budget planned) is a starting point; the year's work is not.
        measure.update(
            outputs=[], outcomes=[], progress="", evidence=[], budget_spent=None, rounds=[]
        )
        for item in measure["steps"] + measure["sub_items"]:
            item.pop("new_row", None)
        period = measure.get("period")
        if period:
            period.update(
                start=_years_later(period["start"], years), end=_years_later(period["end"], years)
            )
    return data
