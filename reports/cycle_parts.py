"""What the analysis, the plan and the progress share: digits, titles, a measure's cells.

The report (reports/documents.py) is the last of four documents written on one set of measures;
the other three are built in reports/analysis.py and reports/cycle.py. As in documents.py, every
text is written with the report's digits and Buddhist-Era dates, and the templates only print.
"""

from dataclasses import dataclass

from measures.models import DOCUMENT_TITLES, MeasureItem, Numbering, Report, Responsible

from . import documents
from .documents import NO_BUDGET, Item, measure_anchor
from .layouts import CYCLE_LAYOUTS, Layout


class Writer(documents.Writer):
    """The report's writer, with the analysis's scores."""

    def score(self, score) -> str:
        return self(f"{score:.2f}") if score is not None else "-"


@dataclass(kw_only=True)
class CycleDocument:
    """What rendering needs of any document (as reports.documents.Document has it)."""

    report: Report
    kind: str
    layout: Layout
    digits: str
    lang: str = "th"
    title_lines: list[str]
    year_caption: str
    agency_name: str
    prepared_by: str
    address: str
    only_measures: bool = False  # the report's preview of one measure; never for these


def front(report: Report, kind: str, write: Writer) -> dict:
    agency = report.agency
    district = f"อำเภอ{agency.district.name} " if agency.district_id else ""
    return {
        "report": report,
        "kind": kind,
        "layout": CYCLE_LAYOUTS[kind],
        "digits": write.digits,
        "title_lines": [write(line) for line in title_lines(DOCUMENT_TITLES[kind])],
        "year_caption": write(report.year_caption),
        "agency_name": write(agency.name),
        "prepared_by": write(report.prepared_by),
        "address": write(f"{district}จังหวัด{agency.province.name}"),
    }


def title_lines(title: str) -> list[str]:
    """A long title in two lines, broken where its phrases meet rather than where it is full."""
    if len(title) > 60:
        for phrase in ("ในการดำเนินงาน", "ส่งเสริมคุณธรรม"):
            if title.find(phrase) > 0:
                at = title.find(phrase)
                return [title[:at], title[at:]]
    return [title]


def year_caption(report: Report, year: int) -> str:
    """Another year written the way the report writes its own (ประจำปีงบประมาณ พ.ศ. …)."""
    prefix = report.year_caption.rsplit(" ", 1)[0]
    return f"{prefix} {year}"


# A row is kept whole on a page when it is short: WeasyPrint splits a row as soon as a line of
# it fits, leaving a sliver of cells at a page's foot. A row that may be taller than a page is
# never kept whole: WeasyPrint then drops the repeated header row (docs/rendering.md).
KEEP_LINES = 12  # about half a landscape page
PAGE_WIDTH_MM = 262  # A4 landscape within its margins
MM_PER_CHARACTER = 2.6  # Sarabun 14 pt, Thai with its marks counted; generous on purpose


def _texts(items: list[Item]) -> list[str]:
    return [f"{item.marker} {item.label} {item.text}" for item in items]


def short_row(*cells: tuple[list[str], int]) -> bool:
    """Whether each cell (its texts and its column's width in %) is at most KEEP_LINES lines."""
    for texts, percent in cells:
        per_line = max(int((PAGE_WIDTH_MM * percent / 100 - 3) / MM_PER_CHARACTER), 1)
        if sum(max(-(-len(text) // per_line), 1) for text in texts) > KEEP_LINES:
            return False
    return True


@dataclass
class MeasureCells:
    """A measure's row in the plan."""

    number: str
    anchor: str
    title: str
    sub_items: list[Item]
    objective: list[Item]
    steps: list[Item]
    budget: str
    period: str
    responsible_main: list[Item]
    responsible_supporting: list[Item]
    target: list[Item]

    @property
    def budget_parts(self) -> list[str]:
        return self.budget.split(",")

    @property
    def keep(self) -> bool:
        """Short enough to keep whole on a page (the widths are plan.html's columns)."""
        responsible = self.responsible_main + self.responsible_supporting
        return short_row(
            ([self.title, *_texts(self.sub_items)], 16),
            (_texts(self.objective), 12),
            (_texts(self.steps), 19),
            (["หน่วยงานรับผิดชอบหลัก :", "หน่วยงานสนับสนุน :", *_texts(responsible)], 12),
            (_texts(self.target), 12),
        )


def measure_cells(measure, number: int, place: int, write: Writer) -> MeasureCells:
    """``number`` is its row's in the plan; ``place`` its own in the report (its anchor)."""
    items = list(measure.items.all())
    responsibles = list(measure.responsibles.all())

    def listed(kind):
        return write.items(
            [i for i in items if i.kind == kind], getattr(measure, f"{kind}s_numbering")
        )

    def names(role):
        rows = [r.name for r in responsibles if r.role == role]
        return write.items(rows, measure.responsible_numbering)

    if measure.budget_none:
        budget = NO_BUDGET
    elif measure.budget_planned is not None:
        budget = write.baht(measure.budget_planned)
    else:
        budget = "-"
    return MeasureCells(
        number=write(number),
        anchor=measure_anchor(place),
        title=write(measure.title),
        sub_items=write.items(
            [i for i in items if i.kind == MeasureItem.Kind.SUB_ITEM],
            measure.sub_items_numbering,
        ),
        objective=write.items(write.lines(measure.objective), Numbering.AUTO),
        steps=listed(MeasureItem.Kind.STEP),
        budget=budget,
        period=write(measure.period_text),
        responsible_main=names(Responsible.Role.MAIN),
        responsible_supporting=names(Responsible.Role.SUPPORTING),
        target=write.items(write.lines(measure.target), Numbering.AUTO),
    )
