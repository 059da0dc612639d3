"""Reading the tables agencies already have into the report data format (docs/report-format.md).

Sources: text pasted from Word or Excel (a row per line, cells separated by tabs, as in
tests/seeds/), .docx tables, .xlsx sheets and .csv files. Every source becomes rows of cells and
goes through the same row logic (``_TableReader``). Parsing only: nothing here writes to the
database; ``services.report_import`` does.

A cell's text may carry the markup the seeds' extraction made (``<p>``, ``<b>``, tick boxes);
it is read for its structure and never kept: stored text is plain text.
"""

import csv
import datetime
import difflib
import html
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pythainlp.util import thai_digit_to_arabic_digit

from . import thai
from .periods import parse_period

MAX_CELL_CHARS = 30_000
MAX_TEXT_CHARS = 5_000_000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
# Zip containers (.docx, .xlsx) are checked before any library opens them: a few hundred
# kilobytes can expand to gigabytes.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 2_000

# Bold runs travel through the item splitting as these two characters, then become labels.
BOLD_ON, BOLD_OFF = "\x02", "\x03"
CHECKED = "☑☒✓✔■"
UNCHECKED = "☐□"
BULLETS = "-–•▪●○·*"


class ReportImportError(Exception):
    """The input cannot be read at all. The message is for the user (Thai)."""


@dataclass
class ImportResult:
    measures: list[dict] = field(default_factory=list)
    indicator_progress: list[dict] = field(default_factory=list)
    issue_groups: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# -- Public entry points -------------------------------------------------------------------------


def parse_table_text(
    text: str, fiscal_year: int, indicators: dict[int, str] | None = None
) -> ImportResult:
    """Rows pasted from Word or Excel: one row per line, cells separated by tabs."""
    if not isinstance(text, str) or not text.strip():
        raise ReportImportError("ไม่มีข้อความให้นำเข้า")
    if len(text) > MAX_TEXT_CHARS:
        raise ReportImportError("ข้อความยาวเกินไป: แบ่งนำเข้าทีละส่วน")
    reader = _TableReader(fiscal_year, indicators)
    for line_number, cells in _tab_rows(text):
        reader.feed(cells, f"แถวที่ {thai.number(line_number)}")
    return reader.result()


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


def parse_spreadsheet(
    file, filename: str, fiscal_year: int, indicators: dict[int, str] | None = None
) -> ImportResult:
    """An Excel workbook (.xlsx, every sheet) or a .csv file."""
    extension = os.path.splitext(filename or "")[1].lower()
    if extension == ".csv":
        return _parse_csv(_read_bytes(file), fiscal_year, indicators)
    if extension == ".xlsx":
        return _parse_xlsx(_read_bytes(file), fiscal_year, indicators)
    raise ReportImportError("รองรับเฉพาะไฟล์ .xlsx และ .csv")


def parse_file(
    file, filename: str, fiscal_year: int, indicators: dict[int, str] | None = None
) -> ImportResult:
    """Any supported file, by its extension: .txt (pasted table text), .docx, .xlsx or .csv."""
    extension = os.path.splitext(filename or "")[1].lower()
    if extension == ".docx":
        return parse_docx(file, fiscal_year, indicators)
    if extension in (".xlsx", ".csv"):
        return parse_spreadsheet(file, filename, fiscal_year, indicators)
    if extension in (".txt", ".tsv"):
        return parse_table_text(_decode(_read_bytes(file)), fiscal_year, indicators)
    raise ReportImportError("รองรับเฉพาะไฟล์ .txt .docx .xlsx และ .csv")


# -- Files ----------------------------------------------------------------------------------------


def _read_bytes(file) -> bytes:
    """The content of a path, bytes or an open (uploaded) file, refusing what is too large."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str | os.PathLike):
        try:
            with open(file, "rb") as handle:
                data = handle.read(MAX_UPLOAD_BYTES + 1)
        except OSError as error:
            raise ReportImportError("เปิดไฟล์ไม่ได้") from error
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_UPLOAD_BYTES + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ReportImportError(
            f"ไฟล์ใหญ่เกิน {thai.number(MAX_UPLOAD_BYTES // (1024 * 1024))} เมกะไบต์"
        )
    if not data.strip():
        raise ReportImportError("ไฟล์ว่างเปล่า")
    return data


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else TIS-620."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874")  # Windows' superset of TIS-620
    except UnicodeDecodeError as error:
        raise ReportImportError("อ่านข้อความในไฟล์ไม่ได้: บันทึกไฟล์เป็น UTF-8 แล้วลองใหม่") from error


def _check_zip(data: bytes, required_member: str, kind: str) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE2 file: the old .doc/.xls format, or an Office file protected by a password.
        raise ReportImportError(
            f"ไฟล์นี้ไม่ใช่ไฟล์ {kind}: อาจเป็นไฟล์รุ่นเก่า (.doc/.xls) หรือไฟล์ที่ตั้งรหัสผ่านไว้ "
            "กรุณาบันทึกเป็นไฟล์ใหม่โดยไม่ใส่รหัสผ่าน"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as error:  # zipfile raises BadZipFile, NotImplementedError, struct.error…
        raise ReportImportError(f"ไฟล์นี้ไม่ใช่ไฟล์ {kind} หรือไฟล์เสียหาย") from error
    if len(members) > MAX_ZIP_MEMBERS:
        raise ReportImportError(f"ไฟล์ {kind} นี้มีส่วนประกอบมากผิดปกติ จึงไม่นำเข้า")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ReportImportError(
            f"ไฟล์ {kind} นี้เมื่อขยายแล้วใหญ่เกิน "
            f"{thai.number(MAX_UNCOMPRESSED_BYTES // (1024 * 1024))} เมกะไบต์ จึงไม่นำเข้า"
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise ReportImportError(f"ไฟล์ {kind} นี้ถูกเข้ารหัสไว้: กรุณาเอารหัสผ่านออกก่อน")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            raise ReportImportError(f"ไฟล์ {kind} นี้ถูกบีบอัดผิดปกติ จึงไม่นำเข้า")
    if required_member not in {member.filename for member in members}:
        raise ReportImportError(f"ไฟล์นี้ไม่ใช่ไฟล์ {kind}")


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


def _parse_xlsx(data: bytes, fiscal_year: int, indicators) -> ImportResult:
    _check_zip(data, "xl/workbook.xml", "Excel (.xlsx)")
    try:
        rows = _xlsx_rows(data)
    except Exception as error:  # openpyxl and lxml raise many kinds on a damaged file
        raise ReportImportError("อ่านไฟล์ Excel ไม่ได้: ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ .xlsx") from error
    reader = _TableReader(fiscal_year, indicators)
    for cells, where in rows:
        if cells is None:
            reader.new_table()  # each sheet has its own header
        else:
            reader.feed(cells, where)
    return reader.result()


def _xlsx_rows(data: bytes) -> list:
    """(cells, where) for every row of every sheet; (None, "") before each sheet."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = []
    try:
        for sheet in workbook.worksheets:
            rows.append((None, ""))
            for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if len(rows) > MAX_ROWS + 1:
                    break
                where = f"แผ่นงาน “{sheet.title}” แถวที่ {thai.number(row_number)}"
                rows.append(([_xlsx_value(value) for value in row], where))
    finally:
        workbook.close()
    return rows


def _xlsx_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        # A date typed into a cell: written back the way a document writes it, in BE.
        return thai.date_full(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_csv(data: bytes, fiscal_year: int, indicators) -> ImportResult:
    text = _decode(data)
    # The delimiter most of the first lines hold: Excel writes "," or, in some locales, ";".
    lines = text.splitlines()[:30]
    delimiter = max((",", "\t", ";"), key=lambda d: sum(d in line for line in lines))
    reader = _TableReader(fiscal_year, indicators)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row_number, row in enumerate(rows, start=1):
            reader.feed(row, f"แถวที่ {thai.number(row_number)}")
    except csv.Error as error:
        raise ReportImportError("อ่านไฟล์ CSV ไม่ได้: ตรวจดูเครื่องหมายคำพูดและช่องที่ยาวเกินไป") from error
    return reader.result()


def _tab_rows(text: str):
    """(line number, cells) for each line; a cell quoted the way Excel copies it may span lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if '"' not in text:
        for number, line in enumerate(text.split("\n"), start=1):
            yield number, line.split("\t")
        return
    position, line, size = 0, 1, len(text)
    while position < size:
        start_line = line
        cells, cell = [], []
        while position < size:
            char = text[position]
            if not cell and char == '"':
                closing = _closing_quote(text, position)
                if closing is not None:
                    quoted = text[position + 1 : closing]
                    line += quoted.count("\n")
                    cell.append(quoted.replace('""', '"'))
                    position = closing + 1
                    continue
            if char == "\t":
                cells.append("".join(cell))
                cell = []
            elif char == "\n":
                line += 1
                position += 1
                break
            else:
                cell.append(char)
            position += 1
        cells.append("".join(cell))
        yield start_line, cells


def _closing_quote(text: str, opening: int) -> int | None:
    """Where Excel's quoting of a cell ends, or None when the quote is just part of the text."""
    index = opening + 1
    while True:
        index = text.find('"', index)
        if index < 0:
            return None
        if text.startswith('""', index):
            index += 2
            continue
        return index if index + 1 == len(text) or text[index + 1] in "\t\r\n" else None


# -- Cells ----------------------------------------------------------------------------------------


class _CellMarkup(HTMLParser):
    """Plain text of a cell: paragraphs become lines, bold runs markers, tick boxes ☑/☐."""

    BREAKS = {"p", "div", "br", "li", "tr", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
    BOLD = {"b", "strong"}
    HIDDEN = {"script", "style", "head", "title", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")
        elif tag in self.BOLD:
            self.parts.append(BOLD_ON)
        elif tag == "input" and dict(attrs).get("type", "").lower() == "checkbox":
            checked = any(name == "checked" for name, _ in attrs)
            self.parts.append(f" {CHECKED[0] if checked else UNCHECKED[0]} ")

    def handle_startendtag(self, tag, attrs):
        if tag not in self.HIDDEN:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self.BREAKS:
            self.parts.append("\n")
        elif tag in self.BOLD:
            self.parts.append(BOLD_OFF)

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


TAG_LIKE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


def _cell_text(raw: str) -> str:
    """A cell as lines of plain text, keeping bold markers; never any HTML."""
    text = CONTROL.sub("", raw.replace("\t", " ").replace("\r", "\n"))
    if "<" in text or "&" in text:
        parser = _CellMarkup()
        try:
            parser.feed(text)
            parser.close()
            text = "".join(parser.parts)
        except Exception:  # the standard parser is lenient, but text is never worth a crash
            text = html.unescape(TAG_LIKE.sub(" ", text))
        # Decoded entities (&lt;script&gt;) or stray tags the parser left: still not stored.
        text = TAG_LIKE.sub(" ", text)
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ \xa0\u3000]+", " ", line).strip()
        line = re.sub(f"{BOLD_ON}\\s*{BOLD_OFF}", " ", line).replace(BOLD_OFF + BOLD_ON, "")
        if line.strip(f" {BOLD_ON}{BOLD_OFF}"):
            lines.append(line.strip())
    return "\n".join(lines)


def _plain(text: str) -> str:
    """One line of plain text: no markers, single spaces."""
    text = text.replace(BOLD_ON, "").replace(BOLD_OFF, "")
    return re.sub(r"\s+", " ", text).strip()


ITEM_START = re.compile(rf"(?<![^\s{BOLD_ON}{BOLD_OFF}])([0-9๐-๙]{{1,3}})[.)](?![0-9๐-๙])")
LEADING_NUMBER = re.compile(r"^[\s\x02\x03]*[0-9๐-๙]{1,3}\s*[.)](?![0-9๐-๙])\s*")


@dataclass
class _Items:
    preamble: str = ""
    items: list[dict] = field(default_factory=list)
    kind: str = "none"  # none | single | numbered | bullets | paragraphs


def _split_items(text: str) -> _Items:
    """Numbered ("๑.", "1)"), bulleted ("- ") or paragraph items of a cell, numbers removed.

    An item starts with the next number in sequence (the author may skip one) at the start of
    the cell or after whitespace, followed by "." or ")" and not by another digit; so "ข้อ ๑",
    "๑๒ ครั้ง", "พ.ศ.๒๕๖๘" and "ข้อ ๑) - ๗)" inside an item stay text.
    """
    if not text.strip():
        return _Items()
    starts = []
    previous = None
    for match in ITEM_START.finditer(text):
        value = int(thai_digit_to_arabic_digit(match[1]))
        if previous is None:
            at_start = not text[: match.start()].strip(f" \n{BOLD_ON}{BOLD_OFF}")
            accepted = at_start or value == 1
        else:
            accepted = value in (previous + 1, previous + 2)
        if accepted:
            starts.append(match)
            previous = value
    if starts:
        items = []
        for index, match in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
            body = text[match.end() : end]
            if match.start() > 0 and text[match.start() - 1] == BOLD_ON:
                body = BOLD_ON + body  # the bold run began before the number
            items.append(_item(body))
        preamble = _plain(text[: starts[0].start()])
        return _Items(preamble, [item for item in items if item["text"]], "numbered")

    lines = text.split("\n")
    stripped = text.lstrip(f" {BOLD_ON}{BOLD_OFF}")
    if stripped[:1] in BULLETS and stripped[1:2].isspace():
        if len(lines) > 1:
            bodies = []
            for line in lines:
                clean = line.lstrip(f" {BOLD_ON}{BOLD_OFF}")
                if clean[:1] in BULLETS and clean[1:2].isspace():
                    bodies.append(clean[2:])
                elif bodies:
                    bodies[-1] += " " + line
                else:
                    bodies.append(line)
        else:
            # Only the bullet the cell starts with: "ยืม - คืน" inside a "•" item stays text.
            bodies = re.split(rf"(?:^|\s){re.escape(stripped[0])}\s", stripped)
        items = [item for item in map(_item, bodies) if item["text"]]
        return _Items("", items, "bullets")
    if len(lines) > 1:
        return _Items("", [item for item in map(_item, lines) if item["text"]], "paragraphs")
    return _Items("", [_item(text)], "single")


def _item(body: str) -> dict:
    """{"label", "text"}: a bold run at the start of an item, followed by more text, is a label."""
    body = body.strip()
    label = ""
    stripped = body.lstrip(" ")
    if stripped.startswith(BOLD_ON) and BOLD_OFF in stripped:
        head, rest = stripped[1:].split(BOLD_OFF, 1)
        if _plain(head) and _plain(rest):
            label, body = _plain(head), rest
    return {"label": label, "text": _plain(body)}


def _numbering(kinds: list[str], count: int) -> str:
    """How a list is numbered in the document: see Numbering in models."""
    if count == 0:
        return "auto"
    if "numbered" in kinds:
        return "numbered" if count == 1 else "auto"
    if count > 1 and ({"bullets", "paragraphs"} & set(kinds) or len(kinds) > 1):
        return "plain"
    return "auto"


# -- Columns -------------------------------------------------------------------------------------

# (start of the normalised header, column); tried in order, so longer and more specific first.
HEADER_PREFIXES = (
    ("ลำดับ", "number"),
    ("ตัวชี้วัด", "indicator"),
    ("ความก้าวหน้า", "progress"),
    ("สถานะ", "progress"),
    ("แนวทางในการยกระดับ", "guidelines"),
    ("แนวทางการยกระดับ", "guidelines"),
    ("มาตรการ", "title"),
    ("กิจกรรม", "title"),
    ("โครงการ", "title"),
    ("ขั้นตอน", "steps"),
    ("วิธีดำเนินการ", "steps"),
    ("วิธีการดำเนินการ", "steps"),
    ("วิธีการปฏิบัติ", "steps"),
    ("แนวทางการดำเนินการ", "steps"),
    ("สรุปผล", "outputs"),
    ("ผลการดำเนินการ", "outputs"),
    ("ผลการดำเนินงาน", "outputs"),
    ("ผลผลิต", "outputs"),
    ("ผลลัพธ์", "outcomes"),
    ("ผลสัมฤทธิ์", "outcomes"),
    ("ความสำเร็จ", "outcomes"),
    ("หน่วยงานรับผิดชอบ", "responsible"),
    ("หน่วยงานที่รับผิดชอบ", "responsible"),
    ("หน่วยงานผู้รับผิดชอบ", "responsible"),
    ("ผู้รับผิดชอบ", "responsible"),
    ("ระยะเวลา", "period"),
    ("ช่วงระยะเวลา", "period"),
    ("ช่วงเวลา", "period"),
    ("ห้วงเวลา", "period"),
)
HEADER_EXACT = {"ที่": "number", "ข้อ": "number", "no": "number", "no.": "number"}
# Words that name a column wherever they stand, for headers worded otherwise.
HEADER_KEYWORDS = (
    ("ความก้าวหน้า", "progress"),
    ("ผลลัพธ์", "outcomes"),
    ("สรุปผล", "outputs"),
    ("ขั้นตอน", "steps"),
    ("รับผิดชอบ", "responsible"),
    ("ระยะเวลา", "period"),
    ("ยกระดับ", "guidelines"),
    ("ตัวชี้วัด", "indicator"),
    ("มาตรการ", "title"),
)
# Headers are short and hold neither digits nor "label: value": data cells often do.
MAX_HEADER_CHARS = 50
NOT_A_HEADER = re.compile(r"[0-9๐-๙]|:.")


def _column_of(header: str) -> str | None:
    """The column a header cell names, or None."""
    key = re.sub(r"\s+", "", _plain(_cell_text(header))).lower().rstrip(":*")
    if not key or len(key) > MAX_HEADER_CHARS or NOT_A_HEADER.search(key):
        return None
    if key in HEADER_EXACT:
        return HEADER_EXACT[key]
    for prefix, column in HEADER_PREFIXES:
        if key.startswith(prefix):
            return column
    for word, column in HEADER_KEYWORDS:
        if word in key:
            return column
    return None


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    """{column: index} when the row is a header row: every filled cell names a column."""
    filled = [(index, cell) for index, cell in enumerate(cells) if cell.strip()]
    if len(filled) < 2:
        return None
    columns = {}
    for index, cell in filled:
        column = _column_of(cell)
        if column is None or column in columns:
            return None  # a data row: two measures' cells are not two measure columns
        columns[column] = index
    if "title" not in columns and "indicator" not in columns:
        return None
    return columns


# -- Values ---------------------------------------------------------------------------------------

ISSUE_GROUP = re.compile(r"^ประเด็น(?:ที่)?\s*([0-9๐-๙]{1,2})\s*[.:)]?\s*(.*)$")
INDICATOR = re.compile(
    r"^(?P<word>ตัวชี้วัด(?:ที่)?\s*)?(?P<number>[0-9๐-๙]{1,2})?\s*[.):]?\s*(?P<name>.*)$", re.S
)
STATUS = re.compile(
    r"^(ยังไม่ได้ดำเนินการ|ยังไม่ดำเนินการ|อยู่ระหว่าง(?:การ)?ดำเนินการ|กำลังดำเนินการ"
    r"|ดำเนินการแล้วเสร็จ|ดำเนินการเสร็จ(?:สิ้น|แล้ว)?|ดำเนินการแล้ว|ดำเนินการ|เสร็จสิ้น|แล้วเสร็จ)"
)
MAIN_MARK = re.compile(r"(?:หน่วยงาน|ผู้)\s*รับผิดชอบ\s*หลัก\s*[:：]?")
SUPPORT_MARK = re.compile(r"(?:หน่วยงาน|ผู้)\s*(?:ให้การ)?\s*สนับสนุน\s*[:：]?")
# Words that begin the name of a position or unit: a cell of several such names separated by
# spaces names several responsible ("นิติกร หัวหน้าสำนักปลัด ปลัด").
POSITION_HEADS = (
    "ปลัด",
    "รองปลัด",
    "นายก",
    "รองนายก",
    "เลขานุการ",
    "หัวหน้า",
    "ผู้อำนวยการ",
    "ผอ.",
    "ผู้ช่วย",
    "นิติกร",
    "นัก",
    "เจ้าพนักงาน",
    "เจ้าหน้าที่",
    "พนักงาน",
    "ครู",
    "ทุก",
    "งาน",
    "ฝ่าย",
    "กอง",
    "สำนัก",
    "ศูนย์",
)
# Positions typed without a space between them ("หัวหน้าสำนักผู้อำนวยการกองทุกกอง") are cut
# before these words when what comes before is itself a whole position.
GLUED_HEADS = ("ผู้อำนวยการ", "หัวหน้า", "ทุกกอง", "ทุกส่วน", "ทุกฝ่าย", "ทุกงาน")
UNIT_HEADS = ("กอง", "สำนัก")
SUB_UNIT_HEADS = ("งาน", "ฝ่าย")


def _status(label: str) -> str:
    label = re.sub(r"\s+", "", label)
    if label.startswith("ยังไม่"):
        return "not_started"
    if label.startswith(("อยู่ระหว่าง", "กำลัง")):
        return "in_progress"
    if "ดำเนินการ" in label or "เสร็จ" in label:
        return "done"
    return ""


def _is_position(token: str, exact_ok: bool = True) -> bool:
    for head in POSITION_HEADS:
        if token.startswith(head) and (exact_ok or len(token) > len(head)):
            return True
    return False


def _unglue(token: str) -> list[str]:
    cuts = sorted(
        {
            match.start()
            for head in GLUED_HEADS
            for match in re.finditer(re.escape(head), token)
            if match.start() > 0
        }
    )
    parts, start = [], 0
    for cut in cuts:
        if _is_position(token[start:cut], exact_ok=False):
            parts.append(token[start:cut])
            start = cut
    parts.append(token[start:])
    return parts if all(_is_position(part) for part in parts) else [token]


def _position_names(text: str) -> list[str]:
    """One name, or several when the cell is clearly a list of positions or units."""
    tokens = [token for token in re.split(r"\s*[,/]\s*|\s+", text) if token]
    if not tokens:
        return []
    if len(tokens) == 1:
        return _unglue(tokens[0])
    if not all(_is_position(token) for token in tokens):
        return [text]
    names = []
    for token in tokens:
        # "งานธุรการ สำนักปลัด" is one unit: a section, then the division it belongs to.
        if names and token.startswith(UNIT_HEADS) and names[-1].startswith(SUB_UNIT_HEADS):
            names[-1] += " " + token
        else:
            names.extend(_unglue(token))
    return names


def _names(text: str) -> tuple[list[str], str]:
    """Names in a responsible cell (or part of one) and how they were listed."""
    split = _split_items(text)
    if split.kind in ("numbered", "bullets"):
        names = [_plain(split.preamble)] if split.preamble else []
        return names + [item["text"] for item in split.items], split.kind
    if split.kind == "paragraphs":
        return [item["text"] for item in split.items], "paragraphs"
    plain = _plain(text)
    return (_position_names(plain) if plain else []), "single"


# -- Rows -----------------------------------------------------------------------------------------


@dataclass
class _ListDraft:
    items: list[dict] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    def add(self, split: _Items, new_row: bool = False) -> None:
        items = list(split.items)
        if split.preamble:
            items.insert(0, {"label": "", "text": split.preamble})
        if not items:
            return
        if new_row and self.items:
            items[0] = {**items[0], "new_row": True}
        self.items.extend(items)
        self.kinds.append(split.kind)

    @property
    def numbering(self) -> str:
        return _numbering(self.kinds, len(self.items))


@dataclass
class _MeasureDraft:
    title: str
    indicator: dict | None = None
    issue_group: int | None = None
    period: dict | None = None
    main: list[str] = field(default_factory=list)
    supporting: list[str] = field(default_factory=list)
    responsible_numbering: str = "plain"
    progress: str = ""
    lists: dict = field(
        default_factory=lambda: {
            key: _ListDraft() for key in ("sub_items", "steps", "outputs", "outcomes")
        }
    )

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "indicator": self.indicator,
            "issue_group": self.issue_group,
            **{key: draft.items for key, draft in self.lists.items()},
            "numbering": {
                **{key: draft.numbering for key, draft in self.lists.items()},
                "responsible": self.responsible_numbering,
            },
            "period": self.period,
            "responsible": {"main": self.main, "supporting": self.supporting},
            "progress": self.progress,
            "evidence": [],
        }


@dataclass
class _ProgressDraft:
    indicator: dict | None
    responsible: str = ""
    period: dict | None = None
    progress: str = ""
    guidelines: _ListDraft = field(default_factory=_ListDraft)
    notes: _ListDraft = field(default_factory=_ListDraft)

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "guidelines": self.guidelines.items,
            "responsible": self.responsible,
            "period": self.period,
            "progress": self.progress,
            "notes": self.notes.items,
            "numbering": {"guidelines": self.guidelines.numbering, "notes": self.notes.numbering},
        }


class _TableReader:
    """Turns rows of cells, from any source, into measures, progress rows and issue groups."""

    def __init__(self, fiscal_year: int, indicators: dict[int, str] | None):
        self.fiscal_year = fiscal_year
        self.indicators = indicators or {}
        self.columns: dict[str, int] | None = None
        self.seen_header = False
        self.group: int | None = None
        self.groups: dict[int, str] = {}
        self.measures: list[_MeasureDraft] = []
        self.progress_rows: list[_ProgressDraft] = []
        self.problems: list[str] = []
        self.rows = 0

    # The reader's state between rows: the current header and issue group.

    def new_table(self) -> None:
        self.columns = None

    def feed(self, cells: list[str], where: str) -> None:
        self.rows += 1
        if self.rows == MAX_ROWS + 1:
            self.problems.append(
                f"มีมากกว่า {thai.to_digits(f'{MAX_ROWS:,}')} แถว: "
                f"นำเข้าเฉพาะ {thai.to_digits(f'{MAX_ROWS:,}')} แถวแรก"
            )
        if self.rows > MAX_ROWS:
            return
        filled = [cell for cell in cells if cell and cell.strip()]
        if not filled:
            return
        if len(filled) == 1 and self._issue_group(filled[0]):
            return
        if len(cells) < 2:
            return  # a line of text outside any table: a title, an introduction
        too_long = [cell for cell in cells if len(cell) > MAX_CELL_CHARS]
        if too_long:
            self.problems.append(
                f"{where}: มีช่องที่ยาวเกิน {thai.to_digits(f'{MAX_CELL_CHARS:,}')} ตัวอักษร "
                "จึงไม่ได้นำเข้าแถวนี้"
            )
            return
        columns = _header_columns(cells)
        if columns is not None:
            # A new table, or its header repeated on the next page: rows carry all they need.
            self.columns, self.seen_header = columns, True
            return
        if self.columns is None:
            return  # rows before the first header: the document's own title block
        values = {
            column: _cell_text(cells[index]) if index < len(cells) else ""
            for column, index in self.columns.items()
        }
        if "guidelines" in self.columns or (
            "progress" in self.columns and "title" not in self.columns
        ):
            self._progress_row(values, where)
        else:
            self._measure_row(values, where)

    def result(self) -> ImportResult:
        if not self.seen_header:
            raise ReportImportError(
                "ไม่พบหัวตาราง: แถวแรกของตารางต้องมีชื่อคอลัมน์ เช่น "
                "“มาตรการ”, “ขั้นตอนหรือวิธีการปฏิบัติ”, “ระยะเวลาดำเนินการ”, "
                "“ผู้รับผิดชอบ”, “สรุปผล” และ “ผลลัพธ์”"
            )
        problems = list(self.problems)
        if not self.measures and not self.progress_rows:
            problems.append("ไม่พบมาตรการในตาราง")
        return ImportResult(
            measures=[draft.as_dict() for draft in self.measures],
            indicator_progress=[draft.as_dict() for draft in self.progress_rows],
            issue_groups=[
                {"number": number, "title": title} for number, title in self.groups.items()
            ],
            problems=problems,
        )

    # Parts of rows.

    def _issue_group(self, cell: str) -> bool:
        match = ISSUE_GROUP.match(_plain(_cell_text(cell)))
        if not match:
            return False
        number = int(thai_digit_to_arabic_digit(match[1]))
        if number < 1:
            return False
        self.group = number
        self.groups[number] = match[2].strip()
        return True

    def _period(self, text: str, where: str) -> dict | None:
        plain = _plain(text)
        if not plain:
            return None
        period = parse_period(plain, self.fiscal_year)
        if period is None:
            self.problems.append(f"{where}: อ่านระยะเวลา “{plain}” ไม่ได้")
            return None
        style, start, end = period
        return {"style": style, "start": start.isoformat(), "end": end.isoformat()}

    def _indicator(self, text: str, where: str) -> dict | None:
        plain = _plain(text)
        if not plain:
            return None
        match = INDICATOR.match(plain)
        name = match["name"].strip(" .:-")
        number = int(thai_digit_to_arabic_digit(match["number"])) if match["number"] else None
        explicit = number if match["word"] else None
        if not self.indicators:
            if number is None:
                self.problems.append(f"{where}: อ่านตัวชี้วัด “{plain}” ไม่ได้")
                return None
            return {"number": number, "label": name}
        found = self._indicator_number(name, explicit)
        if found is None:
            self.problems.append(
                f"{where}: ตัวชี้วัด “{plain}” ไม่ตรงกับตัวชี้วัดของปีงบประมาณ {thai.number(self.fiscal_year)}"
            )
            return None
        return {"number": found, "label": "" if name in ("", self.indicators[found]) else name}

    def _indicator_number(self, name: str, explicit: int | None) -> int | None:
        key = re.sub(r"\s+", "", name)
        by_key = {re.sub(r"\s+", "", official): n for n, official in self.indicators.items()}
        if key in by_key:
            return by_key[key]
        if explicit in self.indicators:
            return explicit
        if not key:
            return None
        # The agency's own wording ("การใช้ทรัพย์สิน ของทางราชการ"): the closest name.
        scores = {
            n: difflib.SequenceMatcher(None, key, official).ratio()
            for official, n in by_key.items()
        }
        best = max(scores, key=scores.get)
        return best if scores[best] >= 0.75 else None

    def _responsible(self, text: str) -> tuple[list[str], list[str], str]:
        plain = text.replace(BOLD_ON, "").replace(BOLD_OFF, "")
        main_mark, support_mark = MAIN_MARK.search(plain), SUPPORT_MARK.search(plain)
        if main_mark or support_mark:
            main_end = support_mark.start() if support_mark else len(plain)
            main_text = plain[main_mark.end() : main_end] if main_mark else ""
            if not main_mark:
                main_text = plain[: support_mark.start()]
            support_text = plain[support_mark.end() :] if support_mark else ""
            main, _ = _names(main_text)
            supporting, _ = _names(support_text)
            return main, supporting, "plain"
        main, kind = _names(text)
        return main, [], _numbering([kind], len(main)) if kind == "numbered" else "plain"

    def _progress_cell(self, text: str, where: str) -> tuple[str, _Items]:
        """The ticked box of a progress cell, and the notes ("- …") after the boxes."""
        text = text.replace(BOLD_ON, "").replace(BOLD_OFF, "")
        marks = [
            (match.start(), match[0] in CHECKED)
            for match in re.finditer(f"[{CHECKED}{UNCHECKED}]", text)
        ]
        if not marks:
            status = STATUS.match(text.strip())
            if status:
                return _status(status[0]), _split_items(text.strip()[status.end() :].strip())
            return "", _split_items(text)
        checked = []
        for index, (position, ticked) in enumerate(marks):
            end = marks[index + 1][0] if index + 1 < len(marks) else len(text)
            label = text[position + 1 : end].strip()
            if index + 1 == len(marks):
                status = STATUS.match(label)
                cut = status.end() if status else len(re.split(r"\s[-–•]\s|\n", label)[0])
                notes = label[cut:].strip()
                label = label[:cut]
            if ticked:
                checked.append(_status(label))
        if len(checked) > 1:
            self.problems.append(f"{where}: เลือกความก้าวหน้าไว้มากกว่าหนึ่งช่อง ใช้ช่องสุดท้าย")
        return (checked[-1] if checked else ""), _split_items(notes)

    def _measure_row(self, values: dict, where: str) -> None:
        raw_title = values.get("title", "")
        title_split = _split_items(LEADING_NUMBER.sub("", raw_title, count=1))
        if title_split.kind == "numbered":
            # The first paragraph names the measure; the numbered ones after it are sub-items.
            title, sub_items = title_split.preamble, _Items("", title_split.items, "numbered")
        else:
            title, sub_items = _plain(raw_title.replace("\n", " ")), _Items()
        # What the ลำดับ left in the cell: ". การสร้างความโปร่งใส…" (seed 004).
        title = re.sub(r"^[\s.)\-–:]+", "", title).strip()
        continued = not title or re.search(r"\(\s*ต่อ\s*\)$", title)
        content = any(values.get(key) for key in values if key not in ("number", "title"))
        if continued and not self.measures:
            if content or sub_items.items:
                self.problems.append(f"{where}: แถวนี้ไม่มีชื่อมาตรการ และไม่มีมาตรการก่อนหน้า")
            return
        if continued and not content and not sub_items.items:
            return  # only a ลำดับ number
        if continued:
            draft = self.measures[-1]
        else:
            draft = _MeasureDraft(title=title)
            self.measures.append(draft)
        new_row = bool(continued)

        indicator_text = values.get("indicator", "")
        if indicator_text and not continued:
            draft.indicator = self._indicator(indicator_text, where)
        elif "indicator" in values and not continued and len(self.measures) > 1:
            # A merged indicator cell: the measure is under the indicator of the one above.
            draft.indicator = self.measures[-2].indicator
        if draft.indicator is None and self.group is not None:
            draft.issue_group = self.group

        draft.lists["sub_items"].add(sub_items, new_row)
        for key in ("steps", "outputs", "outcomes"):
            if values.get(key):
                draft.lists[key].add(_split_items(values[key]), new_row)
        if values.get("period") and (not continued or draft.period is None):
            draft.period = self._period(values["period"], where)
        if values.get("responsible") and (not continued or not (draft.main or draft.supporting)):
            draft.main, draft.supporting, draft.responsible_numbering = self._responsible(
                values["responsible"]
            )
        if values.get("progress"):
            progress, notes = self._progress_cell(values["progress"], where)
            draft.progress = progress or draft.progress
            draft.lists["outputs"].add(notes, new_row)

    def _progress_row(self, values: dict, where: str) -> None:
        indicator_text = values.get("indicator", "")
        if not _plain(indicator_text) and self.progress_rows:
            draft = self.progress_rows[-1]
        elif not _plain(indicator_text):
            self.problems.append(f"{where}: แถวนี้ไม่มีตัวชี้วัด")
            return
        else:
            draft = _ProgressDraft(indicator=self._indicator(indicator_text, where))
            self.progress_rows.append(draft)
        if values.get("guidelines"):
            draft.guidelines.add(_split_items(values["guidelines"]))
        if values.get("responsible") and not draft.responsible:
            draft.responsible = _plain(values["responsible"])
        if values.get("period") and draft.period is None:
            draft.period = self._period(values["period"], where)
        if values.get("progress"):
            progress, notes = self._progress_cell(values["progress"], where)
            draft.progress = progress or draft.progress
            draft.notes.add(notes)
