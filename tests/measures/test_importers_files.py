"""The importer and files: Word tables, and files that are not what they claim."""

import io
import re
import zipfile

import docx
import pytest

from measures.importers import ReportImportError, parse_docx, parse_file
from tests.measures.importer_seeds import docx_bytes

THAI = re.compile("[\u0e00-\u0e7f]")


# -- Word documents ----------------------------------------------------------------------------


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
