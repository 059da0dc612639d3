"""Word documents (.docx): their tables, in order, with the paragraphs between them."""

import html
import io
import re

from .. import thai
from .base import ImportResult, ReportImportError
from .files import _check_zip, _read_bytes
from .reader import _TableReader


def parse_docx(file, fiscal_year: int, indicators: dict[int, str] | None = None) -> ImportResult:
    """The tables of a Word document, in order, with the ประเด็นที่ paragraphs between them."""
    data = _read_bytes(file)
    _check_zip(data, "word/document.xml", "Word (.docx)")
    try:
        rows = list(_docx_rows(data))
    except Exception as error:  # python-docx and lxml raise many kinds on a damaged file
        raise ReportImportError("อ่านไฟล์ Word ไม่ได้: ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ .docx") from error
    reader = _TableReader(fiscal_year, indicators)
    for cells, where in rows:
        reader.feed(cells, where)
    return reader.result()


def _docx_rows(data: bytes):
    """(cells, where) for every table row, and ([text], "") for every paragraph between."""
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    table_number = 0
    for block in document.iter_inner_content():
        if not isinstance(block, Table):
            yield [html.escape(block.text)], ""
            continue
        table_number += 1
        for row_number, cells in enumerate(_docx_table_rows(block), start=1):
            yield cells, f"ตารางที่ {thai.number(table_number)} แถวที่ {thai.number(row_number)}"


def _docx_table_rows(table):
    """Each row's cells as marked-up text; a merged cell counts once, in its first row/column."""
    from docx.table import _Cell

    for tr in table._tbl.tr_lst:
        cells = [""] * (tr.grid_before or 0)
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                cells.append("")
            else:
                cells.append(_docx_cell(_Cell(tc, table)))
            cells.extend([""] * (tc.grid_span - 1))
        yield cells


def _docx_cell(cell) -> str:
    """Paragraphs joined by newlines, bold runs marked <b>, other text escaped."""
    paragraphs = []
    number = 0
    for paragraph in cell.paragraphs:
        parts = []
        for run in _runs(paragraph):
            text = html.escape(run.text)
            parts.append(f"<b>{text}</b>" if run.bold and text.strip() else text)
        line = "".join(parts).replace("</b><b>", "")
        # Word's automatic list numbers are not in the text: put them back.
        p_pr = paragraph._p.pPr
        if p_pr is not None and p_pr.numPr is not None and line.strip():
            number += 1
            if not re.match(r"\s*(?:<b>)?\s*[0-9๐-๙]+[.)]", line):
                line = f"{number}. {line}"
        paragraphs.append(line)
    return "\n".join(paragraphs)


def _runs(paragraph):
    """The paragraph's runs, those inside hyperlinks included (``paragraph.runs`` skips them)."""
    from docx.text.run import Run

    for content in paragraph.iter_inner_content():
        if isinstance(content, Run):
            yield content
        else:
            yield from content.runs
