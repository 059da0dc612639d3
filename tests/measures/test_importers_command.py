"""The import_report command: a seed's table into the demo's reports."""

import datetime
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from measures.fiscal import fiscal_year_of
from measures.models import Report
from measures.report_format import report_to_data
from measures.selectors import report_document
from publication.services import report_open_revision
from tests.measures.importer_seeds import demo, differences, seed_docx, seed_lines


@pytest.fixture
def demo_data(db):
    call_command("load_demo", "--seeds-only", stdout=io.StringIO())


def sai_khao(year: int) -> dict:
    report = Report.objects.get(agency__slug="sai-khao", fiscal_year__year=year)
    return report_to_data(report=report_document(pk=report.pk))


@pytest.fixture
def seed_004_file(tmp_path) -> Path:
    path = tmp_path / "sai-khao.txt"
    path.write_text("\n".join(seed_lines("sai-khao-2567")), encoding="utf-8")
    return path


def test_import_report_replaces_the_measures_of_a_report(demo_data, seed_004_file):
    report = Report.objects.get(agency__slug="sai-khao")
    # The demo published it: its content changes only in a revision, as staff's would.
    report_open_revision(report=report, user=get_user_model().objects.get(username="admin"))
    before = sai_khao(2567)
    report.measures.filter(position__gt=1).delete()
    out = io.StringIO()
    call_command(
        "import_report", str(seed_004_file), "--agency=sai-khao", "--year=2567", "--replace",
        stdout=out,
    )  # fmt: skip
    after = sai_khao(2567)
    assert differences(after, demo("sai-khao-2567")) == []
    assert {k: v for k, v in after.items() if k != "measures"} == {
        k: v for k, v in before.items() if k != "measures"
    }
    assert "มาตรการ 10 รายการ" in out.getvalue()


def test_import_report_leaves_a_published_report_as_it_is(demo_data, seed_004_file):
    before = sai_khao(2567)
    with pytest.raises(CommandError, match="เผยแพร่แล้ว"):
        call_command(
            "import_report", str(seed_004_file), "--agency=sai-khao", "--year=2567", "--replace",
            stdout=io.StringIO(),
        )  # fmt: skip
    assert sai_khao(2567) == before


def test_import_report_creates_a_report_that_does_not_exist(demo_data, seed_004_file):
    call_command(
        "import_report", str(seed_004_file), "--agency=sai-khao", "--year=2568",
        stdout=io.StringIO(),
    )  # fmt: skip
    created = sai_khao(2568)
    assert created["layout"] == "by_issue"
    assert created["digits"] == "thai"
    assert len(created["issue_groups"]) == 7
    assert [m["title"] for m in created["measures"]] == [
        m["title"] for m in demo("sai-khao-2567")["measures"]
    ]
    # Quarters are the quarters of the year imported into.
    assert created["measures"][0]["period"]["start"] == "2024-10-01"


def test_import_report_does_not_replace_measures_unless_told(demo_data, seed_004_file):
    with pytest.raises(CommandError, match="--replace"):
        call_command(
            "import_report", str(seed_004_file), "--agency=sai-khao", "--year=2567",
            stdout=io.StringIO(),
        )  # fmt: skip


def test_import_report_needs_an_existing_agency(demo_data, seed_004_file):
    with pytest.raises(CommandError, match="ไม่พบหน่วยงาน “nowhere”"):
        call_command(
            "import_report", str(seed_004_file), "--agency=nowhere", "--year=2567",
            stdout=io.StringIO(),
        )  # fmt: skip


def test_import_report_explains_an_unreadable_file(demo_data, tmp_path):
    path = tmp_path / "report.docx"
    path.write_text("ไม่ใช่ไฟล์ Word", encoding="utf-8")
    with pytest.raises(CommandError, match="ไม่ใช่ไฟล์ Word"):
        call_command(
            "import_report", str(path), "--agency=sai-khao", "--year=2567", stdout=io.StringIO()
        )


# Seed 002 has no table: it is written as blocks of text.
TABLE_SEEDS = ["nong-lom-2568", "kaset-phatthana-2566", "nong-samet-2567", "sai-khao-2567"]


@pytest.mark.parametrize("key", TABLE_SEEDS)
def test_a_word_table_of_another_year_imports_whole_with_its_periods_moved(
    key, demo_data, tmp_path
):
    """Last year's (or older) Word file into this year's report: nothing refused for a period."""
    slug, year = key.rsplit("-", 1)
    path = tmp_path / f"{key}.docx"
    path.write_bytes(seed_docx(key))
    out = io.StringIO()
    call_command("import_report", str(path), f"--agency={slug}", "--year=2570", stdout=out)
    report = Report.objects.get(agency__slug=slug, fiscal_year__year=2570)
    got, want = report_to_data(report=report_document(pk=report.pk)), demo(key)
    assert [m["title"] for m in got["measures"]] == [m["title"] for m in want["measures"]]
    for mine, theirs in zip(got["measures"], want["measures"], strict=True):
        for part in ("sub_items", "steps", "outputs", "outcomes"):
            assert [i["text"] for i in mine[part]] == [i["text"] for i in theirs[part]]
        period, original = mine["period"], theirs["period"]
        assert (period is None) == (original is None)
        if original is None or original["style"] == "quarters":
            continue  # quarters are read in the year imported into
        assert period["style"] == original["style"]
        start = datetime.date.fromisoformat(period["start"])
        was = datetime.date.fromisoformat(original["start"])
        assert (start.month, start.day) == (was.month, was.day)  # the plan keeps its shape
        assert 2569 <= fiscal_year_of(start) <= 2570
        if original["style"] in ("fiscal_year", "fiscal_year_be", "all_year"):
            assert (period["start"], period["end"]) == ("2026-10-01", "2027-09-30")
    if any(
        m["period"] and m["period"]["style"] in ("months", "dates", "day", "months_short_years")
        for m in want["measures"]
    ):
        assert "เลื่อนไปปีงบประมาณ ๒๕๗๐" in out.getvalue() and "→" in out.getvalue()
