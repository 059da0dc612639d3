"""The page of a large import in Chromium, under the portal's Content-Security-Policy: the
<progress> bar follows the task's count, and the page says how the import ended."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.models import Membership
from measures.models import ImportJob
from tests.browser.conftest import watched_page
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_bar_follows_the_import_and_the_page_says_when_it_ended(browser, live_server):
    report = ReportFactory()
    user = UserFactory()
    Membership.objects.create(user=user, agency=report.agency, role=Membership.Role.EDITOR)
    job = ImportJob.objects.create(
        report=report, user=user, state=ImportJob.State.RUNNING, total=40
    )
    cache.set(job.progress_key, 10)  # what the task counted so far (services.imports)
    page, errors = watched_page(browser, live_server, user)
    page.goto(f"{live_server.url}/staff/reports/{report.pk}/import/{job.pk}/")
    bar = page.locator("progress#import-job-bar")
    expect(bar).to_have_attribute("max", "40")
    expect(bar).to_have_attribute("value", "10")

    cache.set(job.progress_key, 25)
    expect(bar).to_have_attribute("value", "25", timeout=5000)
    # The Thai interface writes Thai digits.
    expect(page.locator("#import-job-done")).to_have_text("๒๕")

    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.DONE, done=40)
    cache.delete(job.progress_key)
    # Once it ended, the page is drawn again and says so, with the way to the report.
    link = page.locator(f'a[href="/staff/reports/{report.pk}/"].btn')
    expect(link).to_be_visible(timeout=5000)
    expect(bar).to_have_attribute("value", "40")
    assert page.evaluate("window.__violations") == [] and errors == []
