"""A real browser: Debian's Chromium driven by Playwright against the live test server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# around it are plain synchronous calls all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    assert executable, "Debian's chromium is needed for the browser tests (make test installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def pages_closed(browser, transactional_db):
    """After each test, before its database is emptied: every page it left open is closed. A
    page left open goes on asking the live server (its keep-alive connections, a script polling
    a PDF's state) in later tests, whose database is gone or blocked; the server's threads then
    fail (PytestUnhandledThreadExceptionWarning), or hold a PostgreSQL connection while the test
    database is dropped."""
    yield
    for context in browser.contexts:
        context.close()


@pytest.fixture
def page(browser):
    # Playwright's wait_for_function compiles its predicate with eval, which the portal's
    # Content-Security-Policy refuses; tests/browser/test_csp.py checks the policy itself.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="th-TH", bypass_csp=True
    )
    page = context.new_page()
    yield page
    context.close()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill("ita-demo-2568")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/staff/")


# Added to a page (add_init_script) to collect what the Content-Security-Policy refused.
CSP_LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
"""


def watched_page(browser, live_server, user=None, **context_options) -> tuple:
    """A Thai page under the portal's own Content-Security-Policy (the ``page`` fixture bypasses
    it), signed in as ``user`` when given (a session made by Django's test client, no login
    form); with the list its script errors go to. What the policy refused is
    ``page.evaluate("window.__violations")``. The context is closed after the test
    (``pages_closed``)."""
    from django.test import Client

    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="th-TH", **context_options
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        host = live_server.url.split("//")[1].split(":")[0]
        session = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    page = context.new_page()
    page.add_init_script(CSP_LISTENER)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors
