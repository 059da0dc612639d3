"""The staff preview of a report, as web page and PDF, for those allowed to see it."""

import re

import pytest
from django.core.management import call_command

from measures.models import Report
from reports.layouts import LAYOUTS
from tests.textmatch import html_text

pytestmark = pytest.mark.django_db

PASSWORD = "ita-demo-2568"


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    return {r.agency.slug: r for r in Report.objects.select_related("agency")}


def logged_in(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def preview_urls(report):
    return [f"/staff/reports/{report.pk}/preview/", f"/staff/reports/{report.pk}/preview.pdf"]


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("nong-lom-editor", True),
        ("nong-lom-approver", True),
        ("nong-lom-reviewer", True),  # reviewer of จังหวัดพะเยา
        ("admin", True),
        ("sai-khao-editor", False),  # another agency's editor
        ("sai-khao-reviewer", False),  # another province's reviewer
    ],
)
def test_preview_is_for_those_who_may_see_the_report(client, demo, username, allowed):
    logged_in(client, username)
    for url in preview_urls(demo["nong-lom"]):
        assert client.get(url).status_code == (200 if allowed else 404), url


def test_anonymous_users_are_sent_to_log_in(client, demo):
    for url in preview_urls(demo["nong-lom"]):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_preview_page_shows_the_document_in_the_site_frame(client, demo):
    page = logged_in(client, "nong-lom-editor").get(preview_urls(demo["nong-lom"])[0])
    html = page.content.decode()
    assert 'class="site-header"' in html and 'class="document layout-by_indicator"' in html
    text = html_text(html)
    assert "เสริมสร้างความรู้ ความเข้าใจด้าน" in text and "ม.ค.-มี.ค. ๒๕๖๘" in text
    # Nothing comes from another site.
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not re.match(r"(https?:)?//", url), url


def test_preview_pdf_is_a_pdf_named_after_the_report(client, demo):
    response = logged_in(client, "admin").get(preview_urls(demo["sai-khao"])[1])
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="sai-khao-2567.pdf"' in response["Content-Disposition"]


def test_any_report_in_any_layout_and_either_digits(client, demo):
    logged_in(client, "admin")
    for report in demo.values():
        titles = [m.title[:20] for m in report.measures.all()]
        for layout in LAYOUTS:
            html = client.get(f"/staff/reports/{report.pk}/preview/?layout={layout}").content
            text = html_text(html.decode())
            assert all(title in text for title in titles), (report, layout)
        arabic = client.get(f"/staff/reports/{report.pk}/preview/?digits=arabic").content.decode()
        document = arabic[arabic.index("<article") : arabic.index("</article>")]
        assert not re.search("[๐-๙]", html_text(document)), report
        assert str(report.fiscal_year.year) in document


def test_unknown_layout_or_digits_fall_back_to_the_report_own(client, demo):
    logged_in(client, "admin")
    html = client.get(f"/staff/reports/{demo['sai-khao'].pk}/preview/?layout=x&digits=y").content
    assert b'class="document layout-by_issue"' in html and "๒๕๖๗".encode() in html
