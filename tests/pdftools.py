"""Reading our PDFs back as a user's tools do (poppler's pdftotext and pdffonts), and a small
one to publish where a test needs a real PDF but not a report's."""

import subprocess
from pathlib import Path


def _run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pdf_text(path: Path) -> str:
    return _run("pdftotext", str(path), "-")


def pdf_pages(path: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    pages = pdf_text(path).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_fonts(path: Path) -> list[str]:
    """The base names of the fonts in the PDF, without the subset prefix (ABCDEF+)."""
    lines = _run("pdffonts", str(path)).splitlines()[2:]
    return sorted({line.split()[0].split("+")[-1] for line in lines})


def small_pdf(identifier: str) -> bytes:
    """A one-page PDF as the portal renders one (Sarabun, PDF/A), quick to make once a module."""
    from reports.rendering import PDF_STATIC_BASE, html_pdf, print_html

    html = print_html(
        "<h1>รายงานผลการดำเนินการ</h1>",
        orientation="portrait",
        digits="thai",
        title="ทดสอบ",
        author="ทดสอบ",
        static_base=PDF_STATIC_BASE,
    )
    return html_pdf(html, identifier=identifier)
