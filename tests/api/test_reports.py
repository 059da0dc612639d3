"""One report in the open-data API, /api/v1/reports/<agency>/<year>/: its latest version or a
numbered one, with its data as published; drafts never appear."""

import pytest

from measures.demo.generated import long_report_data
from measures.models import Report
from measures.services import report_import
from publication import services

from .helpers import BASE, csv_rows, get_json, latest, publish, valid

pytestmark = pytest.mark.django_db


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
