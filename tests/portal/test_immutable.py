"""What a permanent address promises as immutable never changes: the files of a version are
stored at publication and served as stored, byte for byte, and no such response sets a cookie."""

import hashlib
import time

import pytest
from django.core.management import call_command

from measures.models import Report
from publication import services
from publication.models import PublishedVersion
from tests.factories import publish

pytestmark = pytest.mark.django_db

BASE = "/sai-khao/2567"
FILES = ("json", "pdf", "csv", "xlsx")


@pytest.fixture
def published(capsys):
    call_command("load_demo", "--seeds-only")  # publishes the five seeds as version 1
    return PublishedVersion.objects.get(report__agency__slug="sai-khao")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def stored(version: PublishedVersion, kind: str) -> bytes:
    field = {
        "pdf": version.pdf,
        "json": version.json_file,
        "csv": version.csv_file,
        "xlsx": version.xlsx_file,
    }[kind]
    with field.open("rb") as handle:
        return handle.read()


def test_the_files_of_a_version_download_byte_identical_as_they_were_stored(client, published):
    first = {kind: client.get(f"{BASE}/v1.{kind}") for kind in FILES}
    contents = {kind: body(response) for kind, response in first.items()}
    time.sleep(1.1)  # the XLSX used to carry the second it was downloaded
    for kind, response in first.items():
        assert response.status_code == 200 and "immutable" in response["Cache-Control"], kind
        assert body(client.get(f"{BASE}/v1.{kind}")) == contents[kind], kind
    for kind, response in first.items():
        content = contents[kind]
        assert content == stored(published, kind), kind
        assert response["ETag"] == f'"{hashlib.sha256(content).hexdigest()}"', kind
        latest = client.get(f"{BASE}.{kind}")  # the latest address serves the same stored bytes
        assert body(latest) == content and "immutable" not in latest["Cache-Control"], kind
    assert (
        client.get(f"{BASE}/v1.xlsx", HTTP_IF_NONE_MATCH=first["xlsx"]["ETag"]).status_code == 304
    )


def test_the_xlsx_is_the_same_whenever_it_is_written(published):
    from publication.files import version_xlsx

    assert version_xlsx(published) == stored(published, "xlsx")


def test_versions_published_before_their_files_were_stored_store_them_once(
    client, published, monkeypatch
):
    PublishedVersion.objects.filter(pk=published.pk).update(
        json_file="", json_sha256="", csv_file="", csv_sha256="", xlsx_file="", xlsx_sha256=""
    )
    first = {kind: body(client.get(f"{BASE}/v1.{kind}")) for kind in ("json", "csv", "xlsx")}
    published.refresh_from_db()
    assert published.json_sha256 == hashlib.sha256(first["json"]).hexdigest()

    def no_writing(**kwargs):
        raise AssertionError("a stored file was written again")

    monkeypatch.setattr(services, "version_store_files", no_writing)
    for kind, content in first.items():
        assert body(client.get(f"{BASE}/v1.{kind}")) == content == stored(published, kind)


def test_a_numbered_page_that_shows_newer_versions_is_not_promised_immutable(
    client, published, django_user_model
):
    before = client.get(f"{BASE}/v1/")
    report = Report.objects.get(agency__slug="sai-khao")
    admin = django_user_model.objects.get(username="admin")
    services.report_open_revision(report=report, user=admin)
    publish(report, admin)
    after = client.get(f"{BASE}/v1/")
    assert f"{BASE}/v2/" not in before.content.decode() and f"{BASE}/v2/" in after.content.decode()
    for response in (before, after):
        assert "immutable" not in response["Cache-Control"]
    assert before.get("ETag") is None or before.get("ETag") != after.get("ETag")


def test_no_immutable_response_sets_a_cookie(client, published, django_user_model):
    addresses = [f"{BASE}/", f"{BASE}/v1/", *(f"{BASE}{end}" for end in (".pdf", ".json"))]
    addresses += [f"{BASE}/v1.{kind}" for kind in FILES]
    immutable = 0
    for visitor in ("anonymous", "sai-khao-editor"):
        if visitor != "anonymous":
            client.force_login(django_user_model.objects.get(username=visitor))
        for address in addresses:
            response = client.get(address)
            assert response.status_code == 200, address
            if "immutable" in response.get("Cache-Control", ""):
                immutable += 1
                assert not response.cookies, (visitor, address, response.cookies)
    assert immutable == 2 * len(FILES)  # the four files of v1, for both visitors
