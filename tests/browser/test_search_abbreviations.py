"""Issue 15.4 in a browser: a citizen types ป.ป.ช (no final dot) into the search box and reads the
measures about ป.ป.ช. only, the abbreviation marked whole, no lone letter marked."""

import re

import pytest

from tests.factories import AgencyFactory
from tests.publication.test_search_abbreviations import MEASURES
from tests.publication.test_search_scale import published

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def measures():
    published(
        AgencyFactory(),
        2568,
        [
            {"title": title, "steps": [{"label": "", "text": text} for text in steps]}
            for title, steps in MEASURES.values()
        ],
    )


@pytest.mark.parametrize("typed", ["ป.ป.ช", "ป.ป.ช."])
def test_searching_an_abbreviation_finds_and_marks_only_it(page, live_server, measures, typed):
    page.goto(f"{live_server.url}/search/")
    page.get_by_label("คำที่ต้องการค้นหา").fill(typed)
    page.get_by_label("คำที่ต้องการค้นหา").press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator("section[aria-labelledby=results-heading] li")
    assert results.count() == 2
    # "พบ ๒ มาตรการ", in the interface's digits (the wording is the catalogue's)
    assert re.search(r"(^|\s)[2๒]\s", page.locator("#results-heading").inner_text())
    for title in results.locator("h3").all_inner_texts():
        assert "ป.ป.ช." in title
    marks = page.locator("mark").all_inner_texts()
    assert marks and set(marks) == {"ป.ป.ช."}


def test_an_abbreviation_typed_without_its_dot_finds_it(page, live_server, measures):
    page.goto(f"{live_server.url}/search/?q=อบต")
    assert page.locator("section[aria-labelledby=results-heading] li").count() == 1
    assert set(page.locator("mark").all_inner_texts()) == {"อบต."}
