"""The open-data files of a published version, as they are stored at publication.

Each is written from the version alone (its data, number, date and report), the same bytes
whenever it is written; services.version_store_files stores them once, and the permanent
addresses serve what was stored.
"""

import datetime
import gzip
import io
import json
import zipfile

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from measures.open_data import COLUMNS as OPEN_DATA_COLUMNS

from .models import PublishedVersion
from .tables import csv_lines, safe_rows


def _absolute(path: str) -> str:
    # The portal's public address, not the address of whoever first asked for the file.
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def page_compress(html: str) -> bytes:
    """A version's frozen page as stored (v1.html.gz): gzip without a time in it, so the same
    page is the same bytes."""
    return gzip.compress(html.encode(), compresslevel=9, mtime=0)


def page_decompress(stored: bytes) -> str:
    return gzip.decompress(stored).decode()


def version_json(version: PublishedVersion) -> bytes:
    """The version as the .json address gives it: number, date, content hash and data."""
    document = {
        "version": version.number,
        "published_at": version.published_at.isoformat(),
        "sha256": version.data_sha256,
        "report": version.data,
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def version_csv(version: PublishedVersion) -> bytes:
    """The version's measures as CSV (a BOM, the columns, a row per measure)."""
    return "".join(csv_lines([version], absolute_url=_absolute)).encode()


# How the XLSX shows its typed cells: baht with thousands and satang; dates in the Buddhist Era
# with Thai month names (Excel's Thai locale 041E, calendar 07), as the documents write them.
XLSX_FORMATS = {"baht": "#,##0.00", "integer": "0", "date": "[$-107041E]d mmm yyyy"}


def _xlsx_value(column, value):
    """A cell's value as its column's kind: numbers and dates typed, not text; a code by its
    Thai label."""
    if value in ("", None):
        return None
    if column.kind == "date":
        return datetime.date.fromisoformat(value)
    if column.kind == "integer":
        return int(value)
    if column.choices and value in column.choices.values:
        with translation.override("th"):
            return str(column.choices(value).label)
    return value


def version_xlsx(version: PublishedVersion) -> bytes:
    """The version's measures as an Excel workbook for people, dated at publication to the byte:
    Thai headers in a frozen, filtered first row, columns of useful widths, numbers and dates
    typed (the CSV keeps the machines' names and plain values).

    openpyxl stamps the workbook and every zip entry with the time of writing; here both are
    the version's publication time, so writing it again gives the same file.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    when = version.published_at.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = when
    sheet = book.create_sheet("มาตรการ")
    for index, column in enumerate(OPEN_DATA_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header, top = Font(bold=True), Alignment(vertical="top", wrap_text=True)
    headers = []
    for column in OPEN_DATA_COLUMNS:
        cell = WriteOnlyCell(sheet, column.label)
        cell.font, cell.alignment = header, top
        headers.append(cell)
    sheet.append(headers)
    rows = list(safe_rows([version], absolute_url=_absolute))
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    for row in rows:
        cells = []
        for column, value in zip(OPEN_DATA_COLUMNS, row, strict=True):
            cell = WriteOnlyCell(sheet, _xlsx_value(column, value))
            cell.alignment = top
            if column.kind in XLSX_FORMATS:
                cell.number_format = XLSX_FORMATS[column.kind]
            cells.append(cell)
        sheet.append(cells)
    written = io.BytesIO()
    # ExcelWriter, not book.save(), which would set "modified" to now.
    ExcelWriter(book, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED)).save()

    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(written) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            stamped = zipfile.ZipInfo(entry.filename, date_time=when.timetuple()[:6])
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = 0o644 << 16
            target.writestr(stamped, source.read(entry))
    return fixed.getvalue()


BUILDERS = {"json": version_json, "csv": version_csv, "xlsx": version_xlsx}
