"""Reads for the citizens' pages: counts, browsing by place, an agency's published reports."""

from django.db.models import Count, Exists, OuterRef
from pythainlp.util import collate

from measures.models import Agency, AssessmentResult, District, FiscalYear, Province, Report
from publication.models import PublishedVersion, SearchEntry


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
    # The search index holds one entry per measure of each report's latest version.
    measures = SearchEntry.objects.count()
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


def overview(*, year: int | None, province: int | None) -> dict:
    """For a fiscal year and a province: who published, measures per indicator, progress."""
    versions = PublishedVersion.objects.select_related("report__agency")
    agencies = Agency.objects.all()
    if year:
        versions = versions.filter(report__fiscal_year__year=year)
    if province:
        versions = versions.filter(report__agency__province_id=province)
        agencies = agencies.filter(province_id=province)
    latest = list(versions.latest_per_report())
    per_indicator, progress = {}, {}
    for version in latest:
        for measure in version.data.get("measures", []):
            indicator = measure.get("indicator")
            key = f"{indicator['number']}. {indicator['name']}" if indicator else "ไม่ระบุตัวชี้วัด"
            per_indicator[key] = per_indicator.get(key, 0) + 1
            state = measure.get("progress") or "ไม่ระบุ"
            progress[state] = progress.get(state, 0) + 1
    published = len({v.report.agency_id for v in latest})
    return {
        "published": published,
        "agencies": agencies.count(),
        "per_indicator": _bars(sorted(per_indicator.items())),
        "progress": _bars(sorted(progress.items())),
    }


def _bars(items: list[tuple[str, int]]) -> list[dict]:
    """Horizontal bars of an SVG chart: 20 px a row, the longest 300 px."""
    top = max((n for _, n in items), default=0) or 1
    height = len(items) * 24 + 4
    return [
        {"label": label, "n": n, "y": i * 24, "width": round(300 * n / top), "chart": height}
        for i, (label, n) in enumerate(items)
    ]


def rounds_progress(data: dict) -> list[dict]:
    """Per progress round of a published version, how far its measures are: the mean of their
    percentages, a measure not reported in a round counting as 0 % (as measures.selectors
    .progress_rollup counts it), from the version's own data."""
    measures = data.get("measures", [])
    rounds = []
    for progress_round in data.get("rounds", []):
        percents = [
            next(
                (
                    entry.get("percent") or 0
                    for entry in measure.get("rounds", [])
                    if entry["round"] == progress_round["number"]
                ),
                0,
            )
            for measure in measures
        ]
        percent = round(sum(percents) / len(percents)) if percents else 0
        rounds.append({"label": progress_round["label"], "percent": percent})
    return rounds
