"""Excel workbooks (.xlsx) read as a stream: the values of the cells each sheet holds.

Only cells that exist are read; the sheet's declared dimension, the rows it skips and the
columns it leaves empty cost nothing. A value after column MAX_COLUMNS refuses the import; the
shared strings and the cell styles, held for the whole import, are capped. Values are what
openpyxl gives: text, numbers, booleans, and dates for cells styled as dates.
"""

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from .base import (
    MAX_COLUMNS,
    MAX_SHARED_STRINGS,
    MAX_TEXT_CHARS,
    ReportImportError,
    too_complex,
    too_many_columns,
    too_much_text,
)
from .files import _check_zip
from .ooxml import Budget, attribute, local, stream

WORKBOOK = "xl/workbook.xml"
# Excel itself stops at 64,000 cell formats.
MAX_CELL_STYLES = 65_536
REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?[0-9]*$")


@dataclass
class Row:
    sheet: int  # the sheet's place in the workbook, from 0
    title: str
    number: int  # the row's number in the sheet, from 1
    values: list  # by column, None where a cell is empty


def xlsx_rows(data: bytes) -> Iterator[Row]:
    """Every row that holds a value, sheet by sheet; raises ReportImportError."""
    _check_zip(data, WORKBOOK, "Excel (.xlsx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield from _rows(archive, Budget())
    except ReportImportError:
        raise
    except Exception as error:  # lxml, zipfile and numbers raise many kinds on a damaged file
        raise ReportImportError("อ่านไฟล์ Excel ไม่ได้: ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ .xlsx") from error


def _rows(archive: zipfile.ZipFile, budget: Budget) -> Iterator[Row]:
    sheets, epoch = _workbook(archive, budget)
    parts = _relationships(archive, "xl/_rels/workbook.xml.rels", budget)
    strings = _shared_strings(archive, _part(archive, parts, "sharedStrings"), budget)
    dates, durations = _date_styles(archive, _part(archive, parts, "styles"), budget)
    for index, (title, relationship) in enumerate(sheets):
        kind, path = parts.get(relationship, ("", ""))
        if kind != "worksheet" or path not in archive.NameToInfo:
            continue  # a chart sheet, or a sheet the workbook lost
        sheet = _Sheet(strings, dates, durations, epoch)
        for element in stream(archive, path, budget, frozenset({"row"})):
            number, values = sheet.row(element)
            if values:
                yield Row(index, title, number, values)


def _workbook(archive, budget) -> tuple[list[tuple[str, str]], object]:
    """[(title, relationship id)] of the sheets in order, and the workbook's date epoch."""
    sheets, epoch = [], WINDOWS_EPOCH
    # Defined names are blocks too: a workbook may hold thousands, none worth holding.
    entries = frozenset({"sheet", "workbookPr", "definedName"})
    for element in stream(archive, WORKBOOK, budget, entries):
        if local(element.tag) == "sheet":
            sheets.append((attribute(element, "name", ""), attribute(element, "id", "")))
        elif local(element.tag) == "workbookPr" and attribute(element, "date1904") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
    return sheets, epoch


def _relationships(archive, path: str, budget) -> dict[str, tuple[str, str]]:
    """{id: (kind, member)}: what the workbook's parts are and where they lie."""
    found = {}
    if path not in archive.NameToInfo:
        return found
    for element in stream(archive, path, budget, frozenset({"Relationship"})):
        target = element.get("Target", "")
        member = target[1:] if target.startswith("/") else posixpath.join("xl", target)
        kind = element.get("Type", "").rpartition("/")[2]
        found[element.get("Id", "")] = (kind, posixpath.normpath(member))
    return found


def _part(archive, parts: dict, kind: str) -> str | None:
    for part_kind, member in parts.values():
        if part_kind == kind and member in archive.NameToInfo:
            return member
    default = f"xl/{kind}.xml"
    return default if default in archive.NameToInfo else None


def _text(element) -> str:
    """A string's text: its own <t> and its rich runs' <t>, without phonetic guides (rPh)."""
    parts = []
    for child in element:
        name = local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if local(t.tag) == "t")
    return "".join(parts)


def _shared_strings(archive, path: str | None, budget) -> list[str]:
    strings: list[str] = []
    if path is None:
        return strings
    characters = 0
    for element in stream(archive, path, budget, frozenset({"si"})):
        if len(strings) >= MAX_SHARED_STRINGS:
            raise too_complex()
        text = _text(element).replace("x005F_", "")
        characters += len(text)
        if characters > MAX_TEXT_CHARS:
            raise too_much_text()
        strings.append(text)
    return strings


# Every entry of a stylesheet is a block, so that none is held longer than it is read.
STYLE_ENTRIES = frozenset({"numFmt", "font", "fill", "border", "xf", "cellStyle", "dxf"})


def _date_styles(archive, path: str | None, budget) -> tuple[set[int], set[int]]:
    """The cell styles that show a number as a date, and those that show it as a duration."""
    if path is None:
        return set(), set()
    custom: dict[int, str] = {}
    styles: list[int] = []
    for element in stream(archive, path, budget, STYLE_ENTRIES):
        parent = element.getparent()
        parent = local(parent.tag) if parent is not None else ""
        if parent == "numFmts":
            custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")[:255]
        elif parent == "cellXfs":  # not the named styles' cellStyleXfs
            if len(styles) >= MAX_CELL_STYLES:
                raise too_complex()
            styles.append(int(element.get("numFmtId", "0")))
    dates, durations = set(), set()
    for index, format_id in enumerate(styles):
        code = custom.get(format_id, BUILTIN_FORMATS.get(format_id))
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return dates, durations


class _Sheet:
    """A sheet's rows, each into its values by column."""

    def __init__(self, strings: list[str], dates: set[int], durations: set[int], epoch):
        self.strings, self.dates, self.durations, self.epoch = strings, dates, durations, epoch
        self.number = 0
        self.namespace = None

    def row(self, element) -> tuple[int, list]:
        if self.namespace is None:  # the sheet's own: its cells are in the same one
            namespace = element.tag[: element.tag.rfind("}") + 1]
            self.namespace = namespace
            self.cell_tag, self.value_tag, self.inline_tag = (
                namespace + name for name in ("c", "v", "is")
            )
        number = element.get("r")
        self.number = int(number) if number and number.isdecimal() else self.number + 1
        values: dict[int, object] = {}
        column = 0
        for cell in element.iterchildren(self.cell_tag):
            match = REFERENCE.match(cell.get("r", ""))
            column = _column(match[1]) if match else column + 1
            value = self.value(cell)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if column > MAX_COLUMNS:
                raise too_many_columns(column)
            values[column] = value
        if not values:
            return self.number, []
        row = [None] * max(values)
        for column, value in values.items():
            row[column - 1] = value
        return self.number, row

    def value(self, cell):
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(self.inline_tag)
            return None if inline is None else _text(inline)
        raw = cell.findtext(self.value_tag)
        if not raw:
            return None
        if kind == "s":
            index = int(raw)
            return self.strings[index] if 0 <= index < len(self.strings) else None
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            return from_ISO8601(raw)
        if kind in ("str", "e"):
            return raw
        return self.number_value(raw, int(cell.get("s", "0") or 0))

    def number_value(self, raw: str, style: int):
        try:
            number = float(raw) if "." in raw or "e" in raw or "E" in raw else int(raw)
        except ValueError:
            return raw
        if style in self.dates:
            try:
                return from_excel(number, self.epoch, timedelta=style in self.durations)
            except (OverflowError, ValueError):
                return number  # marked as a date, but outside the dates there are
        return number


def _column(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
