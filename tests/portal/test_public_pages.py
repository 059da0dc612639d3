"""What a citizen finds: the home page, browsing by place, an agency, a published report."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from measures.models import Agency, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(capsys):
    call_command("load_demo", "--seeds-only")  # publishes the five seeds as version 1


def test_home_counts_and_lists_the_latest(client, published):
    page = client.get("/")
    assert page.context["agencies"] == 5 and page.context["reports"] == 5
    assert page.context["measures"] == 29
    html = page.content.decode()
    assert 'role="search"' in html and "/sai-khao/2567/v1/" in html


def test_browse_lists_provinces_in_thai_order(client, published):
    names = [p.name for p in client.get("/browse/").context["provinces"]]
    assert names == ["กระบี่", "ตราด", "นครราชสีมา", "พะเยา", "สมุทรสาคร"]
    province = client.get("/browse/phayao/")
    ((district, agencies),) = province.context["groups"]
    assert district.name == "ดอกคำใต้" and [a.slug for a in agencies] == ["nong-lom"]


def test_agency_page_lists_its_reports_and_the_results_it_cited(client, published):
    page = client.get("/sai-khao/")
    assert list(page.context["years"]) == [2567]
    assert [bar["score"] for bar in page.context["chart"]] == [page.context["results"][0].overall]
    assert "<svg" in page.content.decode() and "๙๐.๖๘" in page.content.decode()


def test_an_agency_without_a_published_report_has_no_public_page(client, capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    assert client.get("/sai-khao/").status_code == 404


def test_report_page_has_contents_downloads_qr_and_its_permanent_address(client, published):
    page = client.get("/sai-khao/2567/")
    html = page.content.decode()
    contents = page.context["contents"]
    assert [g["heading"].split()[1] for g in contents] == ["1", "2", "3", "4", "5", "6", "7"]
    first = contents[0]["measures"][0]
    assert f'id="{first["anchor"]}"' in html  # the contents link into the document
    assert "/sai-khao/2567.pdf" in html and "/sai-khao/2567.json" in html
    assert page.context["permanent"].endswith("/sai-khao/2567/v1/") and "<svg" in str(
        page.context["qr"]
    )


def test_an_agency_may_not_take_an_address_of_the_portal(published):
    agency = Agency.objects.first()
    agency.slug = "staff"
    with pytest.raises(ValidationError):
        agency.full_clean()
    assert Report.objects.count() == 5


def test_a_report_downloads_as_csv_and_xlsx_with_every_measure(client, published):
    import csv
    import io

    import openpyxl

    data = client.get("/sai-khao/2567.json").json()["report"]
    rows = list(
        csv.DictReader(io.StringIO(client.get("/sai-khao/2567.csv").content.decode("utf-8-sig")))
    )
    assert [r["title"] for r in rows] == [m["title"] for m in data["measures"]]
    assert rows[0]["outcomes"].splitlines()[0] == data["measures"][0]["outcomes"][0]["text"]
    book = openpyxl.load_workbook(io.BytesIO(client.get("/sai-khao/2567/v1.xlsx").content))
    sheet = list(book.active.iter_rows(values_only=True))
    # For people: Thai headers (the CSV keeps the machines' names, above).
    assert sheet[0][0] == "รหัสหน่วยงาน" and len(sheet) == len(data["measures"]) + 1
