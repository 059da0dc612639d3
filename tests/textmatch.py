"""Does a text hold a seed's words in the seed's order?

The seeds are text extracted from the original PDFs (see tests/seeds/README.md). A seed word is
a whitespace-separated token with the extraction's markup removed; a text holds it when the
word, with whitespace ignored on both sides, is found after the previous word found.
Whitespace is ignored because line breaks fall elsewhere in our documents than in the originals.
"""

import difflib
import re
from html.parser import HTMLParser
from pathlib import Path

SEEDS = Path(__file__).parent / "seeds"
SEED_FILES = {
    "nong-lom-2568": "000_7e67a80de19ca6af.txt",
    "kaset-phatthana-2566": "001_4ff0ec51e527ab40.txt",
    "non-sung-2568": "002_ccfe686556e0787d.txt",
    "nong-samet-2567": "003_663bf1be503fb8b8.txt",
    "sai-khao-2567": "004_fdfe43d4a522ba1f.txt",
}
# The extraction typos the seeds' README names; the demo data holds the corrected words.
TYPOS = {"กรรเรียน": "ร้องเรียน", "กรรงเรียน": "ร้องเรียน"}
MARKUP = re.compile(r"<[^>]+>|^#+ ", re.MULTILINE)
ITEM_NUMBER = re.compile(r"^[๐-๙0-9]+[.)](?![๐-๙0-9])")


def seed_text(key: str, *, drop_repeated_lines: bool = False) -> str:
    """The seed's text without the extraction's markup and typos.

    ``drop_repeated_lines`` leaves out a line seen before: the header row that the original
    repeated where its table ran over a page, a page break that falls elsewhere in ours.
    """
    text = (SEEDS / SEED_FILES[key]).read_text(encoding="utf-8")
    if drop_repeated_lines:
        seen, lines = set(), []
        for line in text.splitlines():
            if "\t" in line and line in seen:
                continue
            seen.add(line)
            lines.append(line)
        text = "\n".join(lines)
    text = MARKUP.sub(" ", text)
    for typo, word in TYPOS.items():
        text = text.replace(typo, word)
    return re.sub(r"ให้แก(?!่)", "ให้แก่", text)


def seed_words(key: str, *, strip_numbers: bool = False, drop_repeated_lines: bool = False):
    words = seed_text(key, drop_repeated_lines=drop_repeated_lines).split()
    if strip_numbers:
        words = [ITEM_NUMBER.sub("", word) for word in words]
    return [word for word in words if word]


def squash(text: str) -> str:
    """Whitespace removed, and the en dash some seeds type in periods read as a hyphen."""
    return re.sub(r"\s+", "", text).replace("–", "-")


def words_in_order(words: list[str], text: str) -> tuple[float, list[str]]:
    """The share of ``words`` found in order in ``text``, and the words that were not.

    The words and the text are aligned character by character (whitespace removed), so a
    word missing here does not make the words after it look missing.
    """
    words = [squash(word) for word in words]
    seed = "".join(words)
    matcher = difflib.SequenceMatcher(None, seed, squash(text), autojunk=False)
    covered = bytearray(len(seed))
    for block in matcher.get_matching_blocks():
        if block.size >= 2:  # a lone shared character is chance, not a match
            covered[block.a : block.a + block.size] = b"\1" * block.size
    position, missing = 0, []
    for word in words:
        if not all(covered[position : position + len(word)]):
            missing.append(word)
        position += len(word)
    return 1 - len(missing) / len(words), missing


class _BodyText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.in_body, self.skip = [], False, 0

    def handle_starttag(self, tag, attrs):
        self.in_body |= tag == "body"
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if self.in_body and not self.skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The text a reader of the page sees (the body's text, no scripts or styles)."""
    parser = _BodyText()
    parser.feed(html)
    return " ".join(parser.parts)
