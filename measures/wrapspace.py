"""Spaces a PDF extraction left where a line wrapped inside Thai words or phrases.

Text copied out of a PDF carries a space wherever the original line wrapped ("การแก้ไข ปัญหาการ
ทุจริต", "ปลุก จิตสำนึก"). Thai writes a space only between phrases, so such a space both looks
wrong and splits one name into two spellings. ``join_wrap_spaces`` joins a space between two Thai
runs only when the dictionary says so:

- joining makes a dictionary word that spans the space ("ปลุก|จิตสำนึก" -> "ปลุกจิตสำนึก",
  "หลากหลา|ย" -> "หลากหลาย"), or
- the left run ends with the nominaliser "การ"/"ความ", which starts a noun and never ends a phrase.

It is conservative (a false join is worse than a missed one): spaces next to digits, Latin,
punctuation or "ๆ"/"ฯ" stay, and so do spaces before a word that opens a phrase ("และ", "หรือ").
"""

import re
from functools import lru_cache

from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize

# Thai letters and vowels/tone marks; not Thai digits (a space before a number is a real one),
# not ๆ/ฯ (a space after them ends the phrase).
_THAI = r"\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e"
# Not before an abbreviation ("ปีงบประมาณ พ.ศ.", "ของ ทต.หนองหล่ม"): its letters are no word.
_SPACE = re.compile(rf"(?<=[{_THAI}]) (?=[{_THAI}]{{2}})(?![{_THAI}]+\.)")
_RUN_END = re.compile(rf"[{_THAI}]+$")
_RUN_START = re.compile(rf"[{_THAI}]+")  # used with match(text, pos)
# Only this much of each side is looked at: a long unspaced run costs no more than a short one.
_WINDOW = 24
_NOMINALISERS = ("การ", "ความ")
# Words that open a phrase: a space before them is the writer's.
_PHRASE_OPENERS = frozenset(
    ("และ", "หรือ", "โดย", "เพื่อ", "ซึ่ง", "เช่น", "ได้แก่", "คือ", "ทั้งนี้")
    + ("แต่", "จึง", "ณ", "ของ", "ให้", "ใน", "จาก", "กับ", "ที่")
)
# Joins the dictionary would make but the seeds show to be real spaces (a list of positions).
NEVER_JOIN: frozenset[tuple[str, str]] = frozenset({("พนักงาน", "เจ้าหน้าที่")})


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    return frozenset(thai_words())


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=False))


def _is_wrap(left: str, right: str) -> bool:
    """Whether the space between the Thai runs ``left`` and ``right`` was left by a line wrap."""
    left, right = left[-_WINDOW:], right[:_WINDOW]
    left_tokens, right_tokens = _tokens(left), _tokens(right)
    if not left_tokens or not right_tokens:
        return False
    last, first = left_tokens[-1], right_tokens[0]
    if first in _PHRASE_OPENERS or (last, first) in NEVER_JOIN:
        return False
    words = _dictionary()
    if last in _NOMINALISERS and first in words:
        return True
    # The word made must span the space from a word boundary of the left run to one of the right
    # run: "หน่วยงาน|ประจำปี" reads "งานประจำ" across it, which re-cuts "หน่วยงาน" and is no join.
    boundary, start = len(left), 0
    left_cuts = _cuts(left_tokens)
    right_cuts = {boundary + cut for cut in _cuts(right_tokens)}
    for token in _tokens(left + right):
        end = start + len(token)
        if start < boundary < end:
            return token in words and start in left_cuts and end in right_cuts
        start = end
    return False


def _cuts(tokens: tuple[str, ...]) -> set[int]:
    cuts, at = {0}, 0
    for token in tokens:
        at += len(token)
        cuts.add(at)
    return cuts


def _join_once(text: str) -> str:
    out, pos, tail = [], 0, ""
    for space in _SPACE.finditer(text):
        piece = text[pos : space.start()]
        tail = (tail + piece)[-_WINDOW:]  # the output so far, as far as the window looks back
        left = _RUN_END.search(tail)
        right = _RUN_START.match(text, space.end())
        out.append(piece)
        if not (left and right and _is_wrap(left.group(), right.group())):
            out.append(" ")
            tail = ""
        pos = space.end()
    out.append(text[pos:])
    return "".join(out)


def join_wrap_spaces(text: str) -> str:
    """``text`` with its wrap-spaces joined; anything else unchanged. Idempotent."""
    if not text or " " not in text:
        return text
    for _ in range(3):  # a join can make the next one visible; settles in one or two passes
        joined = _join_once(text)
        if joined == text:
            break
        text = joined
    return text


def wrap_space_changes(text: str) -> list[tuple[str, str]]:
    """Each joined space as (before, after) with a few words around it, for a preview."""
    joined = join_wrap_spaces(text)
    if joined == text:
        return []
    changes, j = [], 0
    for i, char in enumerate(text):
        if j < len(joined) and joined[j] == char:
            j += 1
            continue
        start = text.rfind(" ", 0, i) + 1
        end = text.find(" ", i + 1)
        end = len(text) if end < 0 else end
        changes.append((text[start:end], text[start:i] + text[i + 1 : end]))
    return changes


def count_wrap_spaces(text: str) -> int:
    return len(text) - len(join_wrap_spaces(text)) if text else 0


def imported_join(imported, *, examples: int = 3) -> tuple[object, int, list[tuple[str, str]]]:
    """Imported report data (as the importers read it) with every text's wrap-spaces joined, how
    many were joined, and the first few joins as (before, after) for the preview. Dates, numbers
    and Latin are left as they are: they have no space between two Thai letters."""
    found: list[tuple[str, str]] = []
    count = 0

    def join(value):
        nonlocal count
        if isinstance(value, str):
            joined = join_wrap_spaces(value)
            if joined != value:
                changes = wrap_space_changes(value)
                count += len(changes)
                found.extend(changes[: max(0, examples - len(found))])
            return joined
        if isinstance(value, list):
            return [join(item) for item in value]
        if isinstance(value, dict):
            return {key: join(item) for key, item in value.items()}
        return value

    return join(imported), count, found
