"""Words as search sees them: cut by pythainlp (newmm), then folded."""

import functools
import unicodedata

from pythainlp.tokenize import word_tokenize
from pythainlp.util import normalize, thai_digit_to_arabic_digit

# A query is a few words: longer input is cut (no sensible search is longer; newmm is not free).
QUERY_CHARS = 200
QUERY_WORDS = 16


# Reports repeat their words: folding each distinct word once saves most of indexing's time
# (pythainlp's normalize was two thirds of it).
@functools.lru_cache(maxsize=200_000)
def _fold(word: str) -> str:
    word = normalize(thai_digit_to_arabic_digit(word)).lower()
    return "".join(c for c in word if unicodedata.category(c)[0] in "LMN")


def tokens(text: str) -> list[str]:
    """The searchable words of ``text``, folded; whitespace and punctuation are dropped."""
    if not text:
        return []
    return [word for line in text.split("\n") for word in _line_tokens(line)]


# A line break always ends a word, so lines are cut one by one, and the lines that reports
# repeat (a responsible division, a period, a report published again) only once.
@functools.lru_cache(maxsize=50_000)
def _line_tokens(line: str) -> tuple[str, ...]:
    words = word_tokenize(line, engine="newmm", keep_whitespace=False)
    return tuple(folded for folded in map(_fold, words) if folded)


def query_words(query: str) -> list[str]:
    """The distinct folded words of a query, cut to a sensible size."""
    words = tokens((query or "")[:QUERY_CHARS])
    return list(dict.fromkeys(words))[:QUERY_WORDS]
