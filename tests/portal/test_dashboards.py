"""The home page, browsing and the overview at national scale: counts kept in the cache and
forgotten at each move, the same number of queries for 3 agencies as for 30, filters."""

import datetime

import pytest
from django.core.cache import cache

from measures.models import Agency, AssessmentResult, Indicator, Progress, Report
from publication.models import DocumentState, PublishedVersion
from tests.factories import (
    AgencyFactory,
    DistrictFactory,
    MeasureFactory,
    ProvinceFactory,
    ReportFactory,
    UserFactory,
    fiscal_year_with_framework,
    publish,
)
from tests.querycounts import queries

pytestmark = pytest.mark.django_db

KINDS = [Agency.Kind.SUBDISTRICT_MUNICIPALITY, Agency.Kind.SUBDISTRICT_ADMINISTRATION]


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.TASKS_INLINE = False  # no PDF rendered: these tests count, they do not read
    cache.clear()
    yield
    cache.clear()


def world(count: int, *, start: int = 0, year=None) -> dict:
    """``count`` agencies over three provinces and two types, each with a report of 2568 with
    one measure: three in four published (report and plan), one in five with an ITA score."""
    year = year or fiscal_year_with_framework(2568)
    provinces = [ProvinceFactory(name=f"จังหวัดทดสอบ{n}", slug=f"province-{n}") for n in range(3)]
    indicator = Indicator.objects.get(fiscal_year=year, number=1)
    for i in range(start, start + count):
        district = DistrictFactory(province=provinces[i % 3])
        agency = AgencyFactory(district=district, kind=KINDS[i % 2])
        report = ReportFactory(agency=agency, fiscal_year=year)
        MeasureFactory(report=report, indicator=indicator, progress=Progress.DONE)
        if i % 4 != 1:
            for document in ("report", "plan"):
                PublishedVersion.all_documents.create(
                    report=report, document=document, number=1, data={}, data_sha256=""
                )
            Report.objects.filter(pk=report.pk).update(state=Report.State.PUBLISHED)
            DocumentState.objects.create(report=report, document="plan", state="published")
        if i % 5 == 0:
            AssessmentResult.objects.create(agency=agency, fiscal_year=year, overall=70 + i % 30)
    return {"year": year, "provinces": provinces}


PAGES = [
    "/",
    "/browse/",
    "/browse/province-0/",
    "/overview/?year=2568",
    "/overview/?year=2568&state=late&document=plan",
    "/overview/?year=2568&province={province}&kind=subdistrict_municipality&page=2",
]


def test_the_public_pages_cost_the_same_queries_for_3_agencies_as_for_30(client):
    data = world(3)
    province = data["provinces"][0].pk
    pages = [page.format(province=province) for page in PAGES]
    small = [queries(client, page) for page in pages]
    world(27, start=3, year=data["year"])
    large = [queries(client, page) for page in pages]
    assert large == small, (small, large)
    # Kept counts: the home page and browsing ask the database nothing but for the province.
    home, browse, province_page = small[:3]
    assert home[1] <= 2 and browse[1] <= 2 and province_page[1] <= 3, small


def test_the_overview_counts_per_province_and_agency_type(client):
    world(30)
    page = client.get("/overview/?year=2568").context
    assert (page["published"], page["agencies"]) == (22, 30)
    assert [row["agencies"] for row in page["by_province"]] == [10, 10, 10]
    assert [row["per_document"] for row in page["by_province"]] == [
        [0, 8, 0, 8],
        [0, 7, 0, 7],
        [0, 7, 0, 7],
    ]
    assert {row["key"]: row["agencies"] for row in page["by_kind"]} == dict.fromkeys(KINDS, 15)
    assert [bar["n"] for bar in page["per_indicator"]] == [22]  # the published reports' measures
    assert sum(bar["n"] for bar in page["scores"]) == 6
    assert page["page"].paginator.count == 30 and len(page["page"]) == 30


def test_the_overview_filters(client, settings):
    data = world(30)
    first = data["provinces"][0]
    page = client.get("/overview/", {"year": "2568", "province": first.pk}).context
    assert page["agencies"] == 10 and {a.province_id for a in page["page"]} == {first.pk}
    kind = client.get("/overview/", {"year": "2568", "kind": KINDS[1]}).context
    assert kind["agencies"] == 15 and {a.kind for a in kind["page"]} == {KINDS[1]}
    published = client.get("/overview/", {"year": "2568", "state": "published"}).context
    assert published["page"].paginator.count == 22
    assert all(a.published_report for a in published["page"])
    unpublished = client.get("/overview/", {"year": "2568", "state": "unpublished"}).context
    assert unpublished["page"].paginator.count == 8
    # 30 April 2025 has passed: the eight that have not published are late.
    late = client.get("/overview/", {"year": "2568", "state": "late"}).context
    assert late["page"].paginator.count == 8 and late["total"]["late"] == 8
    analysis = client.get("/overview/", {"year": "2568", "document": "analysis"}).context
    assert analysis["published"] == 0 and analysis["total"]["late"] == 30
    odd = client.get("/overview/", {"year": "1999", "page": "²", "state": "<b>"})
    assert odd.status_code == 200 and len(odd.context["problems"]) == 3


def test_the_overview_shows_no_draft_state(client):
    world(3)
    html = client.get("/overview/?year=2568").content.decode()
    for state in ("submitted", "returned", "approved"):
        assert f'value="{state}"' not in html


def test_counts_in_thai_digits_and_buddhist_era_years_in_thai(client):
    world(12)
    html = client.get("/overview/?year=2568").content.decode()
    assert ">๒๕๖๘</option>" in html and "<strong>๙</strong>" in html  # 9 of 12 published
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/overview/?year=2568").content.decode()
    assert ">2568</option>" in html and "<strong>9</strong>" in html


def test_a_publication_changes_the_counts_shown(client):
    data = world(3)
    admin = UserFactory(username="root", is_superuser=True)
    assert client.get("/").context["reports"] == 2  # counted, and kept
    assert client.get("/overview/?year=2568").context["published"] == 2
    assert "<strong>๒</strong> จาก" in client.get("/overview/?year=2568").content.decode()
    assert len(client.get("/browse/").context["provinces"]) == 2
    agency = AgencyFactory(district=DistrictFactory(province=data["provinces"][1]))
    report = ReportFactory(agency=agency, fiscal_year=data["year"])
    MeasureFactory(report=report)
    publish(report, admin)
    home = client.get("/").context
    assert (home["reports"], home["agencies"]) == (3, 3)
    assert home["latest"][0].report.agency.slug == agency.slug
    overview = client.get("/overview/?year=2568")
    assert overview.context["published"] == 3
    assert "<strong>๓</strong> จาก" in overview.content.decode()  # the page drawn anew
    browse = client.get("/browse/").context["provinces"]
    assert [p.published for p in browse if p.pk == data["provinces"][1].pk] == [1]
    groups = client.get(f"/browse/{data['provinces'][1].slug}/").context["groups"]
    assert agency.slug in [a.slug for _district, agencies in groups for a in agencies]


def test_no_year_yet_and_an_empty_portal(client):
    response = client.get("/overview/")
    assert response.status_code == 200 and response.context["published"] == 0
    assert client.get("/").status_code == 200 and client.get("/browse/").status_code == 200


def test_the_deadline_not_passed_makes_no_one_late(client):
    year = fiscal_year_with_framework(2568)
    year.oit_deadline = datetime.date.today() + datetime.timedelta(days=30)
    year.save()
    world(6, year=year)
    page = client.get("/overview/?year=2568&state=late").context
    assert page["total"]["late"] == 0 and page["page"].paginator.count == 0


def test_while_one_request_recounts_the_others_are_served_the_last_counts(client):
    data = world(3)
    admin = UserFactory(username="root", is_superuser=True)
    assert client.get("/").context["reports"] == 2
    report = ReportFactory(agency=AgencyFactory(), fiscal_year=data["year"])
    MeasureFactory(report=report)
    publish(report, admin)
    cache.add("dashboards:v1:home:lock", 1)  # another request is recounting
    assert client.get("/").context["reports"] == 2
    cache.delete("dashboards:v1:home:lock")
    assert client.get("/").context["reports"] == 3
