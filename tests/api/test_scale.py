"""The catalogue's first and last pages, a report and the year's CSV cost the same queries for
5 published reports as for 50, and the year's CSV is read by a cursor in the catalogue's order."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import pagination
from publication.models import PublishedVersion
from tests.portal.test_serving import published_versions

from .helpers import BASE, get_json

pytestmark = pytest.mark.django_db


def queries(client, path: str) -> int:
    cache.clear()  # what is counted once per publication is counted here each time
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200, (path, response.content[:300])
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


def last_pages(client) -> list[str]:
    """The last page by its place (the next link of the one before) and by its old number."""
    catalogue = get_json(client, "/api/v1/reports/")
    pages = -(-catalogue["count"] // pagination.PAGE_SIZE)
    url = catalogue["next"]
    while True:
        page = get_json(client, url.removeprefix(BASE))
        if page["next"] is None:
            return [url.removeprefix(BASE), f"/api/v1/reports/?page={pages}"]
        url = page["next"]


def test_the_catalogue_and_a_report_cost_the_same_for_5_and_50_reports(client, monkeypatch):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)  # the last page of 50 reports is the 25th
    counts = {}
    for size in (5, 50):
        published_versions(size - PublishedVersion.objects.count(), year=2566)
        paths = ["/api/v1/reports/", *last_pages(client), "/api/v1/reports/?year=2566"]
        paths += ["/api/v1/reports/sai-khao/2567/", "/api/v1/reports/sai-khao/2567/v1/"]
        paths += ["/api/v1/measures.csv?year=2566"]
        counts[size] = [queries(client, path) for path in paths]
    assert counts[5] == counts[50], counts
    assert get_json(client, "/api/v1/reports/")["count"] == 50


def test_the_catalogue_count_is_kept_until_the_next_publication(client):
    assert get_json(client, "/api/v1/reports/")["count"] == 5
    with CaptureQueriesContext(connection) as captured:
        get_json(client, "/api/v1/reports/")
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    published_versions(2)
    assert get_json(client, "/api/v1/reports/")["count"] == 7


@pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side cursors")
def test_the_year_csv_is_read_by_a_server_side_cursor_in_the_catalogue_order(client):
    published_versions(3, year=2566)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/measures.csv?year=2566")
        content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content, newline="")))
    seed = PublishedVersion.objects.get(report__agency__slug="kaset-phatthana")
    assert len(rows) == 3 * 3 + len(seed.data["measures"])  # the reports made here, the seed
    slugs = [row["agency_slug"] for row in rows]
    assert slugs == sorted(slugs)
    (read,) = [q["sql"] for q in captured.captured_queries if "catalogue_key" in q["sql"]]
    # Read as the index gives the rows: a cursor WITH HOLD would read the whole year first.
    assert read.startswith("DECLARE") and "WITHOUT HOLD" in read
    assert 'ORDER BY "reports_publishedversion"."catalogue_key"' in read
