"""Spreadsheets: Excel workbooks (.xlsx, every sheet) and .csv files."""

import csv
import datetime
import io
import os

from .. import thai
from .base import MAX_ROWS, ImportResult, ReportImportError
from .files import _check_zip, _decode, _read_bytes
from .reader import _TableReader


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
