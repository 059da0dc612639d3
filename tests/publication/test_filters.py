"""The pages' filters from the query string: one parser, and junk is ignored, never an error."""

import pytest
from django.core.management import call_command

from publication.filters import OverviewFilters, ReviewFilters, SearchFilters

ODD = [
    "abc",
    "<script>",
    "²",  # a digit to str.isdigit(), not to int()
    "٢٥٦٨",  # Arabic-Indic digits: int() reads them, the filters do not
    "-1",
    "+5",
    "1.0",
    "1e3",
    "9" * 40,
    str(2**31),
    "\x00",
    " ",
    "",
]


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("2568", 2568),
        ("๒๕๖๘", 2568),  # Thai digits, as the pages have always read them
        (" 7 ", 7),
        ("0", 0),
        (str(2**31 - 1), 2**31 - 1),
        *[(value, None) for value in ODD],
    ],
)
def test_a_whole_number_or_nothing(value, parsed):
    values = OverviewFilters({"year": value, "province": value}).values
    assert (values["year"], values["province"]) == (parsed, parsed)


def test_each_filter_is_read_on_its_own():
    assert SearchFilters(
        {"year": "2567", "kind": "nope", "page": "0", "indicator": "๓"}
    ).values == {
        "year": 2567,
        "province": None,
        "kind": None,
        "indicator": 3,
        "page": None,
    }
    filters = ReviewFilters({"state": "submitted", "kind": "", "district": "²", "year": "๒๕๖๘"})
    assert filters.values == {
        "province": None,
        "district": None,
        "year": 2568,
        "kind": None,
        "document": None,
        "state": "submitted",
        "page": None,
    }


@pytest.fixture
def demo(db, capsys):
    call_command("load_demo", "--seeds-only")


PAGES = ["/overview/", "/search/", "/staff/review/"]


def test_pages_never_fail_on_odd_values(client, demo):
    client.login(username="nong-lom-reviewer", password="ita-demo-2568")
    for value in ODD:
        params = dict.fromkeys(("year", "province", "district", "indicator", "page"), value)
        for page in PAGES:
            response = client.get(page, {**params, "kind": value, "state": value})
            assert response.status_code == 200, (page, value)
            assert "<script>" not in response.content.decode(), (page, value)


def test_thai_digits_choose_the_year(client, demo):
    client.login(username="nong-lom-reviewer", password="ita-demo-2568")
    assert client.get("/overview/", {"year": "๒๕๖๘"}).context["year"] == 2568
    queue = client.get("/staff/review/", {"year": "๒๕๖๘", "province": "²"}).context
    assert queue["chosen"] == {"year": 2568}
    assert queue["year"] == 2568 and queue["total"]["agencies"] == 1  # the province's one
    assert [agency.state for agency in queue["page"]] == ["published"]
    search = client.get("/search/", {"year": "๒๕๖๗"}).context
    assert search["filters"]["year"] == 2567 and search["total"] > 0
    assert {hit.fiscal_year for hit in search["hits"]} == {2567}
