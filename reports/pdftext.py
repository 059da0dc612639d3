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
See docs/pdf-text.md.
"""

import io

import pydyf
import weasyprint
import weasyprint.pdf
from fontTools import agl
from fontTools.ttLib import TTFont
from weasyprint.draw import text as weasyprint_text

# The patch reaches into WeasyPrint's drawing code: check it against each new version.
TESTED_WEASYPRINT = "70.0"

_draw_first_line = weasyprint_text.draw_first_line
_build_fonts_dictionary = weasyprint.pdf.build_fonts_dictionary


def _draw_first_line_with_actual_text(stream, textbox, text_overflow, block_ellipsis, matrix):
    text = textbox.text.rstrip("\n")
    if not text.strip() or text_overflow == "ellipsis" or block_ellipsis != "none":
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
