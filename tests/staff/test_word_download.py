"""Staff download any document they may preview as a Word file, and the approval memo."""

import io
import re
from urllib.parse import unquote

import docx
import pytest
from django.core.management import call_command

from measures.models import Report

pytestmark = pytest.mark.django_db

PASSWORD = "ita-demo-2568"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def report(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    return Report.objects.select_related("agency").get(agency__slug="nong-lom")


def logged_in(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_report_in_any_layout_and_digits_as_word(client, report):
    logged_in(client, "nong-lom-editor")
    url = f"/staff/reports/{report.pk}/preview.docx"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="nong-lom-2568.docx"')
    thai_name = unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition)[1])
    assert thai_name == "รายงานผล-เทศบาลตำบลหนองหล่ม-2568.docx"
    assert "ระยะเวลาดำเนินการ" in text_of(response.content)  # seed 000's table

    narrative = client.get(url, {"layout": "narrative", "digits": "arabic"})
    text = text_of(narrative.content)
    assert "ช่วงระยะเวลาในการดำเนินการ" in text and "2568" in text and "๒๕๖๘" not in text


def test_the_years_other_documents_as_word(client, report):
    logged_in(client, "nong-lom-editor")
    response = client.get(f"/staff/reports/{report.pk}/preview.docx", {"document": "plan"})
    assert 'filename="nong-lom-2568-plan.docx"' in response["Content-Disposition"]
    assert "วัตถุประสงค์" in text_of(response.content)


def test_the_approval_memo_as_word_to_sign(client, report):
    logged_in(client, "nong-lom-approver")
    response = client.get(f"/staff/reports/{report.pk}/approval-memo.docx")
    assert response.status_code == 200
    text = text_of(response.content)
    assert "บันทึกข้อความ" in text and "ขออนุญาตเผยแพร่" in text and "ลงชื่อ" in text
    missing = client.get(f"/staff/reports/{report.pk}/approval-memo.docx", {"version": "9"})
    assert missing.status_code == 404


def test_another_agencys_staff_get_no_word_file(client, report):
    logged_in(client, "sai-khao-editor")
    assert client.get(f"/staff/reports/{report.pk}/preview.docx").status_code in (403, 404)
    assert client.get(f"/staff/reports/{report.pk}/approval-memo.docx").status_code in (403, 404)


def test_the_report_page_offers_the_word_files(client, report):
    logged_in(client, "nong-lom-editor")
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert f"/staff/reports/{report.pk}/preview.docx" in page
    assert f"/staff/reports/{report.pk}/preview.docx?document=plan" in page
    preview = client.get(f"/staff/reports/{report.pk}/preview/").content.decode()
    assert f"/staff/reports/{report.pk}/preview.docx?layout=by_indicator" in preview
