"""Pages an official would sign: no word cut inside in a narrow column, no short measure split
over two pages, no page starting with a row's last line alone.

Read from WeasyPrint's own layout: the line boxes of each paragraph, the rows of each page.
"""

import copy
import json
from pathlib import Path

import pytest
from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import get_log_attrs

from measures.demo.generated import long_report_data
from measures.models import DocumentKind, Report
from measures.services import report_import
from reports import rendering, widths
from reports.layouts import LAYOUTS

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parents[2] / "measures/demo/reports/nong-lom-2568.json"
# Long words, and the seeds' widest of those Pango keeps whole (it breaks compounds like
# "คณะ|กรรมการ", which is fine: a line may end between two words, never inside one).
LONG_WORDS = [
    "งบประมาณ",
    "ประสิทธิภาพ",
    "รับผิดชอบ",
    "โปร่งใส",
    "ท้องถิ่น",
    "ประชาสัมพันธ์",
    "อิเล็กทรอนิกส์",
    "ผู้บังคับบัญชา",
    "แบบสอบถาม",
    "ประสบการณ์",
    "วัตถุประสงค์",
    "กระตือรือร้น",
]
LONG_TEXT = "ผู้รับผิดชอบ ความโปร่งใส " + " ".join(LONG_WORDS)


def render(report: Report, layout: str | None = None, kind: str = DocumentKind.REPORT):
    document = rendering.document_for(report, layout=layout, kind=kind)
    html = rendering.document_html(document, static_base=rendering.PDF_STATIC_BASE)
    import weasyprint

    return weasyprint.HTML(
        string=html, base_url=rendering.PDF_STATIC_BASE, url_fetcher=rendering._url_fetcher()
    ).render(font_config=rendering._font_config())


def _text(box) -> str:
    if isinstance(box, boxes.TextBox):
        return box.text
    return "".join(_text(child) for child in getattr(box, "children", []))


def paragraphs(rendered):
    """Each paragraph as laid out: (its text, its lines, whether it is in a table cell)."""

    def walk(box, in_cell):
        in_cell = in_cell or isinstance(box, boxes.TableCellBox)
        children = getattr(box, "children", [])
        lines = [_text(child) for child in children if isinstance(child, boxes.LineBox)]
        if lines and box.element is not None:
            text = " ".join("".join(box.element.itertext()).split())
            yield text, lines, in_cell
        for child in children:
            if not isinstance(child, boxes.LineBox):
                yield from walk(child, in_cell)

    for page in rendered.pages:
        yield from walk(page._page_box, False)


def cut_words(rendered, words=LONG_WORDS) -> list[str]:
    """The line breaks that cut a word: where Pango sees no break, or inside one of ``words``."""
    cuts = []
    for text, lines, _ in paragraphs(rendered):
        attrs = get_log_attrs(text, "th")
        at = text.find(lines[0].strip())
        for line in lines[1:]:
            at = text.find(line.strip(), at + 1)
            if at <= 0 or text[at - 1].isspace() or text[at - 1] == ",":
                continue  # at a space, after an amount's thousands (<wbr>), or not placed
            inside = any(
                0 < at - start < len(word)
                for word in words
                for start in range(max(at - len(word), 0), at)
                if text.startswith(word, start)
            )
            if not attrs[at].is_line_break or inside:
                cuts.append(f"{text[max(at - 12, 0) : at]}|{text[at : at + 12]}")
    return cuts


def long_words_report(framework, layout: str) -> Report:
    """Three measures of the nong-lom seed with long words in every field of every column."""
    data = copy.deepcopy(json.loads(SEED.read_text()))
    data["layout"] = layout
    data["issue_groups"] = [{"number": 1, "title": LONG_TEXT, "kind": ""}]
    item = [{"label": "", "text": LONG_TEXT}]
    for number, measure in enumerate(data["measures"][:3], start=1):
        measure.update(
            title=LONG_TEXT,
            # ๒.การใช้งบประมาณ, … in the indicator column; by issue, its group's heading.
            indicator=None if layout == "by_issue" else {"number": number + 1, "label": ""},
            issue_group=1 if layout == "by_issue" else None,
            sub_items=item,
            steps=item,
            outputs=item,
            outcomes=item,
            responsible={"main": [LONG_TEXT], "supporting": ["ประสิทธิภาพ งบประมาณ"]},
        )
    data["measures"] = data["measures"][:3]
    data["indicator_progress"] = [
        {
            "indicator": {"number": 2, "label": ""},
            "guidelines": item,
            "responsible": LONG_TEXT,
            "period": {"style": "months_short_years", "start": "2025-10-01", "end": "2026-09-30"},
            "progress": "in_progress",
            "notes": item,
            "numbering": {"guidelines": "auto", "notes": "plain"},
        }
    ]
    return report_import(data=data)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_no_word_is_cut_in_any_column_of_any_layout(framework, layout):
    rendered = render(long_words_report(framework, layout))
    cells = [lines for _, lines, in_cell in paragraphs(rendered) if in_cell]
    assert cells
    # The long words were laid out, several to a column line or one a line.
    text = "".join("".join(lines) for _, lines, _ in paragraphs(rendered))
    assert text.count("ประสิทธิภาพ") >= 6
    assert cut_words(rendered) == []


@pytest.mark.parametrize("kind", [DocumentKind.ANALYSIS, DocumentKind.PLAN, DocumentKind.PROGRESS])
def test_no_word_is_cut_in_the_cycle_documents(framework, kind):
    from tests.reports.test_cycle_documents import cycle_data

    data = cycle_data()
    item = [{"label": "", "text": LONG_TEXT}]
    for measure in data["measures"]:
        measure.update(title=LONG_TEXT, objective=LONG_TEXT, target=LONG_TEXT, steps=item)
        measure["responsible"]["main"] = [LONG_TEXT]
        for entry in measure.get("rounds", []):
            entry["note"] = LONG_TEXT
    rendered = render(report_import(data=data), kind=kind)
    assert [lines for _, lines, in_cell in paragraphs(rendered) if in_cell]
    assert cut_words(rendered) == []


def test_the_nong_lom_2569_report_keeps_its_words_whole(framework):
    """The issue's report: the seed's measures in 2569, the by-indicator layout."""
    data = json.loads(SEED.read_text())
    data["fiscal_year"] = 2569
    rendered = render(report_import(data=data))
    assert cut_words(rendered) == []
    # The indicator column: "๒.การใช้" / "งบประมาณ", not "๒.การใช้งบประมา" / "ณ".
    indicator = [lines for text, lines, _ in paragraphs(rendered) if text == "๒.การใช้งบประมาณ"]
    assert indicator and all(any("งบประมาณ" in line for line in lines) for lines in indicator)
    # Headings keep "ปีงบประมาณ" on one line (in a column, "ปี" / "งบประมาณ" may break).
    headings = [(text, lines) for text, lines, in_cell in paragraphs(rendered) if not in_cell]
    held = [text.count("ปีงบประมาณ") for text, _ in headings]
    kept = ["".join(lines).count("ปีงบประมาณ") for _, lines in headings]
    assert sum(held) >= 2 and kept == held


def rows_by_page(rendered):
    """For each page, its table body rows: (the row's element, the lines of each of its cells)."""
    pages = []
    for page in rendered.pages:
        rows = []
        for group in page._page_box.descendants():
            if not isinstance(group, boxes.TableRowGroupBox) or group.is_header:
                continue
            for box in group.children:
                lines = [
                    sum(1 for b in cell.descendants() if isinstance(b, boxes.LineBox))
                    for cell in box.children
                ]
                rows.append((box.element, lines))
        pages.append(rows)
    return pages


def split_rows(pages) -> tuple[list[int], list[int]]:
    """The rows split over pages, by their lines (the most of a cell); the pages that start
    with a row's last line alone."""
    fragments = {}
    for rows in pages:
        for element, lines in rows:
            fragments.setdefault(element, []).append(lines)
    split = sorted(
        max(map(sum, zip(*parts, strict=False)), default=0)
        for parts in fragments.values()
        if len(parts) > 1
    )
    slivers = [
        number
        for number, rows in enumerate(pages[1:], start=2)
        if rows and len(fragments[rows[0][0]]) > 1 and max(rows[0][1], default=0) <= 1
    ]
    return split, slivers


def test_short_measures_stay_on_one_page_and_no_page_starts_with_a_last_line(framework):
    report = report_import(data=long_report_data(30, slug="split"))
    pages = rows_by_page(render(report, "measures_progress"))
    assert len(pages) > 10
    split, slivers = split_rows(pages)
    # Short rows (every measure but each seventh, taller than a page) are never split: those
    # judged KEEP_LINES or fewer by an estimate that counts lines generously. Nor does a page
    # start with the last line of a row begun the page before.
    assert [lines for lines in split if lines <= widths.KEEP_LINES - 2] == []
    assert slivers == []
