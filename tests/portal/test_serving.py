"""A published version's page and files cost the same however many versions there are, and a
repeat visit costs no database work: the page is drawn once for every anonymous visitor (each
still gets their own CSRF token), the files are found from the cache and may be handed to the
web server (X-Accel-Redirect)."""

import hashlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from measures.models import FiscalYear
from publication.files import page_compress
from publication.models import PublishedVersion
from tests.factories import AgencyFactory, ReportFactory, UserFactory, fiscal_year_with_framework

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a stored PDF\n"
DATA = {
    "title": "รายงานผลการดำเนินการ",
    "measures": [{"title": f"มาตรการที่ {n}", "steps": []} for n in range(1, 4)],
    "rounds": [],
}


def published_versions(count: int, *, year: int = 2567) -> list[PublishedVersion]:
    """``count`` reports of ``year`` published as version 1 with a stored PDF and JSON, made
    directly (the publication path renders and indexes, which these tests do not need)."""
    fiscal_year = FiscalYear.objects.filter(year=year).first() or fiscal_year_with_framework(year)
    stored = {
        kind: default_storage.save(f"published/shared/v1.{kind}", ContentFile(content))
        for kind, content in (
            ("pdf", PDF),
            ("json", b'{"version": 1}'),
            ("html.gz", page_compress("<article><h2>รายงาน</h2></article>")),
        )
    }
    versions = [
        PublishedVersion(
            report=ReportFactory(agency=AgencyFactory(), fiscal_year=fiscal_year),
            number=1,
            data={**DATA, "fiscal_year": year},
            data_sha256="0" * 64,
            html_file=stored["html.gz"],
            pdf=stored["pdf"],
            pdf_sha256=hashlib.sha256(PDF).hexdigest(),
            json_file=stored["json"],
            json_sha256=hashlib.sha256(b'{"version": 1}').hexdigest(),
        )
        for _ in range(count)
    ]
    return PublishedVersion.objects.bulk_create(versions)


def address(version: PublishedVersion) -> str:
    return f"/{version.report.agency.slug}/{version.report.fiscal_year.year}"


def queries(client, path: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
        assert response.status_code in (200, 304), (path, response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


PATHS = ("/", "/v1/", ".pdf", "/v1.pdf", ".json", "/v1.json")


def test_pages_and_files_cost_the_same_queries_for_5_and_50_versions(client):
    """The first visit of each address (nothing cached) costs as many queries at both sizes,
    and a repeat visit costs none."""
    counts = {}
    for size in (5, 50):
        versions = published_versions(size - PublishedVersion.objects.count())
        base = address(versions[-1])
        counts[size] = [queries(client, base + path) for path in PATHS]
        assert [queries(client, base + path) for path in PATHS] == [0] * len(PATHS), size
        # Every other version answers in the same count too: nothing is kept of one for another.
        assert [queries(client, address(versions[0]) + path) for path in PATHS] == counts[size]
    assert counts[5] == counts[50], counts


def test_a_repeat_download_asks_no_database_and_keeps_its_etag(client):
    (version,) = published_versions(1)
    first = client.get(f"{address(version)}.pdf")
    client.get(f"{address(version)}/v1.pdf")
    etag = first["ETag"]
    assert b"".join(first.streaming_content) == PDF and etag == f'"{version.pdf_sha256}"'
    with CaptureQueriesContext(connection) as captured:
        again = client.get(f"{address(version)}.pdf")
        unchanged = client.get(f"{address(version)}/v1.pdf", HTTP_IF_NONE_MATCH=etag)
    assert len(captured) == 0
    assert b"".join(again.streaming_content) == PDF and again["ETag"] == etag
    assert unchanged.status_code == 304 and "immutable" in unchanged["Cache-Control"]


def test_a_known_file_is_answered_before_the_language_and_login_machinery_the_same(client):
    """As WhiteNoise answers a static file: once the cache knows where a file is stored, its
    download skips what only pages need (the language's Content-Language, the session), with
    the same bytes and caching headers, and the security headers all the same."""
    (version,) = published_versions(1)
    for path in (f"{address(version)}.pdf", f"{address(version)}/v1.json"):
        first = client.get(path)  # the whole way: the cache learns where the file is
        assert first["Content-Language"] == "th"
        again = client.get(path)
        assert "Content-Language" not in again and again.status_code == first.status_code == 200
        assert first.getvalue() == again.getvalue()
        for header in (
            "ETag",
            "Cache-Control",
            "Content-Type",
            "Content-Disposition",
            "Content-Length",
        ):
            assert again[header] == first[header], header
        security = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")
        assert {h: again.get(h) for h in security} == {h: first.get(h) for h in security}
        assert again["X-Content-Type-Options"] == "nosniff"
    # A file not stored yet, and an address with no version, go the whole way too.
    assert client.get("/nowhere/2567.pdf")["Content-Language"] == "th"


def test_with_a_sendfile_header_the_web_server_sends_the_stored_file(client, settings):
    settings.SENDFILE_HEADER = "X-Accel-Redirect"
    settings.SENDFILE_PREFIX = "/stored/"
    (version,) = published_versions(1)
    for path, name in ((".pdf", version.pdf.name), ("/v1.json", version.json_file.name)):
        response = client.get(address(version) + path)
        assert response.status_code == 200 and response.content == b""
        assert response["X-Accel-Redirect"] == f"/stored/{name}"
        assert response["ETag"] in (f'"{version.pdf_sha256}"', f'"{version.json_sha256}"')
        assert response["Content-Disposition"].endswith(f'-v1.{path.rsplit(".")[-1]}"')
    etag = f'"{version.pdf_sha256}"'
    assert client.get(f"{address(version)}.pdf", HTTP_IF_NONE_MATCH=etag).status_code == 304


def token(page: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


def test_the_page_drawn_once_gives_each_visitor_their_own_token_language_and_login():
    (version,) = published_versions(1)
    page = f"{address(version)}/"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    drawn = first.get(page)
    with CaptureQueriesContext(connection) as captured:
        again = second.get(page)
    assert len(captured) == 0
    assert drawn.content.replace(token(drawn.content).encode(), b"") == again.content.replace(
        token(again.content).encode(), b""
    )
    # Each visitor's token is their own and works: the language switch accepts it.
    assert token(drawn.content) != token(again.content)
    switched = second.post(
        "/i18n/setlang/",
        {"language": "en", "csrfmiddlewaretoken": token(again.content), "next": page},
    )
    assert switched.status_code == 302
    english = second.get(page).content.decode()
    assert 'lang="en"' in english and "Log in" in english
    assert 'lang="th"' in first.get(page).content.decode()
    # A logged-in visitor sees their own name; the next anonymous visitor does not.
    user = UserFactory(username="somchai")
    second.force_login(user)
    assert "somchai" in second.get(page).content.decode()
    assert "somchai" not in Client().get(page).content.decode()


def test_a_new_version_is_shown_at_once_where_the_last_was_cached(client, django_user_model):
    (version,) = published_versions(1)
    base = address(version)
    assert "v2" not in client.get(f"{base}/").content.decode()
    assert client.get(f"{base}.pdf")["ETag"] == f'"{version.pdf_sha256}"'
    newer = PublishedVersion(
        report=version.report,
        number=2,
        data=DATA,
        data_sha256="1" * 64,
        html_file=default_storage.save(
            "published/shared/v2.html.gz",
            ContentFile(page_compress("<article><h2>ฉบับใหม่</h2></article>")),
        ),
        pdf=default_storage.save("published/shared/v2.pdf", ContentFile(b"%PDF-1.4 v2")),
        pdf_sha256=hashlib.sha256(b"%PDF-1.4 v2").hexdigest(),
    )
    newer.save()
    assert "ฉบับใหม่" in client.get(f"{base}/").content.decode()
    assert client.get(f"{base}.pdf")["ETag"] == f'"{newer.pdf_sha256}"'
    assert client.get(f"{base}/v1.pdf")["ETag"] == f'"{version.pdf_sha256}"'


def test_versions_restored_from_an_archive_before_their_catalogue_order_answer_again(client):
    """A backup made before the catalogue order was stored loads versions without it; the
    restore fills it (publication.backup), and their addresses answer again."""
    (version,) = published_versions(1)
    PublishedVersion.objects.update(catalogue_key="", measure_count=0)
    assert client.get(f"{address(version)}/").status_code == 404
    assert PublishedVersion.all_documents.fill_missing() == 1
    assert client.get(f"{address(version)}/").status_code == 200
    assert PublishedVersion.objects.get().measure_count == len(DATA["measures"])


def test_a_lost_file_answers_503_until_it_is_back(client):
    (version,) = published_versions(1)
    default_storage.delete(version.pdf.name)
    assert client.get(f"{address(version)}.pdf").status_code == 503
    default_storage.save(version.pdf.name, ContentFile(PDF))
    assert b"".join(client.get(f"{address(version)}.pdf").streaming_content) == PDF
