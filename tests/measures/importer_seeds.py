"""The seeds as the importer's tests use them, and the demo data they should give.

Their tables as pasted text and as Word, Excel and CSV files. Shared by
tests/measures/test_importers_*.py and tests/staff/test_import_views.py.
"""

import csv
import io
import json
import re
from pathlib import Path

import docx
import openpyxl

from tests.textmatch import SEED_FILES, SEEDS, TYPOS

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "measures" / "demo" / "reports"
FRAMEWORK = json.loads((ROOT / "measures" / "demo" / "framework.json").read_text("utf-8"))
INDICATORS = {
    year["year"]: {i["number"]: i["name"] for i in year["indicators"]}
    for year in FRAMEWORK["fiscal_years"]
}
# The seeds that have tables (002 has none), by the demo report they are.
TABLE_SEEDS = ["nong-lom-2568", "kaset-phatthana-2566", "nong-samet-2567", "sai-khao-2567"]
MEASURE_FIELDS = (
    "title",
    "indicator",
    "issue_group",
    "sub_items",
    "steps",
    "outputs",
    "outcomes",
    "numbering",
    "period",
    "responsible",
    "progress",
)
PROGRESS_FIELDS = (
    "indicator",
    "guidelines",
    "responsible",
    "period",
    "progress",
    "notes",
    "numbering",
)


def demo(key: str) -> dict:
    return json.loads((DEMO / f"{key}.json").read_text("utf-8"))


def seed_lines(key: str, *, keep_breaks: bool = False) -> list[str]:
    """The seed's table lines (headers included) and ประเด็นที่ lines, extraction typos fixed.

    The demo data corrects the typos the seeds' README names; the same fixes go on the seed
    text here, never in the importer. ``keep_breaks`` keeps the empty lines between tables.
    """
    text = (SEEDS / SEED_FILES[key]).read_text("utf-8")
    for typo, word in TYPOS.items():
        text = text.replace(typo, word)
    text = re.sub(r"ให้แก(?!่)", "ให้แก่", text)
    return [
        line
        for line in text.splitlines()
        if "\t" in line or line.startswith("ประเด็นที่") or (keep_breaks and not line.strip())
    ]


def seed_tables(key: str) -> list[tuple[str, list[list[str]]]]:
    """[(the paragraph before, rows)]: the seed's tables, as the empty lines separate them."""
    tables, before, new_table = [], "", True
    for line in seed_lines(key, keep_breaks=True):
        if "\t" not in line:
            before = line or before
            new_table = True
            continue
        if new_table:
            tables.append((before, []))
            before, new_table = "", False
        tables[-1][1].append(line.rstrip().split("\t"))
    return tables


def _value(value, keys):
    if isinstance(value, dict) and keys:
        return {k: value.get(k) for k in keys}
    return value


def differences(got: dict, want: dict) -> list[str]:
    """Field by field, item by item: what the import gives that the demo data does not hold."""
    found = []

    def groups(document):  # "kind" is the analysis's; a table does not say it
        return [{"kind": "", **group} for group in document["issue_groups"]]

    if groups(got) != groups(want):
        found.append(f"issue_groups: {got['issue_groups']} != {want['issue_groups']}")
    for part, fields in (("measures", MEASURE_FIELDS), ("indicator_progress", PROGRESS_FIELDS)):
        if len(got[part]) != len(want[part]):
            found.append(f"{part}: {len(got[part])} rows, the demo has {len(want[part])}")
        for number, (row, expected) in enumerate(zip(got[part], want[part], strict=False), 1):
            for name in fields:
                keys = {"period": ("style", "start", "end"), "indicator": ("number", "label")}
                mine = _value(row.get(name), keys.get(name))
                theirs = _value(expected.get(name), keys.get(name))
                if isinstance(theirs, list) and isinstance(mine, list):
                    if len(mine) != len(theirs):
                        found.append(f"{part}[{number}].{name}: {len(mine)} != {len(theirs)} items")
                    for index, (a, b) in enumerate(zip(mine, theirs, strict=False), 1):
                        if a != b:
                            found.append(f"{part}[{number}].{name}[{index}]: {a} != {b}")
                elif mine != theirs:
                    found.append(f"{part}[{number}].{name}: {mine} != {theirs}")
    return found


def as_document(result) -> dict:
    return {
        "issue_groups": result.issue_groups,
        "measures": result.measures,
        "indicator_progress": result.indicator_progress,
    }


def plain_cell(text: str) -> str:
    """A seed cell as a person types it into Excel: lines for paragraphs, real tick boxes."""
    text = re.sub(r'<input checked="" type="checkbox"/>', "☑", text)
    text = re.sub(r'<input type="checkbox"/>', "☐", text)
    text = re.sub(r"\s*</p>\s*<p>\s*", "\n", text)
    return re.sub(r"</?(?:p|b)>", "", text).strip()


def fill_docx_cell(cell, text: str) -> None:
    """A seed cell in Word: <p> paragraphs as paragraphs, <b> runs as bold runs."""
    text = re.sub(r'<input checked="" type="checkbox"/>', "☒", text)
    text = re.sub(r'<input type="checkbox"/>', "☐", text)
    paragraphs = [p.strip() for p in re.split(r"</?p>", text) if p.strip()] or [""]
    for index, paragraph_text in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        for part_index, part in enumerate(re.split(r"</?b>", paragraph_text)):
            if part:
                paragraph.add_run(part).bold = part_index % 2 == 1


def seed_docx(key: str) -> bytes:
    document = docx.Document()
    document.add_paragraph("รายงานผลการดำเนินการ")
    for before, rows in seed_tables(key):
        if before:
            document.add_paragraph(before)
        table = document.add_table(rows=0, cols=max(len(row) for row in rows))
        for cells in rows:
            row = table.add_row()
            for cell, text in zip(row.cells, cells, strict=False):
                fill_docx_cell(cell, text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_rows_plain(key: str) -> list[list[str]]:
    return [[plain_cell(cell) for cell in line.rstrip().split("\t")] for line in seed_lines(key)]


def seed_xlsx(key: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["รายงานผลการดำเนินการ"])
    for row in seed_rows_plain(key):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def seed_csv(key: str, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(seed_rows_plain(key))
    return buffer.getvalue().encode(encoding)


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
