"""The open-data API, /api/v1/: published reports as JSON and CSV, read-only and open to all.

Only published versions are served: a report's drafts and revisions in progress never leave the
staff pages. The reads are publication's (selectors, search, tables); here they are answered
with django-ninja, whose schemas (api.schemas, api.params) are openapi.json. Every address is
wrapped by ``open_to_all`` (api.urls): CORS, HEAD and OPTIONS, 405 for the rest, cached a while.
"""

import functools
import json
from typing import Annotated

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import get_script_prefix, get_urlconf, reverse
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer

from publication.models import PublishedVersion
from publication.search import SearchHit
from publication.selectors import (
    catalogue_count,
    catalogue_list,
    documents_list,
    version_get,
    year_versions,
)
from publication.tables import CSV_COLUMNS, csv_lines

from . import params, schemas
from .pagination import ApiError, CataloguePagination, Hits, PageNumberPagination, Shown

METHODS = "GET, HEAD, OPTIONS"
NOT_PUBLISHED = "No published report (or version) at this address."


# -- Responses, errors, methods --------------------------------------------------------------------


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def open_to_all(view):
    """Read-only, open to any site (CORS), cached a while, errors as JSON: every address."""

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
            head = request.method == "HEAD"
            request.method = "GET"  # ninja routes GET only; the server drops a HEAD's body
            try:
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = _error(error.message, error.status)
            finally:
                if head:
                    request.method = "HEAD"
            response["Cache-Control"] = "public, max-age=300"  # as the public "latest" pages
        response["Allow"] = METHODS
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "Content-Disposition"
        return response

    wrapped.csrf_exempt = True  # nothing here writes, so there is no request to forge
    return wrapped


class _Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Thai as Thai, not \u0e..


class OpenDataAPI(NinjaAPI):
    def get_content_type(self) -> str:
        return self.renderer.media_type  # application/json, as it has always been


api = OpenDataAPI(
    title="ITA Portal open data",
    version="1",
    description=(
        "The published ITA reports (รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความ"
        "โปร่งใสภายในหน่วยงาน): read-only, open to any site (CORS), no key needed. "
        "Drafts never appear; each published version stays at its addresses for ever."
    ),
    openapi_url=None,  # served by the operation below, with the server's address
    docs_url=None,
    renderer=_Renderer(),
    urls_namespace="api",
)


@api.exception_handler(ApiError)
def _api_error(request, error: ApiError):
    return _error(error.message, error.status)


@api.exception_handler(ValidationError)
def _invalid(request, error: ValidationError):
    """The first wrong parameter, in the order they are declared, says what is wrong (400).

    A path that does not fit (a year out of range, say) is an address with no report: 404.
    """
    first = error.errors[0]
    if first["loc"][0] == "path":
        return _error(NOT_PUBLISHED, 404)
    if first["type"] == "invalid_parameter":  # the sentences of api.params
        return _error(first["msg"], 400)
    return _error(f"{first['loc'][-1]}: {first['msg']}", 400)


ERRORS = {
    400: "A parameter is not valid.",
    404: "No such report, version or page.",
    405: "Not GET, HEAD or OPTIONS.",
}


def _responses(ok, description: str, *errors: int) -> dict:
    """``response=`` and ``openapi_extra=`` of an operation: its answer and its errors."""
    statuses = (*errors, 405)
    described = {status: {"description": ERRORS[status]} for status in statuses}
    return {
        "response": {200: ok, **dict.fromkeys(statuses, schemas.Error)},
        "openapi_extra": {"responses": {200: {"description": description}, **described}},
    }


# -- Reports as the API shows them -----------------------------------------------------------------


def _addresses(request, agency: str, year: int, number: int | None = None) -> dict:
    """The public addresses of a report's latest version (number None) or of version N."""
    kwargs = {"agency": agency, "year": year}
    if number is None:
        names = ("portal:public-latest", "portal:public-latest-pdf", "portal:public-latest-json")
        api_name = "api-report"
    else:
        kwargs["number"] = number
        names = (
            "portal:public-version",
            "portal:public-version-pdf",
            "portal:public-version-json",
        )
        api_name = "api-report-version"
    links = [_link(request, name, **kwargs) for name in (*names, api_name)]
    return dict(zip(("html", "pdf", "json", "api"), links, strict=True))


# Stand-ins that each converter takes and that no other part of an address holds; "analysis",
# the cycle converter's first word, is replaced first.
SLOTS = {"document": "analysis", "year": 987654321, "number": 123456789, "agency": "agency-slot"}


@functools.lru_cache(maxsize=128)
def _address_pattern(name: str, names: tuple, urlconf, prefix: str) -> str:
    return reverse(name, kwargs={key: SLOTS[key] for key in names})


def _link(request, name: str, **kwargs) -> str:
    """``request.build_absolute_uri(reverse(name, kwargs=kwargs))``, with the reversing done
    once per address name: a page of the catalogue gives some 500 addresses."""
    root = getattr(request, "_address_root", None)
    if root is None:
        root = request._address_root = request.build_absolute_uri("/")[:-1]
    ordered = tuple(key for key in SLOTS if key in kwargs)
    path = _address_pattern(name, ordered, get_urlconf(), get_script_prefix())
    for key in ordered:
        path = path.replace(str(SLOTS[key]), str(kwargs[key]), 1)
    return root + path


def _agency(agency) -> dict:
    return {
        "slug": agency.slug,
        "name": agency.name,
        "kind": agency.kind,
        "district": agency.district.name if agency.district_id else None,
        "province": {
            "id": agency.province_id,
            "name": agency.province.name,
            "slug": agency.province.slug,
        },
    }


def _entry(request, version: PublishedVersion, *, pinned: bool = False) -> dict:
    """A version as the catalogue lists it; ``pinned`` links to this very version."""
    report = version.report
    agency, year = report.agency, report.fiscal_year.year
    return {
        "agency": _agency(agency),
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
        "documents": {
            document.document: {
                "version": document.number,
                "published_at": document.published_at.isoformat(),
                **_document_addresses(request, agency.slug, year, document.document),
            }
            for document in report.document_list
        },
    }


def _document_addresses(request, agency: str, year: int, document: str) -> dict:
    """The public addresses of the latest version of one of the year's other documents."""
    kwargs = {"agency": agency, "year": year, "document": document}
    return {
        "html": _link(request, "portal:document-latest", **kwargs),
        "pdf": _link(request, "portal:document-latest-pdf", **kwargs),
    }


def _fragments(fragments) -> list[dict]:
    return [{"text": text, "match": match} for text, match in fragments]


def _hit(request, hit: SearchHit) -> dict:
    """A search hit: the measure, where it is read, what matched."""
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


# -- Operations ------------------------------------------------------------------------------------


@api.get("/", url_name="api-root", include_in_schema=False)
def api_root(request):
    return {
        name: request.build_absolute_uri(reverse(f"api-{name}"))
        for name in ("reports", "documents", "search", "measures-csv", "openapi")
    }


@api.get(
    "/reports/",
    url_name="api-reports",
    operation_id="listReports",
    summary="Every published report, at its latest version.",
    by_alias=True,
    **_responses(schemas.Catalogue, "A page of reports.", 400, 404),
)
@paginate(CataloguePagination)
def report_list(request, filters: Query[params.CatalogueQuery]):
    chosen = filters.dict()
    versions = catalogue_list(**chosen)
    count = functools.partial(catalogue_count, versions, filters=chosen)
    return Shown(versions, functools.partial(_entry, request), count)


@api.get(
    "/documents/",
    url_name="api-documents",
    operation_id="listDocuments",
    summary="The year's other published documents: analysis, plan, progress (latest versions).",
    by_alias=True,
    **_responses(schemas.Documents, "A page of documents.", 400, 404),
)
@paginate(PageNumberPagination)
def document_list(request, filters: Query[params.CatalogueQuery]):
    versions = documents_list(year=filters.year, agency=filters.agency)
    return Shown(versions, functools.partial(_document_entry, request))


def _document_entry(request, version) -> dict:
    agency, year = version.report.agency, version.report.fiscal_year.year
    return {
        "agency": _agency(agency),
        "fiscal_year": year,
        "document": version.document,
        "version": version.number,
        "published_at": version.published_at.isoformat(),
        "sha256": version.data_sha256,
        **_document_addresses(request, agency.slug, year, version.document),
    }


Agency = Annotated[str, Path(description="The agency's slug.", pattern=params.SLUG.pattern)]
Year = Annotated[int, Path(description="Fiscal year, Buddhist Era.", **params.YEAR_FIELD)]


def _report(request, agency: str, year: int, number: int | None) -> dict:
    version = version_get(agency=agency, year=year, number=number)
    if version is None:
        raise ApiError(NOT_PUBLISHED, 404)
    return {**_entry(request, version, pinned=number is not None), "report": version.data}


@api.get(
    "/reports/{slug:agency}/{int:year}/",
    url_name="api-report",
    operation_id="getReport",
    summary="The latest version of a report, with its content.",
    by_alias=True,
    **_responses(schemas.Report, "The report.", 404),
)
def report_detail(request, agency: Agency, year: Year):
    return _report(request, agency, year, None)


@api.get(
    "/reports/{slug:agency}/{int:year}/v{int:number}/",
    url_name="api-report-version",
    operation_id="getReportVersion",
    summary="Version N of a report, with its content; it never changes.",
    by_alias=True,
    **_responses(schemas.Report, "The report.", 404),
)
def report_version(
    request,
    agency: Agency,
    year: Year,
    number: Annotated[int, Path(description="The version's number.", ge=1)],
):
    return _report(request, agency, year, number)


@api.get(
    "/search/",
    url_name="api-search",
    operation_id="searchMeasures",
    summary="Search the measures of the published reports (latest versions).",
    description=(
        "Every word of q must be found in the measure (inside longer words too). "
        "Without q, the filters list their measures; without either, nothing. "
        "Best first: the words as a phrase in the title, all of them in the title, the phrase "
        "in the text, the rest; newer fiscal years first. At most 1,001 are counted and served."
    ),
    **_responses(schemas.SearchResults, "A page of hits.", 400, 404),
)
@paginate(PageNumberPagination)
def search(request, filters: Query[params.SearchQuery]):
    hits = Hits(
        query=filters.q,
        year=filters.year,
        province=filters.province,
        kind=filters.kind,
        indicator=filters.indicator,
    )
    return Shown(hits, functools.partial(_hit, request))


CSV_DESCRIPTION = (
    f"CSV with the columns {', '.join(CSV_COLUMNS)}. Steps, outputs and outcomes are one per "
    "line, a label before its text. A cell that would begin with =, +, - or @ gets a ' before "
    "it, so that spreadsheets do not take it for a formula."
)


@api.get(
    "/measures.csv",
    url_name="api-measures-csv",
    operation_id="measuresCsv",
    summary="Every published measure of a fiscal year, one row each.",
    response={200: None, 400: schemas.Error, 405: schemas.Error},
    openapi_extra={
        "responses": {
            200: {
                "description": CSV_DESCRIPTION,
                "content": {"text/csv": {"schema": {"type": "string"}}},
            },
            400: {"description": ERRORS[400]},
            405: {"description": ERRORS[405]},
        }
    },
)
def measures_csv(request, query: Query[params.YearQuery]):
    lines = csv_lines(year_versions(year=query.year), absolute_url=request.build_absolute_uri)
    # Streamed: a whole year is thousands of reports, and none needs to be held in memory.
    response = StreamingHttpResponse(
        (line.encode() for line in lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="ita-measures-{query.year}.csv"'
    return response


def openapi_document(*, server: str) -> dict:
    """openapi.json as served from ``server`` (the API's root address), as plain JSON data."""
    document = api.get_openapi_schema(path_prefix="")
    document["servers"] = [{"url": server.rstrip("/")}]
    return json.loads(json.dumps(document, ensure_ascii=False))  # status codes as "200", …


@api.get(
    "/openapi.json",
    url_name="api-openapi",
    operation_id="openapi",
    summary="This description.",
    **_responses(dict, "OpenAPI 3.1."),
)
def openapi(request):
    return openapi_document(server=request.build_absolute_uri(reverse("api-root")))


def not_found(request):
    """Any other address under the API (a Django view: ninja routes only its own paths)."""
    raise ApiError("No such address in this API; see openapi.json.", 404)
