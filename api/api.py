"""The open-data API, /api/v1/: published reports as JSON and CSV, read-only and open to all.

Only published versions are served: a report's drafts and revisions in progress never leave the
staff pages. The reads come first (selectors), then the views, then the OpenAPI description
that the tests validate every response against.
"""

import csv
import functools
import re
from collections.abc import Iterator

from django.core.paginator import EmptyPage, Paginator
from django.db import NotSupportedError
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from measures.models import Agency
from publication.models import PublishedVersion
from publication.search import search_measures

PAGE_SIZE = 50
YEARS = (2500, 2700)  # Buddhist Era, as FiscalYear allows
MAX_ID = 2**63 - 1
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


# -- Reads -----------------------------------------------------------------------------------------


class _JSONArrayLength(Func):
    """The length of the array under ``key`` in a JSON column, counted by the database.

    The catalogue shows how many measures each version has without loading its whole data.
    """

    output_field = IntegerField()
    arity = 1

    def __init__(self, field: str, key: str):
        self.key = key
        super().__init__(F(field))

    def _compiled(self, compiler):
        return compiler.compile(self.get_source_expressions()[0])

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"No JSON array length on {connection.vendor}.")

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = self._compiled(compiler)
        return f"json_array_length({sql}, %s)", (*params, f"$.{self.key}")

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = self._compiled(compiler)
        return f"jsonb_array_length({sql} -> %s)", (*params, self.key)

    def as_mysql(self, compiler, connection, **extra):
        sql, params = self._compiled(compiler)
        return f"JSON_LENGTH({sql}, %s)", (*params, f"$.{self.key}")


def _with_report(versions: QuerySet[PublishedVersion]) -> QuerySet[PublishedVersion]:
    return versions.select_related(
        "report__agency__province", "report__agency__district", "report__fiscal_year"
    )


def versions_latest() -> QuerySet[PublishedVersion]:
    """Each published report's latest version (a report with no version was never published)."""
    later = PublishedVersion.objects.filter(
        report=OuterRef("report"), number__gt=OuterRef("number")
    )
    return _with_report(PublishedVersion.objects.filter(~Exists(later)))


def _version_links() -> Prefetch:
    return Prefetch(
        "report__versions",
        queryset=PublishedVersion.objects.only("report_id", "number", "published_at").order_by(
            "-number"
        ),
        to_attr="version_list",
    )


def catalogue_list(
    *,
    year: int | None = None,
    province: int | None = None,
    agency: str | None = None,
    kind: str | None = None,
) -> QuerySet[PublishedVersion]:
    """The catalogue, in a fixed number of queries however many reports and measures there are."""
    versions = versions_latest()
    if year is not None:
        versions = versions.filter(report__fiscal_year__year=year)
    if province is not None:
        versions = versions.filter(report__agency__province_id=province)
    if agency is not None:
        versions = versions.filter(report__agency__slug=agency)
    if kind is not None:
        versions = versions.filter(report__agency__kind=kind)
    return (
        versions.defer("data", "html")
        .annotate(measure_count=Coalesce(_JSONArrayLength("data", "measures"), 0))
        .prefetch_related(_version_links())
        .order_by("-report__fiscal_year__year", "report__agency__slug")
    )


def version_get(*, agency: str, year: int, number: int | None = None) -> PublishedVersion | None:
    """A report's latest version, or its version ``number``, with the list of all its versions."""
    if number is None:
        versions = versions_latest()
    else:
        versions = _with_report(PublishedVersion.objects.filter(number=number))
    version = (
        versions.prefetch_related(_version_links())
        .filter(report__agency__slug=agency, report__fiscal_year__year=year)
        .first()
    )
    if version is not None:
        version.measure_count = len(version.data.get("measures", []))
    return version


def year_versions(*, year: int) -> Iterator[PublishedVersion]:
    """The latest version of every report of a fiscal year, streamed in agency order."""
    versions = versions_latest().filter(report__fiscal_year__year=year).defer("html")
    return versions.order_by("report__agency__slug").iterator(chunk_size=100)


# -- Requests and responses ------------------------------------------------------------------------


class ApiError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


METHODS = "GET, HEAD, OPTIONS"


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _error(message: str, status: int) -> JsonResponse:
    return _json({"error": message}, status=status)


def api_view(view):
    """Read-only, open to any site (CORS), cached a while, errors as JSON: every endpoint."""

    @csrf_exempt  # nothing here writes, so there is no request to forge
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":  # a browser's CORS preflight
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = METHODS
            response["Access-Control-Allow-Headers"] = "*"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = _error("This API is read-only: use GET.", 405)
        else:
            try:
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = _error(error.message, error.status)
            response["Cache-Control"] = "public, max-age=300"  # as the public "latest" pages
        response["Allow"] = METHODS
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "Content-Disposition"
        return response

    return wrapped


def _int(request, name: str, low: int, high: int, hint: str = "") -> int | None:
    """An integer parameter, None when absent; Thai digits are numbers too (๒๕๖๘)."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    value = int(raw) if raw.isdecimal() and len(raw) < 20 else None
    if value is None or not low <= value <= high:
        raise ApiError(f"{name} must be a whole number from {low} to {high}{hint}.")
    return value


def _year(request) -> int | None:
    return _int(request, "year", *YEARS, hint=" (a Buddhist-Era fiscal year, such as 2568)")


def _kind(request) -> str | None:
    kind = request.GET.get("kind", "").strip()
    if kind and kind not in Agency.Kind.values:
        raise ApiError(f"kind must be one of: {', '.join(Agency.Kind.values)}.")
    return kind or None


def _agency(request) -> str | None:
    agency = request.GET.get("agency", "").strip()
    if agency and not SLUG.match(agency):
        raise ApiError("agency must be an agency's slug, such as nong-lom.")
    return agency or None


def _page(request) -> int:
    return _int(request, "page", 1, 2**31) or 1


def _page_url(request, number: int | None) -> str | None:
    if number is None:
        return None
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _addresses(request, agency: str, year: int, number: int | None = None) -> dict:
    """The public addresses of a report's latest version (number None) or of version N."""
    kwargs = {"agency": agency, "year": year}
    if number is None:
        names = ("portal:public-latest", "portal:public-latest-pdf", "portal:public-latest-json")
        api = "api-report"
    else:
        kwargs["number"] = number
        names = (
            "portal:public-version",
            "portal:public-version-pdf",
            "portal:public-version-json",
        )
        api = "api-report-version"
    links = [request.build_absolute_uri(reverse(name, kwargs=kwargs)) for name in (*names, api)]
    return dict(zip(("html", "pdf", "json", "api"), links, strict=True))


def _entry(request, version: PublishedVersion, *, pinned: bool = False) -> dict:
    """A version as the catalogue lists it; ``pinned`` links to this very version."""
    report = version.report
    agency, year = report.agency, report.fiscal_year.year
    return {
        "agency": {
            "slug": agency.slug,
            "name": agency.name,
            "kind": agency.kind,
            "district": agency.district.name if agency.district_id else None,
            "province": {
                "id": agency.province_id,
                "name": agency.province.name,
                "slug": agency.province.slug,
            },
        },
        "fiscal_year": year,
        "version": version.number,
        "published_at": version.published_at.isoformat(),
        "sha256": version.data_sha256,
        "measure_count": version.measure_count,
        **_addresses(request, agency.slug, year, version.number if pinned else None),
        "versions": [
            {
                "number": other.number,
                "published_at": other.published_at.isoformat(),
                **_addresses(request, agency.slug, year, other.number),
            }
            for other in report.version_list
        ],
    }


# -- Views -----------------------------------------------------------------------------------------


@api_view
def api_root(request):
    return _json(
        {
            name: request.build_absolute_uri(reverse(f"api-{name}"))
            for name in ("reports", "search", "measures-csv", "openapi")
        }
    )


@api_view
def not_found(request):
    raise ApiError("No such address in this API; see openapi.json.", 404)


@api_view
def report_list(request):
    versions = catalogue_list(
        year=_year(request),
        province=_int(request, "province", 1, MAX_ID),
        agency=_agency(request),
        kind=_kind(request),
    )
    paginator, number = Paginator(versions, PAGE_SIZE), _page(request)
    try:
        page = paginator.page(number)
    except EmptyPage as error:
        raise ApiError(f"There is no page {number}.", 404) from error
    return _json(
        {
            "count": paginator.count,
            "next": _page_url(request, page.next_page_number() if page.has_next() else None),
            "previous": _page_url(
                request, page.previous_page_number() if page.has_previous() else None
            ),
            "results": [_entry(request, version) for version in page],
        }
    )


@api_view
def report_detail(request, agency: str, year: int, number: int | None = None):
    version = version_get(agency=agency, year=year, number=number)
    if version is None:
        raise ApiError("No published report (or version) at this address.", 404)
    return _json({**_entry(request, version, pinned=number is not None), "report": version.data})


@api_view
def search(request):
    year, province = _year(request), _int(request, "province", 1, MAX_ID)
    kind, indicator = _kind(request), _int(request, "indicator", 1, 100)
    query = request.GET.get("q", "").replace("\x00", "").strip()
    page = _page(request)
    hits, total = search_measures(
        query=query,
        year=year,
        province=province,
        kind=kind,
        indicator=indicator,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    if page > 1 and (page - 1) * PAGE_SIZE >= total:
        raise ApiError(f"There is no page {page}.", 404)
    return _json(
        {
            "count": total,
            "next": _page_url(request, page + 1 if page * PAGE_SIZE < total else None),
            "previous": _page_url(request, page - 1 if page > 1 else None),
            "results": [_hit(request, hit) for hit in hits],
        }
    )


def _fragments(fragments) -> list[dict]:
    return [{"text": text, "match": match} for text, match in fragments]


def _hit(request, hit) -> dict:
    """A search hit (publication.search.SearchHit): the measure, where it is read, what matched."""
    link = hit.version
    return {
        "agency": {
            "slug": link.agency_slug,
            "name": hit.agency,
            "kind": hit.agency_kind,
            "province": hit.province,
        },
        "fiscal_year": hit.fiscal_year,
        "version": link.number,
        "measure": hit.number,
        "title": hit.title,
        "indicator": hit.indicator,
        "issue_group": hit.issue_group,
        "highlighted": {
            "title": _fragments(hit.highlighted.title),
            "snippet": _fragments(hit.highlighted.snippet),
        },
        "html": request.build_absolute_uri(link.url),  # the measure on its version's page
        "api": _addresses(request, link.agency_slug, link.year, link.number)["api"],
    }


def _lines(items: list[dict]) -> str:
    """Steps, outputs or outcomes in one cell: one per line, a bold label kept before its text."""
    return "\n".join(
        f"{item['label']} {item['text']}" if item.get("label") else item["text"] for item in items
    )


CSV_COLUMNS = (
    "agency_slug",
    "agency_name",
    "province",
    "district",
    "kind",
    "fiscal_year",
    "version",
    "measure",
    "indicator",
    "issue_group",
    "issue_group_title",
    "title",
    "steps",
    "outputs",
    "outcomes",
    "period",
    "period_start",
    "period_end",
    "responsible_main",
    "responsible_supporting",
    "progress",
    "html",
)


def measure_rows(request, versions) -> Iterator[list]:
    """One row per measure of each version, in the versions' order."""
    for version in versions:
        agency, data = version.report.agency, version.data
        html = _addresses(request, agency.slug, version.report.fiscal_year.year)["html"]
        groups = {group["number"]: group["title"] for group in data.get("issue_groups", [])}
        for number, measure in enumerate(data.get("measures", []), start=1):
            period = measure.get("period") or {}
            indicator = measure.get("indicator") or {}
            responsible = measure.get("responsible") or {}
            yield [
                agency.slug,
                agency.name,
                agency.province.name,
                agency.district.name if agency.district_id else "",
                agency.kind,
                data["fiscal_year"],
                version.number,
                number,
                indicator.get("number", ""),
                measure.get("issue_group") or "",
                groups.get(measure.get("issue_group"), ""),
                measure["title"],
                _lines(measure.get("steps", [])),
                _lines(measure.get("outputs", [])),
                _lines(measure.get("outcomes", [])),
                period.get("text", ""),
                period.get("start") or "",
                period.get("end") or "",
                "\n".join(responsible.get("main", [])),
                "\n".join(responsible.get("supporting", [])),
                measure.get("progress", ""),
                html,
            ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    # Excel would run a cell that begins like a formula: a leading quote keeps it text (OWASP).
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class _Line:
    """What csv.writer writes to: hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


@api_view
def measures_csv(request):
    year = _year(request)
    if year is None:
        raise ApiError("Give the fiscal year: measures.csv?year=2568 (Buddhist Era).")
    writer = csv.writer(_Line())

    def lines():
        yield "\ufeff"  # the BOM: Excel then reads the file as UTF-8, Thai and all
        yield writer.writerow(CSV_COLUMNS)
        for row in measure_rows(request, year_versions(year=year)):
            yield writer.writerow([_cell(value) for value in row])

    # Streamed: a whole year is thousands of reports, and none needs to be held in memory.
    response = StreamingHttpResponse(
        (line.encode() for line in lines()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="ita-measures-{year}.csv"'
    return response


@api_view
def openapi(request):
    return _json(openapi_document(server=request.build_absolute_uri(reverse("api-root"))))


# -- The OpenAPI description -----------------------------------------------------------------------


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(type_: str, **more) -> dict:
    return {"type": [type_, "null"], **more}


def _query(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def _path(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


def _responses(ok: dict, *errors: int) -> dict:
    described = {
        400: "A parameter is not valid.",
        404: "No such report, version or page.",
        405: "Not GET, HEAD or OPTIONS.",
    }
    responses = {"200": ok}
    for status in (*errors, 405):
        responses[str(status)] = {
            "description": described[status],
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    return responses


def _ok(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


YEAR_SCHEMA = {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[1], "examples": [2568]}
PAGE = _query("page", "Page number, from 1; 50 results a page.", {"type": "integer", "minimum": 1})
YEAR = _query("year", "Fiscal year, Buddhist Era.", YEAR_SCHEMA)
PROVINCE = _query(
    "province", "A province's id (agency.province.id).", {"type": "integer", "minimum": 1}
)
KIND = _query("kind", "The type of agency.", {"type": "string", "enum": Agency.Kind.values})
AGENCY = _path("agency", "The agency's slug.", {"type": "string", "pattern": SLUG.pattern})
URL = {"type": "string", "format": "uri"}
ITEMS = {"type": "array", "items": _ref("Item")}


def _page_of(item: str) -> dict:
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "next": _nullable("string", format="uri"),
            "previous": _nullable("string", format="uri"),
            "results": {"type": "array", "items": _ref(item)},
        },
    }


def _schemas() -> dict:
    links = {"html": URL, "pdf": URL, "json": URL, "api": URL}
    return {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"type": "string"}},
        },
        "Agency": {
            "type": "object",
            "required": ["slug", "name", "kind", "district", "province"],
            "properties": {
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "kind": {"type": "string", "enum": Agency.Kind.values},
                "district": _nullable("string"),
                "province": {
                    "type": "object",
                    "required": ["id", "name", "slug"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "slug": {"type": "string"},
                    },
                },
            },
        },
        "VersionLink": {
            "type": "object",
            "description": "One version, at its fixed addresses.",
            "required": ["number", "published_at", "html", "pdf", "json", "api"],
            "properties": {
                "number": {"type": "integer", "minimum": 1},
                "published_at": {"type": "string", "format": "date-time"},
                **links,
            },
        },
        "CatalogueEntry": {
            "type": "object",
            "description": (
                "A report's version (the latest one in the catalogue). html, pdf, json and api "
                "are the addresses of the latest version, or of this version when asked for "
                "one by number; versions lists every version, the newest first."
            ),
            "required": [
                "agency",
                "fiscal_year",
                "version",
                "published_at",
                "sha256",
                "measure_count",
                *links,
                "versions",
            ],
            "properties": {
                "agency": _ref("Agency"),
                "fiscal_year": YEAR_SCHEMA,
                "version": {"type": "integer", "minimum": 1},
                "published_at": {"type": "string", "format": "date-time"},
                "sha256": {
                    "type": "string",
                    "pattern": "^[0-9a-f]{64}$",
                    "description": "Hash of the version's data (canonical JSON).",
                },
                "measure_count": {"type": "integer", "minimum": 0},
                **links,
                "versions": {"type": "array", "items": _ref("VersionLink"), "minItems": 1},
            },
        },
        "Catalogue": _page_of("CatalogueEntry"),
        "Report": {
            "description": "A version with its content.",
            "allOf": [
                _ref("CatalogueEntry"),
                {
                    "type": "object",
                    "required": ["report"],
                    "properties": {"report": _ref("ReportData")},
                },
            ],
        },
        "Item": {
            "type": "object",
            "required": ["label", "text"],
            "properties": {
                "label": {"type": "string", "description": "A bold label before the text."},
                "text": {"type": "string"},
            },
        },
        "Period": _nullable(
            "object",
            required=["style", "start", "end"],
            properties={
                "style": {"type": "string"},
                "start": _nullable("string", format="date"),
                "end": _nullable("string", format="date"),
                "text": {"type": "string", "description": "As the document writes it."},
            },
        ),
        "Measure": {
            "type": "object",
            "required": ["title", "indicator", "steps", "outputs", "outcomes", "period"],
            "properties": {
                "title": {"type": "string"},
                "indicator": _nullable(
                    "object",
                    required=["number"],
                    properties={
                        "number": {"type": "integer"},
                        "label": {"type": "string"},
                        "tool": {"type": "string"},
                        "name": {"type": "string"},
                    },
                ),
                "issue_group": _nullable("integer"),
                "sub_items": ITEMS,
                "steps": ITEMS,
                "outputs": ITEMS,
                "outcomes": ITEMS,
                "numbering": {"type": "object"},
                "period": _ref("Period"),
                "responsible": {
                    "type": "object",
                    "properties": {
                        "main": {"type": "array", "items": {"type": "string"}},
                        "supporting": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "progress": {"enum": ["", "not_started", "in_progress", "done"]},
                "evidence": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["title", "url"],
                        "properties": {"title": {"type": "string"}, "url": {"type": "string"}},
                    },
                },
            },
        },
        "ReportData": {
            "type": "object",
            "description": "The report data format, ita-portal/report@1 (docs/report-format.md).",
            "required": ["format", "agency", "fiscal_year", "layout", "title", "measures"],
            "properties": {
                "format": {"const": "ita-portal/report@1"},
                "agency": {
                    "type": "object",
                    "required": ["slug", "name", "kind", "district", "province"],
                    "properties": {
                        "slug": {"type": "string"},
                        "name": {"type": "string"},
                        "kind": {"type": "string"},
                        "district": {"type": "string"},
                        "province": {"type": "string"},
                    },
                },
                "fiscal_year": YEAR_SCHEMA,
                "layout": {
                    "enum": [
                        "by_indicator",
                        "measures_progress",
                        "narrative",
                        "memo_table",
                        "by_issue",
                    ]
                },
                "digits": {"enum": ["thai", "arabic"]},
                "title": {"type": "string"},
                "issue_groups": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["number", "title"],
                        "properties": {"number": {"type": "integer"}, "title": {"type": "string"}},
                    },
                },
                "measures": {"type": "array", "items": _ref("Measure")},
                "indicator_progress": {"type": "array", "items": {"type": "object"}},
            },
        },
        "Fragments": {
            "type": "array",
            "description": "The text in pieces; match marks the pieces the query words found.",
            "items": {
                "type": "object",
                "required": ["text", "match"],
                "properties": {"text": {"type": "string"}, "match": {"type": "boolean"}},
            },
        },
        "SearchHit": {
            "type": "object",
            "description": "A measure of a report's latest published version.",
            "required": [
                "agency",
                "fiscal_year",
                "version",
                "measure",
                "title",
                "indicator",
                "issue_group",
                "highlighted",
                "html",
                "api",
            ],
            "properties": {
                "agency": {
                    "type": "object",
                    "required": ["slug", "name", "kind", "province"],
                    "properties": {
                        "slug": {"type": "string"},
                        "name": {"type": "string"},
                        "kind": {"type": "string", "enum": Agency.Kind.values},
                        "province": {"type": "string", "description": "The province's name."},
                    },
                },
                "fiscal_year": YEAR_SCHEMA,
                "version": {"type": "integer", "minimum": 1},
                "measure": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "The measure's place in the report's measures, from 1.",
                },
                "title": {"type": "string"},
                "indicator": _nullable("integer"),
                "issue_group": _nullable("integer"),
                "highlighted": {
                    "type": "object",
                    "required": ["title", "snippet"],
                    "properties": {"title": _ref("Fragments"), "snippet": _ref("Fragments")},
                },
                "html": {**URL, "description": "The measure on its version's page."},
                "api": {**URL, "description": "The version in this API."},
            },
        },
        "SearchResults": _page_of("SearchHit"),
    }


def openapi_document(*, server: str) -> dict:
    report_paths = {
        "/reports/{agency}/{year}/": ("The latest version of a report, with its content.", []),
        "/reports/{agency}/{year}/v{number}/": (
            "Version N of a report, with its content; it never changes.",
            [_path("number", "The version's number.", {"type": "integer", "minimum": 1})],
        ),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ITA Portal open data",
            "version": "1",
            "description": (
                "The published ITA reports (รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความ"
                "โปร่งใสภายในหน่วยงาน): read-only, open to any site (CORS), no key needed. "
                "Drafts never appear; each published version stays at its addresses for ever."
            ),
        },
        "servers": [{"url": server.rstrip("/")}],
        "paths": {
            "/reports/": {
                "get": {
                    "operationId": "listReports",
                    "summary": "Every published report, at its latest version.",
                    "parameters": [
                        PAGE,
                        YEAR,
                        PROVINCE,
                        _query("agency", "An agency's slug.", {"type": "string"}),
                        KIND,
                    ],
                    "responses": _responses(_ok("A page of reports.", "Catalogue"), 400, 404),
                }
            },
            **{
                path: {
                    "get": {
                        "operationId": "getReportVersion" if extra else "getReport",
                        "summary": summary,
                        "parameters": [
                            AGENCY,
                            _path("year", "Fiscal year, Buddhist Era.", YEAR_SCHEMA),
                            *extra,
                        ],
                        "responses": _responses(_ok("The report.", "Report"), 404),
                    }
                }
                for path, (summary, extra) in report_paths.items()
            },
            "/search/": {
                "get": {
                    "operationId": "searchMeasures",
                    "summary": "Search the measures of the published reports (latest versions).",
                    "description": (
                        "Every word of q must be found in the measure (inside longer words too). "
                        "Without q, the filters list their measures; without either, nothing."
                    ),
                    "parameters": [
                        _query("q", "Words to look for.", {"type": "string"}),
                        YEAR,
                        PROVINCE,
                        KIND,
                        _query(
                            "indicator",
                            "The ITA indicator's number.",
                            {"type": "integer", "minimum": 1},
                        ),
                        PAGE,
                    ],
                    "responses": _responses(_ok("A page of hits.", "SearchResults"), 400, 404),
                }
            },
            "/measures.csv": {
                "get": {
                    "operationId": "measuresCsv",
                    "summary": "Every published measure of a fiscal year, one row each.",
                    "parameters": [{**YEAR, "required": True}],
                    "responses": _responses(
                        {
                            "description": (
                                f"CSV with the columns {', '.join(CSV_COLUMNS)}. Steps, outputs "
                                "and outcomes are one per line, a label before its text. A cell "
                                "that would begin with =, +, - or @ gets a ' before it, so that "
                                "spreadsheets do not take it for a formula."
                            ),
                            "content": {"text/csv": {"schema": {"type": "string"}}},
                        },
                        400,
                    ),
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This description.",
                    "responses": _responses(
                        {
                            "description": "OpenAPI 3.1.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    ),
                }
            },
        },
        "components": {"schemas": _schemas()},
    }
