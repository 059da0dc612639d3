"""The public addresses of published reports. They never break and never re-render."""

import hashlib
import logging
from contextlib import closing

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from measures.models import (
    CYCLE_DOCUMENTS,
    DOCUMENT_TITLES,
    Agency,
    DocumentKind,
    Province,
)
from publication.dashboards import browse_provinces, home_counts, province_agencies
from publication.diff import versions_diff
from publication.filters import CompareFilters, problem
from publication.models import PublishedVersion, report_stamp
from publication.selectors import StoredFile, stored_file, version_article, version_find
from publication.services import version_pdf_ensure, version_store_files
from publication.storage import stored_open, stored_url
from publication.word import version_docx as word_file
from reports.documents import measure_anchor
from reports.qr import qr_svg
from reports.word import CONTENT_TYPE as DOCX
from reports.word import content_disposition

from .selectors import agency_page as agency_data
from .selectors import overview as overview_data
from .selectors import rounds_progress

FOREVER = "public, max-age=31536000, immutable"  # a numbered version's files never change
A_WHILE = "public, max-age=300"  # "the latest" changes when a new version is published
# A page, even a numbered version's, shows what came after it (newer versions, the year's other
# documents) and is drawn for its visitor (language, login, the language switch's CSRF token,
# whose cookie it sets): never immutable, never kept by a shared cache.
A_PAGE = "private, max-age=300"

log = logging.getLogger(__name__)


def home(request):
    return render(request, "portal/home.html", home_counts())


def _version(
    agency: str, year: int, number: int | None, document: str = DocumentKind.REPORT
) -> PublishedVersion:
    version = (
        version_find(agency=agency, year=year, number=number, document=document)
        .select_related(
            "report__agency__province", "report__agency__district", "report__fiscal_year"
        )
        .first()
    )
    if version is None:
        raise Http404
    return version


def _cache(response: HttpResponse, version: PublishedVersion, number, etag: str) -> HttpResponse:
    """A stored file's caching: ``etag`` is the SHA-256 of the very bytes served."""
    return _cached(response, number, etag, published=version.published_at.timestamp())


def _cached(response: HttpResponse, number, etag: str, *, published: float) -> HttpResponse:
    response["Cache-Control"] = FOREVER if number is not None else A_WHILE
    response["ETag"] = f'"{etag}"'
    response["Last-Modified"] = http_date(published)
    return response


def _page(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = A_PAGE
    return response


def _unavailable(request, message: str, *, retry_after: int) -> HttpResponse:
    response = render(request, "503.html", {"message": message}, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class NotAtHand(Exception):
    """A download the quick path (portal.middleware.StoredFiles) leaves to the whole site."""


def _stored(
    request, agency: str, year: int, number: int | None, kind: str, document: str
) -> StoredFile:
    quick = getattr(request, "stored_files_only", False)
    found = stored_file(
        agency=agency, year=year, number=number, kind=kind, document=document, cached_only=quick
    )
    if quick and (found is None or not found.name):
        raise NotAtHand
    if found is None:
        raise Http404
    if not found.name and kind != "pdf":  # published before its open data was stored: now
        version_store_files(version=PublishedVersion.all_documents.get(pk=found.version))
        found = stored_file(agency=agency, year=year, number=number, kind=kind, document=document)
    return found


def _download(
    request,
    found: StoredFile,
    number: int | None,
    *,
    filename: str,
    content_type: str,
    attachment: bool = False,
) -> HttpResponse:
    """Serve a version's stored file as stored: found in the cache (publication.selectors
    .stored_file), so that a repeat download asks no database; handed to the web server when
    settings.SENDFILE_HEADER names its header (X-Accel-Redirect for nginx), redirected to the
    object store's signed address when settings.DOWNLOADS_REDIRECT, streamed otherwise (from
    this server's disk or from the object store)."""
    if not found.name:  # rendering in the background; or its render was lost: queued again
        version_pdf_ensure(version_pk=found.version)
        message = _("The PDF of this version is still being prepared. Try again in a minute.")
        return _unavailable(request, message, retry_after=30)
    if request.headers.get("If-None-Match") == f'"{found.sha256}"':
        return _cached(HttpResponse(status=304), number, found.sha256, published=found.published_at)
    sendfile = settings.SENDFILE_HEADER
    disposition = "attachment" if attachment else "inline"
    if sendfile:
        response = HttpResponse(content_type=content_type)
        response[sendfile] = settings.SENDFILE_PREFIX + found.name
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
        return _cached(response, number, found.sha256, published=found.published_at)
    if settings.DOWNLOADS_REDIRECT:
        header = f'{disposition}; filename="{filename}"'
        response = HttpResponseRedirect(
            stored_url(found.name, content_type=content_type, disposition=header)
        )
        response["Cache-Control"] = "no-store"  # the signed address expires
        return response
    try:
        handle = stored_open(found.name)
    except OSError as error:  # the storage lost it (a database restored without its files)
        # or the object store is down
        if getattr(request, "stored_files_only", False):
            raise NotAtHand from error  # the whole site says so, in the visitor's language
        log.error("The stored file %s of version %s: %r", found.name, found.version, error)
        message = _("This file cannot be served at the moment. Please try again later.")
        return _unavailable(request, message, retry_after=3600)
    if found.name.endswith(".pdf"):  # streamed; the open data is small enough to send whole
        response = FileResponse(
            handle, content_type=content_type, as_attachment=attachment, filename=filename
        )
        if not response.has_header("Content-Length") and found.size is not None:
            response["Content-Length"] = found.size  # an object store's stream: its stored size
    else:
        with closing(handle):
            response = HttpResponse(handle.read(), content_type=content_type)
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return _cached(response, number, found.sha256, published=found.published_at)


def _contents(version: PublishedVersion) -> list[dict]:
    """The table of contents: the measures under their indicator or issue, from the version's data.

    Each links to its measure on the page by the anchor the layouts write from its number.
    """
    groups = {g["number"]: g["title"] for g in version.data.get("issue_groups", [])}
    entries, current = [], None
    for number, measure in enumerate(version.data.get("measures", []), start=1):
        if measure.get("issue_group"):
            heading = f"ประเด็นที่ {measure['issue_group']} {groups.get(measure['issue_group'], '')}"
        elif measure.get("indicator"):
            # One heading per indicator number, in the framework's spelling (the data's "name",
            # from the year's Indicator), never the agency's wording of the moment ("label"):
            # two spellings made one indicator two entries.
            indicator = measure["indicator"]
            name = indicator.get("name") or indicator.get("label", "")
            heading = f"ตัวชี้วัดที่ {indicator['number']} {name}".strip()
        else:
            heading = ""
        if heading != current:
            entries.append({"heading": heading, "measures": []})
            current = heading
        entries[-1]["measures"].append(
            {"number": number, "title": measure["title"], "anchor": measure_anchor(number)}
        )
    return entries


# Where each visitor's own CSRF token goes in a page drawn once for all (version_page).
CSRF_SLOT = "csrf-slot-7b2e9d41c0"


def _shared_page_key(request, agency: str, year: int, number: int | None) -> str | None:
    """The key of a page that is the same for every visitor like this one, or None.

    Only a visitor without a session or messages (so anonymous: the page says who is logged
    in) and without a query; the page depends then on the language, the address and the
    report's publications (the stamp changes with each), and its CSRF token, set per visitor.
    """
    cookies = request.COOKIES
    if request.GET or settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None
    which = f"v{number}" if number is not None else "latest"
    stamp = report_stamp(agency=agency, year=year)
    where = f"{request.scheme}://{request.get_host()}"
    return f"portal:page:{stamp}:{agency}:{year}:{which}:{request.LANGUAGE_CODE}:{where}"


@require_safe
@transaction.non_atomic_requests
def version_page(request, agency: str, year: int, number: int | None = None):
    """A version's page; drawn once for every anonymous visitor, who then costs no query."""
    shared = _shared_page_key(request, agency, year, number)
    body = cache.get(shared) if shared else None
    if body is None:
        response = _version_page(request, agency, year, number, csrf=CSRF_SLOT if shared else None)
        if response.status_code != 200:  # its page lost, or the store down: not kept
            return response
        if not shared:
            return _page(response)
        body = response.content
        if response.pdf_ready:  # a page saying its PDF is being prepared is not kept
            cache.set(shared, body, timeout=24 * 3600)
    return _page(HttpResponse(body.replace(CSRF_SLOT.encode(), get_token(request).encode())))


def _article(request, version) -> str | HttpResponse:
    """The version's frozen page, or the answer that it cannot be shown for now."""
    try:
        return version_article(version)
    except OSError as error:  # the storage lost it, or the object store is down
        log.error("The page %s of version %s: %r", version.html_file.name, version.pk, error)
        message = _("This page cannot be shown at the moment. Please try again later.")
        return _unavailable(request, message, retry_after=600)


def _version_page(request, agency: str, year: int, number: int | None, *, csrf: str | None):
    version = _version(agency, year, number)
    article = _article(request, version)
    if isinstance(article, HttpResponse):
        return article
    versions = version.report.versions.order_by("-number").only("number", "published_at")
    permanent = request.build_absolute_uri(
        reverse(
            "portal:public-version",
            kwargs={"agency": agency, "year": year, "number": version.number},
        )
    )
    # A version never changes, so what is drawn from it is cached for good, per version.
    # (qr2: the QR code is cached as the escaped SVG it is drawn as.)
    key = f"version-page:qr2:{version.pk}:{version.data_sha256[:16]}:{permanent}"
    drawn = cache.get(key)
    if drawn is None:
        drawn = {"contents": _contents(version), "qr": qr_svg(permanent)}
        cache.set(key, drawn, timeout=None)
    response = render(
        request,
        "portal/public_version.html",
        {
            "version": version,
            "report": version.report,
            "versions": versions,
            "latest": versions[0],
            "article": mark_safe(article),  # rendered and escaped at publication
            "pinned": number is not None,
            "contents": drawn["contents"],
            "permanent": permanent,
            "qr": drawn["qr"],  # built by format_html (reports/qr.py)
            "documents": year_documents(version.report),
            "rounds": rounds_progress(version.data),
            **({"csrf_token": csrf} if csrf else {}),
        },
    )
    response.pdf_ready = bool(version.pdf)
    return response


def year_documents(report) -> list[dict]:
    """The documents of the report's year that are published, in the order of the year."""
    published = set(
        PublishedVersion.all_documents.filter(report=report).values_list("document", flat=True)
    )
    return [
        {"kind": kind, "label": DocumentKind(kind).label}
        for kind in (*CYCLE_DOCUMENTS, DocumentKind.REPORT)
        if kind in published
    ]


@require_safe
def document_page(request, agency: str, year: int, document: str, number: int | None = None):
    """One of the cycle's other documents (analysis, plan, progress) at its public address."""
    version = _version(agency, year, number, document)
    article = _article(request, version)
    if isinstance(article, HttpResponse):
        return article
    versions = (
        PublishedVersion.all_documents.filter(report=version.report, document=document)
        .order_by("-number")
        .only("number", "published_at")
    )
    permanent = request.build_absolute_uri(
        reverse(
            "portal:document-version",
            kwargs={"agency": agency, "year": year, "document": document, "number": version.number},
        )
    )
    response = render(
        request,
        "portal/document_version.html",
        {
            "version": version,
            "report": version.report,
            "document": document,
            "title": DOCUMENT_TITLES[document],
            "versions": versions,
            "latest": versions[0],
            "article": mark_safe(article),  # rendered and escaped at publication
            "pinned": number is not None,
            "permanent": permanent,
            "documents": year_documents(version.report),
        },
    )
    return _page(response)


@require_safe
@transaction.non_atomic_requests
def version_pdf(
    request,
    agency: str,
    year: int,
    number: int | None = None,
    document: str = DocumentKind.REPORT,
):
    found = _stored(request, agency, year, number, "pdf", document)
    name = f"{agency}-{year}" if document == DocumentKind.REPORT else f"{agency}-{year}-{document}"
    return _download(
        request,
        found,
        number,
        filename=f"{name}-v{found.number}.pdf",
        content_type="application/pdf",
    )


@require_safe
@transaction.non_atomic_requests
def version_json(request, agency: str, year: int, number: int | None = None):
    found = _stored(request, agency, year, number, "json", DocumentKind.REPORT)
    response = _download(
        request,
        found,
        number,
        filename=f"{agency}-{year}-v{found.number}.json",
        content_type="application/json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def versions_compare(request, agency: str, year: int):
    latest = _version(agency, year, None)
    numbers = list(latest.report.versions.order_by("number").values_list("number", flat=True))
    # ?a= and ?b=: a number that is not one of the versions is said, like one that is no number.
    form = CompareFilters(request.GET)
    chosen = form.values
    problems = form.problems + [
        problem(form.fields[name].label, number)
        for name, number in chosen.items()
        if number is not None and number not in numbers
    ]
    after = chosen["b"] if chosen["b"] in numbers else numbers[-1]
    before = chosen["a"] if chosen["a"] in numbers else numbers[max(len(numbers) - 2, 0)]
    versions = {v.number: v for v in latest.report.versions.filter(number__in=[before, after])}
    return render(
        request,
        "portal/public_compare.html",
        {
            "report": latest.report,
            "numbers": numbers,
            "before": versions[before],
            "after": versions[after],
            "measures": versions_diff(versions[before].data, versions[after].data),
            "problems": problems,
        },
    )


@require_safe
def browse(request):
    return render(request, "portal/browse.html", {"provinces": browse_provinces()})


@require_safe
def browse_province(request, province: str):
    place = get_object_or_404(Province, slug=province)
    return render(
        request,
        "portal/browse_province.html",
        {"province": place, "groups": province_agencies(place)},
    )


@require_safe
def agency_page(request, agency: str):
    place = get_object_or_404(Agency.objects.select_related("province", "district"), slug=agency)
    data = agency_data(place)
    if not data["years"]:
        raise Http404
    return render(request, "portal/agency.html", {**data, "chart": _results_chart(data["results"])})


def _results_chart(results) -> list[dict]:
    """Bars of the ITA scores the agency cited over the years (server-side, no script)."""
    bars = []
    for index, result in enumerate(results):
        height = round(float(result.overall) * 1.2)  # 100 points draw 120 px high
        bars.append(
            {
                "x": index * 100 + 20,
                "y": 125 - height,
                "height": height,
                "year": result.fiscal_year.year,
                "score": result.overall,
                "label": result.published_label,
            }
        )
    return bars


@require_safe
def api_docs(request):
    return render(request, "portal/api_docs.html")


@require_safe
def overview(request):
    context = overview_data(params=request.GET, today=timezone.localdate())
    return render(request, "portal/overview.html", context)


@require_safe
@transaction.non_atomic_requests
def version_table(request, agency: str, year: int, number: int | None = None, *, kind: str):
    """The version's measures as a spreadsheet, the same columns as the API's CSV."""
    found = _stored(request, agency, year, number, kind, DocumentKind.REPORT)
    return _download(
        request,
        found,
        number,
        filename=f"{agency}-{year}-v{found.number}.{kind}",
        content_type=SPREADSHEETS[kind],
        attachment=True,
    )


SPREADSHEETS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_safe
def version_docx(
    request,
    agency: str,
    year: int,
    number: int | None = None,
    document: str = DocumentKind.REPORT,
):
    """The version as a Word file, for officials to edit and sign (publication.word)."""
    version = _version(agency, year, number, document)
    try:
        content = word_file(version)
    except ValidationError:  # data frozen in a form this portal no longer loads
        log.error("The data of %s does not load into a Word file", version)
        message = _("This file cannot be served at the moment. Please try again later.")
        return _unavailable(request, message, retry_after=3600)
    digest = hashlib.sha256(content).hexdigest()
    if request.headers.get("If-None-Match") == f'"{digest}"':
        return _cache(HttpResponse(status=304), version, number, digest)
    name = f"{agency}-{year}" if document == DocumentKind.REPORT else f"{agency}-{year}-{document}"
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition(
        ascii_name=f"{name}-v{version.number}.docx",
        kind=document,
        agency_name=version.data["agency"]["name"],
        year=year,
        suffix=f"-v{version.number}",
    )
    return _cache(response, version, number, digest)
