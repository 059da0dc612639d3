"""The importer against the seeds: their tables, pasted or in a file, give the demo data."""

import contextlib
import csv
import io
import json
import random
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from measures.importers import (
    MAX_CELL_CHARS,
    ReportImportError,
    parse_docx,
    parse_file,
    parse_spreadsheet,
    parse_table_text,
)
from measures.models import Report
from measures.report_format import report_to_data
from measures.selectors import report_document
from tests.textmatch import SEED_FILES, SEEDS, TYPOS

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "measures" / "demo" / "reports"
FRAMEWORK = json.loads((ROOT / "measures" / "demo" / "framework.json").read_text("utf-8"))
INDICATORS = {
    year["year"]: {i["number"]: i["name"] for i in year["indicators"]}
    for year in FRAMEWORK["fiscal_years"]
}
# The seeds that have tables (002 has none), by the demo report they are.
TABLE_SEEDS = ["nong-lom-2568", "kaset-phatthana-2566", "nong-samet-2567", "sai-khao-2567"]
MEASURE_FIELDS = (
    "title",
    "indicator",
    "issue_group",
    "sub_items",
    "steps",
    "outputs",
    "outcomes",
    "numbering",
    "period",
    "responsible",
    "progress",
)
PROGRESS_FIELDS = (
    "indicator",
    "guidelines",
    "responsible",
    "period",
    "progress",
    "notes",
    "numbering",
)
THAI = re.compile("[\u0e00-\u0e7f]")


def demo(key: str) -> dict:
    return json.loads((DEMO / f"{key}.json").read_text("utf-8"))


def seed_lines(key: str, *, keep_breaks: bool = False) -> list[str]:
    """The seed's table lines (headers included) and ประเด็นที่ lines, extraction typos fixed.

    The demo data corrects the typos the seeds' README names; the same fixes go on the seed
    text here, never in the importer. ``keep_breaks`` keeps the empty lines between tables.
    """
    text = (SEEDS / SEED_FILES[key]).read_text("utf-8")
    for typo, word in TYPOS.items():
        text = text.replace(typo, word)
    text = re.sub(r"ให้แก(?!่)", "ให้แก่", text)
    return [
        line
        for line in text.splitlines()
        if "\t" in line or line.startswith("ประเด็นที่") or (keep_breaks and not line.strip())
    ]


def seed_tables(key: str) -> list[tuple[str, list[list[str]]]]:
    """[(the paragraph before, rows)]: the seed's tables, as the empty lines separate them."""
    tables, before, new_table = [], "", True
    for line in seed_lines(key, keep_breaks=True):
        if "\t" not in line:
            before = line or before
            new_table = True
            continue
        if new_table:
            tables.append((before, []))
            before, new_table = "", False
        tables[-1][1].append(line.rstrip().split("\t"))
    return tables


def _value(value, keys):
    if isinstance(value, dict) and keys:
        return {k: value.get(k) for k in keys}
    return value


def differences(got: dict, want: dict) -> list[str]:
    """Field by field, item by item: what the import gives that the demo data does not hold."""
    found = []
    if got["issue_groups"] != want["issue_groups"]:
        found.append(f"issue_groups: {got['issue_groups']} != {want['issue_groups']}")
    for part, fields in (("measures", MEASURE_FIELDS), ("indicator_progress", PROGRESS_FIELDS)):
        if len(got[part]) != len(want[part]):
            found.append(f"{part}: {len(got[part])} rows, the demo has {len(want[part])}")
        for number, (row, expected) in enumerate(zip(got[part], want[part], strict=False), 1):
            for name in fields:
                keys = {"period": ("style", "start", "end"), "indicator": ("number", "label")}
                mine = _value(row.get(name), keys.get(name))
                theirs = _value(expected.get(name), keys.get(name))
                if isinstance(theirs, list) and isinstance(mine, list):
                    if len(mine) != len(theirs):
                        found.append(f"{part}[{number}].{name}: {len(mine)} != {len(theirs)} items")
                    for index, (a, b) in enumerate(zip(mine, theirs, strict=False), 1):
                        if a != b:
                            found.append(f"{part}[{number}].{name}[{index}]: {a} != {b}")
                elif mine != theirs:
                    found.append(f"{part}[{number}].{name}: {mine} != {theirs}")
    return found


def as_document(result) -> dict:
    return {
        "issue_groups": result.issue_groups,
        "measures": result.measures,
        "indicator_progress": result.indicator_progress,
    }


def import_seed_text(key: str):
    year = demo(key)["fiscal_year"]
    return parse_table_text("\n".join(seed_lines(key)), year, INDICATORS[year])


# -- The seeds, pasted and in files ------------------------------------------------------------


@pytest.mark.parametrize("key", TABLE_SEEDS)
def test_pasted_seed_tables_give_the_demo_data(key):
    result = import_seed_text(key)
    assert result.problems == []
    assert differences(as_document(result), demo(key)) == []


def plain_cell(text: str) -> str:
    """A seed cell as a person types it into Excel: lines for paragraphs, real tick boxes."""
    text = re.sub(r'<input checked="" type="checkbox"/>', "☑", text)
    text = re.sub(r'<input type="checkbox"/>', "☐", text)
    text = re.sub(r"\s*</p>\s*<p>\s*", "\n", text)
    return re.sub(r"</?(?:p|b)>", "", text).strip()


def fill_docx_cell(cell, text: str) -> None:
    """A seed cell in Word: <p> paragraphs as paragraphs, <b> runs as bold runs."""
    text = re.sub(r'<input checked="" type="checkbox"/>', "☒", text)
    text = re.sub(r'<input type="checkbox"/>', "☐", text)
    paragraphs = [p.strip() for p in re.split(r"</?p>", text) if p.strip()] or [""]
    for index, paragraph_text in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        for part_index, part in enumerate(re.split(r"</?b>", paragraph_text)):
            if part:
                paragraph.add_run(part).bold = part_index % 2 == 1


def seed_docx(key: str) -> bytes:
    document = docx.Document()
    document.add_paragraph("รายงานผลการดำเนินการ")
    for before, rows in seed_tables(key):
        if before:
            document.add_paragraph(before)
        table = document.add_table(rows=0, cols=max(len(row) for row in rows))
        for cells in rows:
            row = table.add_row()
            for cell, text in zip(row.cells, cells, strict=False):
                fill_docx_cell(cell, text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_rows_plain(key: str) -> list[list[str]]:
    return [[plain_cell(cell) for cell in line.rstrip().split("\t")] for line in seed_lines(key)]


def seed_xlsx(key: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["รายงานผลการดำเนินการ"])
    for row in seed_rows_plain(key):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def seed_csv(key: str, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(seed_rows_plain(key))
    return buffer.getvalue().encode(encoding)


@pytest.mark.parametrize("key", TABLE_SEEDS)
def test_seed_tables_in_a_word_document_give_the_demo_data(key):
    year = demo(key)["fiscal_year"]
    result = parse_docx(io.BytesIO(seed_docx(key)), year, INDICATORS[year])
    assert result.problems == []
    assert differences(as_document(result), demo(key)) == []


@pytest.mark.parametrize("key", TABLE_SEEDS)
def test_seed_tables_in_an_excel_workbook_give_the_demo_data(key):
    year = demo(key)["fiscal_year"]
    result = parse_spreadsheet(seed_xlsx(key), "report.xlsx", year, INDICATORS[year])
    assert result.problems == []
    assert differences(as_document(result), demo(key)) == []


@pytest.mark.parametrize("key", TABLE_SEEDS)
def test_seed_tables_in_a_csv_file_give_the_demo_data(key):
    year = demo(key)["fiscal_year"]
    result = parse_spreadsheet(seed_csv(key), "report.csv", year, INDICATORS[year])
    assert result.problems == []
    assert differences(as_document(result), demo(key)) == []


def test_a_csv_file_in_tis_620():
    result = parse_spreadsheet(seed_csv("nong-lom-2568", "cp874"), "r.csv", 2568, INDICATORS[2568])
    assert differences(as_document(result), demo("nong-lom-2568")) == []


def test_a_text_file_through_parse_file(tmp_path):
    path = tmp_path / "sai-khao.txt"
    path.write_text("\n".join(seed_lines("sai-khao-2567")), encoding="utf-8")
    result = parse_file(path, path.name, 2567, INDICATORS[2567])
    assert differences(as_document(result), demo("sai-khao-2567")) == []


# -- Cells -------------------------------------------------------------------------------------

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
        ("๑.การแก้ไข ปัญหาการ ทุจริต", {"number": 5, "label": "การแก้ไข ปัญหาการ ทุจริต"}),
        ("๒. การใช้งบประมาณ", {"number": 2, "label": ""}),
        ("ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", {"number": 9, "label": ""}),
        (
            "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สิน ของทางราชการ",
            {"number": 4, "label": "การใช้ทรัพย์สิน ของทางราชการ"},
        ),
        ("การปรับปรุง ระบบการ ทำงาน", {"number": 8, "label": "การปรับปรุง ระบบการ ทำงาน"}),
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


# -- Word documents ----------------------------------------------------------------------------


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_cell_merged_down_two_rows_is_one_measure():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["มาตรการ", "ขั้นตอน", "ระยะเวลา"], strict=True):
        cell.text = text
    table.cell(1, 0).merge(table.cell(2, 0)).text = "มาตรการ ก"
    table.cell(1, 1).text = "๑. ขั้น ๑"
    table.cell(2, 1).text = "๒. ขั้น ๒"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "ไตรมาสที่ ๑"
    [measure] = parse_docx(docx_bytes(document), 2568).measures
    assert measure["title"] == "มาตรการ ก"
    assert measure["steps"] == [
        {"label": "", "text": "ขั้น ๑"},
        {"label": "", "text": "ขั้น ๒", "new_row": True},
    ]
    assert measure["period"]["style"] == "quarters"


def test_a_bold_run_at_the_start_of_a_word_paragraph_is_a_label():
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "มาตรการ", "สรุปผล"
    table.cell(1, 0).text = "มาตรการ <ก> & ข"
    cell = table.cell(1, 1)
    cell.paragraphs[0].add_run("สถิติการจัดประชุม:").bold = True
    cell.paragraphs[0].add_run(" จัด ๑๒ ครั้ง")
    second = cell.add_paragraph()
    second.add_run("รายงานการประชุม:").bold = True
    second.add_run(" ครบทุกครั้ง")
    [measure] = parse_docx(docx_bytes(document), 2568).measures
    assert measure["outputs"] == [
        {"label": "สถิติการจัดประชุม:", "text": "จัด ๑๒ ครั้ง"},
        {"label": "รายงานการประชุม:", "text": "ครบทุกครั้ง"},
    ]
    # Text that merely looks like markup stays text when it comes from Word.
    assert measure["title"] == "มาตรการ <ก> & ข"


# -- Files that are not what they claim --------------------------------------------------------


def zip_bytes(members: dict[str, bytes | int]) -> bytes:
    """A zip; an int member is that many zero bytes, written without holding them in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            if isinstance(content, int):
                with archive.open(name, "w", force_zip64=True) as member:
                    chunk = bytes(1024 * 1024)
                    for _ in range(content // len(chunk)):
                        member.write(chunk)
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A .docx of ~100 MB of zeros that compresses to ~100 KB."""
    data = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": 100 * 1024 * 1024})
    assert len(data) < 1024 * 1024
    return data


def real_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("ข้อความ")
    return docx_bytes(document)


BROKEN_FILES = {
    "text renamed .docx": ("report.docx", "มาตรการ\tขั้นตอน\nก\tข".encode(), "ไม่ใช่ไฟล์ Word"),
    "random bytes": ("report.docx", bytes(range(256)) * 4, "ไม่ใช่ไฟล์ Word"),
    "empty .docx": ("report.docx", b"", "ไฟล์ว่างเปล่า"),
    "empty .csv": ("report.csv", b"", "ไฟล์ว่างเปล่า"),
    "empty .txt": ("report.txt", b"\n \n", "ไฟล์ว่างเปล่า"),
    "zip without a document": ("report.docx", zip_bytes({"a.txt": b"x"}), "ไม่ใช่ไฟล์ Word"),
    "corrupt document": (
        "report.docx",
        zip_bytes({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}),
        "อ่านไฟล์ Word ไม่ได้",
    ),
    "truncated docx": ("report.docx", real_docx()[:3000], "ไม่ใช่ไฟล์ Word"),
    "old or encrypted Office file": (
        "report.docx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "รหัสผ่าน",
    ),
    "compressed a thousand times": (
        "report.docx",
        zip_bytes({"word/document.xml": 10 * 1024 * 1024}),
        "บีบอัดผิดปกติ",
    ),
    "a Word file renamed .xlsx": ("report.xlsx", real_docx(), "ไม่ใช่ไฟล์ Excel"),
    "a PDF": ("report.pdf", b"%PDF-1.4", "รองรับเฉพาะไฟล์"),
}


@pytest.mark.parametrize("name", BROKEN_FILES)
def test_broken_files_give_a_thai_message(name):
    filename, data, message = BROKEN_FILES[name]
    with pytest.raises(ReportImportError, match=message) as error:
        parse_file(io.BytesIO(data), filename, 2568)
    assert THAI.search(str(error.value))


@pytest.mark.parametrize("filename", ["report.docx", "report.xlsx"])
def test_a_zip_bomb_is_refused_before_it_is_opened(zip_bomb, filename):
    with pytest.raises(ReportImportError, match="เมื่อขยายแล้วใหญ่เกิน ๕๐ เมกะไบต์"):
        parse_file(zip_bomb, filename, 2568)


# -- The import_report command -----------------------------------------------------------------


@pytest.fixture
def demo_data(db):
    call_command("load_demo", stdout=io.StringIO())


def sai_khao(year: int) -> dict:
    report = Report.objects.get(agency__slug="sai-khao", fiscal_year__year=year)
    return report_to_data(report=report_document(pk=report.pk))


@pytest.fixture
def seed_004_file(tmp_path) -> Path:
    path = tmp_path / "sai-khao.txt"
    path.write_text("\n".join(seed_lines("sai-khao-2567")), encoding="utf-8")
    return path


def test_import_report_replaces_the_measures_of_a_report(demo_data, seed_004_file):
    before = sai_khao(2567)
    Report.objects.get(agency__slug="sai-khao").measures.filter(position__gt=1).delete()
    out = io.StringIO()
    call_command(
        "import_report", str(seed_004_file), "--agency=sai-khao", "--year=2567", "--replace",
        stdout=out,
    )  # fmt: skip
    after = sai_khao(2567)
    assert differences(after, demo("sai-khao-2567")) == []
    assert {k: v for k, v in after.items() if k != "measures"} == {
        k: v for k, v in before.items() if k != "measures"
    }
    assert "มาตรการ 10 รายการ" in out.getvalue()


def test_import_report_creates_a_report_that_does_not_exist(demo_data, seed_004_file):
    call_command(
        "import_report", str(seed_004_file), "--agency=sai-khao", "--year=2568",
        stdout=io.StringIO(),
    )  # fmt: skip
    created = sai_khao(2568)
    assert created["layout"] == "by_issue"
    assert created["digits"] == "thai"
    assert len(created["issue_groups"]) == 7
    assert [m["title"] for m in created["measures"]] == [
        m["title"] for m in demo("sai-khao-2567")["measures"]
    ]
    # Quarters are the quarters of the year imported into.
    assert created["measures"][0]["period"]["start"] == "2024-10-01"


def test_import_report_does_not_replace_measures_unless_told(demo_data, seed_004_file):
    with pytest.raises(CommandError, match="--replace"):
        call_command(
            "import_report", str(seed_004_file), "--agency=sai-khao", "--year=2567",
            stdout=io.StringIO(),
        )  # fmt: skip


def test_import_report_needs_an_existing_agency(demo_data, seed_004_file):
    with pytest.raises(CommandError, match="ไม่พบหน่วยงาน “nowhere”"):
        call_command(
            "import_report", str(seed_004_file), "--agency=nowhere", "--year=2567",
            stdout=io.StringIO(),
        )  # fmt: skip


def test_import_report_explains_an_unreadable_file(demo_data, tmp_path):
    path = tmp_path / "report.docx"
    path.write_text("ไม่ใช่ไฟล์ Word", encoding="utf-8")
    with pytest.raises(CommandError, match="ไม่ใช่ไฟล์ Word"):
        call_command(
            "import_report", str(path), "--agency=sai-khao", "--year=2567", stdout=io.StringIO()
        )
