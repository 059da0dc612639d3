"""Words as search sees them: abbreviations whole, the rest cut by newmm (pythainlp), folded."""

import functools
import re
import unicodedata

from pythainlp.tokenize import word_tokenize
from pythainlp.util import normalize, thai_digit_to_arabic_digit

# A query is a few words: longer input is cut (no sensible search is longer; newmm is not free).
QUERY_CHARS = 200
QUERY_WORDS = 16

# Thai abbreviations are one word, whatever newmm makes of them: it keeps "ป.ป.ช." whole but cuts
# "ป.ป.ช" into ป.|ป.|ช and "อบต" into อบ|ต, so the query without its last dot found every measure
# holding a ป and a ช. Folded, the dots go: "ป.ป.ช.", "ป.ป.ช" and "ปปช" are the same word.
_THAI = "\u0e01-\u0e5b"  # letters, vowels, marks, digits and signs
ABBREVIATION = re.compile(
    # ป.ป.ช., พ.ศ., ม.ค.: single letters with dots between, the last dot optional; not the
    # first letter of a word after an abbreviating dot ("จ.ขอนแก่น" is จ. then ขอนแก่น)
    rf"[ก-ฮ](?:\.[ก-ฮ])+(?:\.|(?![{_THAI}]))"
    # อบต., ทต., สตง.: a few letters and a dot, after no Thai letter ("อบต.บ้านนา"), not the
    # word before ป.ป.ช. ("ของป.ป.ช.")
    rf"|(?<![{_THAI}.])[ก-ฮ]{{2,4}}\.(?![ก-ฮ]\.)"
    # อบต, ทต, ปปช typed without dots, on their own (as searchers type them)
    rf"|(?<![{_THAI}.])[ก-ฮ]{{2,4}}(?![{_THAI}.])"
)


# Reports repeat their words: folding each distinct word once saves most of indexing's time
# (pythainlp's normalize was two thirds of it).
@functools.lru_cache(maxsize=200_000)
def _fold(word: str) -> str:
    word = normalize(thai_digit_to_arabic_digit(word)).lower()
    return "".join(c for c in word if unicodedata.category(c)[0] in "LMN")


def _is_word(folded: str) -> bool:
    """Not a lone letter (ป, ช, the จ of จ.ขอนแก่น) nor a lone digit: those are in nearly every
    measure, so they would find and mark everything."""
    return sum(1 for c in folded if unicodedata.category(c)[0] != "M") > 1


def tokens(text: str) -> list[str]:
    """The searchable words of ``text``, folded; whitespace, punctuation and lone letters are
    dropped."""
    if not text:
        return []
    return [word for line in text.split("\n") for word in _line_tokens(line)]


# A line break always ends a word, so lines are cut one by one, and the lines that reports
# repeat (a responsible division, a period, a report published again) only once.
@functools.lru_cache(maxsize=50_000)
def _line_tokens(line: str) -> tuple[str, ...]:
    words, position = [], 0
    for match in ABBREVIATION.finditer(line):
        words.extend(_cut(line[position : match.start()]))
        words.append(match[0])
        position = match.end()
    words.extend(_cut(line[position:]))
    return tuple(folded for folded in map(_fold, words) if _is_word(folded))


def _cut(text: str) -> list[str]:
    return word_tokenize(text, engine="newmm", keep_whitespace=False) if text.strip() else []


def query_words(query: str) -> list[str]:
    """The distinct folded words of a query, cut to a sensible size."""
    words = tokens((query or "")[:QUERY_CHARS])
    return list(dict.fromkeys(words))[:QUERY_WORDS]
