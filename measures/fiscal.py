"""Thai fiscal-year arithmetic.

A fiscal year is named by the Buddhist-Era year in which it ends: FY 2568 runs from
1 October 2567 (2024-10-01) to 30 September 2568 (2025-09-30). Quarter 1 is Oct–Dec.
"""

import calendar
import datetime

BE_OFFSET = 543
FIRST_MONTH = 10  # October


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be_year: int) -> int:
    return be_year - BE_OFFSET


def fiscal_year_of(day: datetime.date) -> int:
    """The Buddhist-Era fiscal year that contains ``day``."""
    return be_year(day.year + 1 if day.month >= FIRST_MONTH else day.year)


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
    end_year = ce_year(fiscal_year)
    return datetime.date(end_year - 1, FIRST_MONTH, 1), datetime.date(end_year, 9, 30)


def quarter_of(day: datetime.date) -> int:
    """The fiscal quarter (1–4) that contains ``day``."""
    return (day.month - FIRST_MONTH) % 12 // 3 + 1


def quarter_bounds(fiscal_year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1–4, not {quarter}")
    start, _ = fiscal_year_bounds(fiscal_year)
    first = _add_months(start, (quarter - 1) * 3)
    last = _add_months(first, 2)
    return first, month_end(last)


def quarters_span(fiscal_year: int, first: int, last: int) -> tuple[datetime.date, datetime.date]:
    if first > last:
        raise ValueError("the first quarter comes after the last")
    return quarter_bounds(fiscal_year, first)[0], quarter_bounds(fiscal_year, last)[1]


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def years_later(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` years later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
