"""Column widths that hold every word: no Thai word is cut inside in a narrow column.

Pango breaks Thai lines between dictionary words, and splits a word only when it is wider than
its column ("งบประมา" / "ณ" in a 10 % column). So a table's columns keep the widths its layout
draws (the <col class="wNN"> classes, in %) unless a column holds a word wider than itself: that
column then grows to the word, measured with Sarabun's advance widths, and the others give back
the room they can spare. A word is what Pango will not break: the same break opportunities as
it lays the PDF out with, so a column is never wider than it needs.

The same pass marks the rows short enough to keep whole on a page (class "keep"): a short
measure is not split over two pages, and no page starts with a sliver of one.
"""

import functools
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

THAI_LETTER = re.compile("[\u0e01-\u0e4e]")
COL = re.compile(r'<col class="w(\d+)">')
ROW_START = re.compile(r"<tr(?=[\s>])")

# The page's content width (document_pdf.html's margins), in points.
MM = 72 / 25.4
CONTENT_WIDTH_PT = {"landscape": (297 - 35) * MM, "portrait": (210 - 50) * MM}
CELL_EXTRA_PT = 4 + 4 + 0.75  # padding left and right, the left border (document.css)
SAFETY = 1.04  # Sarabun's kerning and mark positioning, which the advance widths ignore
LINE_FILL = 0.85  # how full a wrapped line is on average: lines break between words
# A row this short is kept whole on a page: about half a landscape page, as the plan's and the
# progress's rows (reports.cycle_parts). Longer, keeping it whole leaves pages half empty; and a
# row kept whole that is taller than a page loses the page's repeated header (docs/rendering.md).
KEEP_LINES = 12
MAX_SHARE = 40  # % of the table: a longer "word" (a web address) is cut rather than the table


@functools.cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Sarabun's advance width of each character, in em; and the width of an unknown one."""
    from django.contrib.staticfiles import finders
    from fontTools.ttLib import TTFont

    name = "Bold" if bold else "Regular"
    # Closed once read: a lazy font left to the collector leaves its file open (ResourceWarning).
    with TTFont(finders.find(f"fonts/sarabun/Sarabun-{name}.ttf"), lazy=True) as font:
        metrics, units = font["hmtx"].metrics, font["head"].unitsPerEm
        cmap = font.getBestCmap()
        advances = {code: metrics[glyph][0] / units for code, glyph in cmap.items()}
    return advances, advances[ord("ก")]


def text_width(text: str, *, size: float = 14, bold: bool = False) -> float:
    """The width of ``text`` on one line, in points."""
    advances, unknown = _advances(bold)
    return sum(advances.get(ord(char), unknown) for char in text) * size


def words(text: str) -> list[str]:
    """The pieces of ``text`` between which Pango may break a line (its Thai dictionary, and
    the Unicode rules for the rest: "2.การ|ใช้|งบประมาณ", "ต.ค.|๒๕๖๗-|ก.ย.|๒๕๖๘"), without
    their spaces. Asked of Pango itself, which lays the PDF out."""
    from weasyprint.text.line_break import get_log_attrs

    if not text:
        return []
    attrs = get_log_attrs(text, "th")
    pieces, start = [], 0
    for index in range(1, len(text)):
        if attrs[index].is_line_break:
            pieces.append(text[start:index])
            start = index
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def longest_word(text: str, *, size: float = 14, bold: bool = False) -> float:
    """The width of the widest piece of ``text`` that no line may break, in points."""
    longest = 0.0
    for chunk in text.split():
        if text_width(chunk, size=size, bold=bold) > longest:  # else no word of it is wider
            widest = max(text_width(word, size=size, bold=bold) for word in words(chunk))
            longest = max(longest, widest)
    return longest


def fit_widths(percents: list[int], needed: list[float]) -> list[int]:
    """Whole percents, summing to the same total, with each column at least its ``needed``
    share when that is possible; the columns with room to spare give it up in proportion."""
    least = [min(math.ceil(need), MAX_SHARE) for need in needed]
    if all(p >= n for p, n in zip(percents, least, strict=True)):
        return percents
    total = sum(percents)
    widths = [max(p, n) for p, n in zip(percents, least, strict=True)]
    while sum(widths) > total:
        spare = [w - n for w, n in zip(widths, least, strict=True)]
        if not any(spare):
            break  # they cannot all fit: the widest words will be cut, as before
        # One point at a time from the column with most to spare (its share of the layout's
        # width, so that wide columns give more): few steps, tables have under ten columns.
        index = max(range(len(widths)), key=lambda i: (spare[i] / percents[i], spare[i]))
        widths[index] -= 1
    return widths


@dataclass
class _Cell:
    column: int
    span: int
    header: bool
    paragraphs: list[list[tuple[str, bool]]] = field(default_factory=lambda: [[]])


@dataclass
class _Row:
    start: int  # offset of its "<tr" in the table's HTML
    body: bool
    cells: list[_Cell] = field(default_factory=list)


class _TableReader(HTMLParser):
    """The cells of one table, with the column each starts in (rowspans counted), and their
    text by paragraph, each piece marked bold or not."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[_Row] = []
        self.cell: _Cell | None = None
        self.bold = 0
        self.body = False
        self.spanned: dict[int, int] = {}  # column -> rows it is still taken by a rowspan

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tbody":
            self.body = True
        elif tag == "tr":
            self.rows.append(_Row(start=self._offset(), body=self.body))
            self.column = 0
            if len(self.rows) > 1:  # a rowspan takes its column in as many rows
                self.spanned = {c: n - 1 for c, n in self.spanned.items() if n > 1}
        elif tag in ("td", "th") and self.rows:
            while self.spanned.get(self.column, 0) > 0:
                self.column += 1
            span = int(attrs.get("colspan") or 1)
            rowspan = int(attrs.get("rowspan") or 1)
            if rowspan > 1:
                for column in range(self.column, self.column + span):
                    self.spanned[column] = rowspan
            self.cell = _Cell(self.column, span, header=tag == "th")
            self.rows[-1].cells.append(self.cell)
            self.column += span
        elif tag in ("b", "strong"):
            self.bold += 1
        elif tag in ("p", "br") and self.cell is not None:
            self.cell.paragraphs.append([])

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cell = None
        elif tag in ("b", "strong"):
            self.bold -= 1

    def handle_data(self, data):
        if self.cell is not None and data.strip():
            bold = self.bold > 0 or self.cell.header
            self.cell.paragraphs[-1].append((data, bold))

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def read(self, html: str) -> list[_Row]:
        self._line_starts = [0]
        for line in html.splitlines(keepends=True):
            self._line_starts.append(self._line_starts[-1] + len(line))
        self.feed(html)
        self.close()
        return self.rows


def _cell_needs(cell: _Cell, size: float) -> float:
    return max(
        (longest_word(text, size=size, bold=bold) for p in cell.paragraphs for text, bold in p),
        default=0.0,
    )


def _cell_lines(cell: _Cell, size: float, width: float) -> int:
    lines = 0
    for paragraph in cell.paragraphs:
        if paragraph:
            length = sum(text_width(text, size=size, bold=bold) for text, bold in paragraph)
            lines += max(math.ceil(length / (width * LINE_FILL)), 1)
    return lines


TABLE = re.compile(r'<table class="doc-table.*?</table>', re.DOTALL)
COLGROUP = re.compile(r"<colgroup>.*?</colgroup>", re.DOTALL)


def fit_tables(html: str, *, orientation: str, size: float = 14) -> str:
    """The document ``html`` with its tables' columns widened to their longest words, the same
    for every table of one kind (drawn with the same <colgroup>), and their short body rows
    marked to be kept whole on a page."""
    table_pt = CONTENT_WIDTH_PT.get(orientation, CONTENT_WIDTH_PT["landscape"])
    tables = [(match, _TableReader().read(match.group())) for match in TABLE.finditer(html)]
    kinds: dict[str, list[float]] = {}
    for match, rows in tables:
        colgroup = COLGROUP.search(match.group())
        if colgroup is None:
            continue
        count = len(COL.findall(colgroup.group()))
        needed = kinds.setdefault(colgroup.group(), [0.0] * count)
        for row in rows:
            for cell in row.cells:
                if cell.span == 1 and cell.column < count:
                    need = (_cell_needs(cell, size) * SAFETY + CELL_EXTRA_PT) / table_pt * 100
                    needed[cell.column] = max(needed[cell.column], need)
    fitted = {
        colgroup: fit_widths([int(p) for p in COL.findall(colgroup)], needed)
        for colgroup, needed in kinds.items()
    }

    parts, last = [], 0
    for match, rows in tables:
        table = match.group()
        colgroup = COLGROUP.search(table)
        if colgroup is not None:
            widths = fitted[colgroup.group()]
            table = _mark_rows(table, _short_rows(rows, widths, table_pt, size))
            table = _set_widths(table, widths)
        parts += [html[last : match.start()], table]
        last = match.end()
    parts.append(html[last:])
    return "".join(parts)


def _short_rows(rows: list[_Row], widths: list[int], table_pt: float, size: float) -> list[int]:
    """Where the body rows start that are at most KEEP_LINES lines."""
    content = [w / 100 * table_pt - CELL_EXTRA_PT for w in widths]
    short = []
    for row in [row for row in rows if row.body]:
        lines = (
            _cell_lines(cell, size, sum(content[cell.column : cell.column + cell.span]))
            for cell in row.cells
            if cell.column < len(content)
        )
        if max(lines, default=0) <= KEEP_LINES:
            short.append(row.start)
    return short


def _set_widths(table: str, widths: list[int]) -> str:
    columns = iter(widths)
    return COL.sub(lambda _: f'<col class="w{next(columns)}">', table)


def _mark_rows(html: str, starts: list[int]) -> str:
    """Adds the class "keep" to the <tr> tags at ``starts``."""
    parts, last = [], 0
    for start in starts:
        if not html.startswith("<tr", start):
            continue  # never expected: the parser's offsets are the tags'
        end = html.index(">", start)
        tag = html[start:end]
        if ' class="' in tag:
            tag = tag.replace(' class="', ' class="keep ', 1)
        else:
            tag += ' class="keep"'
        parts += [html[last:start], tag]
        last = end
    parts.append(html[last:])
    return "".join(parts)
