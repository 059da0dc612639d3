"""/verify/: anyone drops a PDF or pastes its SHA-256 and learns which published version it is."""

import hashlib

import pytest
from django.test import Client

from publication import services
from publication.seal import seal_demo_make
from tests.factories import MeasureFactory, ReportFactory, UserFactory, publish, stored_bytes
from tests.pdftools import small_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """One small PDF rendered for the module: every version here is that PDF, sealed at
    publication (the seal differs each time, and so does the stored hash)."""
    return small_pdf("verify-test")


@pytest.fixture(autouse=True)
def fast_render(monkeypatch, rendered):
    monkeypatch.setattr(services, "html_pdf", lambda html, **options: rendered)


@pytest.fixture
def two_versions():
    seal_demo_make()
    report = ReportFactory(agency__slug="nong-lom", agency__name="เทศบาลตำบลหนองหล่ม")
    MeasureFactory.create_batch(1, report=report)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    first = publish(report, admin)
    from publication.services import report_open_revision

    report.refresh_from_db()
    report_open_revision(report=report, user=admin)
    second = publish(report, admin)
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def post(data):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/verify/")
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    return client.post("/verify/", {**data, "csrfmiddlewaretoken": token})


def test_an_untouched_older_version_is_recognised_with_what_changed_since(two_versions):
    first, _second = two_versions
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = stored_bytes(first.pdf)
    response = post({"pdf": SimpleUploadedFile("v1.pdf", pdf, "application/pdf")})
    text = response.content.decode()
    assert response.status_code == 200
    assert "ไม่ถูกแก้ไข" in text or "untouched" in text
    assert "เทศบาลตำบลหนองหล่ม" in text
    assert "/nong-lom/" in text and "compare/?a=1&amp;b=2" in text
    assert 'id="verify-result"' in text and "alert-success" in text
    assert "seal is valid" in text or "ตราประทับ" in text


def test_one_byte_changed_is_refused(two_versions):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = bytearray(stored_bytes(two_versions[1].pdf))
    pdf[len(pdf) // 2] ^= 1
    response = post({"pdf": SimpleUploadedFile("v2.pdf", bytes(pdf), "application/pdf")})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


def test_a_pasted_sha256_of_the_latest_is_recognised(two_versions):
    second = two_versions[1]
    response = post({"sha256": second.pdf_sha256.upper()})
    text = response.content.decode()
    assert "alert-success" in text and "compare/?" not in text


@pytest.mark.parametrize(
    "data",
    [{}, {"sha256": "xyz"}, {"sha256": "0" * 64}, {"sha256": "๑" * 64}, {"sha256": "a" * 500}],
)
def test_any_input_is_answered_in_thai_never_an_error(two_versions, data):
    response = post(data)
    assert response.status_code == 200


def test_garbage_files_are_answered(two_versions):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for content in (b"", b"%PDF-1.7 broken", b"\xff" * 1000):
        response = post({"pdf": SimpleUploadedFile("x.pdf", content, "application/pdf")})
        assert response.status_code == 200


def test_the_printed_qr_address_names_the_version(two_versions):
    first, _second = two_versions
    response = Client().get("/verify/", {"address": "http://127.0.0.1:8000/nong-lom/2568/v1/"})
    text = response.content.decode()
    assert first.pdf_sha256 in text and "compare/?a=1&amp;b=2" in text


def test_the_form_carries_csrf_and_without_it_is_refused():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/verify/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and 'enctype="multipart/form-data"' in page
    assert client.post("/verify/", {"sha256": "0" * 64}).status_code == 403


def test_the_stored_hash_is_the_sealed_files(two_versions):
    first = two_versions[0]
    assert first.pdf_sha256 == hashlib.sha256(stored_bytes(first.pdf)).hexdigest()
