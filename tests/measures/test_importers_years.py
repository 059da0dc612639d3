"""Periods of another year's table moved into the report's fiscal year by whole years."""

from measures.importers import parse_table_text
from measures.importers.years import periods_to_year

HEADER = "มาตรการ\tขั้นตอนหรือวิธีการปฏิบัติ\tระยะเวลาดำเนินการ"


def measure(start: str, end: str, style: str = "months") -> dict:
    return {"title": "ม", "period": {"style": style, "start": start, "end": end}}


def test_a_plan_of_two_years_ago_moves_two_years_and_keeps_its_shape():
    rows = [measure("2022-10-01", "2022-12-31"), measure("2023-01-01", "2023-03-31")]
    moves, problems = periods_to_year(rows, [], 2568)
    assert [r["period"]["start"] for r in rows] == ["2024-10-01", "2025-01-01"]
    assert problems == [] and len(moves) == 3
    assert moves[1] == "มาตรการที่ ๑: ต.ค.-ธ.ค. ๒๕๖๕ → ต.ค.-ธ.ค. ๒๕๖๗"


def test_this_years_periods_stay_and_a_far_one_is_left_out_with_a_note():
    rows = [measure("2024-10-01", "2024-12-31"), measure("2024-11-01", "2024-11-30")]
    rows.append(measure("2019-01-01", "2019-01-31"))
    moves, problems = periods_to_year(rows, [], 2568)
    assert moves == []
    assert rows[0]["period"]["start"] == "2024-10-01" and rows[2]["period"] is None
    assert "มาตรการที่ ๓" in problems[0] and "มาตรการยังนำเข้า" in problems[0]


def test_the_whole_fiscal_year_becomes_the_reports_year():
    rows = [measure("2023-10-01", "2024-09-30", "fiscal_year_be")]
    moves, _ = periods_to_year(rows, [], 2570)
    assert rows[0]["period"] == {
        "style": "fiscal_year_be",
        "start": "2026-10-01",
        "end": "2027-09-30",
    }
    assert "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗ → ตลอดปีงบประมาณ พ.ศ. ๒๕๗๐" in moves[-1]


def test_pasted_text_of_last_year_imports_into_this_year():
    text = "\n".join([HEADER, "ประชุม\tจัดประชุม\tม.ค.-มี.ค. ๒๕๖๙", "อบรม\tจัดอบรม\tต.ค. ๖๘ - ก.ย. ๖๙"])
    result = parse_table_text(text, 2570)
    assert [m["period"]["start"] for m in result.measures] == ["2027-01-01", "2026-10-01"]
    assert result.moves and not result.problems
