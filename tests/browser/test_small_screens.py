"""Small screens and loading (issue 15.6), in Chromium: at 360 px no page is wider than the
screen, a report's measures read as cards, Sarabun never hides the text while it loads, the
favicon is found, and the pages no one linked to are linked.

DOCS_SCREENSHOTS=docs .venv/bin/pytest tests/browser/test_small_screens.py redraws the pictures
of the README (the measure form, a report's page and a search at 1280 and 360 px)."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from measures.models import Report
from tests.browser.conftest import log_in
from tests.factories import publish

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = 360
PUBLIC = [
    "/",
    "/browse/",
    "/search/?q=ร้องเรียน",
    "/sai-khao/2567/",
    "/kaset-phatthana/2566/",
    "/nong-samet/2567/",
    "/api/",
    "/overview/?year=2567",
]


@pytest.fixture
def published(capsys, django_user_model):
    """The seeds, three of their reports published, Nong Lom's a draft its editor works on."""
    call_command("load_demo", "--seeds-only", "--no-publish")
    admin = django_user_model.objects.get(username="admin")
    for slug in ("sai-khao", "kaset-phatthana", "nong-samet"):
        publish(Report.objects.get(agency__slug=slug), admin)


def new_page(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="th-TH")
    return context, context.new_page()


def too_wide(page) -> list[str]:
    """What makes the page wider than the screen: its width and its widest elements that stick
    out, if any."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          return [...document.body.querySelectorAll('*')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .slice(0, 5)
            .map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().right}`);
        }"""
    )


def numbers_astray(page) -> list[str]:
    """Numbered lists whose numbers fall off the screen's left edge (a marker outside a list
    with no room for it: "๑." half cut) or are written twice (a marker beside Bootstrap's own
    counter)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('ol')].flatMap(ol => {
          const style = getComputedStyle(ol);
          if (style.listStyleType === 'none' || style.display === 'none') return [];
          const first = ol.querySelector('li');
          if (ol.classList.contains('list-group-numbered')) return [`twice: ${ol.className}`];
          if (first && style.listStylePosition === 'outside'
              && first.getBoundingClientRect().left < 16) return [`cut: ${ol.className}`];
          return [];
        })"""
    )


def test_no_page_is_wider_than_a_phone(browser, live_server, published):
    context, page = new_page(browser, PHONE)
    wide = {}
    for path in PUBLIC:
        assert page.goto(live_server.url + path).ok, path
        if found := too_wide(page) + numbers_astray(page):
            wide[path] = found
    report = Report.objects.get(agency__slug="nong-lom")
    measure = report.measures.order_by("position").first()
    log_in(page, live_server, "nong-lom-editor")
    for path in (
        reverse("staff:home"),
        reverse("staff:report", args=[report.pk]),
        reverse("staff:measure-edit", args=[report.pk, measure.pk]),
    ):
        assert page.goto(live_server.url + path).ok, path
        if found := too_wide(page) + numbers_astray(page):
            wide[path] = found
    context.close()

    context, page = new_page(browser, PHONE)
    log_in(page, live_server, "nong-lom-reviewer")
    for path in (reverse("staff:review-queue"), reverse("staff:report", args=[report.pk])):
        assert page.goto(live_server.url + path).ok, path
        if found := too_wide(page) + numbers_astray(page):
            wide[path] = found
    context.close()
    assert wide == {}


def test_a_reports_measures_are_cards_on_a_phone_and_a_table_on_a_wide_screen(
    browser, live_server, published
):
    for width, display in ((PHONE, "block"), (1280, "table-row")):
        context, page = new_page(browser, width)
        page.goto(f"{live_server.url}/sai-khao/2567/")
        row = page.locator(".doc-table tbody tr").first
        assert row.evaluate("e => getComputedStyle(e).display") == display
        if width == PHONE:
            # Each cell says which column it is, the header row being gone.
            assert page.locator(".doc-table thead").first.is_hidden()
            label = row.locator("td").nth(1)
            before = label.evaluate("e => getComputedStyle(e, '::before').content")
            assert before == '"มาตรการ/กิจกรรม"'
            assert row.bounding_box()["width"] <= PHONE
        context.close()


def test_text_shows_while_sarabun_loads_and_the_favicon_is_found(client):
    fonts = (Path(__file__).resolve().parents[2] / "static" / "css" / "fonts.css").read_text()
    assert fonts.count("@font-face") == fonts.count("font-display: swap;")
    redirect = client.get("/favicon.ico")
    assert redirect.status_code == 301
    icon = client.get(redirect["Location"])
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)
    icon.close()  # the file WhiteNoise opened


def test_every_page_links_the_overview_and_the_open_data_and_a_report_its_agency(
    page, live_server, published
):
    page.goto(f"{live_server.url}/sai-khao/2567/")
    for path in ("/overview/", "/api/"):
        assert page.locator(f'nav a[href="{path}"]').count() == 1, path
    page.get_by_role("link", name="เทศบาลตำบลทรายขาว").first.click()
    page.wait_for_url(f"{live_server.url}/sai-khao/")


@pytest.mark.skipif(not os.environ.get("DOCS_SCREENSHOTS"), reason="DOCS_SCREENSHOTS not set")
def test_screenshots_for_the_readme(browser, live_server, published):
    folder = Path(os.environ["DOCS_SCREENSHOTS"])
    report = Report.objects.get(agency__slug="nong-lom")
    measure = report.measures.order_by("position").first()
    for width in (1280, PHONE):
        context, page = new_page(browser, width)
        page.goto(f"{live_server.url}/sai-khao/2567/")
        if width == PHONE:  # its measures, as cards
            table = page.locator(".doc-table").first
            table.evaluate("e => e.scrollIntoView({behavior: 'instant'})")
        page.screenshot(path=folder / f"report-page-{width}.png")
        page.goto(f"{live_server.url}/search/?q=ร้องเรียน")
        page.screenshot(path=folder / f"search-{width}.png")
        log_in(page, live_server, "nong-lom-editor")
        page.goto(live_server.url + reverse("staff:measure-edit", args=[report.pk, measure.pk]))
        page.screenshot(path=folder / f"measure-form-{width}.png")
        context.close()
