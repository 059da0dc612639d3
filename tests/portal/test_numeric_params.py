"""Numbers in query strings: one reading everywhere, and a wrong one is said, never a 500.

``'²'.isdigit()`` is true and ``int('²')`` fails: every page, download and API address reads its
numbers with measures.numbers.whole_number, so they all agree on what a number is.
"""

import pytest
from django.core.management import call_command

from measures.models import Report
from measures.numbers import NotANumber, whole_number
from publication.filters import OverviewFilters
from tests.api.helpers import revise

pytestmark = pytest.mark.django_db
PASSWORD = "ita-demo-2568"

# Not whole numbers to the portal, whatever str.isdigit() or int() make of them.
ODD = ["²", "٣", "𝟚", "½", "abc", "-1", "+1", "1.0", "1e3", "9" * 20, "9" * 5000, "\x00", "1\x002"]


@pytest.mark.parametrize(("text", "number"), [("2568", 2568), ("๒๕๖๘", 2568), (" 7 ", 7)])
def test_arabic_and_thai_digits_are_numbers(text, number):
    assert whole_number(text, low=0, high=10**6) == number


@pytest.mark.parametrize("text", [*ODD, "", " ", "8", "10000001"])
def test_anything_else_or_out_of_range_is_not(text):
    with pytest.raises(NotANumber):
        whole_number(text, low=9, high=10**7)


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--seeds-only")  # the five seeds published as version 1


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_api_and_the_pages_agree_on_what_a_number_is(client, demo):
    for value in [*ODD, "٢٥٦٨", "๒๕๖๘", "2568"]:
        page_reads = OverviewFilters({"year": value}).values["year"]
        api = client.get("/api/v1/reports/", {"year": value})
        assert api.status_code == (200 if page_reads else 400), value


def chosen(response) -> tuple[int, int]:
    return response.context["before"].number, response.context["after"].number


def test_compare_says_a_version_it_did_not_understand_and_shows_the_latest_change(
    english, demo, django_user_model
):
    admin = django_user_model.objects.get(username="admin")
    revise(Report.objects.get(agency__slug="sai-khao"), admin, "มาตรการที่แก้ไข")
    for value in ODD:
        response = english.get("/sai-khao/2567/compare/", {"a": value})
        assert response.status_code == 200, value
        assert chosen(response) == (1, 2), value  # as without ?a=
        assert "from version" in " ".join(response.context["problems"]), value
    response = english.get("/sai-khao/2567/compare/", {"a": "๒", "b": "๑"})
    assert chosen(response) == (2, 1) and not response.context["problems"]
    response = english.get("/sai-khao/2567/compare/", {"b": "7"})  # no such version
    assert chosen(response) == (1, 2)
    page = response.content.decode()
    assert "to version" in page and "“7”" in page


def test_a_page_with_filters_says_which_filter_it_did_not_apply(english, demo):
    for page in ("/overview/", "/search/", "/staff/review/"):
        if page.startswith("/staff/"):
            assert english.login(username="nong-lom-reviewer", password=PASSWORD)
        response = english.get(page, {"year": "²", "province": "1"})
        assert response.status_code == 200, page
        html = response.content.decode()
        assert "Fiscal year “²”" in html and "“1”" not in html, page
        assert not english.get(page, {"year": "2567"}).context["problems"], page


def test_an_approval_memo_of_a_version_that_is_not_there_is_not_found(client, demo):
    assert client.login(username="sai-khao-editor", password=PASSWORD)
    memo = f"/staff/reports/{Report.objects.get(agency__slug='sai-khao').pk}/approval-memo.pdf"
    for version in [*ODD, "7", "0"]:
        assert client.get(memo, {"version": version}).status_code == 404, version
    for query in [{}, {"version": ""}, {"version": "1"}, {"version": "๑"}]:
        response = client.get(memo, query)
        assert response.status_code == 200, query
        assert response["Content-Type"] == "application/pdf"
