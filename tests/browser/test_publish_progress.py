"""Publishing answers at once (issue 15.7), in Chromium: the staff's page and the public page say
the version's PDF is being prepared, and show its link by themselves once it is ready."""

import threading

import pytest
from playwright.sync_api import expect

from accounts.models import Membership
from measures.models import Report
from publication import services, tasks
from tests.browser.conftest import watched_page
from tests.factories import MeasureFactory, ReportFactory, UserFactory

# Committed for real: the background thread renders through its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held_render(settings, monkeypatch):
    """No broker, as `make run`: the PDF is rendered by the background thread after the
    response, and waits there until the test lets it go (``release.set()``)."""
    settings.TASKS_INLINE = True
    settings.TASKS_EAGER = False
    release = threading.Event()
    render = services.html_pdf

    def held(*args, **kwargs):
        release.wait(60)
        return render(*args, **kwargs)

    monkeypatch.setattr(services, "html_pdf", held)
    yield release
    release.set()
    tasks.background_idle()


def test_publish_shows_the_pdf_being_prepared_then_its_link(browser, live_server, held_render):
    report = ReportFactory(agency__slug="nong-lom")
    MeasureFactory.create_batch(3, report=report)
    Report.objects.filter(pk=report.pk).update(state=Report.State.APPROVED)
    approver = UserFactory(username="nong-lom-approver")
    Membership.objects.create(user=approver, agency=report.agency, role=Membership.Role.APPROVER)

    staff, staff_errors = watched_page(browser, live_server, approver)
    citizen, citizen_errors = watched_page(browser, live_server)

    staff.goto(f"{live_server.url}/staff/reports/{report.pk}/")
    review = staff.get_by_role("region", name="การตรวจทานและการเผยแพร่")
    review.get_by_role("button", name="เผยแพร่").click()

    # The answer came while the PDF is still held: the version is there, its PDF on its way.
    staff.wait_for_url(f"**/staff/reports/{report.pk}/")
    versions = review.locator(".pdf-status")  # the first version's PDF, in its list
    expect(versions.get_by_text("กำลังจัดทำ PDF")).to_be_visible()
    expect(versions.get_by_role("link", name="PDF", exact=True)).to_be_hidden()
    citizen.goto(f"{live_server.url}/nong-lom/2568/")
    toolbar = citizen.locator(".toolbar")
    expect(toolbar.get_by_text("กำลังจัดทำ PDF")).to_be_visible()
    expect(toolbar.get_by_role("link", name="PDF", exact=True)).to_be_hidden()
    for page in (staff, citizen):
        page.evaluate("window.__drawn = 'once'")  # gone if the page were reloaded

    held_render.set()
    for page, where in ((staff, versions), (citizen, toolbar)):
        link = where.get_by_role("link", name="PDF", exact=True)
        expect(link).to_be_visible(timeout=60_000)
        expect(where.get_by_text("กำลังจัดทำ PDF")).to_have_count(0)
        assert page.evaluate("window.__drawn") == "once"  # no reload: the page updated itself
        pdf = page.request.get(live_server.url + link.get_attribute("href"))
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
        assert page.evaluate("window.__violations") == []
    assert staff_errors == [] and citizen_errors == []

    # A visitor now gets the link in the page itself (the page drawn while waiting was not kept).
    fresh = browser.new_context(locale="th-TH").new_page()
    fresh.goto(f"{live_server.url}/nong-lom/2568/")
    expect(fresh.locator(".toolbar").get_by_role("link", name="PDF", exact=True)).to_be_visible()
    expect(fresh.get_by_text("กำลังจัดทำ PDF")).to_have_count(0)
