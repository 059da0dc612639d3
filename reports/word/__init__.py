"""Every document as a Word file (.docx), built from the same document data as its web page and
PDF (reports.documents, reports.cycle), never from HTML: officials edit it, print it and sign it.

- ``base``: the page, the fonts, paragraphs and tables (header row repeated, widths in %);
- ``report``: the report in its five layouts, and the memo page;
- ``cycle``: the analysis, the plan, the progress, and the approval memo.

The importer reads our own files back (measures.importers.word): the same headers as the seeds.
"""

from urllib.parse import quote

from measures.models import DocumentKind

from .cycle import approval_memo_sheet, cycle_sheet
from .report import report_sheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

__all__ = ["CONTENT_TYPE", "approval_memo_docx", "content_disposition", "document_docx"]

# The Thai start of a download's name, per document ("memo": the approval memo).
FILE_NAMES = {
    DocumentKind.REPORT: "รายงานผล",
    DocumentKind.ANALYSIS: "ผลการวิเคราะห์",
    DocumentKind.PLAN: "แผนมาตรการ",
    DocumentKind.PROGRESS: "ความก้าวหน้า",
    "memo": "บันทึกขออนุญาตเผยแพร่",
}


def document_docx(document) -> bytes:
    """A Document (the report) or a CycleDocument (the others) as a Word file."""
    if getattr(document, "kind", DocumentKind.REPORT) != DocumentKind.REPORT:
        return cycle_sheet(document).save()
    return report_sheet(document).save()


def approval_memo_docx(memo: dict, *, digits: str, author: str) -> bytes:
    """The approval memo (reports.rendering.memo_data) as a Word file."""
    return approval_memo_sheet(memo, digits=digits, author=author).save()


def content_disposition(
    *, ascii_name: str, kind: str, agency_name: str, year: int, suffix=""
) -> str:
    """An attachment named in Thai (RFC 5987 ``filename*``), with an ASCII name for the rest:
    รายงานผล-เทศบาลตำบลหนองหล่ม-2568.docx, or nong-lom-2568.docx."""
    thai_name = f"{FILE_NAMES.get(kind, FILE_NAMES[DocumentKind.REPORT])}-{agency_name}-{year}"
    thai_name = thai_name.replace(" ", "-") + suffix + ".docx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(thai_name)}"
