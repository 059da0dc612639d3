"""Every page a role reaches by following links, with the text a person reads on it.

The interface's own text only: a document shown in a page (``.document``, the measure form's
preview), code, and what people typed into fields keep what they hold. Shared by the tests of
the interface's words, digits and dates (tests/test_interface_language.py).
"""

import re
from urllib.parse import urlsplit

from lxml import html

# Not followed: files, the administration, what changes something, and the API's answers.
SKIP = re.compile(
    r"\.(pdf|docx|csv|xlsx|json|ico|png|svg|txt)$|^/(admin|accounts/logout|static|media|api/v1)"
    r"|/(delete|restore|transition|comments)/|progress\.json"
)
STARTS = [
    "/",
    "/staff/",
    "/staff/review/",
    "/search/?q=ร้องเรียน",
    "/overview/",
    "/api/",
    "/browse/",
    "/verify/",
    "/accounts/login/",
]
NOT_INTERFACE = (
    "//script|//style|//template|//noscript|//code|//pre|//kbd|//textarea"
    "|//*[contains(concat(' ', normalize-space(@class), ' '), ' document ')]"
    "|//*[contains(concat(' ', normalize-space(@class), ' '), ' measure-preview ')]"
    "|//*[@data-as-written]"
)


def visible_text(content: bytes) -> str:
    """The page's interface text, its runs of white space as one space."""
    doc = html.fromstring(content)
    for element in doc.xpath(NOT_INTERFACE):
        element.drop_tree()
    return " ".join(" ".join(doc.xpath("//body//text()")).split())


def _shape(path: str) -> str:
    """One page per kind: /sai-khao/2567/ and /nong-lom/2568/ are the same kind of page."""
    shape = re.sub(r"\d+", "N", path)
    return re.sub(r"^/(?!staff/)[a-z0-9-]+/N", "/AGENCY/N", shape)


def crawl(client, *, starts=STARTS, extra=(), limit=120) -> dict[str, str]:
    """{address: visible text} of the pages reached from ``starts`` (and ``extra``)."""
    queue, shapes, pages = [*starts, *extra], set(), {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        shape = _shape(urlsplit(url).path) + ("?" if "?" in url else "")
        if shape in shapes:
            continue
        shapes.add(shape)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in html.fromstring(response.content).xpath("//a/@href"):
            link = urlsplit(href)
            if link.netloc or not link.path.startswith("/") or SKIP.search(link.path):
                continue
            queue.append(link.path + (f"?{link.query}" if link.query else ""))
        pages[url] = visible_text(response.content)
    return pages


def around(text: str, match: re.Match, width: int = 40) -> str:
    return text[max(0, match.start() - width) : match.end() + width]
