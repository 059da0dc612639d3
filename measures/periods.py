"""Reading periods and dates as agencies type them: the inverse of ``thai.period_text``.

Every function takes free text (Thai or Arabic digits, Buddhist-Era years, the dash and spacing
variants of the seeds) and returns None for text it cannot read; nothing here raises.
"""

import datetime
import re

from pythainlp.util import thai_digit_to_arabic_digit
from pythainlp.util.date import thai_abbr_months, thai_full_months

from . import fiscal
from .models import PeriodStyle

# The plausible Buddhist-Era years: catches a Christian-Era year typed where BE was meant.
MIN_BE_YEAR = 2400
MAX_BE_YEAR = 2700


def _month_table() -> dict[str, int]:
    """Every accepted spelling of a month, without dots, to its number."""
    table = {}
    for number, (full, abbr) in enumerate(zip(thai_full_months, thai_abbr_months, strict=True), 1):
        table[full] = number
        table[abbr.replace(".", "")] = number
    return table


MONTHS = _month_table()


def _month_pattern() -> str:
    # Abbreviations may lose their dots ("มีค", "ม.ค"); full names first, longest first, so that
    # "มีนาคม" is not read as "มี" + something.
    names = sorted(thai_full_months, key=len, reverse=True)
    abbrs = sorted(thai_abbr_months, key=len, reverse=True)
    abbr_patterns = [
        r"\.?".join(re.escape(part) for part in a.rstrip(".").split(".")) + r"\.?" for a in abbrs
    ]
    return "(?:" + "|".join([*map(re.escape, names), *abbr_patterns]) + ")"


MONTH = _month_pattern()


def _year(name: str) -> str:
    return rf"(?:พ\.\s*ศ\.\s*)?(?P<{name}>\d{{4}}|\d{{2}})"


DASH = r"(?:-|ถึง|จนถึง)"

_DATE_WORDS = re.compile(r"^(?:ตั้งแต่\s*)?(?:วัน\S{0,10}?ที่\s*)?")
_TEXT_DATE = re.compile(rf"^(?P<day>\d{{1,2}})\s*(?P<month>{MONTH})\s*{_year('year')}$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_QUARTERS = re.compile(
    r"^ไตรมาส(?:ที่)?\s*([1-4])(?:\s*(?:-|ถึง|และ|,)\s*(?:ไตรมาส(?:ที่)?)?\s*([1-4]))?$"
)
_MONTHS = re.compile(
    rf"^(?:ตั้งแต่|ระหว่าง)?\s*(?:เดือน)?\s*(?P<m1>{MONTH})(?P<s1>\s*)(?:{_year('y1')})?"
    rf"(?:\s*{DASH}\s*(?:เดือน)?\s*(?P<m2>{MONTH})\s*(?:{_year('y2')})?)?$"
)
_WHOLE_FISCAL_YEAR = re.compile(rf"^(?:ดำเนินการ)?ตลอด(?:ทั้ง)?ปีงบประมาณ(?:{_year('year')})?$")
_ALL_YEAR = re.compile(r"^(?:ดำเนินการ)?ตลอด(?:ทั้ง)?ปี$")


def normalize(text: str) -> str:
    """Arabic digits, one kind of dash, single spaces."""
    text = thai_digit_to_arabic_digit(text or "")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"[\s\u200b]+", " ", text.replace("\xa0", " "))
    return text.strip().rstrip(".").strip()


def _be_year(digits: str) -> int | None:
    year = int(digits)
    if len(digits) == 2:
        year += 2500
    return year if MIN_BE_YEAR <= year <= MAX_BE_YEAR else None


def _month_number(name: str) -> int:
    return MONTHS[name.replace(".", "")]


def parse_thai_date(text: str) -> datetime.date | None:
    """A Buddhist-Era date: "๑๔ มกราคม ๒๕๖๘", "14 ม.ค. 2568", "14/01/2568" (day/month/year)."""
    if not isinstance(text, str):
        return None
    text = _DATE_WORDS.sub("", normalize(text))
    match = _TEXT_DATE.match(text)
    if match:
        day, month = int(match["day"]), _month_number(match["month"])
        year = _be_year(match["year"])
    else:
        match = _NUMERIC_DATE.match(text)
        if not match:
            return None
        day, month, year = int(match[1]), int(match[2]), _be_year(match[3])
    if year is None:
        return None
    try:
        return datetime.date(fiscal.ce_year(year), month, day)
    except ValueError:
        return None


def parse_period(text: str, fiscal_year: int) -> tuple[str, datetime.date, datetime.date] | None:
    """(style, start, end) of a period as a document writes it, or None.

    ``fiscal_year`` (BE) fills in what the text leaves out: the quarters' year, the whole year's
    bounds, and the year of months written without one.
    """
    if not isinstance(text, str):
        return None
    text = normalize(text)
    if not text:
        return None
    try:
        for reader in (_whole_year, _quarters, _dates, _months):
            period = reader(text, fiscal_year)
            if period is not None:
                start, end = period[1], period[2]
                return period if start <= end else None
    except (ValueError, OverflowError, TypeError):  # e.g. no fiscal year given
        return None
    return None


def _whole_year(text: str, fiscal_year: int):
    compact = re.sub(r"\s+", "", text)
    match = _WHOLE_FISCAL_YEAR.match(compact)
    if match:
        if match["year"]:
            year = _be_year(match["year"])
            if year is None:
                return None
            return (PeriodStyle.FISCAL_YEAR_BE.value, *fiscal.fiscal_year_bounds(year))
        return (PeriodStyle.FISCAL_YEAR.value, *fiscal.fiscal_year_bounds(fiscal_year))
    if _ALL_YEAR.match(compact):
        return (PeriodStyle.ALL_YEAR.value, *fiscal.fiscal_year_bounds(fiscal_year))
    return None


def _quarters(text: str, fiscal_year: int):
    match = _QUARTERS.match(text)
    if not match:
        return None
    first = int(match[1])
    last = int(match[2] or first)
    if first > last:
        return None
    return (PeriodStyle.QUARTERS.value, *fiscal.quarters_span(fiscal_year, first, last))


def _dates(text: str, fiscal_year: int):
    parts = re.split(r"\s*(?:จนถึง|ถึง)\s*", text, maxsplit=1)
    if len(parts) == 1:
        # A dash separates two dates only around whole dates: "1/10/2567-30/9/2568" has dashes
        # nowhere else, and "1 ต.ค. 2567 - 30 ก.ย. 2568" only between them.
        parts = re.split(r"\s+-\s*|(?<=\d{4})-\s*", text, maxsplit=1)
    if len(parts) == 2:
        start, end = parse_thai_date(parts[0]), parse_thai_date(parts[1])
        if start and end:
            return PeriodStyle.DATES.value, start, end
        return None
    day = parse_thai_date(text)
    if day:
        return PeriodStyle.DAY.value, day, day
    return None


def _months(text: str, fiscal_year: int):
    match = _MONTHS.match(text)
    if not match:
        return None
    m1 = _month_number(match["m1"])
    m2 = _month_number(match["m2"]) if match["m2"] else m1
    y1_text, y2_text = match["y1"], match["y2"]
    if not match["m2"]:
        y2_text = y1_text
    years = [y for y in (y1_text, y2_text) if y]
    if any(_be_year(y) is None for y in years):
        return None
    y1 = _be_year(y1_text) if y1_text else None
    y2 = _be_year(y2_text) if y2_text else None
    if y1 is None and y2 is None:
        # No year at all: the months of the fiscal year (Oct–Dec fall in the year before).
        y1 = fiscal_year - 1 if m1 >= fiscal.FIRST_MONTH else fiscal_year
        y2 = fiscal_year - 1 if m2 >= fiscal.FIRST_MONTH else fiscal_year
    elif y1 is None:
        # "ม.ค.-มี.ค. 2568": the year is written once, for both ends.
        y1 = y2 if m1 <= m2 else y2 - 1
    elif y2 is None:
        y2 = y1 if m2 >= m1 else y1 + 1

    if any(len(y) == 2 for y in years):
        style = PeriodStyle.MONTHS_SHORT_YEARS
    elif y1_text and match["m2"] and not match["s1"]:
        style = PeriodStyle.MONTHS_YEARS  # "ต.ค.2567-ก.ย.2568": the year sticks to the month
    else:
        style = PeriodStyle.MONTHS
    start = datetime.date(fiscal.ce_year(y1), m1, 1)
    end = fiscal.month_end(datetime.date(fiscal.ce_year(y2), m2, 1))
    return style.value, start, end
