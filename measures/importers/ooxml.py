"""The XML inside .docx and .xlsx files, read as a stream within fixed bounds.

A file declares sizes (a sheet's dimension, a cell's grid span) that cost it nothing to write;
what a reader holds here is bounded by what the file holds instead. The caller names its blocks
(a row, a paragraph): each is handed over whole when it ends, then it and everything before it
is let go. The bytes are counted as they reach the parser, before it builds anything of them:
a file that would hold too much between two blocks, or read too many elements in one import,
is refused as too complex. No DTD is read.
"""

import zipfile
from collections.abc import Callable, Iterator

from lxml import etree

from .base import MAX_HELD_BYTES, MAX_HELD_PARTS, MAX_XML_ELEMENTS, too_complex


class Budget:
    """The elements one import has read so far, across all the parts of its file."""

    def __init__(self):
        self.elements = 0


class _Counted:
    """A part's bytes as the parser reads them, counted before it parses them.

    Between two blocks it may hold at most MAX_HELD_PARTS elements and attributes (each "<"
    and "=" counts: a tag of a million attributes is as heavy as a million elements) and
    MAX_HELD_BYTES bytes; an import reads at most MAX_XML_ELEMENTS elements in all.
    """

    def __init__(self, source, budget: Budget):
        self.source, self.budget = source, budget
        self.parts = self.bytes = 0
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size if size and size > 0 else 32768)
        opening = chunk.count(b"<")
        self.budget.elements += opening - chunk.count(b"</")
        self.parts += opening + chunk.count(b"=")
        self.bytes += len(chunk)
        if (
            self.budget.elements > MAX_XML_ELEMENTS
            or self.parts > MAX_HELD_PARTS
            or self.bytes > MAX_HELD_BYTES
        ):
            raise too_complex()
        if b"<!DOCTYPE" in self.tail + chunk:
            raise ValueError("a DTD in an Office file")  # never written by Office
        self.tail = chunk[-16:]
        return chunk

    def let_go(self) -> None:
        self.parts = self.bytes = 0


def local(tag) -> str:
    """An element's name without its namespace ("" for comments and the like)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def attribute(element, name: str, default: str | None = None) -> str | None:
    """An attribute by its local name, in whichever namespace the file wrote it."""
    for key, value in element.attrib.items():
        if key == name or key.endswith("}" + name):
            return value
    return default


def stream(
    archive: zipfile.ZipFile,
    member: str,
    budget: Budget,
    names: frozenset[str],
    accept: Callable[[etree._Element], bool] | None = None,
) -> Iterator[etree._Element]:
    """Each block of the member at its end, whole: an element of one of these local ``names``
    that ``accept`` takes. Once the caller has it, it and all before it are let go."""
    with archive.open(member) as raw:
        source = _Counted(raw, budget)
        events = etree.iterparse(
            source,
            events=("end",),
            tag=[f"{{*}}{name}" for name in sorted(names)],
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            remove_comments=True,
            remove_pis=True,
        )
        for _event, element in events:
            if accept is None or accept(element):
                yield element
                _let_go(element)
                source.let_go()


def depth(element) -> int:
    """1 for the root."""
    return sum(1 for _ in element.iterancestors()) + 1


def _let_go(element) -> None:
    """The block's content, and everything before it in the document but its ancestors."""
    element.clear()
    node = element
    while (parent := node.getparent()) is not None:
        while node.getprevious() is not None:
            del parent[0]
        node = parent
