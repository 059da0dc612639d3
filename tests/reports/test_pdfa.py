"""A published PDF as an archive copy: PDF/A-3 carrying its data, tagged, its Thai text intact.

Read back as a user's tools do: poppler's pdfdetach and pdftotext, and pikepdf."""

import collections
import hashlib
import io
import subprocess

import pikepdf
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from measures.models import Report
from publication.services import version_render_pdf
from reports.rendering import PDF_STATIC_BASE, document_for, document_html
from tests.factories import publish, stored_bytes
from tests.pdftools import pdf_fonts, pdf_text
from tests.reports.test_rendering import assert_holds_seed

pytestmark = pytest.mark.django_db
KEY = "nong-lom-2568"


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker, tmp_path_factory):
    """One seed published as version 1, its PDF rendered once: the stored files' bytes."""
    folder = tmp_path_factory.mktemp("pdfa")
    with (
        override_settings(MEDIA_ROOT=folder / "media", TASKS_EAGER=True, TASKS_INLINE=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("load_demo", "--seeds-only", "--no-publish", stdout=io.StringIO())
        report = Report.objects.get(agency__slug="nong-lom", fiscal_year__year=2568)
        from django.contrib.auth import get_user_model

        version = publish(report, get_user_model().objects.get(username="admin"))
        version = version_render_pdf(version=version)
        files = {
            kind: stored_bytes(getattr(version, field))
            for kind, (field, _h) in version.FILES.items()
            if kind != "xlsx"
        }
        files["pdf_sha256"] = version.pdf_sha256
        # What a staff preview prints (publication.previews, staff review: document_pdf).
        files["preview_html"] = document_html(document_for(report), static_base=PDF_STATIC_BASE)
        files["data_sha256"] = version.data_sha256
        transaction.set_rollback(True)
    path = folder / "v1.pdf"
    path.write_bytes(files["pdf"])
    files["path"] = path
    return files


def test_the_pdf_declares_pdf_a_3(published):
    with pikepdf.open(published["path"]) as pdf, pdf.open_metadata() as xmp:
        assert xmp["pdfaid:part"] == "3"
        assert xmp["pdfaid:conformance"] == "U"
        assert "/OutputIntents" in pdf.Root


def test_pdfdetach_gives_back_the_public_json_byte_for_byte(published, tmp_path):
    listing = subprocess.run(
        ["pdfdetach", "-list", str(published["path"])], capture_output=True, text=True, check=True
    ).stdout
    assert "v1.json" in listing and "v1.csv" in listing
    subprocess.run(
        ["pdfdetach", "-saveall", "-o", str(tmp_path), str(published["path"])], check=True
    )
    assert (tmp_path / "v1.json").read_bytes() == published["json"]
    assert (tmp_path / "v1.csv").read_bytes() == published["csv"]


def test_the_embedded_files_are_associated_as_source_and_data(published):
    with pikepdf.open(published["path"]) as pdf:
        associated = {str(f.F): str(f.AFRelationship) for f in pdf.Root.AF}
    assert associated == {"v1.json": "/Source", "v1.csv": "/Data"}


def test_xmp_names_agency_year_version_and_content_hash(published):
    with pikepdf.open(published["path"]) as pdf, pdf.open_metadata() as xmp:
        ns = "{https://ns.ita-portal.invalid/version/1.0/}"
        assert xmp[ns + "agency"] == "เทศบาลตำบลหนองหล่ม"
        assert xmp[ns + "fiscalYear"] == "2568"
        assert xmp[ns + "version"] == "1"
        assert xmp[ns + "contentSha256"] == published["data_sha256"]
        raw = pdf.Root.Metadata.read_bytes().decode()
    assert "http://127.0.0.1:8000/nong-lom/2568/v1/" in raw
    # PDF/A requires a property outside the standard schemas to be declared.
    assert "<pdfaSchema:namespaceURI>https://ns.ita-portal.invalid/version/1.0/" in raw


def test_the_thai_text_layer_survives_the_variant(published):
    text = pdf_text(published["path"])
    assert_holds_seed(KEY, text)
    for word in ("ดำเนินการ", "กำหนด", "ผู้บริหาร", "ประจำเดือน", "ต่อต้าน"):
        assert word in text
    assert "ดาเนินการ" not in text and "กาหนด" not in text


def _structure(node, found):
    if isinstance(node, pikepdf.Dictionary) and "/S" in node:
        found[str(node.S)] += 1
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary):
            _structure(kid, found)
    return found


def test_the_pdf_is_tagged_in_thai_with_a_title(published):
    with pikepdf.open(published["path"]) as pdf:
        assert str(pdf.Root.Lang) == "th"
        assert pdf.Root.MarkInfo.Marked is True
        assert "รายงาน" in str(pdf.docinfo.Title)
        tags = _structure(pdf.Root.StructTreeRoot, collections.Counter())
    for tag in ("/H1", "/Table", "/TH", "/TD", "/TR"):
        assert tags[tag] > 0, (tag, dict(tags))


def test_the_stored_hash_is_the_stored_pdf(published):
    assert hashlib.sha256(published["pdf"]).hexdigest() == published["pdf_sha256"]


def test_the_printed_page_carries_its_permanent_address_and_check(published):
    text = " ".join(pdf_text(published["path"]).split())
    assert "/nong-lom/2568/v1/" in text
    assert "127.0.0.1:8000/verify/" in text


def test_the_published_line_is_in_sarabun_too(published):
    # The address under the document is Latin: outside the document's own rules it fell back to
    # the system's DejaVu Serif.
    assert pdf_fonts(published["path"]) == ["Sarabun", "Sarabun-Bold"]


def test_a_staff_preview_carries_no_published_line(published):
    assert "/verify/" not in published["preview_html"]
    assert '<footer class="published-check">' not in published["preview_html"]
