"""The report in Word, in each of its five layouts: what templates/reports/layouts/*.html draw,
drawn from the same Document (reports.documents), in the same order, with the same columns,
widths and headers (the importer reads them back: measures.importers.word)."""

from ..documents import Document, MeasureView, RowView
from .base import CENTER, Column, Para, Sheet, item_paras, plain

# The tables' columns: the headers and widths (%) of the layouts' <colgroup> and <thead>.
BY_INDICATOR = [
    Column("ตัวชี้วัด", 10),
    Column("มาตรการ", 13),
    Column("ขั้นตอนหรือวิธีการปฏิบัติ", 18),
    Column("สรุปผลการดำเนินการตามมาตรการ", 19),
    Column("ผลลัพธ์หรือความสำเร็จของการดำเนินการ", 18),
    Column("หน่วยงานรับผิดชอบ", 12),
    Column("ระยะเวลาดำเนินการ", 10),
]
MEASURES = [
    Column("ลำดับ", 6),
    Column("มาตรการ/กิจกรรม", 16),
    Column("วิธีดำเนินการ", 21),
    Column("ระยะเวลา ดำเนินการ", 10),
    Column("ผู้รับผิดชอบ", 11),
    Column("สรุปผลการดำเนินการตาม มาตรการหรือกิจกรรม", 18),
    Column("ผลลัพธ์หรือความสำเร็จ", 18),
]
MEMO_TABLE = [
    Column("มาตรการ/กิจกรรม", 19),
    Column("ขั้นตอนและวิธีการปฏิบัติ", 21),
    Column("ระยะเวลา", 10),
    Column("ผู้รับผิดชอบ", 11),
    Column("สรุปผลการดำเนินการตาม มาตรการหรือกิจกรรม", 20),
    Column("ผลลัพธ์หรือความสำเร็จของ การดำเนินการ", 19),
]
BY_ISSUE = [
    Column("ลำดับ", 6),
    Column("มาตรการ/กิจกรรม", 18),
    Column("ระยะเวลาในการดำเนินการ", 10),
    Column("ผู้รับผิดชอบ", 12),
    Column("สรุปผลการดำเนินการตามมาตรการหรือกิจกรรม", 28),
    Column("ผลลัพธ์หรือความสำเร็จในการดำเนินการ", 26),
]
PROGRESS = [
    Column("ตัวชี้วัด", 15),
    Column("แนวทางในการยกระดับการประเมิน", 33),
    Column("ผู้รับผิดชอบ", 12),
    Column("ระยะเวลา", 11),
    Column("ความก้าวหน้าผลการดำเนินการ", 29),
]
NARRATIVE_HEADINGS = {
    "measure": "มาตรการ โครงการ หรือกิจกรรมที่ดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    "indicator": "ตัวชี้วัด",
    "steps": "ขั้นตอนหรือวิธีการปฏิบัติ",
    "period": "ช่วงระยะเวลาในการดำเนินการ",
    "responsible": "ผู้รับผิดชอบ",
    "outputs": "ผลการดำเนินการ (output)",
    "outcomes": "ผลลัพธ์หรือผลสัมฤทธิ์ในการดำเนินการ (outcome/result)",
}
CHECKED, UNCHECKED = "☑", "☐"
LEADER = "....."  # the dotted line after a memo's filled-in value, as the page draws it


BODY = 14  # pt: the body's size, for the narrative's headings


# -- Cells, as the layouts' includes draw them --------------------------------------------------


def measure_cell(measure: MeasureView, row: RowView, *, continued_title: bool = True) -> list:
    """_measure_cell.html; a continued row (ต่อ) repeats the title, or is empty (memo_table)."""
    if row.continued:
        return [plain(f"{measure.title} (ต่อ)")] if continued_title else []
    return [plain(measure.title), *item_paras(measure.sub_items)]


def responsible_cell(measure) -> list[Para]:
    """_responsible.html: main and supporting units under bold labels when there are both."""
    if measure.responsible_supporting:
        return [
            plain("หน่วยงานรับผิดชอบหลัก :", bold=True),
            *item_paras(measure.responsible_main),
            plain("หน่วยงานสนับสนุน :", bold=True),
            *item_paras(measure.responsible_supporting),
        ]
    return item_paras(measure.responsible_main)


def boxes_cell(boxes) -> list[Para]:
    return [plain(f"{CHECKED if box.checked else UNCHECKED} {box.label}") for box in boxes]


# -- Blocks --------------------------------------------------------------------------------


def cover(
    sheet: Sheet,
    doc,
    *,
    year_first: bool = False,
    with_unit: bool = False,
    with_address: bool = False,
    prepared_by_block: bool = False,
) -> None:
    """_cover.html, then a new page."""
    sheet.lines(doc.title_lines, size=24, bold=True, align=CENTER, before=110, after=18)
    if year_first:
        sheet.para(doc.year_caption, size=20, bold=True, align=CENTER, after=36)
    unit = f"{doc.prepared_by} " if with_unit and doc.prepared_by else ""
    sheet.para(unit + doc.agency_name, size=18, bold=True, align=CENTER)
    if not year_first:
        sheet.para(doc.year_caption, size=20, bold=True, align=CENTER, after=36)
    if with_address:
        sheet.para(doc.address, size=18, bold=True, align=CENTER)
    if prepared_by_block and doc.prepared_by:
        sheet.para("จัดทำโดย", size=18, bold=True, align=CENTER, before=48)
        sheet.para(doc.prepared_by, size=18, bold=True, align=CENTER)
        sheet.para(doc.agency_name, size=18, bold=True, align=CENTER)
    sheet.page_break()


def title_block(sheet: Sheet, title: list[str], lines: list[str]) -> None:
    """.title-block: the title (18 pt) and the agency's lines (16 pt), centred."""
    sheet.lines(title, size=18, bold=True, align=CENTER, after=2)
    for line in lines:
        sheet.para(line, size=16, bold=True, align=CENTER, after=0)
    sheet.para("", after=8)


def front(sheet: Sheet, doc: Document, *, intro_centred: bool = False) -> None:
    """The heading and the introduction."""
    if doc.heading_lines:
        sheet.heading(doc.heading_lines)
    if intro_centred:
        sheet.paragraphs(doc.intro, size=16, align=CENTER)
    else:
        sheet.paragraphs(doc.intro, size=16, indent=2.5, after=8)


def progress_table(sheet: Sheet, doc: Document) -> None:
    """_progress_table.html: each indicator's guidelines and progress with its tick boxes."""
    if not doc.progress_rows:
        return
    if doc.progress_heading:
        sheet.heading(doc.progress_heading)
    table = sheet.table(PROGRESS)
    for row in doc.progress_rows:
        sheet.row(
            table,
            [
                [plain(row.indicator)],
                item_paras(row.guidelines),
                [plain(row.responsible)],
                [plain(row.period)],
                [*boxes_cell(row.boxes), *item_paras(row.notes)],
            ],
        )


def closing(sheet: Sheet, sections) -> None:
    """_closing.html: ปัญหา อุปสรรค and ข้อเสนอแนะ."""
    for heading, paragraphs in sections:
        sheet.heading(heading, align=None, before=10)
        sheet.paragraphs(paragraphs)


def memo_page(sheet: Sheet, memo) -> None:
    """The บันทึกข้อความ: its labelled lines, its three parts, the signature."""
    sheet.para("บันทึกข้อความ", size=29, bold=True, align=CENTER, after=8)

    def labelled(*pairs):
        runs = []
        for label, value in pairs:
            runs += [*([plain(" ")[0]] if runs else []), *plain(label, bold=True)]
            runs += plain(f" {value}{LEADER}")
        sheet.para(runs, size=16)

    labelled(("ส่วนราชการ", memo.department))
    labelled(("ที่", memo.reference), ("วันที่", memo.date))
    labelled(("เรื่อง", memo.subject))
    sheet.para([*plain("เรียน", bold=True), *plain(f" {memo.to}")], size=16, before=6)
    for heading, paragraphs in (
        ("เรื่องเดิม", memo.background),
        ("ข้อเท็จจริง", memo.facts),
        ("ข้อพิจารณา", memo.considerations),
    ):
        if paragraphs:
            sheet.heading(heading, size=16, align=None, before=6)
            sheet.paragraphs(paragraphs, size=16, indent=2.5)
    if memo.closing:
        sheet.para(memo.closing, size=16, indent=2.5)
    sheet.para(f"({memo.signatory_name})", size=16, align=CENTER, before=36)
    sheet.para(memo.signatory_position, size=16, align=CENTER)


# -- The five layouts --------------------------------------------------------------------------


def _rows(measures, cells) -> list[tuple[bool, list]]:
    """Each measure's rows (more than one when it continues: ต่อ), as ``cells`` draws them."""
    return [(row.continued, cells(measure, row)) for measure in measures for row in measure.rows]


def _table_rows(sheet: Sheet, columns, rows, *, centred=(), first_cell=None) -> None:
    """A table of ``rows``; an agency's continuation row (ต่อ) starts a new page, as in its
    original, under the header again. ``first_cell`` is a merged first column (its text)."""
    table = sheet.table(columns)
    start = len(table.rows)
    for index, (continued, cells) in enumerate(rows):
        if continued:
            if first_cell is not None:
                sheet.merge_down(table, 0, start, len(table.rows) - 1)
            table = sheet.table(columns, new_page=True)
            start = len(table.rows)
        if first_cell is not None:
            cells = [[plain(first_cell)] if index == 0 and first_cell else [], *cells]
        sheet.row(table, cells, centred=centred)
    if first_cell is not None:
        sheet.merge_down(table, 0, start, len(table.rows) - 1)


def by_indicator(sheet: Sheet, doc: Document) -> None:
    """Seed 000: a cover, then a 7-column table for each ITA indicator."""
    if not doc.only_measures:
        cover(sheet, doc, year_first=True, with_address=True)
        front(sheet, doc)
    for group in doc.indicator_groups:
        rows = _rows(
            group.measures,
            lambda m, r: [
                measure_cell(m, r),
                item_paras(r.steps),
                item_paras(r.outputs),
                item_paras(r.outcomes),
                responsible_cell(m),
                [plain(m.period)],
            ],
        )
        title = f"{group.number}.{group.title}" if group.title else ""
        _table_rows(sheet, BY_INDICATOR, rows, first_cell=title)
    progress_table(sheet, doc)


def measures_progress(sheet: Sheet, doc: Document) -> None:
    """Seed 001: cover with จัดทำโดย, the numbered measures, the indicators' progress."""
    if not doc.only_measures:
        cover(sheet, doc, prepared_by_block=True)
        if doc.heading_lines:
            sheet.heading(doc.heading_lines)
        sheet.para(f"{doc.agency_name} {doc.full_address}", size=16, align=CENTER)
        sheet.paragraphs(doc.intro, size=16, indent=2.5, after=8)
    if doc.measures:
        rows = _rows(
            doc.measures,
            lambda m, r: [
                [plain(m.number)],
                measure_cell(m, r),
                item_paras(r.steps),
                [plain(m.period)],
                responsible_cell(m),
                item_paras(r.outputs),
                item_paras(r.outcomes),
            ],
        )
        _table_rows(sheet, MEASURES, rows, centred=(0,))
    progress_table(sheet, doc)


def narrative(sheet: Sheet, doc: Document) -> None:
    """Seed 002: no table; a block per measure under bold headings."""
    if not doc.only_measures:
        cover(sheet, doc, year_first=True, with_unit=True, with_address=True)
        front(sheet, doc, intro_centred=True)

    def part(key: str, paras: list[Para]) -> None:
        sheet.heading(NARRATIVE_HEADINGS[key], size=BODY, align=None, before=4)
        for runs in paras:
            sheet.para(runs)

    for measure in doc.measures:
        sheet.heading(NARRATIVE_HEADINGS["measure"], size=BODY, align=None, before=10)
        sheet.para(f"{measure.number}. {measure.title}")
        sheet.items(measure.sub_items)
        if measure.indicator:
            part("indicator", [plain(measure.indicator)])
        if measure.steps:
            part("steps", item_paras(measure.steps))
        if measure.period:
            part("period", [plain(measure.period)])
        if measure.responsible_main:
            part("responsible", responsible_cell(measure))
        if measure.outputs:
            part("outputs", item_paras(measure.outputs))
        if measure.outcomes:
            part("outcomes", item_paras(measure.outcomes))
    progress_table(sheet, doc)


def memo_table(sheet: Sheet, doc: Document) -> None:
    """Seed 003: the บันทึกข้อความ page (portrait), then the report with its 6-column table."""
    if doc.memo and not doc.only_measures:
        memo_page(sheet, doc.memo)
        sheet.section(doc.layout.orientation)
    if not doc.only_measures:
        title_block(sheet, [*doc.title_lines, doc.year_caption], [doc.agency_name, doc.address])
        front(sheet, doc)
    if doc.measures:
        rows = _rows(
            doc.measures,
            lambda m, r: [
                measure_cell(m, r, continued_title=False),
                item_paras(r.steps),
                [] if r.continued else [plain(m.period)],
                [] if r.continued else responsible_cell(m),
                item_paras(r.outputs),
                item_paras(r.outcomes),
            ],
        )
        _table_rows(sheet, MEMO_TABLE, rows)
    progress_table(sheet, doc)


def by_issue(sheet: Sheet, doc: Document) -> None:
    """Seed 004: the measures grouped under "ประเด็นที่ N", a table for each issue."""
    if not doc.only_measures:
        title_block(
            sheet,
            [*doc.title_lines[:-1], f"{doc.title_lines[-1]} {doc.year_caption}"]
            if doc.title_lines
            else [doc.year_caption],
            [f"{doc.agency_name} {doc.address}"],
        )
        front(sheet, doc)
    for group in doc.groups:
        if group.number:
            sheet.heading(f"ประเด็นที่ {group.number} {group.title}", align=None, before=10)
        rows = _rows(
            group.measures,
            lambda m, r: [
                [plain(m.number_in_group)],
                measure_cell(m, r),
                [plain(m.period)],
                responsible_cell(m),
                [*item_paras(r.steps), *item_paras(r.outputs)],
                item_paras(r.outcomes),
            ],
        )
        _table_rows(sheet, BY_ISSUE, rows, centred=(0,))
    progress_table(sheet, doc)


LAYOUTS = {
    "by_indicator": by_indicator,
    "measures_progress": measures_progress,
    "narrative": narrative,
    "memo_table": memo_table,
    "by_issue": by_issue,
}


def report_sheet(doc: Document) -> Sheet:
    memo_first = doc.memo and doc.layout.key == "memo_table" and not doc.only_measures
    orientation = "memo" if memo_first else None
    sheet = Sheet(
        orientation=orientation or doc.layout.orientation,
        digits=doc.digits,
        title=" ".join([*doc.title_lines, doc.year_caption, doc.agency_name]),
        author=doc.agency_name,
    )
    LAYOUTS[doc.layout.key](sheet, doc)
    if not doc.only_measures:
        closing(sheet, doc.closing)
    return sheet
