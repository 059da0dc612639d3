"""Each published PDF is sealed by the portal's certificate, and the seal keeps PDF/A-3."""

import hashlib

import pikepdf
import pytest
from django.db import transaction
from django.test import override_settings

from publication.seal import pdf_seal_check, seal_demo_make
from tests.factories import MeasureFactory, ReportFactory, UserFactory, publish, stored_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seal_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seal")
    return {"SEAL_CERTIFICATE": str(folder / "cert.pem"), "SEAL_KEY": str(folder / "key.pem")}


@pytest.fixture(autouse=True)
def portal_seal(settings, seal_files):
    for name, value in seal_files.items():
        setattr(settings, name, value)


@pytest.fixture(scope="module")
def sealed_version(django_db_setup, django_db_blocker, tmp_path_factory, seal_files):
    """A report published once for the module, its PDF rendered and sealed at publication."""
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=media, TASKS_EAGER=True, TASKS_INLINE=True, **seal_files),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        seal_demo_make()  # as load_demo does
        report = ReportFactory(agency__slug="nong-lom")
        MeasureFactory.create_batch(2, report=report)
        admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
        version = publish(report, admin)  # the PDF is rendered at once (TASKS_EAGER)
        version.refresh_from_db()
        result = version.pdf_sha256, stored_bytes(version.pdf)
        transaction.set_rollback(True)
    return result


def test_the_published_pdf_is_sealed_and_the_seal_validates(sealed_version):
    stored_hash, pdf = sealed_version
    check = pdf_seal_check(pdf)
    assert check.sealed and check.valid
    assert "ITA Portal" in check.signer
    # The stored hash is the sealed file's.
    assert stored_hash == hashlib.sha256(pdf).hexdigest()


def test_sealing_keeps_pdf_a_3_by_an_incremental_update(sealed_version, tmp_path):
    _version, pdf = sealed_version
    path = tmp_path / "v1.pdf"
    path.write_bytes(pdf)
    with pikepdf.open(path) as document, document.open_metadata() as xmp:
        assert xmp["pdfaid:part"] == "3"
        assert "/AF" in document.Root and "/OutputIntents" in document.Root
    # An incremental update: the file WeasyPrint wrote is still there, whole, at the start.
    assert pdf.count(b"%%EOF") >= 2


def test_one_byte_changed_breaks_the_seal(sealed_version):
    _version, pdf = sealed_version
    assert pdf_seal_check(pdf).valid
    for at in (1000, len(pdf) // 3):  # in the document the seal covers
        changed = bytearray(pdf)
        changed[at] ^= 0x01
        assert not pdf_seal_check(bytes(changed)).valid


def test_without_a_certificate_the_pdf_is_published_unsealed(settings, tmp_path):
    settings.SEAL_CERTIFICATE = str(tmp_path / "none.pem")
    settings.SEAL_KEY = str(tmp_path / "none-key.pem")
    report = ReportFactory(agency__slug="sai-khao")
    MeasureFactory.create_batch(1, report=report)
    version = publish(report, UserFactory(username="admin", is_superuser=True, is_staff=True))
    version.refresh_from_db()
    check = pdf_seal_check(stored_bytes(version.pdf))
    assert not check.sealed and not check.valid


@pytest.mark.parametrize("content", [b"", b"not a pdf", b"%PDF-1.7\n%%EOF", b"\x00" * 100])
def test_any_file_is_answered_never_an_error(content):
    assert not pdf_seal_check(content).valid
