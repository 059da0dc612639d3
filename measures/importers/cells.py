"""A cell's text: markup read for its structure, then lines of plain text and their items."""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pythainlp.util import thai_digit_to_arabic_digit

# Bold runs travel through the item splitting as these two characters, then become labels.
BOLD_ON, BOLD_OFF = "\x02", "\x03"
CHECKED = "☑☒✓✔■"
UNCHECKED = "☐□"
BULLETS = "-–•▪●○·*"


class _CellMarkup(HTMLParser):
    """Plain text of a cell: paragraphs become lines, bold runs markers, tick boxes ☑/☐."""

    BREAKS = {"p", "div", "br", "li", "tr", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
    BOLD = {"b", "strong"}
    HIDDEN = {"script", "style", "head", "title", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")
        elif tag in self.BOLD:
            self.parts.append(BOLD_ON)
        elif tag == "input" and dict(attrs).get("type", "").lower() == "checkbox":
            checked = any(name == "checked" for name, _ in attrs)
            self.parts.append(f" {CHECKED[0] if checked else UNCHECKED[0]} ")

    def handle_startendtag(self, tag, attrs):
        if tag not in self.HIDDEN:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self.BREAKS:
            self.parts.append("\n")
        elif tag in self.BOLD:
            self.parts.append(BOLD_OFF)

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


TAG_LIKE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


def _cell_text(raw: str) -> str:
    """A cell as lines of plain text, keeping bold markers; never any HTML."""
    text = CONTROL.sub("", raw.replace("\t", " ").replace("\r", "\n"))
    if "<" in text or "&" in text:
        parser = _CellMarkup()
        try:
            parser.feed(text)
            parser.close()
            text = "".join(parser.parts)
        except Exception:  # the standard parser is lenient, but text is never worth a crash
            text = html.unescape(TAG_LIKE.sub(" ", text))
        # Decoded entities (&lt;script&gt;) or stray tags the parser left: still not stored.
        text = TAG_LIKE.sub(" ", text)
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ \xa0\u3000]+", " ", line).strip()
        line = re.sub(f"{BOLD_ON}\\s*{BOLD_OFF}", " ", line).replace(BOLD_OFF + BOLD_ON, "")
        if line.strip(f" {BOLD_ON}{BOLD_OFF}"):
            lines.append(line.strip())
    return "\n".join(lines)


def _plain(text: str) -> str:
    """One line of plain text: no markers, single spaces."""
    text = text.replace(BOLD_ON, "").replace(BOLD_OFF, "")
    return re.sub(r"\s+", " ", text).strip()


ITEM_START = re.compile(rf"(?<![^\s{BOLD_ON}{BOLD_OFF}])([0-9๐-๙]{{1,3}})[.)](?![0-9๐-๙])")
LEADING_NUMBER = re.compile(r"^[\s\x02\x03]*[0-9๐-๙]{1,3}\s*[.)](?![0-9๐-๙])\s*")


@dataclass
class _Items:
    preamble: str = ""
    items: list[dict] = field(default_factory=list)
    kind: str = "none"  # none | single | numbered | bullets | paragraphs


def _split_items(text: str) -> _Items:
    """Numbered ("๑.", "1)"), bulleted ("- ") or paragraph items of a cell, numbers removed.

    An item starts with the next number in sequence (the author may skip one) at the start of
    the cell or after whitespace, followed by "." or ")" and not by another digit; so "ข้อ ๑",
    "๑๒ ครั้ง", "พ.ศ.๒๕๖๘" and "ข้อ ๑) - ๗)" inside an item stay text.
    """
    if not text.strip():
        return _Items()
    starts = []
    previous = None
    for match in ITEM_START.finditer(text):
        value = int(thai_digit_to_arabic_digit(match[1]))
        if previous is None:
            at_start = not text[: match.start()].strip(f" \n{BOLD_ON}{BOLD_OFF}")
            accepted = at_start or value == 1
        else:
            accepted = value in (previous + 1, previous + 2)
        if accepted:
            starts.append(match)
            previous = value
    if len(starts) == 1 and _inside_line(text, starts[0].start()):
        starts = []  # one "๑)" inside a line ("ข้อ ๑) - ๗)") numbers nothing
    if starts:
        items = []
        for index, match in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
            body = text[match.end() : end]
            if match.start() > 0 and text[match.start() - 1] == BOLD_ON:
                body = BOLD_ON + body  # the bold run began before the number
            items.append(_item(body))
        preamble = _plain(text[: starts[0].start()])
        return _Items(preamble, [item for item in items if item["text"]], "numbered")

    lines = text.split("\n")
    stripped = text.lstrip(f" {BOLD_ON}{BOLD_OFF}")
    if stripped[:1] in BULLETS and stripped[1:2].isspace():
        if len(lines) > 1:
            bodies = []
            for line in lines:
                clean = line.lstrip(f" {BOLD_ON}{BOLD_OFF}")
                if clean[:1] in BULLETS and clean[1:2].isspace():
                    bodies.append(clean[2:])
                elif bodies:
                    bodies[-1] += " " + line
                else:
                    bodies.append(line)
        else:
            # Only the bullet the cell starts with: "ยืม - คืน" inside a "•" item stays text.
            bodies = re.split(rf"(?:^|\s){re.escape(stripped[0])}\s", stripped)
        items = [item for item in map(_item, bodies) if item["text"]]
        return _Items("", items, "bullets")
    if len(lines) > 1:
        return _Items("", [item for item in map(_item, lines) if item["text"]], "paragraphs")
    return _Items("", [_item(text)], "single")


def _inside_line(text: str, at: int) -> bool:
    """Whether text stands before ``at`` on its line (of a cell of several lines)."""
    line_start = text.rfind("\n", 0, at) + 1
    return "\n" in text and bool(text[line_start:at].strip(f" {BOLD_ON}{BOLD_OFF}"))


def _item(body: str) -> dict:
    """{"label", "text"}: a bold run at the start of an item, followed by more text, is a label."""
    body = body.strip()
    label = ""
    stripped = body.lstrip(" ")
    if stripped.startswith(BOLD_ON) and BOLD_OFF in stripped:
        head, rest = stripped[1:].split(BOLD_OFF, 1)
        if _plain(head) and _plain(rest):
            label, body = _plain(head), rest
    return {"label": label, "text": _plain(body)}


def _numbering(kinds: list[str], count: int) -> str:
    """How a list is numbered in the document: see Numbering in models."""
    if count == 0:
        return "auto"
    if "numbered" in kinds:
        return "numbered" if count == 1 else "auto"
    if count > 1 and ({"bullets", "paragraphs"} & set(kinds) or len(kinds) > 1):
        return "plain"
    return "auto"
