"""A Thai official's first week (issue 15.1), in Chromium: where my report stands and what is
asked of me, the menu of my role, the reviewer reading the editors' reason at once, and a login
page like the rest of the site."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from measures.models import MeasureRound, ProgressRound, Report
from publication import services
from tests.browser.conftest import CSP_LISTENER, log_in

pytestmark = pytest.mark.django_db(transaction=True)

ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")


def arabic(text: str) -> str:
    """The page's text with Arabic digits, whichever digits the interface writes."""
    return text.translate(ARABIC)


def returned_with_a_round() -> Report:
    """Non Sung's report, submitted with a reason, returned with two comments (one resolved),
    with a progress round in which two of its measures reported."""
    report = Report.objects.get(agency__slug="non-sung")
    admin = get_user_model().objects.get(username="admin")
    services.report_submit(report=report, user=admin, reason="ส่งย้อนหลัง")
    services.report_return(report=report, user=admin, comment="ขอให้ระบุจำนวนผู้เข้าร่วม")
    resolved = services.comment_add(report=report, user=admin, text="ตรวจคำผิดหน้า ๓")
    services.comment_resolve(comment=resolved, user=admin)
    progress = ProgressRound.objects.create(
        report=report, number=1, label="รอบ ๖ เดือน", as_of=datetime.date(2025, 3, 31)
    )
    for measure, percent in zip(report.measures.order_by("position")[:2], (100, 40), strict=True):
        MeasureRound.objects.create(measure=measure, round=progress, percent=percent)
    return report


def test_my_report_says_it_was_returned_and_what_i_do_next(browser, live_server, demo):
    report = returned_with_a_round()
    measures = report.measures.count()
    late = (timezone.localdate() - report.fiscal_year.oit_deadline).days
    assert late > 0  # the seed's year (2568) is long over

    for width in (1280, 360):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="th-TH")
        page = context.new_page()
        page.add_init_script(CSP_LISTENER)
        log_in(page, live_server, "non-sung-editor")
        card = page.locator(f"article#report-{report.pk}")
        expect(page.locator("article.report-card")).to_have_count(1)  # its one report
        # Returned reads as returned, not as a draft: its own words and colour.
        state = card.locator(".report-state")
        expect(state).to_have_text("ส่งกลับให้แก้ไข")
        assert "text-bg-danger" in state.get_attribute("class")
        text = arabic(card.inner_text())
        assert "สิ่งที่ต้องทำต่อ: แก้ไขตามความเห็นแล้วส่งใหม่" in text
        # One comment still open (the resolved one is not counted), linked to the comments.
        comments = card.get_by_role("link", name="ความเห็นที่ยังไม่ได้แก้ไข")
        assert arabic(comments.inner_text()).startswith("1 ")
        assert comments.get_attribute("href").endswith(f"/staff/reports/{report.pk}/#comments")
        assert f"เลยกำหนด {late} วัน" in text
        assert f"รายงานแล้ว 2 จาก {measures} มาตรการ" in text
        # Nothing wider than a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("window.__violations") == []
        context.close()


def test_each_role_sees_its_own_next_step_and_menu(page, live_server, demo):
    report = Report.objects.get(agency__slug="non-sung")
    admin = get_user_model().objects.get(username="admin")
    services.report_submit(report=report, user=admin, reason="ส่งย้อนหลัง")

    # An editor, who reviews no one, has no review menu; the report waits for review.
    log_in(page, live_server, "non-sung-editor")
    menu = page.get_by_role("navigation", name="หลัก")
    expect(menu.get_by_role("link", name="รายงานของฉัน")).to_be_visible()
    expect(menu.get_by_role("link", name="ตรวจทาน")).to_have_count(0)
    expect(page.locator(".next-step")).to_contain_text("รอการตรวจทาน")
    page.get_by_role("button", name="ออกจากระบบ").click()

    # The approver and the province's reviewer have it, and are asked to review and approve.
    for username in ("non-sung-approver", "non-sung-reviewer"):
        log_in(page, live_server, username)
        expect(menu.get_by_role("link", name="ตรวจทาน")).to_be_visible()
        next_step = page.locator(f"#report-{report.pk} .next-step")
        expect(next_step).to_contain_text("ตรวจและอนุมัติ")
        page.get_by_role("button", name="ออกจากระบบ").click()


def test_the_reviewer_reads_why_it_was_sent_with_gaps_without_opening_anything(
    page, live_server, demo
):
    report = Report.objects.get(agency__slug="non-sung")
    log_in(page, live_server, "non-sung-editor")
    page.goto(f"{live_server.url}/staff/reports/{report.pk}/")
    review = page.get_by_role("region", name="การตรวจทานและการเผยแพร่")
    review.get_by_label("เหตุผลที่ส่งทั้งที่ยังไม่ครบ").fill("ข้อมูลปี ๒๕๖๘ ส่งย้อนหลังตามคำสั่งจังหวัด")
    review.get_by_role("button", name="ส่งตรวจทาน").click()
    page.get_by_role("button", name="ออกจากระบบ").click()

    log_in(page, live_server, "non-sung-reviewer")
    page.goto(f"{live_server.url}/staff/reports/{report.pk}/")
    reason = review.get_by_text("ข้อมูลปี ๒๕๖๘ ส่งย้อนหลังตามคำสั่งจังหวัด", exact=True)
    expect(reason).to_be_visible()  # no panel to expand first
    expect(review.get_by_text("เหตุผลของผู้จัดทำที่ส่งทั้งที่ยังไม่ครบ")).to_be_visible()


def test_the_login_page_looks_like_the_rest_of_the_site(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("header.site-header .brand")).to_have_text("ITA Portal")
    card = page.locator("main .card")
    expect(card).to_be_visible()
    expect(card.get_by_role("heading", name="เข้าสู่ระบบ")).to_be_visible()
    for label in ("ชื่อผู้ใช้", "รหัสผ่าน"):  # Thai labels on Bootstrap fields
        expect(card.get_by_label(label)).to_have_class(re.compile(r"\bform-control\b"))
    expect(card.get_by_role("button", name="เข้าสู่ระบบ")).to_have_class("btn btn-primary w-100")
