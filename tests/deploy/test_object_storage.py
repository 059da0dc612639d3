"""Stored files in an S3-compatible object store (AWS_STORAGE_BUCKET_NAME), in this process: moto
answers for S3. A version published here is stored under the bucket's "media/" prefix and sealed
with the demo pair kept under "private/"; nothing is written under MEDIA_ROOT nor beside it. Its
downloads stream from the store with their stored size and hash, or redirect to a signed
address (DOWNLOADS_REDIRECT); an object the store lost answers 503, as a lost file on disk does.
The two-server test (test_two_servers.py) runs the same through gunicorn, Redis and a worker.
"""

import hashlib
import tarfile
from urllib.parse import urlsplit

import boto3
import pytest
import requests
from moto import mock_aws

from publication import services
from publication.seal import pdf_seal_check, seal_demo_make
from tests.factories import MeasureFactory, ReportFactory, UserFactory, publish
from tests.pdftools import small_pdf

pytestmark = pytest.mark.django_db

BUCKET = "ita-store-test"
S3 = "storages.backends.s3.S3Storage"


@pytest.fixture(scope="module")
def rendered():
    """One small PDF for the module: each version here is that PDF, sealed at publication."""
    return small_pdf("store-test")


@pytest.fixture
def bucket(settings, monkeypatch, rendered):
    monkeypatch.setattr(services, "html_pdf", lambda html, **options: rendered)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "test")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        # As ita_portal/settings.py makes them when AWS_STORAGE_BUCKET_NAME is set.
        settings.AWS_STORAGE_BUCKET_NAME = BUCKET
        settings.AWS_S3_REGION_NAME = "us-east-1"
        settings.AWS_S3_FILE_OVERWRITE = False
        settings.AWS_S3_SIGNATURE_VERSION = "s3v4"
        settings.AWS_QUERYSTRING_EXPIRE = 120
        settings.SEAL_CERTIFICATE = settings.SEAL_KEY = ""
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": S3, "OPTIONS": {"location": "media"}},
            "private": {"BACKEND": S3, "OPTIONS": {"location": "private"}},
        }
        yield s3


def _keys(s3) -> set[str]:
    return {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


@pytest.fixture
def version(bucket):
    seal_demo_make()  # as load_demo does: into the store's "private/" prefix
    report = ReportFactory(agency__slug="nong-lom")
    MeasureFactory.create_batch(2, report=report)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    version = publish(report, admin)  # the PDF at once (the tests' TASKS_EAGER)
    version.refresh_from_db()
    return version


def test_a_published_version_is_stored_in_the_bucket_and_nothing_on_disk(version, bucket, settings):
    folder = f"media/published/nong-lom/{version.report.fiscal_year.year}"
    assert {f"{folder}/v1.{kind}" for kind in ("pdf", "json", "csv", "xlsx")} <= _keys(bucket)
    assert {"private/seal/certificate.pem", "private/seal/key.pem"} <= _keys(bucket)
    site = settings.MEDIA_ROOT.parent  # MEDIA_ROOT and "private" beside it
    assert not site.exists() or not [path for path in site.rglob("*") if path.is_file()]

    pdf = bucket.get_object(Bucket=BUCKET, Key=f"{folder}/v1.pdf")["Body"].read()
    assert hashlib.sha256(pdf).hexdigest() == version.pdf_sha256
    assert pdf_seal_check(pdf).valid  # sealed with the pair read back from the store


def test_downloads_stream_from_the_store_with_their_size_and_hash(version, bucket, client):
    year = version.report.fiscal_year.year
    for kind in ("pdf", "json", "csv", "xlsx"):
        response = client.get(f"/nong-lom/{year}/v1.{kind}")
        assert response.status_code == 200, kind
        body = b"".join(response.streaming_content) if response.streaming else response.content
        key = f"media/published/nong-lom/{year}/v1.{kind}"
        assert body == bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        assert int(response["Content-Length"]) == len(body)
        assert response["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'


def test_downloads_redirect_to_a_signed_address_when_asked(version, bucket, client, settings):
    settings.DOWNLOADS_REDIRECT = True
    year = version.report.fiscal_year.year
    response = client.get(f"/nong-lom/{year}/v1.pdf")
    assert response.status_code == 302 and response["Cache-Control"] == "no-store"
    address = urlsplit(response["Location"])
    assert BUCKET in address.netloc + address.path
    assert address.path.endswith(f"/media/published/nong-lom/{year}/v1.pdf")
    assert "X-Amz-Signature=" in address.query and "X-Amz-Expires=120" in address.query
    fetched = requests.get(response["Location"], timeout=10)  # moto answers for the store
    assert fetched.status_code == 200
    assert hashlib.sha256(fetched.content).hexdigest() == version.pdf_sha256
    assert fetched.headers["Content-Type"] == "application/pdf"
    assert f'filename="nong-lom-{year}-v1.pdf"' in fetched.headers["Content-Disposition"]


def test_an_object_the_store_lost_answers_503(version, bucket, client):
    year = version.report.fiscal_year.year
    bucket.delete_object(Bucket=BUCKET, Key=f"media/published/nong-lom/{year}/v1.pdf")
    response = client.get(f"/nong-lom/{year}/v1.pdf")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0 and response["Cache-Control"] == "no-store"


@pytest.mark.django_db(transaction=True)  # the backup reads one snapshot: its own transaction
def test_a_backup_holds_the_stored_files_read_from_the_store(version, bucket, tmp_path):
    from publication.backup import backup_write

    summary = backup_write(output=tmp_path / "site.tar")
    with tarfile.open(summary.path) as archive:
        names = set(archive.getnames())
        year = version.report.fiscal_year.year
        stored = archive.extractfile(f"media/published/nong-lom/{year}/v1.pdf").read()
    assert hashlib.sha256(stored).hexdigest() == version.pdf_sha256
    assert not [name for name in names if "seal" in name]  # the private prefix is not media
