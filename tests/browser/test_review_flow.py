"""From draft to the citizen's screen, clicked through in Chromium by four people."""

import pytest
from django.core.management import call_command

from measures.models import Report
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")


def open_report(page, live_server, report):
    page.goto(f"{live_server.url}/staff/reports/{report.pk}/")


def log_out(page):
    page.get_by_role("button", name="ออกจากระบบ").click()


def review(page):
    """The report's own review, apart from the year's other documents on the same page."""
    return page.get_by_role("region", name="การตรวจทานและการเผยแพร่")


def test_submit_return_fix_resubmit_approve_publish_and_the_citizen_sees_it(
    browser, live_server, demo
):
    report = Report.objects.get(agency__slug="non-sung")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    # The editor submits. Seed 002 lacks nothing, but its year's OIT deadline has passed:
    # submitting anyway needs a reason.
    log_in(page, live_server, "non-sung-editor")
    open_report(page, live_server, report)
    assert page.get_by_text("เลยกำหนดเปิดเผยข้อมูล OIT").is_visible()
    review(page).get_by_role("button", name="ส่งตรวจทาน").click()
    assert page.get_by_text("กรุณาแก้ไข หรือระบุเหตุผล").is_visible()
    review(page).get_by_label("เหตุผลที่ส่งทั้งที่ยังไม่ครบ").fill("รายงานย้อนหลังของปี ๒๕๖๘")
    review(page).get_by_role("button", name="ส่งตรวจทาน").click()
    assert page.get_by_text("ส่งตรวจแล้ว").first.is_visible()
    log_out(page)

    # The reviewer of the province returns it with a comment.
    log_in(page, live_server, "non-sung-reviewer")
    page.get_by_role("link", name="ตรวจทาน").click()
    page.get_by_role("region", name="รอท่านตรวจทาน").get_by_role("link", name="เปิด").click()
    review(page).get_by_label("ความเห็นถึงผู้จัดทำ").fill("ขอให้ระบุจำนวนผู้เข้าร่วมในผลการดำเนินการ")
    review(page).get_by_role("button", name="ส่งกลับพร้อมความเห็น").click()
    assert page.get_by_text("ส่งกลับให้แก้ไข").first.is_visible()
    log_out(page)

    # The editor reads the comment, fixes a measure, resolves the comment and resubmits.
    log_in(page, live_server, "non-sung-editor")
    open_report(page, live_server, report)
    comments = page.get_by_role("region", name="ความเห็น")
    assert comments.get_by_text("ขอให้ระบุจำนวนผู้เข้าร่วมในผลการดำเนินการ").is_visible()
    second = report.measures.get(position=2)
    page.locator(f"#measure-{second.pk}").get_by_role("link", name="แก้ไข").click()
    outputs = page.locator('fieldset[data-prefix="outputs"] tbody tr')
    outputs.last.locator("textarea").fill("มีผู้เข้าร่วมประชุม ๔๕ คน")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_role("button", name="แก้ไขแล้ว").click()
    review(page).get_by_label("เหตุผลที่ส่งทั้งที่ยังไม่ครบ").fill("แก้ไขตามความเห็นแล้ว")
    review(page).get_by_role("button", name="ส่งตรวจทาน").click()
    log_out(page)

    # The head of the agency approves; the report is then published.
    log_in(page, live_server, "non-sung-approver")
    open_report(page, live_server, report)
    review(page).get_by_role("button", name="อนุมัติ").click()
    assert page.get_by_text("อนุมัติแล้ว").first.is_visible()
    review(page).get_by_role("button", name="เผยแพร่").click()
    assert page.get_by_text("เผยแพร่แล้ว").first.is_visible()
    log_out(page)

    # A citizen, not logged in, reads it at its public address.
    citizen = browser.new_context().new_page()
    response = citizen.goto(f"{live_server.url}/non-sung/2568/")
    assert response.status == 200
    assert citizen.get_by_text("มีผู้เข้าร่วมประชุม ๔๕ คน").is_visible()
    pdf = citizen.request.get(f"{live_server.url}/non-sung/2568.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
