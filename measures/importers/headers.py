"""Header rows: which column each header cell names, in the wordings agencies use."""

import re

from ..open_data import COLUMNS as OPEN_DATA
from .cells import _cell_text, _plain

# (start of the normalised header, column); tried in order, so longer and more specific first.
HEADER_PREFIXES = (
    ("ลำดับ", "number"),
    ("ไม่ใช้งบประมาณ", None),  # a data cell, never a header
    ("ผลการใช้จ่ายงบประมาณ", "budget_spent"),
    ("งบประมาณที่ใช้", "budget_spent"),
    ("งบประมาณที่ใช้จริง", "budget_spent"),
    ("ใช้งบประมาณ", "budget_spent"),
    ("งบประมาณ", "budget"),
    ("วัตถุประสงค์", "objective"),
    ("ตัวชี้วัดความสำเร็จ", "target"),
    ("ตัวชี้วัดผลสำเร็จ", "target"),
    ("เป้าหมาย", "target"),
    ("ตัวชี้วัด", "indicator"),
    ("ความก้าวหน้า", "progress"),
    ("สถานะ", "progress"),
    ("แนวทางในการยกระดับ", "guidelines"),
    ("แนวทางการยกระดับ", "guidelines"),
    ("มาตรการ", "title"),
    ("กิจกรรม", "title"),
    ("โครงการ", "title"),
    ("ขั้นตอน", "steps"),
    ("วิธีดำเนินการ", "steps"),
    ("วิธีการดำเนินการ", "steps"),
    ("วิธีการปฏิบัติ", "steps"),
    ("แนวทางการดำเนินการ", "steps"),
    ("สรุปผล", "outputs"),
    ("ผลการดำเนินการ", "outputs"),
    ("ผลการดำเนินงาน", "outputs"),
    ("ผลผลิต", "outputs"),
    ("ผลลัพธ์", "outcomes"),
    ("ผลสัมฤทธิ์", "outcomes"),
    ("ความสำเร็จ", "outcomes"),
    ("หน่วยงานรับผิดชอบ", "responsible"),
    ("หน่วยงานที่รับผิดชอบ", "responsible"),
    ("หน่วยงานผู้รับผิดชอบ", "responsible"),
    ("ผู้รับผิดชอบ", "responsible"),
    ("ระยะเวลา", "period"),
    ("ช่วงระยะเวลา", "period"),
    ("ช่วงเวลา", "period"),
    ("ห้วงเวลา", "period"),
)
HEADER_EXACT = {"ที่": "number", "ข้อ": "number", "no": "number", "no.": "number"}
# The columns of the portal's own open data (report_format.CSV_COLUMNS), so that its CSV and
# XLSX downloads import back; IGNORED: a column read by no one here (the agency, the version,
# the addresses), which a header row may hold.
IGNORED = ""
OPEN_DATA_RENAMED = {
    "measure": "number",
    "responsible_main": "responsible",
    "responsible_supporting": "supporting",
    "budget_planned": "budget",
}
OPEN_DATA_READ = {"indicator", "issue_group", "issue_group_title", "title", "steps", "outputs"}
OPEN_DATA_READ |= {"outcomes", "period", "progress", "budget_spent", "budget_none"}


def _key(header: str) -> str:
    return re.sub(r"\s+", "", _plain(_cell_text(header))).lower().rstrip(":*")


# Each by its name for machines (the CSV) and its Thai header for people (the XLSX).
OPEN_DATA_COLUMNS = {
    key: OPEN_DATA_RENAMED.get(
        column.name, column.name if column.name in OPEN_DATA_READ else IGNORED
    )
    for column in OPEN_DATA
    for key in (column.name, _key(column.label))
}
# Words that name a column wherever they stand, for headers worded otherwise.
HEADER_KEYWORDS = (
    ("ความก้าวหน้า", "progress"),
    ("ผลลัพธ์", "outcomes"),
    ("สรุปผล", "outputs"),
    ("ขั้นตอน", "steps"),
    ("รับผิดชอบ", "responsible"),
    ("ระยะเวลา", "period"),
    ("ยกระดับ", "guidelines"),
    ("ตัวชี้วัด", "indicator"),
    ("มาตรการ", "title"),
)
# Headers are short and hold neither digits nor "label: value": data cells often do.
MAX_HEADER_CHARS = 50
NOT_A_HEADER = re.compile(r"[0-9๐-๙]|:.")


def _column_of(header: str) -> str | None:
    """The column a header cell names, IGNORED for one the import does not read, or None."""
    key = _key(header)
    if not key or len(key) > MAX_HEADER_CHARS or NOT_A_HEADER.search(key):
        return None
    if key in HEADER_EXACT:
        return HEADER_EXACT[key]
    if key in OPEN_DATA_COLUMNS:
        return OPEN_DATA_COLUMNS[key]
    for prefix, column in HEADER_PREFIXES:
        if key.startswith(prefix):
            return column  # None for the prefixes that are never headers
    for word, column in HEADER_KEYWORDS:
        if word in key:
            return column
    return None


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    """{column: index} when the row is a header row: every filled cell names a column."""
    filled = [(index, cell) for index, cell in enumerate(cells) if cell.strip()]
    if len(filled) < 2:
        return None
    columns = {}
    for index, cell in filled:
        column = _column_of(cell)
        if column is None or column in columns:
            return None  # a data row: two measures' cells are not two measure columns
        if column != IGNORED:
            columns[column] = index
    if "title" not in columns and "indicator" not in columns:
        return None
    return columns
