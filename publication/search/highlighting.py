"""Where the query's words are in a hit's text: fragments the template marks up, escaped."""

import re
import unicodedata

from pythainlp.util import thai_digit_to_arabic_digit

from .words import ABBREVIATION

SNIPPET_CHARS = 180

Fragments = list[tuple[str, bool]]  # (text, matched)


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the query words are in ``text``: (start, end) in ``text``, merged, in order."""
    # Fold character by character, remembering where each folded character came from; spaces
    # stay (a word never spans them), punctuation goes ("มค" is found in "ม.ค.").
    folded, where = [], []
    for index, char in enumerate(thai_digit_to_arabic_digit(text)):
        category = unicodedata.category(char)[0]
        if category in "LMN":
            for lower in char.lower():
                folded.append(lower)
                where.append(index)
        elif category in "ZC":
            folded.append(" ")
            where.append(index)
    folded_text = "".join(folded)
    # A match ending just before an abbreviation's last dot marks the dot too: "ป.ป.ช." whole.
    last_dots = {m.end() - 1 for m in ABBREVIATION.finditer(text) if m[0].endswith(".")}
    spans = []
    for word in words:
        start = folded_text.find(word)
        while start != -1:
            end = where[start + len(word) - 1] + 1
            while end < len(text) and unicodedata.category(text[end]) == "Mn":
                end += 1  # keep a vowel or tone mark with its consonant
            if end in last_dots:
                end += 1
            spans.append((where[start], end))
            start = folded_text.find(word, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _fragments(text: str, spans, start: int = 0, end: int | None = None) -> Fragments:
    end = len(text) if end is None else end
    fragments: Fragments = []
    position = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        if span_start > position:
            fragments.append((text[position:span_start], False))
        fragments.append((text[span_start:span_end], True))
        position = span_end
    if position < end:
        fragments.append((text[position:end], False))
    return fragments


def highlight(text: str, words: list[str]) -> Fragments:
    """``text`` as fragments, the query words marked."""
    return _fragments(text, _spans(text, words))


WHITESPACE = re.compile(r"\s+")


def snippet(text: str, words: list[str], size: int = SNIPPET_CHARS) -> Fragments:
    """About ``size`` characters of ``text`` around the first query word, marked."""
    spans = _spans(text, words)
    start = max(spans[0][0] - size // 3, 0) if spans else 0
    if start:  # begin after a space or a line break if one is near, not inside a word
        before = [m.end() for m in WHITESPACE.finditer(text, max(start - 30, 0), start)]
        start = before[-1] if before else start
    end = min(start + size, len(text))
    if end < len(text):
        after = WHITESPACE.search(text, end, end + 30)
        end = after.start() if after else end
    fragments = _fragments(text, spans, start, end)
    if start:
        fragments.insert(0, ("…", False))
    if end < len(text):
        fragments.append(("…", False))
    return fragments
