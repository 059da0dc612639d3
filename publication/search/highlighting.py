"""Where the query's words are in a hit's text: fragments the template marks up, escaped."""

import functools
import re
import unicodedata

from .words import ABBREVIATION

SNIPPET_CHARS = 180

Fragments = list[tuple[str, bool]]  # (text, matched)


class _Folding(dict):
    """A translation table (str.translate) that folds as words are folded (words._fold), one
    character for one, so that a place in the folded text is the same place in the text: a
    space or control stays a space (a word never spans one), a Thai digit becomes its Arabic
    digit, a letter its lower case, and anything else (a dot, a bracket) becomes SKIP, which a
    match steps over: "มค" is found in "ม.ค.". Filled as characters are first met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        kind = unicodedata.category(char)
        if kind[0] in "ZC":
            folded = " "
        elif kind[0] not in "LMN":
            folded = SKIP
        elif "\u0e50" <= char <= "\u0e59":
            folded = chr(code - 0x0E50 + ord("0"))
        else:
            lower = char.lower()  # one character but for İ, whose i̇ is two
            folded = lower if len(lower) == 1 else lower[0]
        self[code] = folded
        return folded


SKIP = "\x00"
_FOLDING = _Folding()


@functools.lru_cache(maxsize=1024)
def _word_pattern(word: str) -> re.Pattern:
    # Every place the word starts (a lookahead: overlapping), skipped characters between its own.
    return re.compile("(?=(" + f"{SKIP}*".join(map(re.escape, word)) + "))")


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the query words are in ``text``: (start, end) in ``text``, merged, in order."""
    folded = text.translate(_FOLDING)
    spans = []
    for word in words:
        for match in _word_pattern(word).finditer(folded):
            spans.append(match.span(1))
    if not spans:
        return []
    # A match ending just before an abbreviation's last dot marks the dot too: "ป.ป.ช." whole.
    last_dots = {m.end() - 1 for m in ABBREVIATION.finditer(text) if m[0].endswith(".")}
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        while end < len(text) and unicodedata.category(text[end]) == "Mn":
            end += 1  # keep a vowel or tone mark with its consonant
        if end in last_dots:
            end += 1
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
