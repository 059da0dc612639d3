"""Rendering a report into its official document: an HTML page or a PDF (WeasyPrint).

The layout's template is the same for both; only the frame around it differs. WeasyPrint reads
stylesheets and fonts from the portal's own static files and fetches nothing else.
"""

import mimetypes
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from measures import thai
from measures.models import DocumentKind, Report
from measures.selectors import report_document

from . import pdfa, pdftext
from .cycle import CycleDocument, cycle_document
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
    report: Report,
    *,
    layout: str | None = None,
    digits: str | None = None,
    kind: str = DocumentKind.REPORT,
) -> Document | CycleDocument:
    """The ``kind`` document of the year's cycle (DocumentKind): the report by default, in
    ``layout`` or its own; the analysis, the plan and the progress have one layout each."""
    if not hasattr(report, "_prefetched_objects_cache"):
        report = report_document(pk=report.pk)
    if kind != DocumentKind.REPORT:
        return cycle_document(report, kind, digits)
    return document_build(report, layout_get(layout, report), digits)


def document_article(document: Document) -> str:
    """The document itself, as its layout draws it: the same for the page and the PDF."""
    return render_to_string(document.layout.template, {"doc": document})


def print_html(
    article: str,
    *,
    orientation: str,
    digits: str,
    title: str,
    author: str,
    static_base: str,
    published: dict | None = None,
) -> str:
    """A standalone HTML file around a document: what WeasyPrint prints. ``published`` (a
    published version's PDF only, never a staff preview): {"address", "check", "qr"} for the
    closing line with its permanent address and the QR code of its check."""
    return render_to_string(
        "reports/document_pdf.html",
        {
            "article": mark_safe(article),  # rendered by our own templates, escaped there
            "orientation": orientation,
            "digits": digits,
            "title": title,
            "author": author,
            "static_base": static_base,
            "published": published,
        },
    )


def document_html(document: Document, *, static_base: str) -> str:
    return print_html(
        document_article(document),
        orientation=document.layout.orientation,
        digits=document.digits,
        title=" ".join([*document.title_lines, document.year_caption, document.agency_name]),
        author=document.agency_name,
        static_base=static_base,
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


_fonts = threading.local()


def _font_config():
    """One font configuration per thread: each new one keeps ~0.2 MB of native memory that is
    never given back, and our documents declare the same @font-face rules every time (WeasyPrint
    registers a face once per configuration). Pango is not thread-safe, hence per thread."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def html_pdf(html: str, *, identifier: str, archive: pdfa.Archive | None = None) -> bytes:
    """The PDF of ``html``; with ``archive`` (a published version), PDF/A-3, tagged, with the
    version's files embedded (reports.pdfa)."""
    import weasyprint

    pdftext.install()
    rendered = weasyprint.HTML(
        string=html, base_url=PDF_STATIC_BASE, url_fetcher=_url_fetcher()
    ).render(font_config=_font_config())
    pdftext.annotate_logical_order(rendered)
    options = pdfa.write_options(rendered, archive) if archive else {}
    # A fixed identifier, so that the same document renders to the same bytes.
    return rendered.write_pdf(pdf_identifier=identifier.encode(), **options)


def document_pdf(document: Document | CycleDocument) -> bytes:
    report = document.report
    identifier = f"{report.agency.slug}-{report.fiscal_year.year}"
    kind = getattr(document, "kind", DocumentKind.REPORT)
    if kind != DocumentKind.REPORT:
        identifier += f"-{kind}"
    return html_pdf(document_html(document, static_base=PDF_STATIC_BASE), identifier=identifier)


def _head_title(agency) -> str:
    """Who signs for the agency, as memos address them."""
    if agency.name.startswith("เทศบาล"):
        return "นายกเทศมนตรี" + agency.name.removeprefix("เทศบาล")
    if agency.name.startswith("องค์การบริหารส่วน"):
        return "นายก" + agency.name
    return "หัวหน้า" + agency.name


def memo_data(*, report: Report, version=None) -> dict:
    """What the memo asking the head's permission to publish says, filled from the report: the
    same for its PDF and its Word file (reports.word)."""
    agency, year = report.agency, report.fiscal_year.year
    digits = report.digits

    def write(text: str) -> str:
        return thai.to_digits(text, digits)

    address = settings.PUBLIC_BASE_URL + reverse(
        "portal:public-latest", kwargs={"agency": agency.slug, "year": year}
    )
    measures = report.measures.count()
    version_note = ""
    if version is not None:
        version_note = f" (ฉบับที่ {version.number} รหัสตรวจสอบ {version.data_sha256[:12]})"
    return {
        "department": write(
            report.memo_department or f"{report.prepared_by} {agency.name}".strip()
        ),
        "reference": write(report.memo_reference),
        "date": write(thai.date_full(timezone.localdate())),
        "subject": write(
            "ขออนุญาตเผยแพร่รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
            f"ภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year}"
        ),
        "to": report.memo_to or _head_title(agency),
        "background": write(
            "ตามที่สำนักงาน ป.ป.ช. ได้ดำเนินการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ"
            f"หน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. {year} ซึ่งกำหนดให้หน่วยงานเผยแพร่"
            "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
            "บนเว็บไซต์หลักของหน่วยงาน นั้น"
        ),
        "facts": write(
            f"{report.prepared_by or agency.name} ได้จัดทำรายงานดังกล่าวแล้วเสร็จ "
            f"ประกอบด้วยมาตรการ {measures} มาตรการ{version_note} รายละเอียดปรากฏตามเอกสารแนบ"
        ),
        # The address keeps its Arabic digits: it is typed into a browser as it stands.
        "considerations": write(
            "เพื่อให้เป็นไปตามเกณฑ์การประเมินการเปิดเผยข้อมูลสาธารณะ (OIT) "
            "จึงขออนุญาตเผยแพร่รายงานดังกล่าวบนเว็บไซต์ของหน่วยงาน ที่ "
        )
        + address,
        "signatory_name": write(report.memo_signatory_name),
        "signatory_position": write(report.memo_signatory_position),
    }


def approval_memo_pdf(*, report: Report, version=None) -> bytes:
    """The one-page memo asking the head's permission to publish, filled from the report."""
    agency, year = report.agency, report.fiscal_year.year
    memo = memo_data(report=report, version=version)
    article = render_to_string("reports/approval_memo.html", {"memo": memo})
    html = print_html(
        article,
        orientation="portrait",
        digits=report.digits,
        title=memo["subject"],
        author=agency.name,
        static_base=PDF_STATIC_BASE,
    )
    return html_pdf(html, identifier=f"{agency.slug}-{year}-approval-memo")
