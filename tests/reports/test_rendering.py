"""The documents as a citizen gets them: PDF read back with poppler, the page's text."""

import re

import pytest

from measures import thai
from tests.pdftools import pdf_fonts, pdf_pages, pdf_text
from tests.textmatch import (
    ITEM_NUMBER,
    SEED_FILES,
    html_text,
    seed_words,
    squash,
    words_in_order,
)

# pytest-django sets up the test database only for modules whose tests ask for it: the seeds
# are written into it by the module fixture (tests/reports/conftest.py).
pytestmark = pytest.mark.django_db

TONE_AND_AM = re.compile("[ำ่้๊๋]")
TABLE_HEADERS = {
    "by_indicator": "ตัวชี้วัดมาตรการขั้นตอนหรือวิธีการปฏิบัติ",
    "measures_progress": "ลำดับมาตรการ/กิจกรรมวิธีดำเนินการ",
    "memo_table": "มาตรการ/กิจกรรมขั้นตอนและวิธีการปฏิบัติ",
    "by_issue": "ลำดับมาตรการ/กิจกรรมระยะเวลาในการดำเนินการ",
}
PROGRESS_HEADER = "ตัวชี้วัดแนวทางในการยกระดับการประเมิน"


def assert_holds_seed(key: str, text: str) -> None:
    words = seed_words(key, drop_repeated_lines=True)
    ratio, missing = words_in_order(words, text)
    assert ratio >= 0.99, (ratio, missing[:40])
    # Every word with sara am or a tone mark, in particular, comes back as written (a word
    # missed only for the original's own item number, as "๕." for our "๔.", is there).
    text = squash(text)
    lost = [w for w in missing if TONE_AND_AM.search(w) and ITEM_NUMBER.sub("", w) not in text]
    assert not lost, lost


@pytest.mark.parametrize("key", SEED_FILES)
def test_pdf_text_holds_the_seed_words_in_order(seed_documents, key):
    assert_holds_seed(key, pdf_text(seed_documents[key]["pdf"]))


@pytest.mark.parametrize("key", SEED_FILES)
def test_html_text_holds_the_seed_words_in_order(seed_documents, key):
    assert_holds_seed(key, html_text(seed_documents[key]["html"]))


@pytest.mark.parametrize("key", SEED_FILES)
def test_pdf_uses_sarabun_only(seed_documents, key):
    assert pdf_fonts(seed_documents[key]["pdf"]) == ["Sarabun", "Sarabun-Bold"]


def test_sara_am_and_tone_marks_are_extracted_as_typed(seed_documents):
    text = pdf_text(seed_documents["nong-lom-2568"]["pdf"])
    for word in ("ดำเนินการ", "กำหนด", "ผู้บริหาร", "ประจำเดือน", "สำนักปลัดเทศบาล", "ต่อต้าน"):
        assert word in text
    # Without the fix these come out as ดาเนินการ / กาหนด.
    assert "ดาเนินการ" not in text and "กาหนด" not in text
    assert text.count("ำ") >= html_text(seed_documents["nong-lom-2568"]["html"]).count("ำ")


def table_pages(pages: list[str], header: str) -> list[tuple[int, str]]:
    """The pages from the first that shows the header to the end."""
    first = next(i for i, page in enumerate(pages) if header in squash(page))
    return list(enumerate(pages))[first:]


@pytest.mark.parametrize("key", [k for k in SEED_FILES if not k.startswith("non-sung")])
def test_every_page_of_a_table_layout_repeats_the_header_row(seed_documents, key):
    document = seed_documents[key]
    header = TABLE_HEADERS[document["layout"]]
    pages = pdf_pages(document["pdf"])
    for number, page in table_pages(pages, header):
        assert header in squash(page) or PROGRESS_HEADER in squash(page), f"page {number + 1}"


def test_page_numbers_are_thai_from_the_second_page(seed_documents):
    pages = pdf_pages(seed_documents["sai-khao-2567"]["pdf"])
    assert not pages[0].lstrip().startswith("- ๑ -")
    for number, page in enumerate(pages[1:], start=2):
        # "- ๒ -" (pdftotext takes the closing dash for a hyphen when a line follows)
        assert page.lstrip().startswith(f"- {thai.number(number)} "), number


def test_the_layout_numbers_items_and_writes_periods(seed_documents):
    text = pdf_text(seed_documents["sai-khao-2567"]["pdf"])
    assert "๑) มีคู่มือหรือมาตรฐานการปฏิบัติงาน" in text  # results numbered "๑)"
    assert "ไตรมาสที่ ๑ - ๒" in text
    assert "ประเด็นที่ ๗ กลไกและมาตรการในการแก้ไขและป้องกันการทุจริตภายในหน่วยงาน" in text
    assert "(ต่อ)" in text  # the agency's own continuation row
    memo = pdf_pages(seed_documents["nong-samet-2567"]["pdf"])[0]
    assert "บันทึกข้อความ" in memo and "๑๔ มกราคม ๒๕๖๘" in memo
    assert "(นางสาวนัทธมน ชำปฏี)" in memo
