"""The page of a long report's preview PDF in Chromium, under the portal's Content-Security-Policy:
the <progress> bar follows the render, and the PDF downloads by itself once it is ready."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.models import Membership
from publication import previews
from tests.browser.conftest import watched_page
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_bar_follows_the_render_and_the_pdf_downloads_when_ready(browser, live_server):
    report = ReportFactory(agency__slug="nong-lom")
    user = UserFactory()
    Membership.objects.create(user=user, agency=report.agency, role=Membership.Role.EDITOR)
    job = previews.preview_job_new(report=report)
    key = previews._key(job["token"])
    cache.set(key, {**job, "state": "running", "percent": 30, "pages": 12, "updated": 9e12})
    page, errors = watched_page(browser, live_server, user, accept_downloads=True)
    page.goto(f"{live_server.url}/staff/reports/{report.pk}/preview/pdf/{job['token']}/")
    bar = page.locator("progress#render-job-bar")
    expect(bar).to_have_attribute("value", "30")
    download_link = page.locator("#render-job-download")
    expect(download_link).to_be_hidden()

    cache.set(key, {**cache.get(key), "percent": 60, "pages": 40})
    expect(bar).to_have_attribute("value", "60", timeout=5000)
    # The Thai interface writes Thai digits.
    expect(page.locator("#render-job-done")).to_have_text("๖๐")

    with page.expect_download(timeout=10000) as download:
        cache.set(key + ":pdf", b"%PDF-1.7 test")
        cache.set(key, {**cache.get(key), "state": "done", "percent": 100})
    assert download.value.suggested_filename == "nong-lom-2568.pdf"
    expect(download_link).to_be_visible()
    expect(bar).to_have_attribute("value", "100")
    assert page.evaluate("window.__violations") == [] and errors == []
