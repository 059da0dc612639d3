"""Issue 15.8 in a browser: the editor of a report set out in a table per indicator sees, before
submitting, that a measure has no indicator, and the link takes them to that measure."""

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from measures import thai
from measures.models import Report
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")


def test_the_editor_sees_a_measure_without_an_indicator_and_goes_to_it(page, live_server, demo):
    report = Report.objects.get(agency__slug="nong-lom")
    measure = report.measures.order_by("position")[2]
    measure.indicator, measure.indicator_label = None, ""
    measure.save()
    with translation.override("th"):
        expected = gettext(
            "Measure %(number)s has no indicator, and the report's layout sets out its "
            "measures in a table per indicator."
        ) % {"number": thai.ui_digits(3)}

    log_in(page, live_server, "nong-lom-editor")
    page.goto(f"{live_server.url}/staff/reports/{report.pk}/")
    finding = page.locator(".oit-findings li", has_text=expected)
    assert finding.count() == 1
    finding.get_by_role("link").click()
    page.wait_for_url(f"**/staff/reports/{report.pk}/measures/{measure.pk}/")
    assert page.locator("#id_title").input_value() == measure.title
