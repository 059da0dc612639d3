"""The portal's open data, a row per measure, declared once: each column's name for machines (the
CSV, the JSON and the API), its Thai header for people (the XLSX), what its cells hold, and how
wide the XLSX shows it. publication.tables writes the rows; the importers read both headers back.
"""

from dataclasses import dataclass
from typing import Literal

from django.db import models

from .models import Agency, Progress


@dataclass(frozen=True)
class Column:
    name: str  # for machines: never changes once published
    label: str  # for people: the XLSX's header, Thai; no digits (the importer's header rule)
    kind: Literal["text", "integer", "baht", "date"] = "text"
    width: int = 16  # characters, in the XLSX
    # Codes for machines, shown to people by their Thai label (the XLSX; the importer reads both)
    choices: type[models.TextChoices] | None = None


COLUMNS = (
    Column("agency_slug", "รหัสหน่วยงาน", width=18),
    Column("agency_name", "ชื่อหน่วยงาน", width=30),
    Column("province", "จังหวัด", width=14),
    Column("district", "อำเภอ", width=14),
    Column("kind", "ประเภทหน่วยงาน", width=22, choices=Agency.Kind),
    Column("fiscal_year", "ปีงบประมาณ", "integer", 11),
    Column("version", "ฉบับที่", "integer", 8),
    Column("measure", "ลำดับมาตรการ", "integer", 11),
    Column("indicator", "ตัวชี้วัดที่", "integer", 10),
    Column("issue_group", "ประเด็นที่", "integer", 10),
    Column("issue_group_title", "ชื่อประเด็น", width=30),
    Column("title", "ชื่อมาตรการ", width=50),
    Column("steps", "ขั้นตอนการดำเนินการ", width=60),
    Column("outputs", "ผลผลิต", width=40),
    Column("outcomes", "ผลลัพธ์", width=40),
    Column("period", "ระยะเวลาดำเนินการ", width=26),
    Column("period_start", "วันเริ่มต้น", "date", 14),
    Column("period_end", "วันสิ้นสุด", "date", 14),
    Column("responsible_main", "หน่วยงานรับผิดชอบหลัก", width=30),
    Column("responsible_supporting", "หน่วยงานสนับสนุน", width=30),
    Column("progress", "ความก้าวหน้า", width=20, choices=Progress),
    Column("html", "หน้ารายงาน", width=40),
    # After the first columns, so that a program reading them by position reads the same.
    Column("budget_planned", "งบประมาณที่ตั้งไว้ (บาท)", "baht", 18),
    Column("budget_spent", "งบประมาณที่ใช้จริง (บาท)", "baht", 18),
    Column("budget_none", "การใช้งบประมาณ", width=16),  # "ไม่ใช้งบประมาณ" or empty
)
CSV_COLUMNS = tuple(column.name for column in COLUMNS)
NO_BUDGET = "ไม่ใช้งบประมาณ"
