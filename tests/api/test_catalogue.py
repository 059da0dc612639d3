"""The open-data API's catalogue, /api/v1/reports/: every published report at its latest
version, its filters and pages, and the parameters it refuses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import pagination
from measures.demo.generated import long_report_data
from measures.models import Province, Report
from measures.services import report_import

from .helpers import BASE, DEMO, get_json, latest, publish, revise, valid

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_every_published_report_with_its_addresses(client, openapi):
    catalogue = get_json(client, "/api/v1/reports/")
    valid(openapi, "Catalogue", catalogue)
    assert catalogue["count"] == 5 and catalogue["next"] is catalogue["previous"] is None
    by_slug = {entry["agency"]["slug"]: entry for entry in catalogue["results"]}
    assert {slug: entry["fiscal_year"] for slug, entry in by_slug.items()} == DEMO
    # Newest fiscal year first, then by agency.
    assert [(e["fiscal_year"], e["agency"]["slug"]) for e in catalogue["results"]] == sorted(
        ((year, slug) for slug, year in DEMO.items()), key=lambda pair: (-pair[0], pair[1])
    )
    entry = by_slug["nong-lom"]
    version = latest("nong-lom")
    assert entry["agency"] == {
        "slug": "nong-lom",
        "name": "เทศบาลตำบลหนองหล่ม",
        "kind": "subdistrict_municipality",
        "district": "ดอกคำใต้",
        "province": {"id": version.report.agency.province_id, "name": "พะเยา", "slug": "phayao"},
    }
    assert entry["version"] == 1 and entry["sha256"] == version.data_sha256
    assert entry["published_at"] == version.published_at.isoformat()
    assert entry["measure_count"] == len(version.data["measures"]) == 7
    assert (entry["html"], entry["pdf"], entry["json"], entry["api"]) == (
        f"{BASE}/nong-lom/2568/",
        f"{BASE}/nong-lom/2568.pdf",
        f"{BASE}/nong-lom/2568.json",
        f"{BASE}/api/v1/reports/nong-lom/2568/",
    )
    assert entry["versions"] == [
        {
            "number": 1,
            "published_at": version.published_at.isoformat(),
            "html": f"{BASE}/nong-lom/2568/v1/",
            "pdf": f"{BASE}/nong-lom/2568/v1.pdf",
            "json": f"{BASE}/nong-lom/2568/v1.json",
            "api": f"{BASE}/api/v1/reports/nong-lom/2568/v1/",
        }
    ]
    # The addresses it gives are the portal's own, and they answer.
    assert client.get(entry["html"]).status_code == 200
    assert client.get(entry["json"]).json()["sha256"] == entry["sha256"]
    for data in by_slug.values():
        assert data["measure_count"] == len(latest(data["agency"]["slug"]).data["measures"])


def test_the_catalogue_filters(client, openapi):
    phayao = Province.objects.get(name="พะเยา").pk

    def slugs(query):
        catalogue = get_json(client, f"/api/v1/reports/?{query}")
        valid(openapi, "Catalogue", catalogue)
        assert catalogue["count"] == len(catalogue["results"])
        return sorted(entry["agency"]["slug"] for entry in catalogue["results"])

    assert slugs("year=2567") == ["nong-samet", "sai-khao"]
    assert slugs("year=๒๕๖๘") == ["non-sung", "nong-lom"]  # Thai digits are numbers too
    assert slugs(f"province={phayao}") == ["nong-lom"]
    assert slugs("agency=sai-khao") == ["sai-khao"]
    assert slugs("agency=nowhere") == []
    assert slugs("kind=subdistrict_municipality") == sorted(DEMO)
    assert slugs("kind=government_office") == []
    assert slugs(f"year=2568&province={phayao}&kind=subdistrict_municipality") == ["nong-lom"]
    assert slugs("year=2568&unknown=ignored") == ["non-sung", "nong-lom"]
    assert slugs("year=&province=&agency=&kind=") == sorted(DEMO)  # empty means no filter


def test_the_catalogue_pages_keep_the_filters(client, openapi, monkeypatch):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    first = get_json(client, "/api/v1/reports/?kind=subdistrict_municipality")
    assert first["count"] == 5 and first["previous"] is None
    # Each page goes on after the last report of the one before (the newest year first).
    assert first["next"] == (
        f"{BASE}/api/v1/reports/?kind=subdistrict_municipality&after=2568.nong-lom"
    )
    pages, url = [first], first["next"]
    while url:
        pages.append(get_json(client, url.removeprefix(BASE)))
        valid(openapi, "Catalogue", pages[-1])
        assert pages[-1]["count"] == 5
        url = pages[-1]["next"]
    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    seen = [entry["agency"]["slug"] for page in pages for entry in page["results"]]
    assert sorted(seen) == sorted(DEMO)  # each once
    # Back by the previous links, the same pages, the filter kept, the first without a place.
    assert pages[2]["previous"] == (
        f"{BASE}/api/v1/reports/?kind=subdistrict_municipality&before=2566.kaset-phatthana"
    )
    back = get_json(client, pages[2]["previous"].removeprefix(BASE))
    assert back["results"] == pages[1]["results"] and back["next"] == pages[1]["next"]
    assert get_json(client, back["previous"].removeprefix(BASE)) == first
    # The page numbers it gave before still answer with the same pages.
    for number, page in enumerate(pages, start=1):
        old = get_json(client, f"/api/v1/reports/?kind=subdistrict_municipality&page={number}")
        assert old["results"] == page["results"] and old["next"] == page["next"]
    assert get_json(client, "/api/v1/reports/?page=4", status=404)["error"]
    assert get_json(client, "/api/v1/reports/?after=2500.nowhere")["results"] == []


def test_the_last_page_reads_no_rows_before_it(client, monkeypatch):
    """A page is found by the catalogue's index from where the one before ended: no query
    skips the rows before it (OFFSET) or measures every version's data."""
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    url = "/api/v1/reports/"
    while url:
        with CaptureQueriesContext(connection) as captured:
            url = (get_json(client, url)["next"] or "").removeprefix(BASE)
        for query in captured.captured_queries:
            assert "OFFSET" not in query["sql"].upper(), query["sql"]
            assert "ARRAY_LENGTH" not in query["sql"].upper(), query["sql"]


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=2025",  # a Christian-Era year
        "year=-2568",
        "year=99999999999999999999999",
        "province=x",
        "province=0",
        "kind=city",
        "agency=%00",
        "agency=ไม่ใช่",
        "page=0",
        "page=two",
        "page=1.5",
        "after=nong-lom",
        "before=2568",
    ],
)
def test_bad_parameters_are_400_with_a_reason(client, openapi, query):
    for path in ("/api/v1/reports/", "/api/v1/search/"):
        if path == "/api/v1/search/" and query.startswith(("agency", "after", "before")):
            continue  # search has no agency filter nor places: ignored there
        error = get_json(client, f"{path}?{query}", status=400)
        valid(openapi, "Error", error)
        assert query.split("=")[0] in error["error"]


def test_parameters_are_read_as_before_pydantic_read_them(client):
    """Thai digits are numbers; digits that are not decimal ("²") or the first of several wrong
    parameters are refused with the same sentence as ever, never a 422 or a 500."""
    assert get_json(client, "/api/v1/reports/?year=%20๒๕๖๗%20")["count"] == 2
    for query, message in [
        ("year=²", "year must be a whole number from 2500 to 2700"),
        ("page=¹", "page must be a whole number from 1 to 2147483648."),
        ("province=x&year=abc&page=0", "year must be a whole number from 2500 to 2700"),
        ("kind=city&page=0", "kind must be one of: city_municipality, "),
    ]:
        assert get_json(client, f"/api/v1/reports/?{query}", 400)["error"].startswith(message)
    assert get_json(client, "/api/v1/search/?indicator=³", 400)["error"] == (
        "indicator must be a whole number from 1 to 100."
    )
    assert get_json(client, "/api/v1/measures.csv", 400)["error"] == (
        "Give the fiscal year: measures.csv?year=2568 (Buddhist Era)."
    )


def test_the_catalogue_takes_as_many_queries_for_five_reports_as_for_more(client, admin):
    with CaptureQueriesContext(connection) as five:
        assert get_json(client, "/api/v1/reports/")["count"] == 5
    publish(report_import(data=long_report_data(100, slug="long")), admin)
    publish(report_import(data=long_report_data(3, slug="short")), admin)
    revise(Report.objects.get(agency__slug="short"), admin, "มาตรการที่แก้ไข")
    revise(Report.objects.get(agency__slug="sai-khao"), admin, "มาตรการที่แก้ไข")
    with CaptureQueriesContext(connection) as more:
        catalogue = get_json(client, "/api/v1/reports/")
    assert catalogue["count"] == 7
    by_slug = {entry["agency"]["slug"]: entry for entry in catalogue["results"]}
    assert by_slug["long"]["measure_count"] == 100 and by_slug["short"]["measure_count"] == 3
    assert [v["number"] for v in by_slug["sai-khao"]["versions"]] == [2, 1]
    assert len(more) == len(five) <= 6, [query["sql"] for query in more.captured_queries]


def test_a_page_is_computed_once_a_publication_and_anew_after_the_next(client, admin):
    first = get_json(client, "/api/v1/reports/?year=2567")
    with CaptureQueriesContext(connection) as again:
        assert get_json(client, "/api/v1/reports/?year=2567") == first
    # Nothing read (the request's own transaction aside).
    assert [q["sql"] for q in again.captured_queries if "SAVEPOINT" not in q["sql"]] == []
    assert get_json(client, "/api/v1/reports/?year=2568")["count"] == 2  # its own filters

    revise(Report.objects.get(agency__slug="sai-khao"), admin, "มาตรการที่แก้ไข")
    after = get_json(client, "/api/v1/reports/?year=2567")
    by_slug = {entry["agency"]["slug"]: entry for entry in after["results"]}
    assert [version["number"] for version in by_slug["sai-khao"]["versions"]] == [2, 1]
