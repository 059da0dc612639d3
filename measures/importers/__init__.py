"""Reading the tables agencies already have into the report data format (docs/report-format.md).

Sources: text pasted from Word or Excel (a row per line, cells separated by tabs, as in
tests/seeds/), .docx tables, .xlsx sheets and .csv files. Every source becomes rows of cells and
goes through the same row logic (``reader._TableReader``). Parsing only: nothing here writes to
the database; ``services.report_import`` does.

A cell's text may carry the markup the seeds' extraction made (``<p>``, ``<b>``, tick boxes);
it is read for its structure and never kept: stored text is plain text.

The modules, each importing only those before it:

- ``base``: the result, the error, the limits on the input and the messages of its caps;
- ``files``: reading uploads safely (size, encoding, zip containers);
- ``ooxml``: the XML inside .docx and .xlsx files, as a bounded stream;
- ``cells``: a cell's markup into plain lines, and lines into items;
- ``headers``: which column a header cell names;
- ``values``: issue groups, indicators, progress and responsible names inside cells;
- ``reader``: rows of cells into measures, progress rows and issue groups;
- ``xlsx``: the values of the cells an .xlsx file holds, sheet by sheet;
- ``text``, ``word``, ``spreadsheets``: the sources, each into rows for the reader.

Every import is bounded by what the file holds, never by the sizes it declares: at most
MAX_ROWS rows and MAX_COLUMNS columns that hold text, and MAX_TEXT_CHARS characters; beyond
them it is refused with a message for the form (tests/measures/test_import_bounds.py).

Import from ``measures.importers``.
"""

import os

from .base import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_ROWS,
    MAX_TEXT_CHARS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_MEMBERS,
    ImportResult,
    ReportImportError,
)
from .files import _decode, _read_bytes
from .spreadsheets import csv_rows, parse_spreadsheet
from .text import parse_table_text
from .word import parse_docx
from .xlsx import xlsx_rows

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_COMPRESSION_RATIO",
    "MAX_ROWS",
    "MAX_TEXT_CHARS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_ZIP_MEMBERS",
    "ImportResult",
    "ReportImportError",
    "csv_rows",
    "parse_docx",
    "parse_file",
    "parse_spreadsheet",
    "parse_table_text",
    "xlsx_rows",
]


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
