"""Rows pasted from Word or Excel: a row per line, cells separated by tabs."""

import re

from .. import thai
from .base import (
    MAX_COLUMNS,
    MAX_TEXT_CHARS,
    ImportResult,
    ReportImportError,
    too_many_columns,
    too_much_text,
)
from .reader import _TableReader


def parse_table_text(
    text: str, fiscal_year: int, indicators: dict[int, str] | None = None
) -> ImportResult:
    """Rows pasted from Word or Excel: one row per line, cells separated by tabs."""
    if not isinstance(text, str) or not text.strip():
        raise ReportImportError("ไม่มีข้อความให้นำเข้า")
    if len(text) > MAX_TEXT_CHARS:
        raise too_much_text()
    reader = _TableReader(fiscal_year, indicators)
    for line_number, cells in _tab_rows(text):
        reader.feed(cells, f"แถวที่ {thai.number(line_number)}")
    return reader.result()


def _tab_rows(text: str):
    """(line number, cells) for each line; a cell quoted the way Excel copies it may span lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if '"' not in text:
        for number, line in enumerate(text.split("\n"), start=1):
            yield number, _line_cells(line)
        return
    position, line, size = 0, 1, len(text)
    while position < size:
        start_line = line
        cells, cell, column = [], [], 0
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
                column += 1
                _add_cell(cells, column, "".join(cell))
                cell = []
            elif char == "\n":
                line += 1
                position += 1
                break
            else:
                cell.append(char)
            position += 1
        _add_cell(cells, column + 1, "".join(cell))
        yield start_line, cells


def _line_cells(line: str) -> list[str]:
    """A line's cells, never more than MAX_COLUMNS: text after them refuses the import."""
    cells = line.split("\t", MAX_COLUMNS)
    if len(cells) > MAX_COLUMNS:
        rest = cells.pop()
        text = re.search(r"\S", rest)
        if text:
            raise too_many_columns(MAX_COLUMNS + 1 + rest.count("\t", 0, text.start()))
    return cells


def _add_cell(cells: list[str], column: int, text: str) -> None:
    if column <= MAX_COLUMNS:
        cells.append(text)
    elif text.strip():
        raise too_many_columns(column)


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
