"""A text over its limit, in Chromium: counted while typed, never cut, refused in Thai on save."""

import pytest
from django.core.management import call_command

from measures.models import Report
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def report(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    return Report.objects.get(agency__slug="nong-lom")


def test_the_objective_counts_down_warns_past_the_limit_and_keeps_every_character(
    page, live_server, report
):
    log_in(page, live_server, "nong-lom-editor")
    page.goto(f"{live_server.url}/staff/reports/{report.pk}/measures/new/")
    objective = page.locator("#id_objective")
    count = page.locator("#id_objective-count")

    objective.fill("ก" * 4_990)
    assert count.inner_text() == "เหลืออีก ๑๐ ตัวอักษร"
    # Pasted past the limit: the browser keeps it all (no maxlength), the count warns.
    objective.fill("ก" * 5_010)
    assert len(objective.input_value()) == 5_010
    assert count.inner_text() == "เกินมา ๑๐ ตัวอักษร: ตัดให้สั้นลงจึงจะบันทึกได้"
    assert "text-danger" in count.get_attribute("class")

    page.locator("#id_title").fill("มาตรการที่มีวัตถุประสงค์ยาวเกิน")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_load_state()
    assert "ยาวเกินไป: ไม่เกิน ๕,๐๐๐ ตัวอักษร (พิมพ์มา ๕,๐๑๐)" in page.content()
    assert len(page.locator("#id_objective").input_value()) == 5_010  # nothing typed is lost
    # Already over when the page comes back: the count says so before anything is typed.
    assert page.locator("#id_objective-count").inner_text().startswith("เกินมา ๑๐ ตัวอักษร")


def test_a_new_line_of_a_list_counts_too(page, live_server, report):
    log_in(page, live_server, "nong-lom-editor")
    page.goto(f"{live_server.url}/staff/reports/{report.pk}/measures/new/")
    page.locator('fieldset[data-prefix="steps"] .add-item').click()  # a line added by script
    line = page.locator('fieldset[data-prefix="steps"] textarea.item-text').last
    line.fill("ข" * 5_001)
    counter = page.locator(f"#{line.get_attribute('id')}-count")
    assert counter.inner_text().startswith("เกินมา ๑ ตัวอักษร")
