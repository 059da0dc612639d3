"""The open-data API, /api/v1/: every endpoint on the published demo reports, each response
checked against the API's own OpenAPI description."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import get_resolver
from jsonschema import Draft202012Validator

from api import api
from measures.demo.generated import long_report_data
from measures.models import Agency, Province, Report
from measures.services import report_import
from publication import services
from publication.models import PublishedVersion

pytestmark = pytest.mark.django_db
BASE = "http://testserver"
DEMO = {
    "kaset-phatthana": 2566,
    "nong-samet": 2567,
    "sai-khao": 2567,
    "non-sung": 2568,
    "nong-lom": 2568,
}


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The five seed reports published as v1, once for the module (each test rolls back its own
    changes). PDFs are left to a background task that never runs: the API only links to them."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            TASKS_INLINE=False,
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def admin(db, django_user_model):
    return django_user_model.objects.get(username="admin")


@pytest.fixture(scope="module")
def openapi():
    return api.openapi_document(server=f"{BASE}/api/v1/")


def valid(openapi, schema: str, instance) -> None:
    """Check ``instance`` against a schema of the API's own OpenAPI description."""
    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"#/components/schemas/{schema}",
        "components": openapi["components"],
    }
    Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        instance
    )


def get_json(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, (path, response.content[:300])
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"
    return response.json()


def publish(report: Report, admin) -> PublishedVersion:
    report.refresh_from_db()
    services.report_submit(report=report, user=admin, reason="ทดสอบ API")
    services.report_approve(report=report, user=admin)
    return services.report_publish(report=report, user=admin)


def revise(report: Report, admin, title: str) -> PublishedVersion:
    """Open a revision, retitle the first measure, publish it as the next version."""
    services.report_open_revision(report=report, user=admin)
    measure = report.measures.order_by("position").first()
    measure.title = title
    measure.save()
    return publish(report, admin)


def latest(slug: str) -> PublishedVersion:
    return PublishedVersion.objects.filter(report__agency__slug=slug).order_by("-number").first()


# -- The catalogue ---------------------------------------------------------------------------------


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
    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    first = get_json(client, "/api/v1/reports/?kind=subdistrict_municipality")
    assert first["count"] == 5 and first["previous"] is None
    assert first["next"] == f"{BASE}/api/v1/reports/?kind=subdistrict_municipality&page=2"
    pages, url = [first], first["next"]
    while url:
        pages.append(get_json(client, url.removeprefix(BASE)))
        valid(openapi, "Catalogue", pages[-1])
        url = pages[-1]["next"]
    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    assert pages[2]["previous"] == f"{BASE}/api/v1/reports/?kind=subdistrict_municipality&page=2"
    seen = [entry["agency"]["slug"] for page in pages for entry in page["results"]]
    assert sorted(seen) == sorted(DEMO)  # each once
    assert get_json(client, "/api/v1/reports/?page=4", status=404)["error"]


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
    ],
)
def test_bad_parameters_are_400_with_a_reason(client, openapi, query):
    for path in ("/api/v1/reports/", "/api/v1/search/"):
        if path == "/api/v1/search/" and query.startswith("agency"):
            continue  # search has no agency filter: ignored there
        error = get_json(client, f"{path}?{query}", status=400)
        valid(openapi, "Error", error)
        assert query.split("=")[0] in error["error"]


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


# -- One report ------------------------------------------------------------------------------------


def test_a_report_is_its_latest_version_with_its_data_unchanged(client, openapi):
    report = get_json(client, "/api/v1/reports/sai-khao/2567/")
    valid(openapi, "Report", report)
    version = latest("sai-khao")
    assert report["report"] == version.data  # the report data format, as published
    assert report["report"]["format"] == "ita-portal/report@1"
    assert report["version"] == 1 and report["measure_count"] == len(version.data["measures"])
    assert report["html"] == f"{BASE}/sai-khao/2567/" and report["api"].endswith("/sai-khao/2567/")
    catalogue = get_json(client, "/api/v1/reports/?agency=sai-khao")["results"][0]
    assert {key: value for key, value in report.items() if key != "report"} == catalogue

    pinned = get_json(client, "/api/v1/reports/sai-khao/2567/v1/")
    valid(openapi, "Report", pinned)
    assert pinned["report"] == version.data
    assert (pinned["html"], pinned["pdf"], pinned["json"], pinned["api"]) == (
        f"{BASE}/sai-khao/2567/v1/",
        f"{BASE}/sai-khao/2567/v1.pdf",
        f"{BASE}/sai-khao/2567/v1.json",
        f"{BASE}/api/v1/reports/sai-khao/2567/v1/",
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reports/sai-khao/2568/",
        "/api/v1/reports/sai-khao/2567/v2/",
        "/api/v1/reports/nowhere/2567/",
        "/api/v1/reports/sai-khao/99999999999999999999/",
        "/api/v1/nothing/here/",
    ],
)
def test_unknown_reports_and_addresses_are_json_404(client, openapi, path):
    valid(openapi, "Error", get_json(client, path, status=404))


def test_a_revision_shows_the_new_version_once_published(client, admin, openapi):
    report = Report.objects.get(agency__slug="nong-lom")
    v1 = latest("nong-lom")
    old_title = v1.data["measures"][0]["title"]
    services.report_open_revision(report=report, user=admin)
    measure = report.measures.order_by("position").first()
    measure.title = "มาตรการที่แก้ไขในฉบับปรับปรุง"
    measure.save()

    # While the revision is a draft, the API serves v1 and nothing of the draft.
    entry = get_json(client, "/api/v1/reports/?agency=nong-lom")["results"][0]
    assert entry["version"] == 1 and [v["number"] for v in entry["versions"]] == [1]
    current = get_json(client, "/api/v1/reports/nong-lom/2568/")
    assert current["report"]["measures"][0]["title"] == old_title
    assert "ฉบับปรับปรุง" not in client.get("/api/v1/measures.csv?year=2568").getvalue().decode()
    assert get_json(client, "/api/v1/reports/nong-lom/2568/v2/", status=404)

    v2 = publish(report, admin)
    entry = get_json(client, "/api/v1/reports/?agency=nong-lom")["results"][0]
    valid(openapi, "CatalogueEntry", entry)
    assert entry["version"] == 2 and entry["sha256"] == v2.data_sha256
    assert [(v["number"], v["html"]) for v in entry["versions"]] == [
        (2, f"{BASE}/nong-lom/2568/v2/"),
        (1, f"{BASE}/nong-lom/2568/v1/"),
    ]
    assert entry["html"] == f"{BASE}/nong-lom/2568/"  # "the latest" address does not move
    current = get_json(client, "/api/v1/reports/nong-lom/2568/")
    assert current["version"] == 2
    assert current["report"]["measures"][0]["title"] == "มาตรการที่แก้ไขในฉบับปรับปรุง"
    first = get_json(client, "/api/v1/reports/nong-lom/2568/v1/")
    assert first["version"] == 1 and first["report"] == v1.data
    assert [v["number"] for v in first["versions"]] == [2, 1]
    rows = csv_rows(client, 2568)
    assert {row["version"] for row in rows if row["agency_slug"] == "nong-lom"} == {"2"}


def test_drafts_never_appear(client):
    draft = report_import(data=long_report_data(3, slug="draft-only"))
    assert draft.state == Report.State.DRAFT and not draft.versions.exists()
    slugs = [e["agency"]["slug"] for e in get_json(client, "/api/v1/reports/")["results"]]
    assert "draft-only" not in slugs and len(slugs) == 5
    get_json(client, "/api/v1/reports/draft-only/2568/", status=404)
    get_json(client, "/api/v1/reports/draft-only/2568/v1/", status=404)
    assert all(row["agency_slug"] != "draft-only" for row in csv_rows(client, 2568))
    assert get_json(client, "/api/v1/reports/?agency=draft-only")["count"] == 0
    search = get_json(client, "/api/v1/search/?q=ส่งเสริมความโปร่งใสในการปฏิบัติงาน")
    assert all(hit["agency"]["slug"] != "draft-only" for hit in search["results"])


# -- Search ----------------------------------------------------------------------------------------


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

    monkeypatch.setattr(api, "PAGE_SIZE", 10)
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


# -- The CSV ---------------------------------------------------------------------------------------


def csv_rows(client, year) -> list[dict]:
    response = client.get(f"/api/v1/measures.csv?year={year}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def lines(items: list[dict]) -> list[str]:
    return [f"{item['label']} {item['text']}".strip() for item in items]


@pytest.mark.parametrize("year", sorted(set(DEMO.values())))
def test_the_csv_holds_every_published_measure_of_the_year(client, year):
    response = client.get(f"/api/v1/measures.csv?year={year}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="ita-measures-{year}.csv"'
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = csv_rows(client, year)
    assert list(rows[0]) == list(api.CSV_COLUMNS)
    slugs = sorted(slug for slug, published in DEMO.items() if published == year)
    assert sorted({row["agency_slug"] for row in rows}) == slugs

    for slug in slugs:
        version = latest(slug)
        agency = Agency.objects.select_related("province", "district").get(slug=slug)
        mine = [row for row in rows if row["agency_slug"] == slug]
        assert len(mine) == len(version.data["measures"])
        for number, (row, measure) in enumerate(
            zip(mine, version.data["measures"], strict=True), start=1
        ):
            assert row["measure"] == str(number) and row["version"] == str(version.number)
            assert (row["agency_name"], row["province"], row["district"], row["kind"]) == (
                agency.name,
                agency.province.name,
                agency.district.name,
                agency.kind,
            )
            assert row["fiscal_year"] == str(year)
            assert row["title"] == measure["title"]
            for part in ("steps", "outputs", "outcomes"):
                assert row[part].split("\n") == lines(measure[part]) or (
                    row[part] == "" and measure[part] == []
                ), (slug, number, part)
            indicator = measure["indicator"]
            assert row["indicator"] == (str(indicator["number"]) if indicator else "")
            period = measure["period"] or {}
            assert row["period"] == period.get("text", "")
            assert (row["period_start"], row["period_end"]) == (
                period.get("start") or "",
                period.get("end") or "",
            )
            assert row["responsible_main"].split("\n") == measure["responsible"]["main"] or (
                row["responsible_main"] == "" and not measure["responsible"]["main"]
            )
            assert row["progress"] == measure["progress"]
            assert row["html"] == f"{BASE}/{slug}/{year}/"


def test_the_csv_keeps_labels_before_their_text(client):
    rows = {
        row["measure"]: row for row in csv_rows(client, 2568) if row["agency_slug"] == "non-sung"
    }
    outputs = [line for row in rows.values() for line in row["outputs"].split("\n")]
    assert any(line.startswith("สถิติการจัดประชุม: จัดการประชุม") for line in outputs)


def test_the_csv_never_starts_a_cell_with_a_formula(client, admin):
    revise(Report.objects.get(agency__slug="nong-samet"), admin, '=HYPERLINK("http://x","y")')
    row = next(row for row in csv_rows(client, 2567) if row["agency_slug"] == "nong-samet")
    assert row["title"] == '\'=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("query", ["", "?year=", "?year=abc", "?year=2568.0", "?years=2568"])
def test_the_csv_needs_a_year(client, openapi, query):
    error = get_json(client, f"/api/v1/measures.csv{query}", status=400)
    valid(openapi, "Error", error)
    assert "year" in error["error"]


def test_a_year_without_published_reports_is_an_empty_csv(client):
    assert csv_rows(client, 2565) == []


# -- Every endpoint --------------------------------------------------------------------------------

ENDPOINTS = [
    "/api/v1/",
    "/api/v1/reports/",
    "/api/v1/reports/nong-lom/2568/",
    "/api/v1/reports/nong-lom/2568/v1/",
    "/api/v1/search/?q=ทุจริต",
    "/api/v1/measures.csv?year=2568",
    "/api/v1/openapi.json",
]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_cors_and_methods(client, path):
    get = client.get(path)
    assert get.status_code == 200
    assert get["Access-Control-Allow-Origin"] == "*"
    assert get["Cache-Control"] == "public, max-age=300"
    head = client.head(path)
    assert head.status_code == 200 and head["Access-Control-Allow-Origin"] == "*"

    preflight = client.options(
        path,
        HTTP_ORIGIN="https://data.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"

    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(path)
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert "read-only" in response.json()["error"]


def test_json_is_written_in_thai_not_escaped(client):
    content = client.get("/api/v1/reports/nong-lom/2568/").content.decode()
    assert "เทศบาลตำบลหนองหล่ม" in content and "\\u0e" not in content


def test_the_openapi_document_describes_every_endpoint(client, openapi):
    served = get_json(client, "/api/v1/openapi.json")
    assert served == openapi  # the tests check against what is served
    assert served["openapi"].startswith("3.1")
    assert served["servers"] == [{"url": f"{BASE}/api/v1"}]
    for schema in served["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    # Every route of the API (but its index and catch-all) is a described path.
    resolver = get_resolver("api.urls")
    routes = {
        "/" + str(pattern.pattern).replace("<slug:", "{").replace("<int:", "{").replace(">", "}")
        for pattern in resolver.url_patterns
        if pattern.name not in ("api-root", "api-not-found")
    }
    assert routes == set(served["paths"])
    for path, operations in served["paths"].items():
        for operation in operations.values():
            assert {"200", "405"} <= set(operation["responses"]), path
            placeholders = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert placeholders == {
                part.split("}")[0].split("{")[-1] for part in path.split("/") if "{" in part
            }, path


def test_the_index_links_every_endpoint(client):
    index = get_json(client, "/api/v1/")
    assert index == {
        "reports": f"{BASE}/api/v1/reports/",
        "search": f"{BASE}/api/v1/search/",
        "measures-csv": f"{BASE}/api/v1/measures.csv",
        "openapi": f"{BASE}/api/v1/openapi.json",
    }
