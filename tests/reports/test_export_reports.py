import json
import re

import pytest
from django.core.management import CommandError, call_command

from tests.textmatch import SEED_FILES, seed_text, squash

pytestmark = pytest.mark.django_db

EXPECTED_COUNTS = {
    "nong-lom-2568": (7, 0),
    "kaset-phatthana-2566": (5, 8),
    "non-sung-2568": (5, 0),
    "nong-samet-2567": (2, 0),
    "sai-khao-2567": (10, 0),
}


@pytest.fixture
def exported(tmp_path, capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    call_command("export_reports", "--format", "json", "--output-dir", str(tmp_path))
    return {path.stem: json.loads(path.read_text()) for path in tmp_path.glob("*.json")}


def item_texts(items):
    return [squash(item["label"] + item["text"]) for item in items]


def test_one_file_per_report_named_by_agency_and_year(exported):
    assert set(exported) == set(SEED_FILES)
    for key, data in exported.items():
        assert f"{data['agency']['slug']}-{data['fiscal_year']}" == key
        assert (len(data["measures"]), len(data["indicator_progress"])) == EXPECTED_COUNTS[key]


@pytest.mark.parametrize("key", SEED_FILES)
def test_the_json_holds_the_seed_text_in_order(exported, key):
    """Every text of the export stands in the seed, measures in the seed's order."""
    data = exported[key]
    seed = squash(seed_text(key))
    for field in ("heading", "intro", "progress_heading", "prepared_by"):
        for paragraph in data[field].split("\n\n"):
            assert squash(paragraph) in seed, (field, paragraph)
    for value in (data["memo"] or {}).values():
        if value and not value[0].isdigit():  # the date is ISO, the seed writes it in Thai
            assert squash(value) in seed, value

    position = 0
    for number, measure in enumerate(data["measures"], start=1):
        found = seed.find(squash(measure["title"]), position)
        assert found >= 0, f"measure {number} out of order: {measure['title'][:40]}"
        position = found
        rest = seed[position:]
        for field in ("sub_items", "steps", "outputs", "outcomes"):
            for text in item_texts(measure[field]):
                assert text in rest, (number, field, text[:40])
        for names in measure["responsible"].values():
            for name in names:
                assert squash(name) in rest, (number, name)
        assert measure["period"] is not None, number
        assert squash(measure["period"]["text"]) in rest, (number, measure["period"])

    for row in data["indicator_progress"]:
        found = seed.find(squash(row["indicator"]["label"] or row["indicator"]["name"]), position)
        assert found >= 0, row["indicator"]
        position = found
        for text in item_texts(row["guidelines"]) + item_texts(row["notes"]):
            assert text in seed[position:], text[:40]


def test_export_keeps_the_structure_the_seeds_show(exported):
    nong_lom = exported["nong-lom-2568"]["measures"]
    assert [m["indicator"]["number"] for m in nong_lom] == [5, 2, 1, 4, 7, 6, 9]
    assert nong_lom[0]["responsible"] == {
        "main": ["สำนักปลัดเทศบาล"],
        "supporting": ["หน่วยงานที่ เกี่ยวข้องตามตัวชี้วัด"],
    }
    assert nong_lom[1]["period"]["text"] == "ต.ค.๒๕๖๗-ธ.ค.๒๕๖๘"

    non_sung = exported["non-sung-2568"]["measures"]
    assert non_sung[1]["outputs"][0] == {
        "label": "สถิติการจัดประชุม:",
        "text": non_sung[1]["outputs"][0]["text"],
    }
    assert non_sung[3]["period"]["text"] == "วันที่ ๒๙ กรกฎาคม ๒๕๖๘"

    nong_samet = exported["nong-samet-2567"]
    assert len(nong_samet["measures"][0]["sub_items"]) == 2
    assert len(nong_samet["measures"][0]["steps"]) == 5  # the continuation row joins measure 1
    assert nong_samet["memo"]["date"] == "2025-01-14"

    sai_khao = exported["sai-khao-2567"]
    last = sai_khao["measures"][-1]
    assert (len(last["outputs"]), len(last["outcomes"])) == (12, 12)  # "(ต่อ)" joins measure 10
    assert [m["issue_group"] for m in sai_khao["measures"]] == [1, 1, 1, 1, 2, 3, 4, 5, 6, 7]
    assert sai_khao["measures"][0]["period"]["text"] == "ไตรมาสที่ ๑ - ๒"

    progress = exported["kaset-phatthana-2566"]["indicator_progress"]
    assert [r["progress"] for r in progress] == ["done"] * 3 + ["in_progress", "done"] + [
        "in_progress"
    ] * 2 + ["done"]


def test_export_one_agency_or_year(tmp_path, capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    out = tmp_path / "out"
    call_command("export_reports", "--output-dir", str(out), "--agency", "sai-khao")
    assert [p.name for p in out.iterdir()] == ["sai-khao-2567.json"]
    call_command("export_reports", "--output-dir", str(tmp_path / "y"), "--year", "2568")
    assert sorted(p.name for p in (tmp_path / "y").iterdir()) == [
        "non-sung-2568.json",
        "nong-lom-2568.json",
    ]
    with pytest.raises(CommandError):
        call_command("export_reports", "--output-dir", str(tmp_path), "--agency", "nowhere")


def test_export_html_and_pdf_files_stand_alone(tmp_path, capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    call_command(
        "export_reports", "--format", "html", "--output-dir", str(tmp_path), "--year", "2567"
    )
    call_command(
        "export_reports", "--format", "pdf", "--output-dir", str(tmp_path), "--year", "2567"
    )
    names = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert names == [
        "nong-samet-2567.html",
        "nong-samet-2567.pdf",
        "sai-khao-2567.html",
        "sai-khao-2567.pdf",
    ]
    assert (tmp_path / "sai-khao-2567.pdf").read_bytes().startswith(b"%PDF")
    html = (tmp_path / "sai-khao-2567.html").read_text()
    # The page links its stylesheets and fonts beside it, and nothing elsewhere.
    for link in re.findall(r'href="([^"]+)"', html):
        assert (tmp_path / link).is_file(), link
    fonts_css = (tmp_path / "static/css/fonts.css").read_text()
    for font in re.findall(r'url\("\.\./([^"]+)"\)', fonts_css):
        assert (tmp_path / "static" / font).is_file(), font
