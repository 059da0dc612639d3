"""The portal's own open-data table (measures.report_format.CSV_COLUMNS) read back by the importer,
and the cells such a table holds: items one a line, without their numbers."""

from measures.importers import parse_table_text
from measures.importers.cells import _split_items

HEADER = (
    "agency_slug\tagency_name\tprovince\tdistrict\tkind\tfiscal_year\tversion\tmeasure\tindicator"
    "\tissue_group\tissue_group_title\ttitle\tsteps\toutputs\toutcomes\tperiod\tperiod_start"
    "\tperiod_end\tresponsible_main\tresponsible_supporting\tprogress\thtml"
)
INDICATORS = {1: "การปฏิบัติหน้าที่", 9: "การเปิดเผยข้อมูล"}


def test_a_lone_number_inside_a_line_numbers_nothing():
    cell = "มีแนวทางปฏิบัติ\nมีการเผยแพร่ข้อมูลข้อ ๑) - ๗) บนหน้าเว็บไซต์"
    split = _split_items(cell)
    assert split.kind == "paragraphs"
    assert [item["text"] for item in split.items] == cell.split("\n")
    assert _split_items("๑) แผน\n๒) รายงาน").kind == "numbered"  # numbers that start lines


def test_the_open_data_columns_import_with_the_ones_it_does_not_read_left_aside():
    row = (
        "sai-khao\tเทศบาลตำบลทรายขาว\tกระบี่\tคลองท่อม\tsubdistrict_municipality\t2567\t1\t1\t9"
        "\t2\tการให้บริการ\tจัดทำคู่มือ\tขั้นหนึ่ง\tผลหนึ่ง\tลัพธ์หนึ่ง\tไตรมาสที่ ๑ - ๒\t2023-10-01"
        "\t2024-03-31\tปลัด\tนิติกร\tin_progress\thttps://example.org/sai-khao/2567/"
    )
    result = parse_table_text(f"{HEADER}\n{row}", 2567, INDICATORS)
    assert result.problems == []
    (measure,) = result.measures
    assert measure["title"] == "จัดทำคู่มือ"
    assert measure["indicator"] == {"number": 9, "label": ""}  # a bare number names it
    assert measure["issue_group"] == 2
    assert result.issue_groups == [{"number": 2, "title": "การให้บริการ"}]
    assert measure["responsible"] == {"main": ["ปลัด"], "supporting": ["นิติกร"]}
    assert measure["progress"] == "in_progress"
    assert measure["outputs"] == [{"label": "", "text": "ผลหนึ่ง"}]  # not "in_progress"
