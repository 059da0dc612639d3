"""What the staff read after a move and beside a field (issue 15, item 2): said once, in Thai."""

import re

import pytest
from django.core.management import call_command
from django.utils import translation

from measures.models import DocumentKind, Report
from publication.workflow import ACTIONS
from staff.measure_form import TEXT_LIMIT
from tests.staff.test_views import measure_post

pytestmark = pytest.mark.django_db
PASSWORD = "ita-demo-2568"


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    return Report.objects.get(agency__slug="nong-lom")


def _message(response) -> str:
    """The page's message after a move, as the staff read it."""
    found = re.search(
        r'class="alert alert-success[^"]*"[^>]*>(.*?)</div>', response.content.decode()
    )
    assert found, "no message after the move"
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip()


def test_each_move_says_what_was_done_once(demo, client):
    url = f"/staff/reports/{demo.pk}/transition/"
    client.login(username="nong-lom-editor", password=PASSWORD)
    submitted = client.post(url, {"action": "submit", "reason": "ตามต้นฉบับ"}, follow=True)
    assert _message(submitted) == "ส่งรายงานให้ตรวจแล้ว"

    client.login(username="nong-lom-approver", password=PASSWORD)
    returned = client.post(url, {"action": "return", "reason": "เพิ่มผลลัพธ์"}, follow=True)
    assert _message(returned) == "ส่งรายงานกลับให้ผู้จัดทำแก้ไขแล้ว"

    client.login(username="nong-lom-editor", password=PASSWORD)
    client.post(url, {"action": "submit", "reason": "แก้ไขแล้ว"}, follow=True)
    client.login(username="nong-lom-approver", password=PASSWORD)
    approved = client.post(url, {"action": "approve"}, follow=True)
    assert _message(approved) == "อนุมัติรายงานแล้ว"
    for page in (submitted, returned, approved):
        assert "แล้ว แล้ว" not in page.content.decode()


def test_no_message_of_a_move_says_done_twice():
    # A state's label already says "done" in Thai ("ส่งตรวจแล้ว"): a sentence around one must
    # not say it again, for the report or any other document of the year.
    with translation.override("th"):
        for action in ACTIONS.values():
            messages = [str(action.done)] + [
                str(action.done_document) % {"document": kind.label} for kind in DocumentKind
            ]
            for message in messages:
                assert message and message.count("แล้ว") <= 1, message
                assert not re.search(r"[A-Za-z]{3}", message), message  # translated


@pytest.fixture
def editor(demo, client):
    demo.state = Report.State.DRAFT
    demo.save()
    client.login(username="nong-lom-editor", password=PASSWORD)
    return client


def test_too_long_text_is_refused_in_thai_beside_the_field_and_kept(editor, demo):
    typed = "ก" * 20_000
    response = editor.post(f"/staff/reports/{demo.pk}/measures/new/", measure_post(objective=typed))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value" not in page
    assert "ยาวเกินไป: ไม่เกิน ๕,๐๐๐ ตัวอักษร (พิมพ์มา ๒๐,๐๐๐)" in page
    # Beside the field, and the field holds all that was typed: nothing is cut.
    field = re.search(r'<textarea[^>]*name="objective"[^>]*>([^<]*)</textarea>', page)
    assert field and field.group(1).strip() == typed
    tag = field.group(0)
    assert "maxlength=" not in tag.replace("data-maxlength=", "")
    assert f'data-maxlength="{TEXT_LIMIT}"' in tag
    assert page.index("ยาวเกินไป") > page.index('name="objective"')


def test_too_long_text_in_english(editor, demo):
    editor.cookies["django_language"] = "en"
    response = editor.post(
        f"/staff/reports/{demo.pk}/measures/new/", measure_post(objective="a" * 20_000)
    )
    assert "Too long: at most 5,000 characters (you typed 20,000)." in response.content.decode()


def test_the_report_form_says_it_too(editor, demo):
    response = editor.post(
        f"/staff/reports/{demo.pk}/edit/", {"memo_reference": "ท" * 150, "title": "ชื่อ"}
    )
    page = response.content.decode()
    assert "Ensure this value" not in page
    assert "ยาวเกินไป: ไม่เกิน ๑๐๐ ตัวอักษร (พิมพ์มา ๑๕๐)" in page
