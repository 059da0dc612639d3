"""The Content-Security-Policy in Chromium: the pages people use report no violation, and what
the inline handlers did (the language switcher, the permanent address) still works."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from measures.models import Report
from tests.browser.conftest import CSP_LISTENER, log_in
from tests.factories import publish

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any script of the page, outside its policy (Playwright injects it).


@pytest.fixture
def published(capsys, django_user_model):
    """The seeds, sai-khao's report published, nong-lom's a draft its editor may change."""
    call_command("load_demo", "--seeds-only", "--no-publish")
    admin = django_user_model.objects.get(username="admin")
    publish(Report.objects.get(agency__slug="sai-khao"), admin)


@pytest.fixture
def watched(browser):
    """A page under the portal's policy (tests/browser/conftest.py's page bypasses it), and
    every violation or console error it reports."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page = context.new_page()
    problems = []
    page.add_init_script(CSP_LISTENER)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    # Which address a "Failed to load resource" error was about (Chromium asks for a favicon).
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))

    def check():
        problems.extend(page.evaluate("window.__violations.splice(0)"))
        found = list(problems)
        problems.clear()
        return found

    page.problems = check
    yield page
    context.close()


def visit(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response.ok, url
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    return page.problems()


def test_no_violation_on_the_pages_people_use(watched, live_server, published):
    page = watched
    report = Report.objects.get(agency__slug="nong-lom", fiscal_year__year=2568)
    measure = report.measures.first()
    found = {}
    public = ["/", "/sai-khao/2567/", "/overview/", "/sai-khao/", "/accounts/password_reset/"]
    for path in public:
        found[path] = visit(page, live_server.url + path)

    # The permanent address is selected whole on entering it (was an inline onfocus).
    page.goto(live_server.url + "/sai-khao/2567/")
    page.locator("#permanent").focus()
    selected = page.evaluate(
        "() => { const i = document.getElementById('permanent');"
        " return i.value.substring(i.selectionStart, i.selectionEnd); }"
    )
    assert selected.endswith("/sai-khao/2567/v1/")
    # The QR code is drawn (an inline SVG built from escaped parts).
    assert page.locator(".qr svg path").count() == 1

    # The language switcher applies a choice at once (was an inline onchange).
    page.goto(live_server.url + "/")
    page.locator("#language").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    found["language switch"] = page.problems()
    page.locator("#language").select_option("th")
    expect(page.locator("html")).to_have_attribute("lang", "th")

    log_in(page, live_server, "nong-lom-editor")
    for path in [
        f"/staff/reports/{report.pk}/",
        f"/staff/reports/{report.pk}/preview/",
        f"/staff/reports/{report.pk}/measures/{measure.pk}/",
        f"/staff/reports/{report.pk}/measures/new/",
    ]:
        found[path] = visit(page, live_server.url + path)
    # The measure form's live preview, inserted by script, breaks no rule either.
    page.locator("#id_title").fill("มาตรการทดสอบนโยบายความปลอดภัย")
    expect(page.locator("#measure-preview")).to_contain_text("นโยบายความปลอดภัย")
    found["measure preview"] = page.problems()

    assert {path: problems for path, problems in found.items() if problems} == {}


def test_a_violation_would_be_seen(watched, live_server, published):
    """The listener works: a style attribute added by a script is reported."""
    page = watched
    page.goto(live_server.url + "/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    assert any("style-src" in problem for problem in page.problems())
