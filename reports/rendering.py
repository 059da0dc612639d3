"""Rendering a report into its official document: an HTML page or a PDF (WeasyPrint).

The layout's template is the same for both; only the frame around it differs. WeasyPrint reads
stylesheets and fonts from the portal's own static files and fetches nothing else.
"""

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

from measures.models import Report
from measures.selectors import report_document

from . import pdftext
from .documents import Document, document_build
from .layouts import layout_get

# A base that is never fetched over a network: the fetcher answers it from static files.
PDF_STATIC_BASE = "https://static.ita-portal.invalid/"
DOCUMENT_STATIC_FILES = [
    "css/fonts.css",
    "css/document.css",
    "fonts/sarabun/Sarabun-Regular.ttf",
    "fonts/sarabun/Sarabun-Italic.ttf",
    "fonts/sarabun/Sarabun-Bold.ttf",
    "fonts/sarabun/Sarabun-BoldItalic.ttf",
]


def document_for(
    report: Report, *, layout: str | None = None, digits: str | None = None
) -> Document:
    if not hasattr(report, "_prefetched_objects_cache"):
        report = report_document(pk=report.pk)
    return document_build(report, layout_get(layout, report), digits)


def document_html(document: Document, *, static_base: str) -> str:
    """The document as a standalone HTML file (the page WeasyPrint prints)."""
    return render_to_string(
        "reports/document_pdf.html", {"doc": document, "static_base": static_base}
    )


def static_file_path(name: str) -> Path | None:
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    found = finders.find(name)
    return Path(found) if found else None


def _url_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Answers the portal's static files; refuses every other address."""

        def fetch(self, url, headers=None):
            if not url.startswith(PDF_STATIC_BASE):
                raise ValueError(f"The document may not load {url}")
            name = url.removeprefix(PDF_STATIC_BASE).split("?")[0]
            path = static_file_path(name)
            if path is None:
                raise ValueError(f"No static file {name}")
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesFetcher()


def document_pdf(document: Document) -> bytes:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    pdftext.install()
    html = document_html(document, static_base=PDF_STATIC_BASE)
    report = document.report
    rendered = weasyprint.HTML(
        string=html, base_url=PDF_STATIC_BASE, url_fetcher=_url_fetcher()
    ).render(font_config=FontConfiguration())
    pdftext.annotate_logical_order(rendered)
    # A fixed identifier, so that the same version renders to the same bytes.
    return rendered.write_pdf(
        pdf_identifier=f"{report.agency.slug}-{report.fiscal_year.year}".encode()
    )
