"""Reads for the citizens' pages: counts, browsing by place, an agency's published reports,
the overview of a fiscal year. Counts come from publication.dashboards (kept in the cache)."""

import datetime
from urllib.parse import urlencode

from measures.models import Agency, AssessmentResult, DocumentKind, FiscalYear, Progress
from measures.selectors import rounds_progress as rounds_progress
from measures.selectors import thai_sorted as thai_sorted
from publication.dashboards import (
    COLUMNS,
    DOCUMENTS,
    agencies_status,
    counts_view,
    dashboard_year,
    kind_labels,
    status_page,
)
from publication.filters import OverviewFilters
from publication.models import PublishedVersion

PAGE_SIZE = 50  # agencies listed per page of a dashboard


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


def overview(*, params, today: datetime.date) -> dict:
    """A fiscal year for everyone: who has published each document, who is late, per province
    and per agency type, the measures' indicators and progress, the ITA scores; and the
    agencies behind the counts, a page at a time. Only what is public: no draft's state."""
    form = OverviewFilters(params)
    chosen = form.values
    years = list(FiscalYear.objects.order_by("-year"))
    year, problems = dashboard_year(years, chosen["year"], today)
    context = {
        "years": years,
        "year": year and year.year,
        "chosen": {name: value for name, value in chosen.items() if value is not None},
        "problems": form.problems + problems,
        "documents": [(d, DocumentKind(d).label) for d in DOCUMENTS],
        "columns": [(d, COLUMNS[d]) for d in DOCUMENTS],
        "document": chosen["document"] or DocumentKind.REPORT,
        "kinds": Agency.Kind.choices,
        "states": form.fields["state"].choices,
    }
    if year is None:
        return {**context, **_empty_counts()}
    table = counts_view(
        year,
        province=chosen["province"],
        kind=chosen["kind"],
        document=context["document"],
        today=today,
    )
    total = table["total"]
    agencies = Agency.objects.all()
    if chosen["province"] is not None:
        agencies = agencies.filter(province_id=chosen["province"])
    if chosen["kind"] is not None:
        agencies = agencies.filter(kind=chosen["kind"])
    listed = agencies_status(
        year=year,
        agencies=agencies,
        document=context["document"],
        state=chosen["state"],
        today=today,
    )
    return {
        **context,
        "total": total,
        "published": total["published"][context["document"]],
        "agencies": total["agencies"],
        "deadline": table["deadline"],
        "provinces": table["provinces"],
        "by_province": table["by_province"],
        "by_kind": kind_labels(table["by_kind"]),
        "table_key": table["key"],
        "row_query": _row_query(year.year, context["document"], chosen),
        "per_indicator": bars(_indicators(total["indicators"], table["indicators"])),
        "progress": bars(_progress(total["progress"])),
        "scores": bars(_scores(total["scores"])),
        "page": status_page(listed, chosen["page"], year=year, size=PAGE_SIZE),
    }


def _row_query(year: int, document: str, chosen: dict) -> dict:
    """The query strings a row per province or agency type links to, but for its key."""
    kept = {"year": year, "document": document}
    by_province = {**kept, **({"kind": chosen["kind"]} if chosen["kind"] else {})}
    by_kind = {**kept, **({"province": chosen["province"]} if chosen["province"] else {})}
    return {
        "province": urlencode({**by_province, "province": ""}),
        "kind": urlencode({**by_kind, "kind": ""}),
    }


def _empty_counts() -> dict:
    empty = ("by_province", "by_kind", "provinces", "per_indicator", "progress", "scores")
    return {"published": 0, "agencies": 0, "page": None, **{name: [] for name in empty}}


def _indicators(counts, names: dict[int, str]) -> list[tuple[str, int]]:
    numbered = sorted((number, n) for number, n in counts.items() if number)
    items = [(f"{number}. {names.get(number, '')}", n) for number, n in numbered]
    if counts.get(None):
        items.append(("ไม่ระบุตัวชี้วัด", counts[None]))
    return items


def _progress(counts) -> list[tuple[str, int]]:
    labels = [(value, str(label)) for value, label in Progress.choices] + [(None, "ไม่ระบุ")]
    return [(label, counts[value]) for value, label in labels if counts.get(value)]


def _scores(counts) -> list[tuple[str, int]]:
    """Agencies per ten points of their ITA score, the best first."""
    label = {9: "90–100"}
    return [
        (label.get(tens, f"{tens * 10}–{tens * 10 + 9}"), counts[tens])
        for tens in sorted(counts, reverse=True)
        if counts[tens]
    ]


def bars(items: list[tuple[str, int]]) -> list[dict]:
    """Horizontal bars of an SVG chart: 20 px a row, the longest 300 px."""
    top = max((n for _, n in items), default=0) or 1
    height = len(items) * 24 + 4
    return [
        {"label": label, "n": n, "y": i * 24, "width": round(300 * n / top), "chart": height}
        for i, (label, n) in enumerate(items)
    ]
