"""Word documents (.docx): their tables, in order, with the paragraphs between them.

The document is read as a stream (importers.ooxml), a table row or a paragraph at a time, as
python-docx would read it: the body's own paragraphs and tables, each cell's own paragraphs,
the runs of each paragraph and of its hyperlinks. A cell's grid span and a row's grid before
are positions, never lists: a span of fifty million columns costs nothing, and text placed
after column MAX_COLUMNS refuses the import.
"""

import html
import io
import re
import zipfile

from .. import thai
from .base import MAX_COLUMNS, ImportResult, ReportImportError, too_many_columns
from .cells import LEADING_NUMBER
from .files import _check_zip, _read_bytes
from .ooxml import Budget, attribute, depth, local, stream
from .reader import _TableReader

DOCUMENT = "word/document.xml"
FALSE = ("0", "false", "off")


def parse_docx(file, fiscal_year: int, indicators: dict[int, str] | None = None) -> ImportResult:
    """The tables of a Word document, in order, with the ประเด็นที่ paragraphs between them."""
    data = _read_bytes(file)
    _check_zip(data, DOCUMENT, "Word (.docx)")
    reader = _TableReader(fiscal_year, indicators)
    narrative = _Narrative()
    for cells, where in _docx_rows(data):
        reader.feed(cells, where)
        narrative.feed(cells, where)
    if not reader.measures:  # no table of measures: the measures may be blocks (seed 002)
        for cells, where in narrative.rows():
            reader.feed(cells, where)
    return reader.result()


# The headings of a measure's block in a document without a table (seed 002, the narrative
# layout), each the column it stands for; the first starts a measure, whose title follows.
NARRATIVE_HEADINGS = (
    ("มาตรการโครงการหรือกิจกรรมที่ดำเนินการ", "title"),
    ("ตัวชี้วัด", "indicator"),
    ("ขั้นตอนหรือวิธีการปฏิบัติ", "steps"),
    ("ช่วงระยะเวลาในการดำเนินการ", "period"),
    ("ผู้รับผิดชอบ", "responsible"),
    ("ผลการดำเนินการ", "outputs"),
    ("ผลลัพธ์หรือผลสัมฤทธิ์", "outcomes"),
)
NARRATIVE_HEADER = {
    "number": "ลำดับ",
    "title": "มาตรการ",
    "indicator": "ตัวชี้วัด",
    "steps": "ขั้นตอนหรือวิธีการปฏิบัติ",
    "period": "ระยะเวลาดำเนินการ",
    "responsible": "ผู้รับผิดชอบ",
    "outputs": "สรุปผล",
    "outcomes": "ผลลัพธ์",
}
BOLD_ONLY = re.compile(r"^\s*<b>(?P<text>[^<]*)</b>\s*$")
SUPPORTING_LABEL = re.compile(r"(?:หน่วยงาน|ผู้)\s*(?:รับผิดชอบ\s*หลัก|(?:ให้การ)?\s*สนับสนุน)")


class _Narrative:
    """A measure per block under bold headings, gathered into the rows of a table."""

    def __init__(self):
        self.measures: list[dict[str, list[str]]] = []
        self.part: str | None = None
        self.where = ""

    def feed(self, cells: list[str], where: str) -> None:
        if where:  # a table row ends the part it follows
            self.part = None
            return
        line = cells[0]
        bold = BOLD_ONLY.match(line)
        if bold and not SUPPORTING_LABEL.match(html.unescape(bold["text"])):
            key = re.sub(r"\s+", "", html.unescape(bold["text"]))
            self.part = next((c for h, c in NARRATIVE_HEADINGS if key.startswith(h)), None)
            if self.part == "title":
                self.measures.append({})
            return
        if self.part and self.measures and line.strip():
            measure = self.measures[-1]
            if self.part == "title" and "title" not in measure:
                number = LEADING_NUMBER.match(line)  # "๑. ชื่อมาตรการ": the number apart
                if number:
                    measure["number"], line = [number[0]], line[number.end() :]
            measure.setdefault(self.part, []).append(line)

    def rows(self):
        if not self.measures:
            return
        columns = list(NARRATIVE_HEADER)
        yield [NARRATIVE_HEADER[column] for column in columns], ""
        for number, measure in enumerate(self.measures, start=1):
            where = f"มาตรการที่ {thai.number(number)}"
            yield ["\n".join(measure.get(column, [])) for column in columns], where


def _docx_rows(data: bytes):
    """(cells, where) for every table row, and ([text], "") for every paragraph between."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            table, table_number, row_number = None, 0, 0
            blocks = stream(archive, DOCUMENT, Budget(), frozenset({"p", "tr"}), _is_block)
            for element in blocks:
                if local(element.tag) == "p":
                    yield [_paragraph_markup(element)], ""
                    continue
                if element.getparent() is not table:  # held, so the same proxy while it lasts
                    table, table_number, row_number = element.getparent(), table_number + 1, 0
                row_number += 1
                where = f"ตารางที่ {thai.number(table_number)} แถวที่ {thai.number(row_number)}"
                yield _row_cells(element), where
    except ReportImportError:
        raise
    except Exception as error:  # lxml, zipfile and numbers raise many kinds on a damaged file
        raise ReportImportError("อ่านไฟล์ Word ไม่ได้: ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ .docx") from error


def _is_block(element) -> bool:
    """The body's own paragraphs, and the rows of the body's own tables (document 1, body 2)."""
    if local(element.tag) == "p":
        return depth(element) == 3
    parent = element.getparent()
    return parent is not None and local(parent.tag) == "tbl" and depth(parent) == 3


def _children(element, name: str):
    return (child for child in element if local(child.tag) == name)


def _child(element, *path: str):
    for name in path:
        element = next(_children(element, name), None) if element is not None else None
    return element


def _number(element, default: int) -> int:
    value = attribute(element, "val") if element is not None else None
    return default if value is None else int(value)


def _row_cells(tr) -> list[str]:
    """The row's cells as marked-up text; a merged cell counts once, in its first row/column."""
    cells: list[str] = []
    column = max(_number(_child(tr, "trPr", "gridBefore"), 0), 0)
    for tc in _children(tr, "tc"):
        column += 1
        merge = _child(tc, "tcPr", "vMerge")
        continued = merge is not None and attribute(merge, "val", "continue") == "continue"
        text = "" if continued else _cell_text(tc)
        if column > MAX_COLUMNS:
            if text.strip():
                raise too_many_columns(column)
        else:
            cells.extend([""] * (column - 1 - len(cells)))
            cells.append(text)
        column += max(_number(_child(tc, "tcPr", "gridSpan"), 1), 1) - 1
    return cells


def _cell_text(tc) -> str:
    """Paragraphs joined by newlines, bold runs marked <b>, other text escaped."""
    paragraphs = []
    number = 0
    for paragraph in _children(tc, "p"):
        line = _paragraph_markup(paragraph)
        # Word's automatic list numbers are not in the text: put them back.
        if _child(paragraph, "pPr", "numPr") is not None and line.strip():
            number += 1
            if not re.match(r"\s*(?:<b>)?\s*[0-9๐-๙]+[.)]", line):
                line = f"{number}. {line}"
        paragraphs.append(line)
    return "\n".join(paragraphs)


def _paragraph_markup(paragraph) -> str:
    """The paragraph's text, escaped, its bold runs marked <b>."""
    parts = []
    for run in _runs(paragraph):
        text = html.escape(_run_text(run))
        parts.append(f"<b>{text}</b>" if _bold(run) and text.strip() else text)
    return "".join(parts).replace("</b><b>", "")


def _runs(paragraph):
    """The paragraph's runs, those inside hyperlinks included."""
    for child in paragraph:
        name = local(child.tag)
        if name == "r":
            yield child
        elif name == "hyperlink":
            yield from _children(child, "r")


def _run_text(run) -> str:
    parts = []
    for child in run:
        name = local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name in ("tab", "ptab"):
            parts.append("\t")
        elif name == "cr" or (name == "br" and attribute(child, "type") in (None, "textWrapping")):
            parts.append("\n")
        elif name == "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _bold(run) -> bool:
    bold = _child(run, "rPr", "b")
    return bold is not None and attribute(bold, "val", "true") not in FALSE
