"""The open-data API's CSV, /api/v1/measures.csv: every published measure of a fiscal year."""

import pytest

from api import api
from measures.models import Agency, Report

from .helpers import BASE, DEMO, csv_rows, get_json, latest, lines, revise, valid

pytestmark = pytest.mark.django_db


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
