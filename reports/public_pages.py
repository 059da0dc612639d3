"""Reads for the citizens' pages: counts, browsing by place, an agency's published reports."""

from django.db.models import Count, Exists, OuterRef
from pythainlp.util import collate

from measures.models import Agency, AssessmentResult, District, FiscalYear, Province, Report

from .models import PublishedVersion


def thai_sorted(items, key=lambda item: item.name):
    """In Thai dictionary order (pythainlp's collation), not by code point."""
    order = {name: i for i, name in enumerate(collate([key(item) for item in items]))}
    return sorted(items, key=lambda item: order[key(item)])


def published_reports():
    """Reports with at least one published version."""
    return Report.objects.filter(Exists(PublishedVersion.objects.filter(report=OuterRef("pk"))))


def home_numbers() -> dict:
    reports = published_reports()
    latest = PublishedVersion.objects.select_related(
        "report__agency__province", "report__fiscal_year"
    ).order_by("-published_at")[:10]
    measures = _measures_of_latest(reports)
    years = (
        FiscalYear.objects.filter(reports__in=reports)
        .annotate(published=Count("reports", distinct=True))
        .order_by("-year")
    )
    return {
        "agencies": reports.values("agency").distinct().count(),
        "reports": reports.count(),
        "measures": measures,
        "latest": latest,
        "years": years,
    }


def _measures_of_latest(reports) -> int:
    # The measures of each report's latest version; Report.measures is the working draft.
    latest = {}
    for report_id, number, data in PublishedVersion.objects.filter(report__in=reports).values_list(
        "report_id", "number", "data"
    ):
        if number >= latest.get(report_id, (0, None))[0]:
            latest[report_id] = (number, data)
    return sum(len(data.get("measures", [])) for _, data in latest.values())


def provinces_with_reports():
    """Provinces with the number of their agencies that have published, Thai-sorted."""
    agencies = Agency.objects.filter(reports__in=published_reports()).distinct()
    counts = dict(agencies.values("province").annotate(n=Count("pk")).values_list("province", "n"))
    provinces = list(Province.objects.filter(pk__in=counts))
    for province in provinces:
        province.published = counts[province.pk]
    return thai_sorted(provinces)


def province_agencies(province: Province) -> list[tuple]:
    """[(district or None, [agency…])] with the agencies that have published, Thai-sorted."""
    agencies = list(
        Agency.objects.filter(province=province, reports__in=published_reports())
        .select_related("district")
        .distinct()
    )
    districts = thai_sorted(list(District.objects.filter(agencies__in=agencies).distinct()))
    groups = [(d, thai_sorted([a for a in agencies if a.district_id == d.pk])) for d in districts]
    without = [a for a in agencies if a.district_id is None]
    if without:
        groups.append((None, thai_sorted(without)))
    return groups


def agency_page(agency: Agency) -> dict:
    versions = (
        PublishedVersion.objects.filter(report__agency=agency)
        .select_related("report__fiscal_year")
        .order_by("-report__fiscal_year__year", "-number")
        .only("number", "published_at", "report__fiscal_year__year", "data_sha256")
    )
    years: dict[int, list] = {}
    for version in versions:
        years.setdefault(version.report.fiscal_year.year, []).append(version)
    results = list(
        AssessmentResult.objects.filter(agency=agency)
        .select_related("fiscal_year")
        .order_by("fiscal_year__year")
    )
    return {"agency": agency, "years": years, "results": results}
