"""Where the document's lines may break: columns wide enough for their words, headings that
keep their compound words whole (reports.widths)."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from reports import widths

register = template.Library()


@register.filter
def keep_words(text) -> str:
    """``text`` escaped, with the compound words that Pango would break but pythainlp keeps
    whole ("ปี" / "งบประมาณ") wrapped in <span class="word">, kept on one line. For headings,
    which have room for any word."""
    from pythainlp.tokenize import word_tokenize

    parts = []
    for chunk in re.split(r"(\s+)", str(text)):
        if not widths.THAI_LETTER.search(chunk):
            parts.append(conditional_escape(chunk))
            continue
        for word in word_tokenize(chunk, engine="newmm", keep_whitespace=False):
            escaped = conditional_escape(word)
            if widths.THAI_LETTER.search(word) and len(widths.words(word)) > 1:
                escaped = f'<span class="word">{escaped}</span>'
            parts.append(escaped)
    return mark_safe("".join(parts))


class FitColumnsNode(template.Node):
    def __init__(self, nodelist, layout):
        self.nodelist, self.layout = nodelist, layout

    def render(self, context):
        layout = self.layout.resolve(context)
        size = 16 if getattr(layout, "key", "") == "narrative" else 14
        orientation = getattr(layout, "orientation", "landscape")
        return widths.fit_tables(self.nodelist.render(context), orientation=orientation, size=size)


@register.tag
def fit_columns(parser, token):
    """``{% fit_columns doc.layout %}<article>…</article>{% end_fit_columns %}``: its tables'
    <col class="wNN"> widths grown to their longest words, their short rows kept whole."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("fit_columns takes the document's layout")
    nodelist = parser.parse(("end_fit_columns",))
    parser.delete_first_token()
    return FitColumnsNode(nodelist, parser.compile_filter(bits[1]))
