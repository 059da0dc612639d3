"""Spreadsheets: Excel workbooks (.xlsx, every sheet) and .csv files."""

import csv
import datetime
import io
import os

from .. import thai
from .base import MAX_TEXT_CHARS, ImportResult, ReportImportError, too_much_text
from .files import _decode, _read_bytes
from .reader import _TableReader
from .xlsx import xlsx_rows


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


def _parse_xlsx(data: bytes, fiscal_year: int, indicators) -> ImportResult:
    reader = _TableReader(fiscal_year, indicators)
    sheet = None
    for row in xlsx_rows(data):
        if row.sheet != sheet:
            reader.new_table()  # each sheet has its own header
            sheet = row.sheet
        where = f"แผ่นงาน “{row.title}” แถวที่ {thai.number(row.number)}"
        reader.feed([_xlsx_value(value) for value in row.values], where)
    return reader.result()


def _xlsx_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        # A date typed into a cell: written back the way a document writes it, in BE.
        return thai.date_full(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_rows(data: bytes):
    """The rows of a .csv file, its delimiter guessed; raises ReportImportError."""
    text = _decode(data)
    if len(text) > MAX_TEXT_CHARS:
        raise too_much_text()
    # The delimiter most of the first lines hold: Excel writes "," or, in some locales, ";".
    lines = text[:100_000].splitlines()[:30]
    delimiter = max((",", "\t", ";"), key=lambda d: sum(d in line for line in lines))
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise ReportImportError("อ่านไฟล์ CSV ไม่ได้: ตรวจดูเครื่องหมายคำพูดและช่องที่ยาวเกินไป") from error


def _parse_csv(data: bytes, fiscal_year: int, indicators) -> ImportResult:
    reader = _TableReader(fiscal_year, indicators)
    for row_number, row in enumerate(csv_rows(data), start=1):
        reader.feed(row, f"แถวที่ {thai.number(row_number)}")
    return reader.result()
