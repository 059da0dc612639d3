import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_home_lists_the_reports_in_thai_by_default(client, capsys):
    call_command("load_demo", "--seeds-only")
    page = client.get("/").content.decode()
    assert '<html lang="th">' in page
    assert "เทศบาลตำบลหนองหล่ม" in page and "เทศบาลตำบลทรายขาว" in page
    assert "ค้นหามาตรการ" in page  # the search box's label, translated


def test_home_switches_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    page = response.content.decode()
    assert '<html lang="en">' in page and "Search measures" in page


def test_thai_even_for_a_browser_that_asks_for_english(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="th">' in page and "ค้นหามาตรการ" in page
