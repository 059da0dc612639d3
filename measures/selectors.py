"""Reads: reports with everything a document needs, and their export in the report data format."""

from django.db.models import Prefetch, QuerySet

from . import thai
from .models import (
    IndicatorProgress,
    IndicatorProgressItem,
    Measure,
    MeasureItem,
    Report,
    Responsible,
)
from .services import MEASURE_LISTS, MEMO_FIELDS, PROGRESS_LISTS, REPORT_FORMAT


def report_list(*, agency_slug: str | None = None, year: int | None = None) -> QuerySet[Report]:
    reports = Report.objects.select_related("agency__province", "fiscal_year")
    if agency_slug:
        reports = reports.filter(agency__slug=agency_slug)
    if year:
        reports = reports.filter(fiscal_year__year=year)
    return reports.order_by("agency__slug", "fiscal_year__year")


def report_documents(reports: QuerySet[Report]) -> QuerySet[Report]:
    """The reports with all their parts fetched in a fixed number of queries."""
    return reports.select_related(
        "agency__district",
        "agency__province",
        "fiscal_year",
        "cited_result__fiscal_year",
    ).prefetch_related(
        "agency__units",
        "issue_groups",
        Prefetch(
            "measures",
            queryset=Measure.objects.select_related(
                "indicator__tool", "issue_group", "report__fiscal_year"
            ).prefetch_related(
                Prefetch("items", queryset=MeasureItem.objects.order_by("kind", "position")),
                Prefetch("responsibles", queryset=Responsible.objects.order_by("role", "position")),
                "evidence",
            ),
        ),
        Prefetch(
            "indicator_progress",
            queryset=IndicatorProgress.objects.select_related(
                "indicator__tool", "report__fiscal_year"
            ).prefetch_related(
                Prefetch(
                    "items", queryset=IndicatorProgressItem.objects.order_by("kind", "position")
                )
            ),
        ),
    )


def report_document(*, pk: int) -> Report:
    return report_documents(Report.objects.filter(pk=pk)).get()


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


def measure_export(*, measure: Measure, digits: str = thai.THAI) -> dict:
    """One measure in the report data format."""
    items = list(measure.items.all())
    responsibles = list(measure.responsibles.all())
    return {
        "title": measure.title,
        "indicator": _indicator(measure),
        "issue_group": measure.issue_group.number if measure.issue_group_id else None,
        **{key: _items(items, kind) for key, kind in MEASURE_LISTS.items()},
        "numbering": {
            name: getattr(measure, f"{name}_numbering")
            for name in ("sub_items", "steps", "outputs", "outcomes", "responsible")
        },
        "period": _period(measure, digits),
        "responsible": {
            role: [r.name for r in responsibles if r.role == role]
            for role in Responsible.Role.values
        },
        "progress": measure.progress,
        "evidence": [{"title": e.title, "url": e.url} for e in measure.evidence.all()],
    }


def agency_export(*, agency) -> dict:
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


def report_export(*, report: Report) -> dict:
    """The report in the report data format (docs/report-format.md)."""
    agency = report.agency
    cited = report.cited_result
    digits = report.digits
    measures = [measure_export(measure=measure, digits=digits) for measure in report.measures.all()]
    progress_rows = []
    for row in report.indicator_progress.all():
        items = list(row.items.all())
        progress_rows.append(
            {
                "indicator": _indicator(row),
                "guidelines": _items(items, PROGRESS_LISTS["guidelines"]),
                "responsible": row.responsible,
                "period": _period(row, digits),
                "progress": row.progress,
                "notes": _items(items, PROGRESS_LISTS["notes"]),
                "numbering": {"guidelines": row.guidelines_numbering, "notes": row.notes_numbering},
            }
        )
    memo = None
    if report.has_memo:
        memo = {field: getattr(report, f"memo_{field}") for field in MEMO_FIELDS}
        memo["date"] = report.memo_date.isoformat() if report.memo_date else None
    return {
        "format": REPORT_FORMAT,
        "agency": agency_export(agency=agency),
        "fiscal_year": report.fiscal_year.year,
        "layout": report.layout,
        "digits": report.digits,
        "title": report.title,
        "year_style": report.year_style,
        "prepared_by": report.prepared_by,
        "heading": report.heading,
        "intro": report.intro,
        "progress_heading": report.progress_heading,
        "cited_result": None
        if cited is None
        else {
            "fiscal_year": cited.fiscal_year.year,
            "overall": str(cited.overall),
            "iit": None if cited.iit is None else str(cited.iit),
            "eit": None if cited.eit is None else str(cited.eit),
            "oit": None if cited.oit is None else str(cited.oit),
            "label": cited.published_label,
        },
        "memo": memo,
        "issue_groups": [{"number": g.number, "title": g.title} for g in report.issue_groups.all()],
        "measures": measures,
        "indicator_progress": progress_rows,
    }


# -- The staff's own views ------------------------------------------------------------------------


def measure_gaps(measure: Measure) -> list[str]:
    """What a measure still lacks for the OIT evaluators (the parts staff must fill in)."""
    from django.utils.translation import gettext as _

    kinds = {item.kind for item in measure.items.all()}
    gaps = []
    if MeasureItem.Kind.STEP not in kinds:
        gaps.append(_("steps"))
    if not measure.period_style:
        gaps.append(_("period"))
    if not any(r.role == Responsible.Role.MAIN for r in measure.responsibles.all()):
        gaps.append(_("responsible unit"))
    if MeasureItem.Kind.OUTPUT not in kinds:
        gaps.append(_("outputs"))
    if MeasureItem.Kind.OUTCOME not in kinds:
        gaps.append(_("outcomes"))
    return gaps


def staff_reports(*, agencies) -> QuerySet[Report]:
    """The reports of ``agencies`` with all their measures' parts, for the staff home."""
    return report_documents(
        Report.objects.filter(agency__in=agencies).order_by("agency__name", "-fiscal_year__year")
    )
