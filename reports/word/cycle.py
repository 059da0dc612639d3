"""The year's other documents in Word (analysis, plan, progress) and the approval memo: what
templates/reports/layouts/{analysis,plan,progress}.html and approval_memo.html draw.

The analysis's chart is a drawing of the scores its table already holds: the Word file keeps the
table and the chart's caption, not the drawing.
"""

from types import SimpleNamespace

from ..analysis import AnalysisDocument
from ..cycle import PlanDocument, ProgressDocument
from .base import CENTER, Column, Para, Sheet, item_paras, plain
from .report import closing, cover, memo_page, responsible_cell, title_block

TOOLS = [Column("เครื่องมือการประเมิน", 60), Column("คะแนน", 20), Column("", 20)]
INDICATORS = [
    Column("ตัวชี้วัดที่", 13),
    Column("ตัวชี้วัด", 47),
    Column("คะแนน", 20),
    Column("", 20),
]
PLAN = [
    Column("ลำดับ", 6),
    Column("มาตรการ/โครงการ/กิจกรรม", 16),
    Column("วัตถุประสงค์", 12),
    Column("ขั้นตอนการดำเนินการ", 19),
    Column("งบประมาณ (บาท)", 13),
    Column("ระยะเวลาดำเนินการ", 10),
    Column("ผู้รับผิดชอบ", 12),
    Column("เป้าหมาย/ ตัวชี้วัดความสำเร็จ", 12),
]
ROUND = [
    Column("ลำดับ", 6),
    Column("มาตรการ", 33),
    Column("ผลการดำเนินงาน", 33),
    Column("สถานะ", 13),
    Column("ร้อยละความก้าวหน้า", 15),
]
ROLLUP = [Column("ตัวชี้วัด", 70), Column("ร้อยละความก้าวหน้าเฉลี่ย", 30)]


def _compare(columns: list[Column], header: str) -> list[Column]:
    return [*columns[:-1], Column(header, columns[-1].percent)]


def analysis(sheet: Sheet, doc: AnalysisDocument) -> None:
    title_block(
        sheet,
        [*doc.title_lines, doc.result_caption],
        [f"{doc.agency_name} {doc.address}"],
    )
    sheet.para(doc.purpose, align=CENTER, after=8)

    def below(row) -> list[Para]:
        return [plain(doc.below_mark, bold=True)] if row.below else []

    sheet.heading("ผลการประเมินรายเครื่องมือ", align=None)
    if doc.overall:
        table = sheet.table(_compare(TOOLS, doc.compare_header))
        for row in doc.tools:
            cells = [[plain(f"{row.number} {row.name}")], [plain(row.score)], below(row)]
            sheet.row(table, cells, centred=(1, 2))
        overall = doc.overall
        cells = [[plain(overall.name)], [plain(overall.score)], below(overall)]
        sheet.row(table, cells, centred=(1, 2), bold=True)
        sheet.para(
            [*plain("ระดับผลการประเมินตามเกณฑ์ของปี", bold=True), *plain(" " + doc.official_band)]
        )
        if doc.published_label:
            label = "ระดับผลการประเมินตามที่หน่วยงานเผยแพร่"
            sheet.para([*plain(label, bold=True), *plain(" " + doc.published_label)])
    else:
        sheet.para(doc.none_text)

    if doc.indicators:
        sheet.heading("ผลการประเมินรายตัวชี้วัด", align=None)
        table = sheet.table(_compare(INDICATORS, doc.compare_header))
        for row in doc.indicators:
            cells = [[plain(row.number)], [plain(row.name)], [plain(row.score)], below(row)]
            sheet.row(table, cells, centred=(0, 2, 3))
        if doc.chart:
            sheet.para(doc.chart_caption, align=CENTER)

    sheet.heading("การวิเคราะห์ผลการประเมิน", align=None)
    if doc.analysis:
        sheet.paragraphs(doc.analysis, size=16, indent=2.5, after=8)
    else:
        sheet.para(doc.none_text)

    for section in doc.issue_sections:
        sheet.heading(section.heading, align=None)
        for issue in section.issues:
            sheet.heading(issue.heading, size=14, align=None, before=4)
            sheet.para("มาตรการที่ดำเนินการตามประเด็น", bold=True)
            if issue.measures:
                sheet.items(issue.measures)
            else:
                sheet.para(doc.none_text)
        if not section.issues:
            sheet.para(doc.none_text)


def plan(sheet: Sheet, doc: PlanDocument) -> None:
    cover(sheet, doc, year_first=True, with_address=True)
    sheet.heading(
        [*doc.title_lines[:-1], f"{doc.title_lines[-1]} {doc.year_caption}", doc.agency_name]
    )
    for group in doc.groups:
        table = sheet.table(PLAN, heading=group.heading)
        for measure in group.measures:
            sheet.row(
                table,
                [
                    [plain(measure.number)],
                    [plain(measure.title), *item_paras(measure.sub_items)],
                    item_paras(measure.objective),
                    item_paras(measure.steps),
                    [plain(measure.budget)],
                    [plain(measure.period)],
                    responsible_cell(measure),
                    item_paras(measure.target),
                ],
                centred=(0,),
            )
        if group.subtotal:
            row = sheet.row(
                table, [[], [], [], [plain("รวม")], [plain(group.subtotal)], [], [], []], bold=True
            )
            row.cells[0].merge(row.cells[3])
            row.cells[5].merge(row.cells[7])
    if not doc.groups:
        sheet.para("ไม่มี")
    sheet.para([*plain("รวมงบประมาณทั้งสิ้น", bold=True), *plain(f" {doc.total} บาท")], before=8)
    sheet.para(doc.counts)


def progress(sheet: Sheet, doc: ProgressDocument) -> None:
    title_block(sheet, [*doc.title_lines, doc.year_caption], [f"{doc.agency_name} {doc.address}"])
    for round_view in doc.rounds:
        sheet.heading(round_view.heading, align=None, before=10)
        table = sheet.table(ROUND)
        for row in round_view.rows:
            cells = [
                [plain(row.number)],
                [plain(row.title)],
                [plain(line) for line in row.note] or [plain("-")],
                [plain(row.status)],
                [plain(row.percent)],
            ]
            sheet.row(table, cells, centred=(0,))
        sheet.heading(f"สรุปความก้าวหน้า {round_view.heading}", size=14, align=None)
        table = sheet.table(ROLLUP)
        for row in round_view.rollup:
            sheet.row(table, [[plain(row.name)], [plain(row.percent)]])
        overall = round_view.overall
        sheet.row(
            table,
            [
                [[*plain(overall.name, bold=True), *plain(f" ({round_view.done})")]],
                [plain(overall.percent)],
            ],
        )
    if not doc.rounds:
        sheet.para("ไม่มี")
    closing(sheet, doc.closing)


LAYOUTS = {"analysis": analysis, "plan": plan, "progress": progress}


def cycle_sheet(doc) -> Sheet:
    sheet = Sheet(
        orientation=doc.layout.orientation,
        digits=doc.digits,
        title=" ".join([*doc.title_lines, doc.year_caption, doc.agency_name]),
        author=doc.agency_name,
    )
    LAYOUTS[doc.kind](sheet, doc)
    return sheet


def approval_memo_sheet(memo: dict, *, digits: str, author: str) -> Sheet:
    """The one-page memo asking the head's permission to publish (rendering.memo_data)."""
    sheet = Sheet(orientation="memo", digits=digits, title=memo["subject"], author=author)
    memo_page(
        sheet,
        SimpleNamespace(
            **{
                **memo,
                "background": [[memo["background"]]],
                "facts": [[memo["facts"]]],
                "considerations": [[memo["considerations"]]],
                "closing": "จึงเรียนมาเพื่อโปรดพิจารณาอนุญาต",
                "signatory_name": memo["signatory_name"] or "." * 47,
                "signatory_position": memo["signatory_position"] or "ตำแหน่ง " + "." * 39,
            }
        ),
    )
    sheet.para("☐ อนุญาต    ☐ ไม่อนุญาต", size=16, before=18)
    sheet.para("ลงชื่อ " + "." * 47, size=16, before=18)
    sheet.para(memo["to"], size=16)
    sheet.para("วันที่ ............/............/............", size=16)
    return sheet
