"""Make the text of WeasyPrint's PDFs copy and extract as it was written.

WeasyPrint maps each glyph of a font to one text, taken from the glyph's first use in the
document. Thai breaks that: Sarabun draws ำ as two glyphs (nikhahit + sara aa), the sara aa glyph
is first met as a plain า, and the nikhahit of the cluster gets no text at all, so "ดำเนิน"
extracts as "ดาเนิน"; a tone mark reordered inside a cluster (น้ำ) can vanish the same way.

Two layers, so that every reader gets the words back:
1. Each drawn line is wrapped in a marked-content span carrying its exact text (/ActualText,
   PDF 32000-1 §14.9.4). Poppler (pdftotext), Acrobat, PDFium and screen readers read that.
2. A glyph that would map to nothing maps to the characters the font gives it (its cmap, or
   its glyph name), so readers that ignore /ActualText get "ดํา" (nikhahit + sara aa): the same
   letters in the compatibility form of ำ, instead of a lost vowel.
3. Tables are extracted in the document's order, not the page's: each row reads as one line of
   its cells, in order, where the row starts (its first line carries the row's text; its other
   lines, and the parts a page break pushed on, carry empty /ActualText). Without this, readers
   that order text by its place on the page run the cells of a column together across rows and
   give the parts of a row that runs over a page cell part by cell part.
See docs/pdf-text.md.
"""

import io

import pydyf
import weasyprint
import weasyprint.pdf
from fontTools import agl
from fontTools.ttLib import TTFont
from weasyprint.draw import text as weasyprint_text
from weasyprint.formatting_structure import boxes

# The patch reaches into WeasyPrint's drawing code: check it against each new version.
TESTED_WEASYPRINT = "70.0"

_draw_first_line = weasyprint_text.draw_first_line
_build_fonts_dictionary = weasyprint.pdf.build_fonts_dictionary


def _draw_first_line_with_actual_text(stream, textbox, text_overflow, block_ellipsis, matrix):
    text = getattr(textbox, "actual_text", None)
    if text is None:
        text = textbox.text.rstrip("\n")
    if not textbox.text.strip() or text_overflow == "ellipsis" or block_ellipsis != "none":
        # Nothing drawn, or drawn shortened: leave those lines to the font mapping alone.
        return _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
    try:
        return _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        stream.end_marked_content()


def _fill_empty_mappings(font) -> None:
    """Give glyphs that WeasyPrint mapped to "" the character the font's cmap gives them."""
    empty = [glyph for glyph, text in font.to_unicode.items() if not text]
    if not empty or font.bitmap:
        return
    ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
    characters = {}
    for codepoint, name in ttfont.getBestCmap().items():
        characters.setdefault(name, chr(codepoint))
    order = ttfont.getGlyphOrder()
    for glyph_id in empty:
        if glyph_id < len(order):
            name = order[glyph_id]
            # Variants and ligatures ("uni0E49.small", "uni0E4D0E49") are named after
            # their characters (Adobe Glyph List rules).
            text = characters.get(name) or agl.toUnicode(name)
            if text:
                font.to_unicode[glyph_id] = text


def _build_fonts_dictionary_with_full_mappings(pdf, fonts, *args, **kwargs):
    for font in fonts.values():
        _fill_empty_mappings(font)
    return _build_fonts_dictionary(pdf, fonts, *args, **kwargs)


BLOCK_TAGS = {"p", "div", "li", "tr", "h1", "h2", "h3", "section"}


def _element_text(element) -> str:
    """An element's text as written in the page: blocks on their own lines, <br> a new line."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "br":
            parts.append("\n")
        elif tag in BLOCK_TAGS:
            parts.append("\n" + _element_text(child) + "\n")
        else:
            parts.append(_element_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _clean(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _walk(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _walk(child)


def _text_boxes(box) -> list:
    return [b for b in _walk(box) if isinstance(b, boxes.TextBox) and b.text.strip()]


def _speak_whole(text_boxes: list, text: str) -> None:
    if text_boxes:
        text_boxes[0].actual_text = text
        for box in text_boxes[1:]:
            box.actual_text = ""


def annotate_logical_order(document) -> None:
    """Set the /ActualText of table text so that extraction follows the document's order."""
    rows: dict[int, tuple] = {}
    for page in document.pages:
        for box in _walk(page._page_box):
            if isinstance(box, boxes.TableRowGroupBox) and box.is_header:
                for row in box.children:
                    row.in_repeated_header = True
                    _speak_whole(_text_boxes(row), _row_text(row.element))
            elif isinstance(box, boxes.TableRowBox) and not hasattr(box, "in_repeated_header"):
                element, fragments = rows.setdefault(id(box.element), (box.element, []))
                fragments.extend(_text_boxes(box))
    for element, fragments in rows.values():
        _speak_whole(fragments, _row_text(element))


def _row_text(row) -> str:
    return "\t".join(_clean(_element_text(cell)) for cell in row)


def install() -> None:
    if weasyprint_text.draw_first_line is _draw_first_line_with_actual_text:
        return
    if weasyprint.__version__ != TESTED_WEASYPRINT:
        raise RuntimeError(
            f"reports.pdftext was written for WeasyPrint {TESTED_WEASYPRINT}, "
            f"not {weasyprint.__version__}: check it and the PDF text tests."
        )
    weasyprint_text.draw_first_line = _draw_first_line_with_actual_text
    weasyprint.pdf.build_fonts_dictionary = _build_fonts_dictionary_with_full_mappings
