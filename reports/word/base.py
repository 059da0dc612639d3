"""A Word file for an official to edit, print and sign: A4, Sarabun, tables whose header row
repeats on every page, widths in the layout's proportions.

Thai is a complex script to Word: a run's Thai text takes the ``cs`` font, ``szCs`` size and
``bCs`` weight, so every run here sets both sets. Sarabun's four faces travel inside the
file (reports.word.fonts); TH Sarabun New, which government machines have, is named in the font
table as its alternative (``w:altName``).
"""

import datetime
import io
import zipfile
from dataclasses import dataclass

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

from ..documents import Item
from .fonts import embedded_faces

FONT = "Sarabun"
FALLBACK_FONT = "TH Sarabun New"
BODY_PT = 14
A4_SHORT, A4_LONG = Cm(21), Cm(29.7)
# (top, right, bottom, left) in cm: as document_pdf.html's @page rules.
MARGINS = {
    "landscape": (2, 1.5, 1.5, 2),
    "portrait": (2.5, 2, 2, 3),
    "memo": (1.5, 2, 1.5, 3),
}
HEADER_FILL = "E8E8E8"
PAGE_FIELD = " PAGE "
# For telling a row that fits on a page: Sarabun 14 pt, Thai with its marks counted, generous
# on purpose (reports.cycle_parts estimates the PDF's rows the same way).
EMU_PER_MM = 36000
MM_PER_CHARACTER = 2.0
LINE_EMU = Pt(BODY_PT * 1.35)  # a line with its paragraph's share of spacing
HEADER_LINES = 3  # the repeated header row
# Word files are zips stamped with the time of writing: ours carry one fixed date, so that the
# same document gives the same bytes.
STAMP = (2020, 1, 1, 0, 0, 0)

LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


# A paragraph of a cell: its runs.
Para = list[Run]


def plain(text: str, *, bold: bool = False) -> Para:
    return [Run(text, bold)]


def item_para(item: Item) -> Para:
    """An item as the templates write it: its number as text, its bold label, its text."""
    runs = []
    if item.marker:
        runs.append(Run(item.marker + " "))
    if item.label:
        runs.append(Run(item.label, bold=True))
        runs.append(Run(" " + item.text))
    else:
        runs.append(Run(item.text))
    return runs


def item_paras(items: list[Item]) -> list[Para]:
    return [item_para(item) for item in items]


@dataclass(frozen=True)
class Column:
    header: str
    percent: int


def _set(element, name: str, **attributes) -> None:
    """Set (or replace) the child ``name`` of ``element`` with these w: attributes."""
    for old in element.findall(qn(name)):
        element.remove(old)
    child = OxmlElement(name)
    for key, value in attributes.items():
        child.set(qn(f"w:{key}"), str(value))
    element.append(child)


def _fonts(rpr, size_pt: float | None = None) -> None:
    _set(rpr, "w:rFonts", ascii=FONT, hAnsi=FONT, eastAsia=FONT, cs=FONT)
    if size_pt:
        _set(rpr, "w:sz", val=int(size_pt * 2))
        _set(rpr, "w:szCs", val=int(size_pt * 2))
    _set(rpr, "w:lang", val="th-TH", eastAsia="th-TH", bidi="th-TH")


class Sheet:
    """One Word document being written: sections, paragraphs and tables."""

    def __init__(self, *, orientation: str, digits: str, title: str, author: str):
        self.doc = docx.Document()
        self.digits = digits
        self._styles()
        self._font_table()
        props = self.doc.core_properties
        props.title, props.author, props.last_modified_by = title, author, author
        props.language = "th-TH"
        props.created = props.modified = datetime.datetime(*STAMP)
        props.revision = 1
        package = self.doc.part.package
        for key, relation in list(package.rels.items()):
            if relation.reltype == RT.THUMBNAIL:  # python-docx's template picture, not ours
                del package.rels[key]
        self._page(self.doc.sections[0], orientation, first=True)

    # -- Set-up --------------------------------------------------------------------------------

    def _styles(self) -> None:
        """Sarabun everywhere: the theme's fonts would otherwise win over named ones."""
        styles = self.doc.styles.element
        rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _fonts(rpr, BODY_PT)
        ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        _set(ppr, "w:spacing", after=60, line=240, lineRule="auto")
        normal = self.doc.styles["Normal"].element.get_or_add_rPr()
        _fonts(normal, BODY_PT)

    def _font_table(self) -> None:
        part = self.doc.part.part_related_by(RT.FONT_TABLE)
        fonts = parse_xml(part.blob)
        font = OxmlElement("w:font")
        font.set(qn("w:name"), FONT)
        for name, value in (
            ("w:altName", FALLBACK_FONT),
            ("w:charset", "DE"),  # Thai
            ("w:family", "auto"),
            ("w:pitch", "variable"),
        ):
            _set(font, name, val=value)
        for element, relation, key in embedded_faces(part, self.doc.part.package):
            embed = OxmlElement(element)
            embed.set(qn("r:id"), relation)
            embed.set(qn("w:fontKey"), key)
            font.append(embed)
        fonts.insert(0, font)
        # Word shows embedded fonts only when the settings say the file carries them.
        settings = self.doc.settings.element
        embed_all = OxmlElement("w:embedTrueTypeFonts")
        zoom = settings.find(qn("w:zoom"))
        if zoom is not None:
            zoom.addnext(embed_all)
        else:
            settings.insert(0, embed_all)
        part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _page(self, section, orientation: str, *, first: bool = False) -> None:
        landscape = orientation == "landscape"
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (
            (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
        )
        top, right, bottom, left = MARGINS[orientation]
        section.top_margin, section.right_margin = Cm(top), Cm(right)
        section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
        section.header_distance = Cm(1)
        if first:
            # No number on the first page, "- ๒ -" from the second, as the PDF.
            section.different_first_page_header_footer = True
            self._page_number(section)

        if self.digits == "thai":
            # Thai page numbers: where the schema puts it, before the columns.
            number_type = OxmlElement("w:pgNumType")
            number_type.set(qn("w:fmt"), "thaiNumbers")
            section._sectPr.find(qn("w:cols")).addprevious(number_type)

    def _page_number(self, section) -> None:
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = CENTER
        self._run(paragraph, "- ")
        for kind, text in (("begin", None), (None, PAGE_FIELD), ("separate", None), (None, "1")):
            run = self._run(paragraph, "")
            if kind:
                _set(run._r, "w:fldChar", fldCharType=kind)
            elif text is PAGE_FIELD:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
            else:
                run.text = text
        run = self._run(paragraph, "")
        _set(run._r, "w:fldChar", fldCharType="end")
        self._run(paragraph, " -")

    @property
    def width(self) -> int:
        """The width inside the margins of the current page, in EMU."""
        section = self.doc.sections[-1]
        return section.page_width - section.left_margin - section.right_margin

    def section(self, orientation: str) -> None:
        """A new page in ``orientation`` (the memo's portrait page before a landscape report)."""
        self._page(self.doc.add_section(WD_SECTION.NEW_PAGE), orientation)

    # -- Text ----------------------------------------------------------------------------------

    def _run(self, paragraph, text: str, *, bold: bool = False, size: float | None = None):
        run = paragraph.add_run(text)
        rpr = run._r.get_or_add_rPr()
        if bold:
            _set(rpr, "w:b")
            _set(rpr, "w:bCs")
        if size:
            _set(rpr, "w:sz", val=int(size * 2))
            _set(rpr, "w:szCs", val=int(size * 2))
        return run

    def _fill(
        self,
        paragraph,
        runs: Para,
        *,
        size: float | None = None,
        bold: bool = False,
        align=None,
        after: float = 3,
        before: float = 0,
        indent: float | None = None,
        keep_next: bool = False,
    ) -> None:
        """Write ``runs`` into ``paragraph`` with its spacing (pt), alignment and indent (cm)."""
        for run in runs:
            self._run(paragraph, run.text, bold=bold or run.bold, size=size)
        formatting = paragraph.paragraph_format
        formatting.space_after, formatting.space_before = Pt(after), Pt(before)
        if align is not None:
            paragraph.alignment = align
        if indent:
            formatting.first_line_indent = Cm(indent)
        if keep_next:
            formatting.keep_with_next = True

    def para(self, runs: Para | str, **style):
        paragraph = self.doc.add_paragraph()
        self._fill(paragraph, plain(runs) if isinstance(runs, str) else runs, **style)
        return paragraph

    def lines(self, lines: list[str], **style) -> None:
        """Lines of one block (a title in two lines): one paragraph, broken where they end."""
        if not lines:
            return
        paragraph = self.para(lines[0], **style)
        for line in lines[1:]:
            paragraph.runs[-1].add_break()
            self._run(paragraph, line, bold=style.get("bold", False), size=style.get("size"))

    def heading(self, text: str | list[str], *, size: float = 16, align=CENTER, before=6) -> None:
        lines = [text] if isinstance(text, str) else text
        self.lines(lines, size=size, bold=True, align=align, before=before, after=6, keep_next=True)

    def paragraphs(self, paragraphs: list[list[str]], **style) -> None:
        for lines in paragraphs:
            self.lines(lines, **style)

    def items(self, items: list[Item]) -> None:
        for runs in item_paras(items):
            self.para(runs)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # -- Tables --------------------------------------------------------------------------------

    def table(self, columns: list[Column], *, heading: str = "", new_page: bool = False):
        """A table of ``columns`` across the page, its header row(s) repeated on every page;
        ``new_page`` starts it on a new page."""
        last = self.doc.element.body[-2] if len(self.doc.element.body) > 1 else None
        if new_page or (last is not None and last.tag == qn("w:tbl")):
            # Word and LibreOffice join two tables with no paragraph between them.
            paragraph = self.para("", after=0, size=1 if new_page else 6)
            paragraph.paragraph_format.page_break_before = new_page
        table = self.doc.add_table(rows=0, cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tblpr = table._tbl.tblPr
        width = tblpr.find(qn("w:tblW"))  # python-docx's, already where the schema wants it
        width.set(qn("w:w"), str(int(self.width / 635)))  # EMU to twentieths of a point
        width.set(qn("w:type"), "dxa")
        total = sum(column.percent for column in columns)
        widths = [int(self.width * column.percent / total) for column in columns]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        table._widths = widths
        if heading:
            row = self._header_row(table)
            merged = row.cells[0].merge(row.cells[-1])
            self._fill(merged.paragraphs[0], plain(heading), bold=True, after=0)
        row = self._header_row(table)
        for cell, column in zip(row.cells, columns, strict=True):
            self._fill(cell.paragraphs[0], plain(column.header), bold=True, align=CENTER, after=0)
        return table

    def _header_row(self, table):
        row = table.add_row()
        trpr = row._tr.get_or_add_trPr()
        _set(trpr, "w:cantSplit")
        _set(trpr, "w:tblHeader")  # repeat on every page (after cantSplit: the schema's order)
        for cell, width in zip(row.cells, table._widths, strict=True):
            cell.width = width
            _set(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto", fill=HEADER_FILL)
        return row

    def row(self, table, cells: list[list[Para]], *, centred: tuple[int, ...] = (), bold=False):
        """A body row: each cell its paragraphs."""
        row = table.add_row()
        if self._fits_a_page(table._widths, cells):
            # Kept on one page: a row split between pages reads, copied or extracted from the
            # PDF, cell part by cell part. A row taller than a page is not: LibreOffice would
            # leave its table's header alone on a page before it.
            _set(row._tr.get_or_add_trPr(), "w:cantSplit")
        for index, (cell, width, paras) in enumerate(
            zip(row.cells, table._widths, cells, strict=True)
        ):
            cell.width = width
            paras = paras or [plain("")]
            for number, runs in enumerate(paras):
                paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                align = CENTER if index in centred else None
                self._fill(paragraph, runs, align=align, after=2, bold=bold)
        return row

    def _fits_a_page(self, widths: list[int], cells: list[list[Para]]) -> bool:
        """Whether a row of ``cells`` is, by a generous estimate, shorter than a page."""
        section = self.doc.sections[-1]
        height = section.page_height - section.top_margin - section.bottom_margin
        lines = int(height / LINE_EMU) - HEADER_LINES
        for width, paras in zip(widths, cells, strict=True):
            per_line = max(int((width / EMU_PER_MM - 3) / MM_PER_CHARACTER), 1)
            text = ("".join(run.text for run in runs) for runs in paras)
            if sum(max(-(-len(t) // per_line), 1) for t in text) > lines:
                return False
        return True

    @staticmethod
    def merge_down(table, column: int, first_row: int, last_row: int) -> None:
        """One cell over rows ``first_row``..``last_row`` (the indicator beside its measures)."""
        if last_row > first_row:
            top = table.rows[first_row].cells[column]
            top.merge(table.rows[last_row].cells[column])

    # -- The file ------------------------------------------------------------------------------

    def save(self) -> bytes:
        written = io.BytesIO()
        self.doc.save(written)
        fixed = io.BytesIO()
        with (
            zipfile.ZipFile(written) as source,
            zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for entry in source.infolist():
                stamped = zipfile.ZipInfo(entry.filename, date_time=STAMP)
                stamped.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(stamped, source.read(entry))
        return fixed.getvalue()
