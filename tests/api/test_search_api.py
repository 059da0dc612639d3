"""Search in the open-data API, /api/v1/search/: published measures with their addresses."""

import pytest

from api import pagination
from measures.models import Province

from .helpers import BASE, DEMO, get_json, latest, valid

pytestmark = pytest.mark.django_db


def test_search_finds_published_measures_with_their_addresses(client, openapi):
    results = get_json(client, "/api/v1/search/?q=ร้องเรียน")
    valid(openapi, "SearchResults", results)
    assert 0 < len(results["results"]) <= results["count"]
    for hit in results["results"]:
        version = latest(hit["agency"]["slug"])
        measure = version.data["measures"][hit["measure"] - 1]
        assert hit["title"] == measure["title"] and hit["version"] == version.number
        assert hit["fiscal_year"] == version.data["fiscal_year"]
        assert "".join(fragment["text"] for fragment in hit["highlighted"]["title"]) == hit["title"]
        matched = [f["text"] for part in hit["highlighted"].values() for f in part if f["match"]]
        assert any("ร้องเรียน" in text for text in matched), hit
        slug, year = hit["agency"]["slug"], hit["fiscal_year"]
        assert hit["html"].startswith(f"{BASE}/{slug}/{year}/v{version.number}/")
        assert hit["api"] == f"{BASE}/api/v1/reports/{slug}/{year}/v{version.number}/"


def test_search_filters_and_pages(client, openapi, monkeypatch):
    phayao = Province.objects.get(name="พะเยา").pk
    everything = get_json(client, "/api/v1/search/?kind=subdistrict_municipality")
    total = sum(len(latest(slug).data["measures"]) for slug in DEMO)
    assert everything["count"] == total

    in_phayao = get_json(client, f"/api/v1/search/?province={phayao}")
    assert {hit["agency"]["slug"] for hit in in_phayao["results"]} == {"nong-lom"}
    assert in_phayao["count"] == len(latest("nong-lom").data["measures"])
    of_2567 = get_json(client, "/api/v1/search/?year=2567")
    assert {hit["agency"]["slug"] for hit in of_2567["results"]} == {"nong-samet", "sai-khao"}
    indicator = get_json(client, "/api/v1/search/?indicator=1")
    assert indicator["results"] and all(hit["indicator"] == 1 for hit in indicator["results"])
    assert get_json(client, "/api/v1/search/?kind=government_office")["count"] == 0
    assert get_json(client, "/api/v1/search/")["count"] == 0  # no words, no filter: nothing

    monkeypatch.setattr(pagination, "PAGE_SIZE", 10)
    pages, url = [], "/api/v1/search/?kind=subdistrict_municipality"
    while url:
        pages.append(get_json(client, url.removeprefix(BASE)))
        valid(openapi, "SearchResults", pages[-1])
        url = pages[-1]["next"]
    hits = [(hit["agency"]["slug"], hit["measure"]) for page in pages for hit in page["results"]]
    assert len(hits) == len(set(hits)) == total and len(pages) == -(-total // 10)
    assert pages[1]["previous"].endswith("/api/v1/search/?kind=subdistrict_municipality&page=1")
    get_json(client, f"/api/v1/search/?kind=subdistrict_municipality&page={len(pages) + 1}", 404)


def test_search_takes_any_text(client):
    for query in ("\x00", "' OR 1=1 --", "ร้อง:* & !", "a" * 10_000, "๒๕๖๘"):
        response = client.get("/api/v1/search/", {"q": query})
        assert response.status_code == 200, query
