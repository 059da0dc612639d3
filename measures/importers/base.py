"""What every importer module shares: the result, the error and the limits on the input."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .. import thai

MAX_CELL_CHARS = 30_000
MAX_TEXT_CHARS = 5_000_000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Per import, whatever the file declares: rows and columns that hold text, and characters.
MAX_ROWS = 20_000
MAX_COLUMNS = 100
# Zip containers (.docx, .xlsx) are checked before any library opens them: a few hundred
# kilobytes can expand to gigabytes.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 2_000
# Their XML is read as a stream (importers.ooxml): elements read in one import (time), and
# what is held at once, the row or paragraph being read: its elements and attributes (memory:
# up to ~350 bytes each in lxml; "<" and "=" are counted, closing tags too) and its bytes.
MAX_XML_ELEMENTS = 2_000_000
MAX_HELD_PARTS = 200_000
MAX_HELD_BYTES = 16 * 1024 * 1024
# An .xlsx file's shared strings are held for the whole import.
MAX_SHARED_STRINGS = 300_000


class ReportImportError(Exception):
    """The input cannot be read at all. The message is for the user (Thai)."""


@dataclass
class ImportResult:
    measures: list[dict] = field(default_factory=list)
    indicator_progress: list[dict] = field(default_factory=list)
    issue_groups: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Each period moved into the report's fiscal year (importers.years), for the preview to list.
    moves: list[str] = field(default_factory=list)
    # Spaces the PDF the table came from left where lines wrapped, joined in the texts above
    # (measures.wrapspace); ``unjoined`` keeps the texts as read, for an editor who says no.
    wrap_spaces: int = 0
    wrap_examples: list[tuple[str, str]] = field(default_factory=list)
    unjoined: dict | None = None


def _count(value: int) -> str:
    """A number in a message, grouped, in Thai digits when the page is in Thai."""
    return thai.ui_number(value)


def too_many_columns(column: int) -> ReportImportError:
    return ReportImportError(
        _(
            "The table has text in column %(column)s: at most %(count)s columns are read. "
            "Delete the columns after the table and try again."
        )
        % {"column": _count(column), "count": _count(MAX_COLUMNS)}
    )


def too_many_rows() -> ReportImportError:
    return ReportImportError(
        _("The file has more than %(count)s rows: import it in parts.")
        % {"count": _count(MAX_ROWS)}
    )


def too_much_text() -> ReportImportError:
    return ReportImportError(
        _("The file holds more than %(count)s characters of text: import it in parts.")
        % {"count": _count(MAX_TEXT_CHARS)}
    )


def too_complex() -> ReportImportError:
    return ReportImportError(
        _(
            "The file is too complex to read: save it again from Word or Excel, "
            "or import it in parts."
        )
    )


def _within_columns(cells: list[str]) -> list[str]:
    """The row's first MAX_COLUMNS cells; text in any cell after them refuses the import."""
    if len(cells) <= MAX_COLUMNS:
        return cells
    for index in range(MAX_COLUMNS, len(cells)):
        if cells[index] and cells[index].strip():
            raise too_many_columns(index + 1)
    return cells[:MAX_COLUMNS]
