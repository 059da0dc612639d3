"""A report made ready for its layout: numbered lists, Thai or Arabic digits, dates as written.

Templates only print what is built here, so every layout numbers and writes text the same way.
"""

from dataclasses import dataclass, field

from measures import thai
from measures.models import (
    IndicatorProgressItem,
    MeasureItem,
    Numbering,
    Progress,
    Report,
    Responsible,
)

from .layouts import Layout

PROGRESS_BOXES = [
    (Progress.NOT_STARTED, "ยังไม่ได้ดำเนินการ"),
    (Progress.IN_PROGRESS, "อยู่ระหว่างดำเนินการ"),
    (Progress.DONE, "ดำเนินการ"),
]


def measure_anchor(number: int) -> str:
    """The id of a report's ``number``-th measure (from 1) on its page: ``measure-3``.

    From its place in the report, which published data keeps for good, not from the database:
    search entries and the table of contents compute it from a version's data alone.
    """
    return f"measure-{number}"


@dataclass
class Item:
    marker: str
    label: str
    text: str
    new_row: bool = False


@dataclass
class RowView:
    """A measure's row in a table; more than one when the agency continues it (ต่อ)."""

    continued: bool
    steps: list[Item]
    outputs: list[Item]
    outcomes: list[Item]


@dataclass
class Box:
    label: str
    checked: bool


@dataclass
class MeasureView:
    pk: int
    anchor: str  # its id on the page (measure_anchor)
    number: str
    number_in_group: str
    title: str
    indicator: str
    sub_items: list[Item]
    steps: list[Item]
    outputs: list[Item]
    outcomes: list[Item]
    period: str
    responsible_main: list[Item]
    responsible_supporting: list[Item]
    progress: str
    progress_boxes: list[Box]
    evidence: list[dict]
    indicator_number: int | None = None
    indicator_declared: str = ""  # the framework's name of the indicator, written

    @property
    def rows(self) -> list[RowView]:
        lists = {"steps": self.steps, "outputs": self.outputs, "outcomes": self.outcomes}
        split = {name: _split_rows(items) for name, items in lists.items()}
        count = max(len(parts) for parts in split.values())
        return [
            RowView(
                continued=index > 0,
                **{
                    name: parts[index] if index < len(parts) else []
                    for name, parts in split.items()
                },
            )
            for index in range(count)
        ]


def _split_rows(items: list[Item]) -> list[list[Item]]:
    parts: list[list[Item]] = [[]]
    for item in items:
        if item.new_row and parts[-1]:
            parts.append([])
        parts[-1].append(item)
    return parts


@dataclass
class GroupView:
    number: str
    title: str
    measures: list[MeasureView] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(measure.rows) for measure in self.measures)


@dataclass
class ProgressRowView:
    indicator: str
    guidelines: list[Item]
    responsible: str
    period: str
    boxes: list[Box]
    notes: list[Item]


@dataclass
class MemoView:
    department: str
    reference: str
    date: str
    subject: str
    to: str
    background: list[list[str]]
    facts: list[list[str]]
    considerations: list[list[str]]
    closing: str
    signatory_name: str
    signatory_position: str


@dataclass
class Document:
    report: Report
    layout: Layout
    digits: str
    lang: str
    title_lines: list[str]
    year_caption: str
    agency_name: str
    prepared_by: str
    address: str  # อำเภอ… จังหวัด…
    full_address: str  # ตำบล… อำเภอ… จังหวัด…
    heading_lines: list[str]
    intro: list[list[str]]
    progress_heading: list[str]
    measures: list[MeasureView]
    groups: list[GroupView]
    progress_rows: list[ProgressRowView]
    memo: MemoView | None
    # Only the measures, without cover and front matter: the preview of one measure.
    only_measures: bool = False
    # What the newer forms ask at the end of the report: (heading, paragraphs), "ไม่มี" when empty.
    closing: list[tuple[str, list[list[str]]]] = field(default_factory=list)

    @property
    def indicator_groups(self) -> list[GroupView]:
        """Runs of measures under the same indicator, numbered as seed 000 numbers them.

        A run is an indicator number, however its measures spell it: spelt alike, as they spell
        it; spelt two ways, as the framework does (one indicator, one heading).
        """
        runs: list[tuple[object, list[MeasureView]]] = []
        for measure in self.measures:
            key = measure.indicator_number or measure.indicator
            if not runs or runs[-1][0] != key:
                runs.append((key, []))
            runs[-1][1].append(measure)
        groups: list[GroupView] = []
        for _key, measures in runs:
            spellings = {measure.indicator for measure in measures}
            title = spellings.pop() if len(spellings) == 1 else measures[0].indicator_declared
            number = sum(1 for g in groups if g.title) + 1
            number = thai.to_digits(str(number), self.digits)
            groups.append(GroupView(number=number, title=title, measures=measures))
        return groups


class Writer:
    """Writes a report's texts with its digits: every document of the year writes through it."""

    def __init__(self, digits: str):
        self.digits = digits

    def __call__(self, text) -> str:
        return thai.to_digits(str(text) if text is not None else "", self.digits)

    def lines(self, text: str) -> list[str]:
        return [self(line) for line in (text or "").splitlines() if line.strip()]

    def paragraphs(self, text: str) -> list[list[str]]:
        blocks = (text or "").replace("\r\n", "\n").split("\n\n")
        return [lines for lines in (self.lines(block) for block in blocks) if lines]

    def items(self, rows, numbering: str = Numbering.AUTO, marker: str = "{n}.") -> list[Item]:
        """Items with a label and a text (rows, or plain strings), numbered as the measure's
        lists are."""
        rows = list(rows)
        numbered = numbering == Numbering.NUMBERED or (
            numbering == Numbering.AUTO and len(rows) >= 2
        )
        return [
            Item(
                marker=self(marker.format(n=n)) if numbered else "",
                label=self(getattr(row, "label", "")),
                text=self(getattr(row, "text", row)),
                new_row=getattr(row, "new_row", False),
            )
            for n, row in enumerate(rows, start=1)
        ]

    def baht(self, amount) -> str:
        """25,000 or 24,350.50: thousands separated, satang only when there are some."""
        return self(f"{amount:,.2f}".removesuffix(".00"))

    def names(self, names: list[str], numbering: str) -> list[Item]:
        rows = [MeasureItem(label="", text=name) for name in names]
        return self.items(rows, numbering, "{n}.")

    def boxes(self, progress: str) -> list[Box]:
        return [Box(label=label, checked=progress == key) for key, label in PROGRESS_BOXES]


def document_build(report: Report, layout: Layout, digits: str | None = None) -> Document:
    """``report`` must come from measures.selectors.report_documents (all parts prefetched)."""
    digits = digits or report.digits
    write = Writer(digits)
    agency = report.agency

    groups: dict = {}
    measures = []
    for number, measure in enumerate(report.measures.all(), start=1):
        items = list(measure.items.all())
        group = measure.issue_group
        group_key = group.number if group else None
        if group_key not in groups:
            groups[group_key] = GroupView(
                number=write(str(group.number)) if group else "",
                title=write(group.title) if group else "",
            )
        view = MeasureView(
            pk=measure.pk,
            anchor=measure_anchor(number),
            number=write(str(number)),
            number_in_group=write(str(len(groups[group_key].measures) + 1)),
            title=write(measure.title),
            indicator=write(measure.indicator_name),
            indicator_number=measure.indicator.number if measure.indicator_id else None,
            indicator_declared=write(measure.indicator.name) if measure.indicator_id else "",
            **{
                name: write.items(
                    (i for i in items if i.kind == kind),
                    getattr(measure, f"{name}_numbering"),
                    layout.marker(name),
                )
                for name, kind in (
                    ("sub_items", MeasureItem.Kind.SUB_ITEM),
                    ("steps", MeasureItem.Kind.STEP),
                    ("outputs", MeasureItem.Kind.OUTPUT),
                    ("outcomes", MeasureItem.Kind.OUTCOME),
                )
            },
            period=write(measure.period_text),
            responsible_main=[],
            responsible_supporting=[],
            progress=measure.progress,
            progress_boxes=write.boxes(measure.progress),
            evidence=[{"title": e.title, "url": e.url} for e in measure.evidence.all()],
        )
        responsibles = list(measure.responsibles.all())
        for role, target in (
            (Responsible.Role.MAIN, view.responsible_main),
            (Responsible.Role.SUPPORTING, view.responsible_supporting),
        ):
            names = [r.name for r in responsibles if r.role == role]
            target.extend(write.names(names, measure.responsible_numbering))
        spent = _budget_spent(measure, write)
        if spent:  # the newer forms ask what each measure spent: with its outputs (สรุปผล)
            view.outputs.append(Item(marker="", label="งบประมาณที่ใช้:", text=spent))
        groups[group_key].measures.append(view)
        measures.append(view)

    progress_rows = []
    for row in report.indicator_progress.all():
        items = list(row.items.all())
        number = row.indicator.number if row.indicator_id else None
        progress_rows.append(
            ProgressRowView(
                indicator=write(
                    f"ตัวชี้วัดที่ {number} {row.indicator_name}" if number else row.indicator_name
                ),
                guidelines=write.items(
                    (i for i in items if i.kind == IndicatorProgressItem.Kind.GUIDELINE),
                    row.guidelines_numbering,
                    "{n}.",
                ),
                responsible=write(row.responsible),
                period=write(row.period_text),
                boxes=write.boxes(row.progress),
                # The notes follow the tick boxes as "-" bullets, whatever their numbering.
                notes=[
                    Item(marker="-", label=item.label, text=item.text)
                    for item in write.items(
                        (i for i in items if i.kind == IndicatorProgressItem.Kind.NOTE),
                        Numbering.PLAIN,
                        "",
                    )
                ],
            )
        )

    memo = None
    if report.has_memo:
        memo = MemoView(
            department=write(report.memo_department),
            reference=write(report.memo_reference),
            date=write(thai.date_full(report.memo_date)) if report.memo_date else "",
            subject=write(report.memo_subject),
            to=write(report.memo_to),
            background=write.paragraphs(report.memo_background),
            facts=write.paragraphs(report.memo_facts),
            considerations=write.paragraphs(report.memo_considerations),
            closing=write(report.memo_closing),
            signatory_name=write(report.memo_signatory_name),
            signatory_position=write(report.memo_signatory_position),
        )

    district = f"อำเภอ{agency.district.name} " if agency.district_id else ""
    return Document(
        report=report,
        layout=layout,
        digits=digits,
        lang="th",
        title_lines=write.lines(report.title),
        year_caption=write(report.year_caption),
        agency_name=write(agency.name),
        prepared_by=write(report.prepared_by),
        address=write(f"{district}จังหวัด{agency.province.name}"),
        full_address=write(agency.address_line),
        closing=closing_sections(report, write),
        heading_lines=write.lines(report.heading),
        intro=write.paragraphs(report.intro),
        progress_heading=write.lines(report.progress_heading),
        measures=measures,
        groups=list(groups.values()),
        progress_rows=progress_rows,
        memo=memo,
    )


# The forms from 2569 on ask every report for its problems and suggestions ("ไม่มี" if none);
# earlier reports show them only when written, so the seeds stay as they were published.
NEWER_FORMS = 2569
NONE = "ไม่มี"  # what the forms ask an empty part to say
NO_BUDGET = "ไม่ใช้งบประมาณ"


def closing_sections(
    report: Report, write: Writer, *, always: bool = False
) -> list[tuple[str, list[list[str]]]]:
    """ปัญหา อุปสรรค and ข้อเสนอแนะ, "ไม่มี" when empty; ``always`` for the documents that ask
    for them whatever the year (the progress)."""
    old = report.fiscal_year.year < NEWER_FORMS
    if not always and old and not (report.obstacles or report.suggestions):
        return []
    return [
        (heading, write.paragraphs(text) or [[NONE]])
        for heading, text in (
            ("ปัญหา อุปสรรค", report.obstacles),
            ("ข้อเสนอแนะ", report.suggestions),
        )
    ]


def _budget_spent(measure, write: Writer) -> str:
    if measure.budget_none:
        return NO_BUDGET
    if measure.budget_spent is None:
        return ""
    return write.baht(measure.budget_spent) + " บาท"
