"""axe-core (from the npm registry, run in Chromium) on the pages citizens use: no violations."""

from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/browse/",
    "/browse/krabi/",
    "/overview/?year=2568",
    "/sai-khao/",
    "/sai-khao/2567/",
    "/search/?q=ร้องเรียน",
    "/api/",
]


@pytest.fixture
def published(capsys):
    call_command("load_demo", "--seeds-only")


@pytest.mark.parametrize("width", [1280, 360])
def test_no_axe_violations_on_the_public_pages(browser, live_server, published, width):
    # axe comes in as an inline script, which the portal's Content-Security-Policy refuses.
    page = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True).new_page()
    found = {}
    for path in PAGES:
        page.goto(live_server.url + path)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', "
            "'wcag21aa']})).violations.map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' '))"
        )
        if violations:
            found[path] = violations
    assert found == {}
