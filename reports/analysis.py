"""The analysis of last year's ITA result: per tool and per indicator against the pass mark,
a chart of the indicators, the agency's own analysis, and the issues it found in the two parts
the form asks for, each with the measures that answer it."""

from dataclasses import dataclass
from decimal import Decimal

from measures.models import DocumentKind, IssueGroup, Report

from .charts import BarChart, score_chart
from .cycle_parts import CycleDocument, Writer, front, year_caption
from .documents import NONE, Item

# Below this score an indicator or a tool is a weak point (the ITA's pass mark).
PASS_SCORE = Decimal(85)
TOOLS = [
    ("iit", "IIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน"),
    ("eit", "EIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก"),
    ("oit", "OIT", "แบบวัดการเปิดเผยข้อมูลสาธารณะ"),
]
ISSUE_HEADINGS = {
    IssueGroup.Kind.URGENT: "๑) ประเด็นที่เป็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน",
    IssueGroup.Kind.DEVELOP: "๒) ประเด็นที่จะต้องพัฒนาให้ดีขึ้น",
    "": "ประเด็นที่พบจากการวิเคราะห์ผลการประเมิน",
}


@dataclass
class ScoreRow:
    number: str  # the indicator's number, or the tool's code
    name: str
    score: str
    below: bool  # under 85: a weak point


@dataclass
class IssueView:
    heading: str
    measures: list[Item]


@dataclass
class IssueSection:
    heading: str
    issues: list[IssueView]


@dataclass(kw_only=True)
class AnalysisDocument(CycleDocument):
    result_caption: str  # the year assessed, written as the report writes years
    purpose: str
    tools: list[ScoreRow]
    overall: ScoreRow | None
    official_band: str
    published_label: str
    indicators: list[ScoreRow]
    chart: BarChart | None
    analysis: list[list[str]]
    issue_sections: list[IssueSection]
    below_mark: str  # ต่ำกว่า ๘๕
    compare_header: str
    chart_caption: str
    none_text: str = NONE


def analysis_build(report: Report, write: Writer) -> AnalysisDocument:
    result = report.cited_result
    year = result.fiscal_year.year if result else report.fiscal_year.year - 1
    tools, overall, band, label = [], None, "", ""
    if result:
        for field_name, code, name in TOOLS:
            score = getattr(result, field_name)
            if score is not None:
                tools.append(ScoreRow(code, write(name), write.score(score), score < PASS_SCORE))
        overall = ScoreRow("", "คะแนนรวม", write.score(result.overall), result.overall < PASS_SCORE)
        band = write(result.official_band or "-")
        label = write(result.published_label)
    scores = list(result.indicator_scores.all()) if result else []
    indicators = [
        ScoreRow(
            write(row.indicator.number),
            write(row.indicator.name),
            write.score(row.score),
            row.score < PASS_SCORE,
        )
        for row in scores
    ]
    chart = None
    if scores:
        chart = score_chart(
            [(row.number, s.score, row.score) for row, s in zip(indicators, scores, strict=True)],
            line=PASS_SCORE,
            write=write,
        )

    measures = list(report.measures.all())
    issues: dict[str, list[IssueView]] = {kind: [] for kind in ISSUE_HEADINGS}
    for group in report.issue_groups.all():
        answers = [m.title for m in measures if m.issue_group_id == group.pk]
        issues[group.kind].append(
            IssueView(
                heading=write(f"ประเด็นที่ {group.number} {group.title}"),
                measures=write.items(answers),
            )
        )
    # Both parts the form asks for are always there ("ไม่มี" when empty), unless the issues
    # found were not sorted into them at all.
    kinds = [IssueGroup.Kind.URGENT, IssueGroup.Kind.DEVELOP]
    if issues[""] and not any(issues[kind] for kind in kinds):
        kinds = []
    sections = [IssueSection(write(ISSUE_HEADINGS[kind]), issues[kind]) for kind in kinds]
    if issues[""]:
        sections.append(IssueSection(write(ISSUE_HEADINGS[""]), issues[""]))

    return AnalysisDocument(
        **front(report, DocumentKind.ANALYSIS, write),
        result_caption=write(year_caption(report, year)),
        purpose=write("เพื่อจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน " + report.year_caption),
        tools=tools,
        overall=overall,
        official_band=band,
        published_label=label,
        indicators=indicators,
        chart=chart,
        analysis=write.paragraphs(report.analysis),
        issue_sections=sections,
        below_mark=write(f"ต่ำกว่า {PASS_SCORE}"),
        compare_header=write(f"เทียบกับ {PASS_SCORE} คะแนน"),
        chart_caption=write(
            f"แผนภูมิคะแนนรายตัวชี้วัด (แกนนอน: ตัวชี้วัดที่ แกนตั้ง: คะแนน) เทียบกับเส้น {PASS_SCORE} คะแนน"
        ),
    )
