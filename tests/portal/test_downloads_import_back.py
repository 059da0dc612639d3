"""A published version's downloads as an official takes them: Word to edit and sign, CSV and
XLSX to work on; each imports back into the same measures."""

import io
import re
from urllib.parse import unquote

import docx
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from measures.importers import parse_docx, parse_spreadsheet
from measures.models import Agency, DocumentKind
from publication.models import PublishedVersion
from publication.services import version_create
from tests.measures.importer_seeds import INDICATORS, as_document, differences
from tests.textmatch import SEED_FILES

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module", autouse=True)
def published(django_db_setup, django_db_blocker, demo_media):
    """The five seeds published as v1, once for the module (their PDFs are not rendered)."""
    with (
        django_db_blocker.unblock(),
        override_settings(TASKS_INLINE=False, MEDIA_ROOT=demo_media),
        transaction.atomic(),
    ):
        call_command("load_demo", "--seeds-only", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def version_of(key: str) -> PublishedVersion:
    slug, year = key.rsplit("-", 1)
    return PublishedVersion.objects.get(
        report__agency__slug=slug, report__fiscal_year__year=year, number=1
    )


def address(key: str, suffix: str) -> str:
    slug, year = key.rsplit("-", 1)
    return f"/{slug}/{year}{suffix}"


@pytest.mark.parametrize("key", SEED_FILES)
def test_the_public_word_file_imports_back_into_the_published_measures(client, key):
    agencies = Agency.objects.count()
    response = client.get(address(key, ".docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert Agency.objects.count() == agencies  # the scratch copy it was drawn from is gone
    version = version_of(key)
    year = version.data["fiscal_year"]
    result = parse_docx(io.BytesIO(response.content), year, INDICATORS[year])
    assert result.problems == []
    assert differences(as_document(result), version.data) == []


def test_the_word_file_is_named_in_thai_and_cached_for_good(client, django_assert_max_num_queries):
    first = client.get("/sai-khao/2567/v1.docx")
    disposition = first["Content-Disposition"]
    assert disposition.startswith('attachment; filename="sai-khao-2567-v1.docx"')
    thai_name = unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition)[1])
    assert thai_name == "รายงานผล-เทศบาลตำบลทรายขาว-2567-v1.docx"
    assert first["Cache-Control"] == "public, max-age=31536000, immutable"
    # Drawn once per version: the next request reads the cache, not the data.
    with django_assert_max_num_queries(3):
        again = client.get("/sai-khao/2567/v1.docx")
    assert again.content == first.content
    unchanged = client.get("/sai-khao/2567/v1.docx", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(first.content)).paragraphs)
    assert "เทศบาลตำบลทรายขาว" in text


def test_the_years_other_documents_download_as_word(client):
    report = version_of("sai-khao-2567").report
    version_create(report=report, user=None, document=DocumentKind.PLAN)
    response = client.get("/sai-khao/2567/plan.docx")
    assert response.status_code == 200
    assert 'filename="sai-khao-2567-plan-v1.docx"' in response["Content-Disposition"]
    tables = docx.Document(io.BytesIO(response.content)).tables
    headers = {cell.text for table in tables for row in table.rows[:2] for cell in row.cells}
    assert {"วัตถุประสงค์", "งบประมาณ (บาท)"} <= headers
    assert client.get("/sai-khao/2567/plan/v1.docx").content == response.content
    assert client.get("/sai-khao/2567/progress.docx").status_code == 404  # not published
    assert client.get("/sai-khao/2567/v9.docx").status_code == 404
    assert client.get("/no-such-agency/2567.docx").status_code == 404


def _texts(items: list[dict]) -> list[str]:
    # A spreadsheet cell holds an item as its bold label and its text, one item a line.
    return [f"{item['label']} {item['text']}".strip() for item in items]


def _measure(measure: dict) -> dict:
    period = measure.get("period") or {}
    return {
        "title": measure["title"],
        "indicator": (measure.get("indicator") or {}).get("number"),
        "issue_group": measure.get("issue_group"),
        **{name: _texts(measure.get(name, [])) for name in ("steps", "outputs", "outcomes")},
        "period": (period.get("style"), period.get("start"), period.get("end")),
        "responsible": measure.get("responsible"),
        "progress": measure.get("progress", ""),
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("key", SEED_FILES)
def test_our_csv_and_xlsx_downloads_import_back_into_the_same_measures(client, key, kind):
    response = client.get(address(key, f".{kind}"))
    assert response.status_code == 200
    version = version_of(key)
    year = version.data["fiscal_year"]
    result = parse_spreadsheet(response.content, f"report.{kind}", year, INDICATORS[year])
    assert result.problems == []
    # What a spreadsheet holds of a measure (no numbering, labels as text) comes back as it was.
    assert [_measure(m) for m in result.measures] == [_measure(m) for m in version.data["measures"]]
    groups = {g["number"]: g["title"] for g in version.data["issue_groups"]}
    assert {g["number"]: g["title"] for g in result.issue_groups} == {
        number: title
        for number, title in groups.items()
        if any(m.get("issue_group") == number for m in version.data["measures"])
    }


def test_the_report_page_offers_its_word_file(client):
    assert "/sai-khao/2567.docx" in client.get("/sai-khao/2567/").content.decode()
    assert "/sai-khao/2567/v1.docx" in client.get("/sai-khao/2567/v1/").content.decode()
