"""Last year's table into this year's report: dated periods moved by whole years.

Agencies start a year from last year's Word file, whose dates lie in last year. The file's own
fiscal year is the one most of its periods that name a year start in (quarters and "ตลอดปี" name
none: they are read in the report's year already; a tie goes to the later year). When that is
another year, every period outside the report's year moves by the years between, so a plan keeps
its shape (ต.ค.-ธ.ค. stays ต.ค.-ธ.ค.), and "the whole fiscal year" becomes the report's. A period
still more than a year away after that is left out, with a note, and its measure kept: nothing is
refused whole for a period.
"""

import datetime
from collections import Counter

from .. import fiscal, thai
from ..models import PERIOD_SLACK_DAYS, WHOLE_YEAR_STYLES, PeriodStyle

# Written without a year, so read in the report's year already: no evidence of the file's year.
YEARLESS = {PeriodStyle.FISCAL_YEAR, PeriodStyle.ALL_YEAR, PeriodStyle.QUARTERS}


def _dates(period: dict) -> tuple[datetime.date, datetime.date]:
    return datetime.date.fromisoformat(period["start"]), datetime.date.fromisoformat(period["end"])


def _text(period: dict, digits_year: int) -> str:
    start, end = _dates(period)
    return thai.to_digits(thai.period_text(period["style"], start, end, digits_year))


def _dated(rows: list[dict]):
    """(row number, row, period) for each period that may name its own year."""
    for number, row in enumerate(rows, start=1):
        period = row.get("period")
        if period and period["style"] != PeriodStyle.QUARTERS:
            yield number, row, period


def _document_year(periods: list[dict]) -> int | None:
    years = Counter(fiscal.fiscal_year_of(_dates(p)[0]) for p in periods)
    if not years:
        return None
    most = max(years.values())
    return max(year for year, count in years.items() if count == most)  # a tie: the later year


def periods_to_year(
    measures: list[dict], progress_rows: list[dict], fiscal_year: int
) -> tuple[list[str], list[str]]:
    """Move the rows' dated periods into ``fiscal_year``, in place; (moves, problems) in Thai."""
    rows = [("มาตรการที่", measures), ("แถวความก้าวหน้าที่", progress_rows)]
    dated = [(name, n, row, p) for name, group in rows for n, row, p in _dated(group)]
    source = _document_year([p for *_, p in dated if p["style"] not in YEARLESS])
    moves, problems = [], []
    bounds = fiscal.fiscal_year_bounds(fiscal_year)
    years = fiscal_year - source if source is not None else 0
    if years:
        moves.append(
            f"ระยะเวลาในไฟล์เป็นของปีงบประมาณ {thai.number(source)}: "
            f"เลื่อนไปปีงบประมาณ {thai.number(fiscal_year)} ({thai.number(abs(years))} ปี)"
        )
    earliest = bounds[0] - datetime.timedelta(days=PERIOD_SLACK_DAYS)
    latest = bounds[1] + datetime.timedelta(days=PERIOD_SLACK_DAYS)
    for name, number, row, period in dated:
        where = f"{name} {thai.number(number)}"
        if period["style"] in WHOLE_YEAR_STYLES:  # "the whole fiscal year": the report's year
            if _dates(period) != bounds:
                before = _text(period, fiscal.fiscal_year_of(_dates(period)[0]))
                period.update(start=bounds[0].isoformat(), end=bounds[1].isoformat())
                moves.append(f"{where}: {before} → {_text(period, fiscal_year)}")
            continue
        before = _text(period, fiscal.fiscal_year_of(_dates(period)[0]))
        if years and fiscal.fiscal_year_of(_dates(period)[0]) != fiscal_year:
            start, end = (fiscal.years_later(day, years) for day in _dates(period))
            period.update(start=start.isoformat(), end=end.isoformat())
            moves.append(f"{where}: {before} → {_text(period, fiscal_year)}")
        start, end = _dates(period)
        if start < earliest or end > latest:
            row["period"] = None
            problems.append(
                f"{where}: ระยะเวลา “{before}” ห่างจากปีงบประมาณ {thai.number(fiscal_year)} "
                "เกินหนึ่งปี จึงไม่ได้นำเข้าระยะเวลานี้ (มาตรการยังนำเข้า): กรอกระยะเวลาในแบบฟอร์มภายหลัง"
            )
    return moves, problems
