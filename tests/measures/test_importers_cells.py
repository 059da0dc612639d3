"""The importer's reading of cells and rows, and what it refuses.

Items and their labels, headers, continuation rows, responsible units, indicators, progress and
issue groups, from small pasted tables.
"""

import contextlib
import random

import pytest

from measures.importers import MAX_CELL_CHARS, ReportImportError, parse_table_text
from tests.measures.importer_seeds import INDICATORS, as_document

HEADER = "มาตรการ\tขั้นตอนหรือวิธีการปฏิบัติ\tระยะเวลา\tผู้รับผิดชอบ\tสรุปผล\tผลลัพธ์"


def one_measure(steps="", *, title="มาตรการ", period="", responsible="", outputs="", **kw):
    text = f"{HEADER}\n{title}\t{steps}\t{period}\t{responsible}\t{outputs}\t"
    return parse_table_text(text, kw.get("year", 2568), kw.get("indicators"))


def texts(items: list[dict]) -> list[str]:
    return [item["text"] for item in items]


@pytest.mark.parametrize(
    "cell",
    [
        "๑. ประชุม ๒. เผยแพร่",
        "๑.ประชุม ๒.เผยแพร่",
        "๑) ประชุม ๒) เผยแพร่",
        "1. ประชุม 2. เผยแพร่",
        "1) ประชุม 2) เผยแพร่",
        "<p>๑. ประชุม</p> <p>๒. เผยแพร่</p>",
        "<p>ประชุม</p><p>เผยแพร่</p>",
        "- ประชุม - เผยแพร่",
        "<b>๑.</b> ประชุม <b>๒.</b> เผยแพร่",
    ],
)
def test_items_in_every_spelling(cell):
    [measure] = one_measure(cell).measures
    assert texts(measure["steps"]) == ["ประชุม", "เผยแพร่"]
    assert all(item["label"] == "" for item in measure["steps"])


def test_numbers_inside_sentences_are_text():
    cell = (
        "๑. นำคู่มือจากข้อ ๑ และข้อ ๒ เผยแพร่ "
        "๒. จัดประชุม ๑๒ ครั้ง ในปีงบประมาณ พ.ศ.๒๕๖๘ เวลา ๐๙.๓๐ น. "
        "๓. เผยแพร่ข้อมูลข้อ ๑) - ๗) บนเว็บไซต์"
    )
    [measure] = one_measure(cell).measures
    assert texts(measure["steps"]) == [
        "นำคู่มือจากข้อ ๑ และข้อ ๒ เผยแพร่",
        "จัดประชุม ๑๒ ครั้ง ในปีงบประมาณ พ.ศ.๒๕๖๘ เวลา ๐๙.๓๐ น.",
        "เผยแพร่ข้อมูลข้อ ๑) - ๗) บนเว็บไซต์",
    ]


def test_the_author_may_skip_one_number_but_not_more():
    [measure] = one_measure("๑. ก ๓. ข").measures
    assert texts(measure["steps"]) == ["ก", "ข"]
    [measure] = one_measure("๑. ก ๕. ข").measures
    assert texts(measure["steps"]) == ["ก ๕. ข"]


def test_a_bold_run_at_the_start_of_an_item_is_its_label():
    cell = "๑. <b>สถิติการจัดประชุม:</b> จัด ๑๒ ครั้ง ๒. ไม่มีป้าย <b>ตัวหนากลางประโยค</b> ต่อ"
    [measure] = one_measure(outputs=cell).measures
    assert measure["outputs"] == [
        {"label": "สถิติการจัดประชุม:", "text": "จัด ๑๒ ครั้ง"},
        {"label": "", "text": "ไม่มีป้าย ตัวหนากลางประโยค ต่อ"},
    ]


def test_numbering_follows_how_the_list_was_written():
    [measure] = one_measure("๑. ขั้นเดียว", outputs="- ก - ข").measures
    assert measure["numbering"]["steps"] == "numbered"
    assert measure["numbering"]["outputs"] == "plain"


def test_measure_cell_with_numbered_paragraphs_gives_sub_items():
    [measure] = one_measure(title="<p>การเผยแพร่ข้อมูล</p> <p>๑. เพิ่มช่องทาง</p>").measures
    assert measure["title"] == "การเผยแพร่ข้อมูล"
    assert texts(measure["sub_items"]) == ["เพิ่มช่องทาง"]
    assert measure["numbering"]["sub_items"] == "numbered"


def test_rows_without_a_title_or_marked_continued_continue_the_measure_above():
    text = "\n".join(
        [
            HEADER,
            "มาตรการ ก\t๑. ขั้น ๑ ๒. ขั้น ๒\tไตรมาสที่ ๑\tสำนักปลัด\t๑) ผล ๑\t",
            "\t๓. ขั้น ๓\t\t\t\t",
            HEADER,
            "มาตรการ ก (ต่อ)\t\tไตรมาสที่ ๑\tสำนักปลัด\t๒) ผล ๒\tผลลัพธ์",
        ]
    )
    [measure] = parse_table_text(text, 2568).measures
    assert measure["steps"] == [
        {"label": "", "text": "ขั้น ๑"},
        {"label": "", "text": "ขั้น ๒"},
        {"label": "", "text": "ขั้น ๓", "new_row": True},
    ]
    assert measure["outputs"] == [
        {"label": "", "text": "ผล ๑"},
        {"label": "", "text": "ผล ๒", "new_row": True},
    ]
    # The first outcome is the list's first item: there is no row above it to continue.
    assert measure["outcomes"] == [{"label": "", "text": "ผลลัพธ์"}]
    assert measure["responsible"] == {"main": ["สำนักปลัด"], "supporting": []}


def test_a_continuation_row_with_nothing_above_is_a_problem():
    result = parse_table_text(f"{HEADER}\n\t๑. ขั้น\t\t\t\t", 2568)
    assert result.measures == []
    assert result.problems[0].startswith("แถวที่ ๒:")


def test_repeated_header_rows_are_skipped():
    text = "\n".join([HEADER, "มาตรการ ก\tขั้น\t\t\t\t", HEADER, "มาตรการ ข\tขั้น\t\t\t\t"])
    assert [m["title"] for m in parse_table_text(text, 2568).measures] == ["มาตรการ ก", "มาตรการ ข"]


@pytest.mark.parametrize(
    "header",
    [
        "ลำดับ\tมาตรการ/กิจกรรม\tวิธีดำเนินการ\tระยะเวลา ดำเนินการ\tผู้รับผิดชอบ\tสรุปผลการดำเนินการ"
        "\tผลลัพธ์หรือความสำเร็จ",
        "ที่\tมาตรการ / กิจกรรม\tขั้นตอนและวิธีการปฏิบัติ\tระยะเวลาในการดำเนินการ"
        "\tหน่วยงานรับผิดชอบ\tสรุปผลการดำเนินการตามมาตรการ\tผลลัพธ์",
        "No.\tมาตรการ\tวิธีการดำเนินการ\tช่วงระยะเวลา\tหน่วยงานผู้รับผิดชอบ\tผลการดำเนินงาน\tผลสัมฤทธิ์",
    ],
)
def test_headers_are_recognised_by_their_words(header):
    row = "๑\tมาตรการ\tขั้น\tไตรมาสที่ ๒\tกองคลัง\tผลผลิต\tผลลัพธ์"
    [measure] = parse_table_text(f"{header}\n{row}", 2568).measures
    assert texts(measure["steps"]) == ["ขั้น"]
    assert texts(measure["outputs"]) == ["ผลผลิต"]
    assert texts(measure["outcomes"]) == ["ผลลัพธ์"]
    assert measure["responsible"]["main"] == ["กองคลัง"]
    assert measure["period"]["style"] == "quarters"


@pytest.mark.parametrize(
    "cell, main, supporting",
    [
        (
            "หน่วยงาน รับผิดชอบหลัก : สำนักปลัดเทศบาล หน่วยงานสนับสนุน : หน่วยงานที่เกี่ยวข้อง",
            ["สำนักปลัดเทศบาล"],
            ["หน่วยงานที่เกี่ยวข้อง"],
        ),
        ("<b>หน่วยงานรับผิดชอบหลัก :</b> กองคลัง", ["กองคลัง"], []),
        ("๑.เจ้าหน้าที่งานประชาสัมพันธ์ ๒.ทุกกองงาน", ["เจ้าหน้าที่งานประชาสัมพันธ์", "ทุกกองงาน"], []),
        ("กองการศึกษา ศาสนาและวัฒนธรรม", ["กองการศึกษา ศาสนาและวัฒนธรรม"], []),
        ("สำนักปลัด อบต.", ["สำนักปลัด อบต."], []),
        ("นิติกร หัวหน้าสำนักปลัด ปลัด", ["นิติกร", "หัวหน้าสำนักปลัด", "ปลัด"], []),
        ("หัวหน้าสำนักผู้อำนวยการกองทุกกอง", ["หัวหน้าสำนัก", "ผู้อำนวยการกอง", "ทุกกอง"], []),
        ("ผู้อำนวยการกองคลัง", ["ผู้อำนวยการกองคลัง"], []),
        ("งานธุรการ สำนักปลัด", ["งานธุรการ สำนักปลัด"], []),
    ],
)
def test_responsible(cell, main, supporting):
    [measure] = one_measure(responsible=cell).measures
    assert measure["responsible"] == {"main": main, "supporting": supporting}


INDICATOR_HEADER = "ตัวชี้วัด\tมาตรการ\tขั้นตอน"


@pytest.mark.parametrize(
    "cell, indicator",
    [
        # The spaces a PDF left where the lines wrapped are joined (measures.wrapspace).
        ("๑.การแก้ไข ปัญหาการ ทุจริต", {"number": 5, "label": ""}),
        ("๒. การใช้งบประมาณ", {"number": 2, "label": ""}),
        ("ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", {"number": 9, "label": ""}),
        (
            "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สิน ของทางราชการ",
            {"number": 4, "label": "การใช้ทรัพย์สิน ของทางราชการ"},
        ),
        ("การปรับปรุง ระบบการ ทำงาน", {"number": 8, "label": "การปรับปรุง ระบบการทำงาน"}),
    ],
)
def test_indicators_are_matched_against_the_framework(cell, indicator):
    text = f"{INDICATOR_HEADER}\n{cell}\tมาตรการ\tขั้น"
    [measure] = parse_table_text(text, 2568, INDICATORS[2568]).measures
    assert measure["indicator"] == indicator


def test_an_indicator_not_in_the_framework_is_a_problem():
    text = f"{INDICATOR_HEADER}\n๓. เรื่องอื่นที่ไม่มีในกรอบ\tมาตรการ\tขั้น"
    result = parse_table_text(text, 2568, INDICATORS[2568])
    assert result.measures[0]["indicator"] is None
    assert result.problems == ["แถวที่ ๒: ตัวชี้วัด “๓. เรื่องอื่นที่ไม่มีในกรอบ” ไม่ตรงกับตัวชี้วัดของปีงบประมาณ ๒๕๖๘"]


def test_without_the_framework_the_indicator_is_taken_as_written():
    text = f"{INDICATOR_HEADER}\nตัวชี้วัดที่ ๓ การใช้อำนาจ\tมาตรการ\tขั้น"
    [measure] = parse_table_text(text, 2568).measures
    assert measure["indicator"] == {"number": 3, "label": "การใช้อำนาจ"}


PROGRESS_HEADER = "ตัวชี้วัด\tแนวทางในการยกระดับการประเมิน\tผู้รับผิดชอบ\tระยะเวลา\tความก้าวหน้า"


@pytest.mark.parametrize(
    "cell, progress",
    [
        ("☐ ยังไม่ได้ดำเนินการ ☑ อยู่ระหว่างดำเนินการ ☐ ดำเนินการ - บันทึก ก - บันทึก ข", "in_progress"),
        ("☑ ยังไม่ได้ดำเนินการ ☐ อยู่ระหว่างดำเนินการ ☐ ดำเนินการ - บันทึก ก - บันทึก ข", "not_started"),
        # Quoted as Excel copies a cell with line breaks.
        ('"☐ ยังไม่ได้ดำเนินการ ☐ อยู่ระหว่างดำเนินการ ✓ ดำเนินการ\n- บันทึก ก\n- บันทึก ข"', "done"),
        (
            '<input type="checkbox"/> ยังไม่ได้ดำเนินการ <input type="checkbox"/> อยู่ระหว่าง'
            'ดำเนินการ <input checked="" type="checkbox"/> ดำเนินการ - บันทึก ก - บันทึก ข',
            "done",
        ),
    ],
)
def test_progress_tick_boxes_and_notes(cell, progress):
    text = f"{PROGRESS_HEADER}\nตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่\tแนวทาง\tสำนักปลัด\tไตรมาสที่ ๑\t{cell}"
    [row] = parse_table_text(text, 2568, INDICATORS[2568]).indicator_progress
    assert row["progress"] == progress
    assert texts(row["notes"]) == ["บันทึก ก", "บันทึก ข"]
    assert row["numbering"]["notes"] == "plain"
    assert row["indicator"] == {"number": 1, "label": ""}


def test_issue_groups_before_the_tables():
    text = "\n".join(
        [
            "ประเด็นที่ ๑ ความโปร่งใส",
            HEADER,
            "มาตรการ ก\tขั้น\t\t\t\t",
            "ประเด็นที่ 2: การให้บริการ",
            HEADER,
            "มาตรการ ข\tขั้น\t\t\t\t",
        ]
    )
    result = parse_table_text(text, 2568)
    assert result.issue_groups == [
        {"number": 1, "title": "ความโปร่งใส"},
        {"number": 2, "title": "การให้บริการ"},
    ]
    assert [m["issue_group"] for m in result.measures] == [1, 2]


def test_an_unreadable_period_is_a_problem_and_the_measure_is_kept():
    result = one_measure("ขั้น", period="เมื่อสะดวก")
    assert result.problems == ["แถวที่ ๒: อ่านระยะเวลา “เมื่อสะดวก” ไม่ได้"]
    assert result.measures[0]["period"] is None
    assert result.measures[0]["title"] == "มาตรการ"


def test_cells_quoted_the_way_excel_copies_them_may_hold_line_breaks():
    text = f'{HEADER}\n"มาตรการ ""ก"""\t"๑. ขั้น ๑\n๒. ขั้น ๒"\t\t\t\t'
    [measure] = parse_table_text(text, 2568).measures
    assert measure["title"] == 'มาตรการ "ก"'
    assert texts(measure["steps"]) == ["ขั้น ๑", "ขั้น ๒"]


def all_strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from all_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_strings(item)
    elif isinstance(value, str):
        yield value


def test_html_and_scripts_in_cells_are_never_kept():
    hostile = (
        "<script>alert('x')</script>มาตรการ <i>เอียง</i> <a href='javascript:alert(1)'>ลิงก์</a> "
        "<img src=x onerror=alert(2)> &lt;script&gt;alert(3)&lt;/script&gt; <style>p{}</style>"
    )
    result = one_measure(f"๑. {hostile} ๒. ขั้น", title=hostile, outputs=f"<b>ป้าย</b> {hostile}")
    strings = list(all_strings(as_document(result)))
    assert not [s for s in strings if "<" in s or ">" in s]
    assert not [s for s in strings if "alert('x')" in s or "p{}" in s or "onerror" in s]
    measure = result.measures[0]
    assert measure["title"] == "มาตรการ เอียง ลิงก์ alert(3)"
    assert texts(measure["steps"]) == ["มาตรการ เอียง ลิงก์ alert(3)", "ขั้น"]


def test_a_cell_over_the_limit_is_refused():
    result = one_measure("ก" * (MAX_CELL_CHARS + 1))
    assert result.measures == []
    assert result.problems[0] == ("แถวที่ ๒: มีช่องที่ยาวเกิน ๓๐,๐๐๐ ตัวอักษร จึงไม่ได้นำเข้าแถวนี้")
    assert len(one_measure("ก" * MAX_CELL_CHARS).measures) == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "ไม่มีข้อความให้นำเข้า"),
        ("  \n\t ", "ไม่มีข้อความให้นำเข้า"),
        ("ข้อความธรรมดา\nไม่มีตาราง", "ไม่พบหัวตาราง"),
        ("ก\tข\tค\n๑\t๒\t๓", "ไม่พบหัวตาราง"),
    ],
)
def test_text_without_a_table_is_refused(text, message):
    with pytest.raises(ReportImportError, match=message):
        parse_table_text(text, 2568)


def test_random_text_never_raises_anything_but_the_importer_s_error():
    rng = random.Random(2568)
    alphabet = ["\t", "\n", " ", "๑.", "๒)", "- ", "<p>", "</b>", "<b>", '"', "☑", "ต่อ"]
    alphabet += list(HEADER) + ["ไตรมาสที่", "ประเด็นที่ ๑", "(ต่อ)", "หน่วยงานสนับสนุน :"]
    for _ in range(300):
        text = HEADER + "\n" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        with contextlib.suppress(ReportImportError):
            parse_table_text(text, 2568, INDICATORS[2568])
