"""Importing measures through the web: paste or upload, see what will be created, confirm."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from measures.models import Change, MeasureItem, Report
from measures.wrapspace import count_wrap_spaces
from tests.measures.importer_seeds import seed_docx, seed_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    assert client.login(username="nong-samet-editor", password="ita-demo-2568")
    return client


@pytest.fixture
def report():
    return Report.objects.get(agency__slug="nong-samet")


def test_pasted_rows_are_previewed_then_created(editor, report):
    url = f"/staff/reports/{report.pk}/import/"
    pasted = "\n".join(seed_lines("nong-samet-2567"))
    preview = editor.post(url, {"text": pasted, "replace": "on"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "จะสร้างมาตรการ ๒ รายการ" in html
    assert "การเผยแพร่และประชาสัมพันธ์ข้อมูลข่าวสารที่สามารถเข้าถึงได้ง่าย" in html
    titles = list(report.measures.values_list("title", flat=True))
    report.measures.all().delete()  # nothing is written before the confirmation
    assert not report.measures.exists()

    payload = preview.context["preview"]["payload"]
    # As a browser sends it: the box that joins the seed's wrap-spaces is ticked by default.
    done = editor.post(url, {"confirm": "1", "payload": payload, "join_wrap_spaces": "1"})
    assert done.status_code == 302
    assert list(report.measures.values_list("title", flat=True)) == titles
    steps = report.measures.first().items.filter(kind="step")
    assert steps.count() == 5 and steps.get(position=4).new_row  # the continuation row
    assert Change.objects.filter(report=report, action="imported").exists()


def test_a_word_document_with_the_report_tables(editor, capsys):
    report = Report.objects.get(agency__slug="nong-lom")
    editor.logout()
    editor.login(username="nong-lom-editor", password="ita-demo-2568")
    upload = SimpleUploadedFile("report.docx", seed_docx("nong-lom-2568"))
    preview = editor.post(f"/staff/reports/{report.pk}/import/", {"file": upload})
    assert "จะสร้างมาตรการ ๗ รายการ" in preview.content.decode()


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (120 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.docx", b"not a zip at all", "ไฟล์"),
        ("report.docx", b"PK\x03\x04 broken", "ไฟล์"),
        ("report.docx", zip_bomb(), "ไฟล์"),
        ("report.pdf", b"%PDF-1.7", ".docx"),
        ("empty.csv", b"", "ไฟล์"),
    ],
)
def test_bad_files_get_a_thai_message_not_a_server_error(editor, report, name, content, message):
    count = report.measures.count()
    response = editor.post(
        f"/staff/reports/{report.pk}/import/", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("file", []))
    assert message in errors, errors
    assert report.measures.count() == count


def test_html_and_script_in_pasted_cells_are_not_stored(editor, report):
    header = "มาตรการ/กิจกรรม\tขั้นตอนและวิธีการปฏิบัติ\tระยะเวลา\tผู้รับผิดชอบ\tสรุปผล\tผลลัพธ์"
    row = "<script>alert(1)</script>มาตรการทดสอบ\t<b>ขั้น:</b> ทำงาน\tตลอดปีงบประมาณ\tทุกกอง\tทำแล้ว\tดี"
    preview = editor.post(
        f"/staff/reports/{report.pk}/import/", {"text": f"{header}\n{row}", "replace": "on"}
    )
    payload = preview.context["preview"]["payload"]
    editor.post(f"/staff/reports/{report.pk}/import/", {"confirm": "1", "payload": payload})
    measure = report.measures.get()
    assert "<" not in measure.title and "script" not in measure.title
    step = measure.items.get(kind="step")
    assert (step.label, step.text) == ("ขั้น:", "ทำงาน")


def test_a_tampered_preview_is_refused(editor, report):
    response = editor.post(
        f"/staff/reports/{report.pk}/import/", {"confirm": "1", "payload": "forged"}
    )
    assert response.status_code == 302
    assert report.measures.count() == 2


# -- The spaces a PDF left where lines wrapped: offered to be joined -------------------------


def _texts(report) -> list[str]:
    titles = list(report.measures.values_list("title", flat=True))
    items = MeasureItem.objects.filter(measure__report=report).values_list("text", flat=True)
    return titles + list(items)


def _preview(editor, report):
    url = f"/staff/reports/{report.pk}/import/"
    preview = editor.post(url, {"text": "\n".join(seed_lines("nong-samet-2567")), "replace": "on"})
    assert preview.status_code == 200
    return url, preview


def test_the_preview_offers_the_join_ticked_with_examples(editor, report):
    _, preview = _preview(editor, report)
    html = preview.content.decode()
    found = preview.context["preview"]["wrap_spaces"]
    assert found > 0
    assert 'name="join_wrap_spaces"' in html and "checked" in html
    before, after = preview.context["preview"]["wrap_examples"][0]
    assert f"{before} → {after}" in html and " " in before and len(after) == len(before) - 1


def test_confirming_with_the_box_ticked_joins_them(editor, report):
    url, preview = _preview(editor, report)
    payload = preview.context["preview"]["payload"]
    done = editor.post(url, {"confirm": "1", "payload": payload, "join_wrap_spaces": "1"})
    assert done.status_code == 302
    texts = _texts(report)
    assert texts and sum(count_wrap_spaces(text) for text in texts) == 0


def test_unticked_the_text_is_kept_as_read(editor, report):
    url, preview = _preview(editor, report)
    payload = preview.context["preview"]["payload"]
    done = editor.post(url, {"confirm": "1", "payload": payload})
    assert done.status_code == 302
    assert sum(count_wrap_spaces(text) for text in _texts(report)) > 0
