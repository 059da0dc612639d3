"""Reading the tables agencies already have into the report data format (docs/report-format.md).

Sources: text pasted from Word or Excel (a row per line, cells separated by tabs, as in
tests/seeds/), .docx tables, .xlsx sheets and .csv files. Every source becomes rows of cells and
goes through the same row logic (``reader._TableReader``). Parsing only: nothing here writes to
the database; ``services.report_import`` does.

A cell's text may carry the markup the seeds' extraction made (``<p>``, ``<b>``, tick boxes);
it is read for its structure and never kept: stored text is plain text.

The modules, each importing only those before it:

- ``base``: the result, the error and the limits on the input;
- ``files``: reading uploads safely (size, encoding, zip containers);
- ``cells``: a cell's markup into plain lines, and lines into items;
- ``headers``: which column a header cell names;
- ``values``: issue groups, indicators, progress and responsible names inside cells;
- ``reader``: rows of cells into measures, progress rows and issue groups;
- ``text``, ``word``, ``spreadsheets``: the sources, each into rows for the reader.

Import from ``measures.importers``.
"""

import os

from .base import (
    MAX_CELL_CHARS,
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
from .spreadsheets import parse_spreadsheet
from .text import parse_table_text
from .word import parse_docx

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COMPRESSION_RATIO",
    "MAX_ROWS",
    "MAX_TEXT_CHARS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_ZIP_MEMBERS",
    "ImportResult",
    "ReportImportError",
    "parse_docx",
    "parse_file",
    "parse_spreadsheet",
    "parse_table_text",
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
