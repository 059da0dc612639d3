"""A published version's downloads as an official takes them: Word to edit and sign, CSV and
XLSX to work on; each imports back into the same measures."""

import copy
import datetime
import io
import re
from urllib.parse import unquote

import docx
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from measures import open_data
from measures.importers import parse_docx, parse_spreadsheet
from measures.models import Agency, DocumentKind
from publication.files import version_csv, version_xlsx
from publication.models import PublishedVersion
from publication.services import version_create
from tests.factories import demo_for_module
from tests.measures.importer_seeds import INDICATORS, as_document, differences
from tests.textmatch import SEED_FILES

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module", autouse=True)
def published(django_db_setup, django_db_blocker, demo_media):
    """The five seeds published as v1, once for the module (their PDFs are not rendered)."""
    with demo_for_module(django_db_blocker, demo_media, "--seeds-only"):
        yield


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


def _with_budgets(key: str) -> PublishedVersion:
    """A seed's version (not saved) whose first measures have a budget, satang, and none."""
    version = version_of(key)
    data = copy.deepcopy(version.data)
    first, second, third = data["measures"][:3]
    first.update(budget_planned=25000.5, budget_spent=1200, progress="done")
    second.update(budget_planned=1_500_000, progress="in_progress")
    third.update(budget_none=True)
    return PublishedVersion(
        report=version.report, number=version.number, published_at=version.published_at, data=data
    )


def test_the_xlsx_is_for_people_typed_wide_frozen_and_filtered(client):
    response = client.get(address("sai-khao-2567", ".xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    # Thai headers, from the one declaration; the CSV keeps the machines' names.
    assert [cell.value for cell in rows[0]] == [column.label for column in open_data.COLUMNS]
    assert "ชื่อมาตรการ" in [cell.value for cell in rows[0]]
    csv_header = client.get(address("sai-khao-2567", ".csv")).content.decode().splitlines()[0]
    assert csv_header.lstrip("\ufeff").split(",") == list(open_data.CSV_COLUMNS)
    assert all(cell.font.b for cell in rows[0])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
    for index, column in enumerate(open_data.COLUMNS, start=1):
        assert sheet.column_dimensions[get_column_letter(index)].width == column.width
    assert sheet.column_dimensions["L"].width >= 40  # the measure's title, not 8 characters
    # Numbers are numbers and dates are dates, not text.
    by_name = dict(zip(open_data.CSV_COLUMNS, range(len(rows[0])), strict=True))
    first = rows[1]
    assert first[by_name["fiscal_year"]].value == 2567
    assert first[by_name["measure"]].value == 1
    assert all(isinstance(row[by_name["version"]].value, int) for row in rows[1:])
    start = first[by_name["period_start"]]
    assert start.is_date and start.value.date() == datetime.date(2023, 10, 1)


def test_budgets_and_progress_are_for_people_and_import_back():
    version = _with_budgets("sai-khao-2567")
    content = version_xlsx(version)
    assert version_xlsx(version) == content  # the stored file: the same bytes when rewritten
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(min_row=2))
    planned = open_data.CSV_COLUMNS.index("budget_planned")
    assert [row[planned].value for row in rows[:3]] == [25000.5, 1_500_000, None]
    assert rows[0][planned].number_format == "#,##0.00"
    assert rows[0][planned].data_type == "n"
    # Codes for machines read as the documents write them: in the CSV they stay codes.
    progress, kind = (open_data.CSV_COLUMNS.index(name) for name in ("progress", "kind"))
    assert [row[progress].value for row in rows[:3]] == ["ดำเนินการแล้ว", "อยู่ระหว่างดำเนินการ", None]
    assert rows[0][kind].value == "เทศบาลตำบล"
    assert ",done," in version_csv(version).decode()
    year = version.data["fiscal_year"]
    for name, data in (("x.xlsx", content), ("x.csv", version_csv(version))):
        result = parse_spreadsheet(data, name, year, INDICATORS[year])
        assert result.problems == []
        budgets = [
            (m.get("budget_planned"), m.get("budget_spent"), m.get("budget_none", False))
            for m in result.measures[:4]
        ]
        assert [m["progress"] for m in result.measures[:3]] == ["done", "in_progress", ""]
        assert budgets == [(25000.5, 1200, False), (1_500_000, None, False)] + [
            (None, None, True),
            (None, None, False),
        ], name
