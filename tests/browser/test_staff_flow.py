"""An editor's morning, clicked through in Chromium."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from measures.fiscal import fiscal_year_of
from measures.models import Report
from measures.thai import number
from tests.browser.conftest import log_in
from tests.pdftools import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")


def type_lines(page, fieldset: str, lines: list[str]) -> None:
    """Type lines into a list the way a person does: Enter after each starts the next."""
    box = page.locator(f'fieldset[data-prefix="{fieldset}"] textarea.item-text').first
    box.click()
    for index, line in enumerate(lines):
        page.keyboard.type(line)
        if index < len(lines) - 1:
            page.keyboard.press("Enter")


def test_editor_rolls_forward_adds_a_measure_reorders_and_sees_it_in_the_pdf(
    page, live_server, demo, tmp_path
):
    log_in(page, live_server, "kaset-phatthana-editor")

    # Roll last year's (2566) report forward into 2567.
    page.get_by_label("ปีงบประมาณ").select_option(label="๒๕๖๗")
    page.get_by_label("รายงานปีก่อน").check()
    page.get_by_role("button", name="สร้างรายงาน").click()
    page.wait_for_url("**/staff/reports/*/")
    report = Report.objects.get(agency__slug="kaset-phatthana", fiscal_year__year=2567)
    assert page.locator(".list-group-item").count() == 5  # last year's five measures

    # A new measure with three steps, two labelled outputs and an outcome.
    page.get_by_role("link", name="เพิ่มมาตรการ").click()
    page.locator("#id_title").fill("จัดทำคู่มือการใช้ทรัพย์สินของทางราชการ")
    page.get_by_label("รูปแบบการเขียนระยะเวลา").select_option("quarters")
    page.get_by_label("ตั้งแต่ไตรมาสที่").select_option("1")
    page.get_by_label("ถึงไตรมาสที่").select_option("2")
    page.get_by_role("group", name="ผู้รับผิดชอบ", exact=True).get_by_label("กองคลัง").first.check()
    type_lines(page, "steps", ["ร่างคู่มือ", "เสนอผู้บริหาร", "เผยแพร่บนเว็บไซต์"])
    outputs = page.locator('fieldset[data-prefix="outputs"] tbody tr')
    outputs.nth(0).locator("input[type=text]").fill("คู่มือ:")
    outputs.nth(0).locator("textarea").fill("จัดทำแล้ว ๑ ฉบับ")
    outputs.nth(1).locator("input[type=text]").fill("การเผยแพร่:")
    outputs.nth(1).locator("textarea").fill("เผยแพร่บนเว็บไซต์หลัก")
    page.locator('fieldset[data-prefix="outcomes"] textarea').first.fill(
        "บุคลากรใช้ทรัพย์สินของราชการถูกต้อง"
    )

    # Reorder: drag the last step to the top.
    steps = page.locator('fieldset[data-prefix="steps"] tbody tr')
    assert steps.count() >= 3
    # Chromium's synthetic HTML5 drag sometimes starts too late to register: try again.
    for _attempt in range(3):
        steps.nth(2).drag_to(steps.nth(0), target_position={"x": 20, "y": 2})
        page.wait_for_timeout(200)
        if steps.nth(0).locator("textarea").input_value() == "เผยแพร่บนเว็บไซต์":
            break
    orders = [steps.nth(i).locator(".order-input").input_value() for i in range(3)]
    texts = [steps.nth(i).locator("textarea").input_value() for i in range(3)]
    assert texts == ["เผยแพร่บนเว็บไซต์", "ร่างคู่มือ", "เสนอผู้บริหาร"] and orders == ["1", "2", "3"]

    # The live preview shows the measure as the report will.
    page.wait_for_function(
        "document.querySelector('#measure-preview').textContent.includes('จัดทำคู่มือการใช้ทรัพย์สิน')"
    )

    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_url("**/staff/reports/*/#measure-*")
    assert "จัดทำคู่มือการใช้ทรัพย์สินของทางราชการ" in page.content()

    # The PDF preview has it, steps in the new order, outputs with their labels.
    pdf = tmp_path / "preview.pdf"
    pdf.write_bytes(
        page.request.get(f"{live_server.url}/staff/reports/{report.pk}/preview.pdf").body()
    )
    text = " ".join(pdf_text(pdf).split())
    assert "จัดทำคู่มือการใช้ทรัพย์สินของทางราชการ" in text
    first, second, third = (text.find(s) for s in ("เผยแพร่บนเว็บไซต์", "ร่างคู่มือ", "เสนอผู้บริหาร"))
    assert -1 < first < second < third
    assert "คู่มือ: จัดทำแล้ว ๑ ฉบับ" in text and "ไตรมาสที่ ๑ - ๒" in text


def test_another_agencys_editor_gets_nothing_from_any_url_of_the_report(page, live_server, demo):
    report = Report.objects.get(agency__slug="kaset-phatthana")
    measure = report.measures.first()
    log_in(page, live_server, "sai-khao-editor")
    base = f"{live_server.url}/staff/reports/{report.pk}"
    for path in [
        "/",
        "/edit/",
        "/history/",
        "/preview/",
        "/preview.pdf",
        "/measures/new/",
        f"/measures/{measure.pk}/",
        f"/measures/{measure.pk}/delete/",
    ]:
        response = page.goto(base + path)
        assert response.status in (403, 404), path
        assert report.agency.name not in page.content(), path


def test_editor_starts_this_years_report_from_last_years_without_an_administrator(
    page, live_server, demo
):
    """The current fiscal year is open after load_demo: the editor needs nobody to start it."""
    current = fiscal_year_of(timezone.localdate())
    log_in(page, live_server, "nong-lom-editor")
    year = page.get_by_label("ปีงบประมาณ")
    assert number(current) in year.locator("option:checked").inner_text()  # this year comes first
    page.get_by_label("รายงานปีก่อน").check()
    page.get_by_role("button", name="สร้างรายงาน").click()
    page.wait_for_url("**/staff/reports/*/")
    report = Report.objects.get(agency__slug="nong-lom", fiscal_year__year=current)
    last = Report.objects.get(agency__slug="nong-lom", fiscal_year__year=2568)
    assert page.locator(".list-group-item").count() == last.measures.count() == 7
    moved = report.measures.get(position=1)
    before = last.measures.get(position=1)
    assert moved.title == before.title
    years = current - 2568
    assert moved.period_start == before.period_start.replace(year=before.period_start.year + years)
