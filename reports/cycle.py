"""The three other documents of the year's cycle, made ready for their templates.

The report (reports/documents.py) is the last of four documents written on one set of measures:
- the analysis of last year's result (reports/analysis.py),
- the plan of this year's measures (objective, steps, budget, period, who, target),
- the progress during the year (each round: each measure's state and percent, and the roll-up).
``cycle_document`` needs a report from ``measures.selectors.report_documents`` (all parts
prefetched); what the three share is in reports/cycle_parts.py.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from measures import thai
from measures.models import DocumentKind, Progress, Report
from measures.selectors import progress_rollup

from .analysis import analysis_build
from .charts import Meter
from .cycle_parts import (
    CycleDocument,
    MeasureCells,
    Writer,
    front,
    measure_cells,
    short_row,
)
from .documents import closing_sections

NOT_GIVEN = "ไม่ระบุ"  # a percent not given ("-" closing a row would join the next in pdftotext)
STATUS = {
    Progress.NOT_STARTED: "ยังไม่ได้ดำเนินการ",
    Progress.IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
    Progress.DONE: "ดำเนินการแล้ว",
}


# -- The plan of this year's measures -------------------------------------------------------------


@dataclass
class PlanGroup:
    heading: str
    measures: list[MeasureCells] = field(default_factory=list)
    subtotal: str = ""

    @property
    def subtotal_parts(self) -> list[str]:
        return self.subtotal.split(",")


@dataclass(kw_only=True)
class PlanDocument(CycleDocument):
    groups: list[PlanGroup]
    total: str
    counts: str  # how many measures have a budget, none, or none given yet


def _plan_key(measure) -> tuple:
    """Per ITA indicator (in the indicators' order), then per issue, then the rest."""
    if measure.indicator_id:
        return (0, measure.indicator.number)
    if measure.issue_group_id:
        return (1, measure.issue_group.number)
    return (2, 0)


def _plan_heading(measure, write: Writer) -> str:
    if measure.indicator_id:
        return write(f"ตัวชี้วัดที่ {measure.indicator.number} {measure.indicator.name}")
    if measure.issue_group_id:
        group = measure.issue_group
        return write(f"ประเด็นที่ {group.number} {group.title}")
    return ""


def _known_total(measures) -> Decimal | None:
    amounts = [m.budget_planned for m in measures if m.budget_planned is not None]
    return sum(amounts, Decimal(0)) if amounts else None


def plan_build(report: Report, write: Writer) -> PlanDocument:
    places = {measure.pk: place for place, measure in enumerate(report.measures.all(), start=1)}
    measures = sorted(report.measures.all(), key=_plan_key)  # stable: positions kept in a group
    groups: dict[tuple, PlanGroup] = {}
    members: dict[tuple, list] = {}
    for number, measure in enumerate(measures, start=1):
        key = _plan_key(measure)
        group = groups.setdefault(key, PlanGroup(heading=_plan_heading(measure, write)))
        group.measures.append(measure_cells(measure, number, places[measure.pk], write))
        members.setdefault(key, []).append(measure)
    if len(groups) > 1:
        for key, group in groups.items():
            subtotal = _known_total(members[key])
            group.subtotal = write.baht(subtotal) if subtotal is not None else "-"

    total = _known_total(measures)
    with_budget = sum(1 for m in measures if m.budget_planned is not None)
    without = sum(1 for m in measures if m.budget_none)
    unknown = len(measures) - with_budget - without
    counts = f"มาตรการทั้งหมด {len(measures)} มาตรการ ใช้งบประมาณ {with_budget} มาตรการ"
    counts += f" ไม่ใช้งบประมาณ {without} มาตรการ"
    if unknown:
        counts += f" ยังไม่ระบุงบประมาณ {unknown} มาตรการ"
    return PlanDocument(
        **front(report, DocumentKind.PLAN, write),
        groups=list(groups.values()),
        total=write.baht(total) if total is not None else write(0),
        counts=write(counts),
    )


# -- Progress during the year -----------------------------------------------------------------


@dataclass
class ProgressRow:
    number: str
    anchor: str
    title: str
    note: list[str]
    status: str
    percent: str
    meter: Meter | None

    @property
    def keep(self) -> bool:
        """Short enough to keep whole on a page (the widths are progress.html's columns)."""
        return short_row(([self.title], 33), (self.note, 33))


@dataclass
class RollupRow:
    name: str
    percent: str
    meter: Meter | None


@dataclass
class RoundView:
    heading: str
    rows: list[ProgressRow]
    rollup: list[RollupRow]
    overall: RollupRow
    done: str


@dataclass(kw_only=True)
class ProgressDocument(CycleDocument):
    rounds: list[RoundView]
    closing: list[tuple[str, list[list[str]]]]


def _status(entry) -> str:
    if entry is None:
        return Progress.NOT_STARTED
    if entry.progress:
        return entry.progress
    if entry.percent == 100:
        return Progress.DONE
    return Progress.IN_PROGRESS if entry.percent else Progress.NOT_STARTED


def _percent(value: int | None, write: Writer) -> tuple[str, Meter | None]:
    if value is None:
        return NOT_GIVEN, None
    return write(value), Meter(value, write(f"ร้อยละ {value}"))


def progress_build(report: Report, write: Writer) -> ProgressDocument:
    measures = list(report.measures.all())
    rollups = {item["round"].pk: item for item in progress_rollup(report)}
    rounds = []
    for progress_round in report.rounds.all():
        rows = []
        for number, measure in enumerate(measures, start=1):
            entry = next((e for e in measure.rounds.all() if e.round_id == progress_round.pk), None)
            # Not reported in the round: nothing shows it has begun (as progress_rollup counts).
            percent, meter = _percent(entry.percent if entry else 0, write)
            rows.append(
                ProgressRow(
                    number=write(number),
                    anchor=f"round-{progress_round.number}-measure-{number}",
                    title=write(measure.title),
                    note=write.lines(entry.note) if entry else [],
                    status=STATUS[_status(entry)],
                    percent=percent,
                    meter=meter,
                )
            )
        rollup = rollups[progress_round.pk]
        as_of = thai.date_full(progress_round.as_of)
        rounds.append(
            RoundView(
                heading=write(f"{progress_round.label} (ณ วันที่ {as_of})"),
                rows=rows,
                rollup=[
                    RollupRow(
                        write(f"ตัวชี้วัดที่ {row['indicator'].number} {row['indicator'].name}"),
                        *_percent(row["percent"], write),
                    )
                    for row in rollup["by_indicator"]
                ],
                overall=RollupRow("ภาพรวมทุกมาตรการ", *_percent(rollup["percent"], write)),
                done=write(f"ดำเนินการแล้ว {rollup['done']} จาก {rollup['measures']} มาตรการ"),
            )
        )
    return ProgressDocument(
        **front(report, DocumentKind.PROGRESS, write),
        rounds=rounds,
        closing=closing_sections(report, write, always=True),
    )


BUILDERS = {
    DocumentKind.ANALYSIS: analysis_build,
    DocumentKind.PLAN: plan_build,
    DocumentKind.PROGRESS: progress_build,
}


def cycle_document(report: Report, kind: str, digits: str | None = None) -> CycleDocument:
    """The ``kind`` document of ``report`` (analysis, plan or progress)."""
    try:
        build = BUILDERS[kind]
    except KeyError:
        raise ValueError(f"No document {kind!r}: one of {', '.join(BUILDERS)}") from None
    return build(report, Writer(digits or report.digits))
