"""Counts for the home page, browsing and the dashboards, kept in the cache between moves.

No page counts 8,300 agencies per request: each count is computed once, kept in Django's cache
(one key per fiscal year, one per province, one for the home page and one for browsing) and
forgotten by ``dashboards_forget``, which ``services.report_transition`` calls at every move of a
report or one of its documents (a publication included). What no move changes (a new report,
agencies imported) shows within ``TIMEOUT``.

``year_counts`` holds one fiscal year as rows per (province, agency type), at most 77 × 11,
which ``counts_view`` adds up for any province, type or both (and keeps, per filters, under a
token each move renews); ``agencies_status`` and ``status_page`` list the agencies behind a
count, a page at a time, by indexed lookups of the page's agencies only.
"""

import datetime
import hashlib
import uuid
from collections import Counter

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.db.models.functions import Floor
from django.utils.translation import gettext, gettext_lazy

from measures import fiscal
from measures.models import (
    CYCLE_DOCUMENTS,
    Agency,
    AssessmentResult,
    District,
    DocumentKind,
    FiscalYear,
    Measure,
    Province,
    Report,
)
from measures.selectors import thai_sorted

from .filters import problem
from .models import DocumentState, PublishedVersion, SearchEntry

TIMEOUT = 300
PREFIX = "dashboards:v1"
DOCUMENTS = (*CYCLE_DOCUMENTS, DocumentKind.REPORT)  # in the order of the year
# The documents as the dashboards' columns name them (their titles are too long for a column).
COLUMNS = {
    DocumentKind.ANALYSIS: gettext_lazy("Analysis"),
    DocumentKind.PLAN: gettext_lazy("Plan"),
    DocumentKind.PROGRESS: gettext_lazy("Progress"),
    DocumentKind.REPORT: gettext_lazy("Report"),
}
NOT_STARTED = "not_started"  # an agency with no report for the year
LATE = "late"  # the year's deadline passed and the document is not published


def _key(*parts) -> str:
    return ":".join([PREFIX, *map(str, parts)])


def dashboards_forget(*, report: Report) -> None:
    """Forget the counts a move of ``report`` (or of one of its documents) changes."""
    agency = Agency.objects.filter(pk=report.agency_id).values_list("province_id", flat=True)
    year = report.fiscal_year_id
    keys = [_key("year", year), _key("token", year), _key("home"), _key("browse")]
    cache.delete_many([*keys, _key("province", agency.first())])


def _token(year_pk: int) -> str:
    """A mark of the year's counts as they are, in the keys of what is drawn from them: a new
    one after each move, so no view of the counts outlives the counts."""
    key = _key("token", year_pk)
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex[:12], timeout=TIMEOUT)  # the first request's stays
        token = cache.get(key, "")
    return token


def _cached(key: str, compute, *, crowd: bool = False):
    """``compute()``, kept under ``key``. ``crowd``: when it was forgotten, one request computes
    it again while those arriving meanwhile are served the last value (the front pages: no
    crowd recounting at once; not for what other kept values are drawn from)."""
    value = cache.get(key)
    if value is not None:
        return value
    last = cache.get(f"{key}:last") if crowd else None
    if last is not None and not cache.add(f"{key}:lock", 1, timeout=60):
        return last
    value = compute()
    cache.set(key, value, timeout=TIMEOUT)
    if crowd:
        cache.set(f"{key}:last", value, timeout=TIMEOUT * 12)
        cache.delete(f"{key}:lock")
    return value


# -- The citizens' front pages ----------------------------------------------------------------


def published_reports() -> QuerySet[Report]:
    """Reports with at least one published version."""
    return Report.objects.filter(Exists(PublishedVersion.objects.filter(report=OuterRef("pk"))))


def home_counts() -> dict:
    return _cached(_key("home"), _home_counts, crowd=True)


def _home_counts() -> dict:
    reports = published_reports()
    latest = (
        PublishedVersion.objects.select_related("report__agency__province", "report__fiscal_year")
        .only(
            "number",
            "published_at",
            "report__agency__slug",
            "report__agency__name",
            "report__agency__province__name",
            "report__fiscal_year__year",
        )
        .order_by("-published_at")[:10]
    )
    years = (
        FiscalYear.objects.filter(reports__in=reports)
        .annotate(published=Count("reports", distinct=True))
        .order_by("-year")
    )
    return {
        "agencies": reports.values("agency").distinct().count(),
        "reports": reports.count(),
        # The search index holds one entry per measure of each report's latest version.
        "measures": SearchEntry.objects.count(),
        "latest": list(latest),
        "years": [{"year": y.year, "published": y.published} for y in years],
    }


def browse_provinces() -> list[Province]:
    """Provinces with the number of their agencies that have published, Thai-sorted."""
    return _cached(_key("browse"), _browse_provinces, crowd=True)


def _browse_provinces() -> list[Province]:
    agencies = Agency.objects.filter(reports__in=published_reports()).distinct()
    counts = dict(
        agencies.order_by().values("province").annotate(n=Count("pk")).values_list("province", "n")
    )
    provinces = list(Province.objects.filter(pk__in=counts))
    for province in provinces:
        province.published = counts[province.pk]
    return thai_sorted(provinces)


def province_agencies(province: Province) -> list[tuple]:
    """[(district or None, [agency…])] with the agencies that have published, Thai-sorted."""
    key = _key("province", province.pk)
    return _cached(key, lambda: _province_agencies(province), crowd=True)


def _province_agencies(province: Province) -> list[tuple]:
    agencies = list(
        Agency.objects.filter(province=province, reports__in=published_reports())
        .select_related("district")
        .only("name", "slug", "district__name", "district__province_id", "province_id")
        .distinct()
    )
    districts = thai_sorted(list(District.objects.filter(agencies__in=agencies).distinct()))
    groups = [(d, thai_sorted([a for a in agencies if a.district_id == d.pk])) for d in districts]
    without = [a for a in agencies if a.district_id is None]
    if without:
        groups.append((None, thai_sorted(without)))
    return groups


# -- A fiscal year in rows per province and agency type ------------------------------------------


def year_counts(year: FiscalYear) -> dict:
    """The whole country's counts of ``year``, from the cache."""
    return _cached(_key("year", year.pk), lambda: counts_of(year, None))


def counts_of(year: FiscalYear, agencies: QuerySet[Agency] | None) -> dict:
    """``year``'s counts per (province, agency type) of ``agencies`` (None: every agency), in a
    fixed number of queries: ``{"deadline", "provinces": {id: (name, slug)}, "indicators":
    {number: name}, "rows": [...]}``, each row a flat dict of whole numbers (quick to keep and
    to read back): ``agencies``, ``state:<document>:<state>``, ``published:<document>``,
    ``indicator:<number>``, ``progress:<value>``, ``score:<tens>``."""

    def scoped(queryset, path):
        return queryset if agencies is None else queryset.filter(**{f"{path}__in": agencies})

    rows: dict[tuple, dict] = {}

    def add(province, kind, key, n):
        row = rows.setdefault((province, kind), {"province": province, "kind": kind})
        row[key] = row.get(key, 0) + n

    group = ("agency__province_id", "agency__kind")
    people = scoped(Agency.objects.all(), "pk").order_by()
    for province, kind, n in people.values_list("province_id", "kind").annotate(n=Count("pk")):
        add(province, kind, "agencies", n)
    reports = scoped(Report.objects.filter(fiscal_year=year), "agency").order_by()
    for province, kind, state, n in reports.values_list(*group, "state").annotate(n=Count("pk")):
        add(province, kind, f"state:{DocumentKind.REPORT}:{state}", n)
    states = DocumentState.objects.filter(report__in=reports).order_by()
    group = ("report__agency__province_id", "report__agency__kind")
    for province, kind, document, state, n in states.values_list(
        *group, "document", "state"
    ).annotate(n=Count("pk")):
        add(province, kind, f"state:{document}:{state}", n)
    versions = PublishedVersion.all_documents.filter(report__in=reports).order_by()
    for province, kind, document, n in versions.values_list(*group, "document").annotate(
        n=Count("report", distinct=True)
    ):
        add(province, kind, f"published:{document}", n)
    # Measures of the reports published as they stand (one being revised waits for its next
    # version): the public counts never show a draft's content.
    measures = Measure.objects.filter(report__in=reports.filter(state=Report.State.PUBLISHED))
    indicators = {}
    for province, kind, number, name, progress, n in (
        measures.order_by()
        .values_list(*group, "indicator__number", "indicator__name", "progress")
        .annotate(n=Count("pk"))
    ):
        indicators[number] = name
        add(province, kind, f"indicator:{number or ''}", n)
        add(province, kind, f"progress:{progress}", n)
    results = scoped(AssessmentResult.objects.filter(fiscal_year=year), "agency").order_by()
    for province, kind, tens, n in (
        results.annotate(tens=Floor(F("overall") / 10))
        .values_list("agency__province_id", "agency__kind", "tens")
        .annotate(n=Count("pk"))
    ):
        add(province, kind, f"score:{min(int(tens), 9)}", n)
    provinces = Province.objects.filter(pk__in={province for province, _kind in rows})
    return {
        "deadline": year.oit_deadline,
        "provinces": {p.pk: (p.name, p.slug) for p in thai_sorted(list(provinces))},
        "indicators": {number: name for number, name in indicators.items() if number},
        "rows": list(rows.values()),
    }


def counts_total(
    rows: list[dict], *, document: str, deadline: datetime.date | None, today: datetime.date
) -> dict:
    """``rows`` (of ``counts_of``) added up: agencies, reports per state of ``document``, those
    with no report, published documents, the late for ``document``; and per indicator
    (its number, None for none), per progress (None for none) and per ten points of score."""
    sums: dict[str, int] = {}
    for row in rows:
        for key, n in row.items():
            if key != "province" and key != "kind":
                sums[key] = sums.get(key, 0) + n
    total = {
        "agencies": sums.get("agencies", 0),
        "states": Counter(),
        "published": Counter(),
        "indicators": Counter(),
        "progress": Counter(),
        "scores": Counter(),
    }
    reports = 0
    for key, n in sums.items():
        name, _colon, rest = key.partition(":")
        if name == "state":
            kind, _colon, state = rest.partition(":")
            reports += n if kind == DocumentKind.REPORT else 0
            if kind == document:
                total["states"][state] += n
        elif name == "published":
            total["published"][rest] += n
        elif name == "indicator":
            total["indicators"][int(rest) if rest else None] += n
        elif name == "progress":
            total["progress"][rest or None] += n
        elif name == "score":
            total["scores"][int(rest)] += n
    if document != DocumentKind.REPORT:  # a document never moved is a draft
        total["states"][Report.State.DRAFT] += reports - sum(total["states"].values())
    total["per_document"] = [total["published"][d] for d in DOCUMENTS]  # in the year's order
    total["not_started"] = total["agencies"] - reports
    total["unpublished"] = total["agencies"] - total["published"][document]
    due = deadline is not None and deadline < today
    total["late"] = total["unpublished"] if due else 0
    total["percent"] = (
        round(100 * total["published"][document] / total["agencies"]) if total["agencies"] else 0
    )
    return total


def counts_by(rows: list[dict], field: str, **options) -> dict:
    """``counts_total`` of the rows for each value of ``field`` ("province" or "kind")."""
    groups: dict = {}
    for row in rows:
        groups.setdefault(row[field], []).append(row)
    return {value: counts_total(group, **options) for value, group in groups.items()}


def counts_view(
    year: FiscalYear,
    *,
    within: set[int] | None = None,
    province: int | None = None,
    kind: str | None = None,
    document: str,
    today: datetime.date,
) -> dict:
    """``counts_table`` of the whole country's counts, kept for these filters until a move."""
    due = year.oit_deadline is not None and year.oit_deadline < today
    scope = "all" if within is None else hashlib.sha256(str(sorted(within)).encode()).hexdigest()
    key = _key("view", year.pk, _token(year.pk), document, province, kind, due, scope[:16])
    options = {"within": within, "province": province, "kind": kind, "document": document}
    # ``key`` names what is drawn from this view too (the pages' cached fragments).
    return _cached(
        key, lambda: {**counts_table(year_counts(year), **options, today=today), "key": key}
    )


def counts_table(
    counts: dict,
    *,
    within: set[int] | None,
    province: int | None,
    kind: str | None,
    document: str,
    today: datetime.date,
) -> dict:
    """``counts`` (of ``counts_of``) of the provinces ``within`` (None: all), for ``province``
    and agency type ``kind`` when given: the total, a row per province (Thai order) and per
    agency type (its ``key``), and the provinces ``within`` as [(id, name)] for a filter."""
    names = [
        (pk, name)
        for pk, (name, _slug) in counts["provinces"].items()
        if within is None or pk in within
    ]
    rows = [
        row
        for row in counts["rows"]
        if (within is None or row["province"] in within)
        and province in (None, row["province"])
        and kind in (None, row["kind"])
    ]
    options = {"document": document, "deadline": counts["deadline"], "today": today}
    by_province = counts_by(rows, "province", **options)
    by_kind = counts_by(rows, "kind", **options)
    return {
        "deadline": counts["deadline"],
        "indicators": counts["indicators"],
        "provinces": names,
        "total": counts_total(rows, **options),
        "by_province": [
            {"name": name, "key": pk, **by_province[pk]} for pk, name in names if pk in by_province
        ],
        "by_kind": [
            {"key": value, **by_kind[value]} for value in Agency.Kind.values if value in by_kind
        ],
    }


def kind_labels(rows: list[dict]) -> list[dict]:
    """``counts_table``'s rows per agency type with the type's name, in the interface's
    language (kept counts hold none: they serve every language)."""
    labels = dict(Agency.Kind.choices)
    return [{**row, "name": labels[row["key"]]} for row in rows]


def dashboard_year(years: list[FiscalYear], chosen: int | None, today: datetime.date):
    """The year a dashboard shows: the one ``chosen``, else today's fiscal year, else the
    newest of ``years``; with a problem (publication.filters) when ``chosen`` is not one."""
    found = next((y for y in years if y.year == chosen), None)
    if found:
        return found, []
    current = fiscal.fiscal_year_of(today)
    year = next((y for y in years if y.year == current), years[0] if years else None)
    return year, [] if chosen is None else [problem(gettext("Fiscal year"), chosen)]


# -- The agencies behind a count --------------------------------------------------------------


def agencies_status(
    *, year: FiscalYear, agencies: QuerySet[Agency], document: str, state: str | None, today
) -> QuerySet[Agency]:
    """``agencies`` in ``state`` for ``year``: a Report.State of ``document``, NOT_STARTED (no
    report), LATE, or "published" / "unpublished" (a published version of ``document`` or not);
    in order. Each condition is an EXISTS the database joins; ``status_page`` reads the rest."""
    report = Report.objects.filter(agency=OuterRef("pk"), fiscal_year=year)
    published = Exists(
        PublishedVersion.all_documents.filter(
            report__agency=OuterRef("pk"), report__fiscal_year=year, document=document
        )
    )
    moved = DocumentState.objects.filter(
        report__agency=OuterRef("pk"), report__fiscal_year=year, document=document
    )
    rows = agencies
    if state == "published":
        rows = rows.filter(published)
    elif state == "unpublished":
        rows = rows.filter(~published)
    elif state == LATE:
        due = year.oit_deadline is not None and year.oit_deadline < today
        rows = rows.filter(~published) if due else rows.none()
    elif state == NOT_STARTED:
        rows = rows.filter(~Exists(report))
    elif state and document == DocumentKind.REPORT:
        rows = rows.filter(Exists(report.filter(state=state)))
    elif state == Report.State.DRAFT:  # a document never moved is a draft
        rows = rows.filter(Exists(report), ~Exists(moved.exclude(state=state)))
    elif state:
        rows = rows.filter(Exists(moved.filter(state=state)))
    return rows.order_by("province__name", "name", "pk")


def status_page(agencies: QuerySet[Agency], number, *, year: FiscalYear, size: int) -> Page:
    """Page ``number`` of ``agencies`` (of ``agencies_status``), each with its report of
    ``year`` (``report_pk``, None without one), the state of each document (``state_<document>``,
    None if never moved) and whether each is published (``published_<document>``): read for the
    page's agencies only, by their keys."""
    page = Paginator(agencies.only("pk"), size).get_page(number)
    pks = [agency.pk for agency in page.object_list]
    found = {a.pk: a for a in Agency.objects.filter(pk__in=pks).select_related("province")}
    reports = Report.objects.filter(agency__in=pks, fiscal_year=year).values_list(
        "pk", "agency", "state"
    )
    agency_of = {}
    for agency in found.values():
        agency.report_pk = None
        for document in DOCUMENTS:
            setattr(agency, f"state_{document}", None)
            setattr(agency, f"published_{document}", False)
    for report, agency, state in reports:
        agency_of[report] = found[agency]
        found[agency].report_pk, found[agency].state_report = report, state
    moved = DocumentState.objects.filter(report__in=agency_of).values_list(
        "report", "document", "state"
    )
    for report, document, state in moved:
        setattr(agency_of[report], f"state_{document}", state)
    versions = PublishedVersion.all_documents.filter(report__in=agency_of).order_by()
    for report, document in versions.values_list("report", "document").distinct():
        setattr(agency_of[report], f"published_{document}", True)
    page.object_list = [found[pk] for pk in pks]
    return page
