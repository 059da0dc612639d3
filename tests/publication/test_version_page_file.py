"""A version's frozen page lives in the storage, gzipped, not in a database column."""

import gzip

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from measures.models import Report
from publication.models import PublishedVersion
from tests.factories import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(django_user_model):
    call_command("load_demo", "--seeds-only", "--no-publish")
    report = Report.objects.get(agency__slug="nong-lom")
    return publish(report, django_user_model.objects.get(username="admin"))


def test_the_page_is_a_gzipped_file_beside_the_pdf_and_no_column(version):
    columns = [
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), PublishedVersion._meta.db_table
        )
    ]
    assert "html" not in columns
    assert version.html_file.name == "published/nong-lom/2568/v1.html.gz"
    with default_storage.open(version.html_file.name, "rb") as stored:
        page = gzip.decompress(stored.read()).decode()
    assert 'id="measure-1"' in page and "ำ" in page
    # The same page is the same bytes: no time in the gzip header.
    with default_storage.open(version.html_file.name, "rb") as stored:
        assert stored.read()[4:8] == b"\0\0\0\0"


def test_the_public_page_shows_the_stored_page(version, client):
    with default_storage.open(version.html_file.name, "rb") as stored:
        page = gzip.decompress(stored.read()).decode()
    first_measure = page.split('id="measure-1"', 1)[1][:400]
    shown = client.get("/nong-lom/2568/v1/").content.decode()
    assert first_measure in shown


def test_a_lost_page_answers_503_in_thai_and_is_not_cached(version, client):
    default_storage.delete(version.html_file.name)
    cache.clear()  # as on another server, or after a restart: not in the cache either
    for _ in range(2):
        response = client.get("/nong-lom/2568/v1/")
        assert response.status_code == 503
        assert "ยังแสดงหน้านี้ไม่ได้ในขณะนี้" in response.content.decode()
