"""Thai document conventions: digits, Buddhist-Era dates and how periods are written.

Month names, abbreviations and Buddhist-Era years come from pythainlp; the wording around
them ("ไตรมาสที่", "ตลอดปีงบประมาณ") is the seeds' own.
"""

import datetime

from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit, thai_strftime

from . import fiscal

THAI = "thai"
ARABIC = "arabic"


def to_digits(text: str, digits: str = THAI) -> str:
    """Write every digit of ``text`` in the chosen system (Thai ๐–๙ or Arabic 0–9)."""
    if not text:
        return text
    if digits == THAI:
        return arabic_digit_to_thai_digit(text)
    return thai_digit_to_arabic_digit(text)


def number(value: int, digits: str = THAI) -> str:
    return to_digits(str(value), digits)


def date_full(day: datetime.date) -> str:
    """๑ ตุลาคม ๒๕๖๗ (Arabic digits; convert with to_digits)."""
    return thai_strftime(_as_datetime(day), "%-d %B %Y")


def month_abbr(day: datetime.date) -> str:
    return thai_strftime(_as_datetime(day), "%b")


def month_abbr_year(day: datetime.date, short: bool = False) -> str:
    return thai_strftime(_as_datetime(day), "%b %y" if short else "%b %Y")


def be_year(day: datetime.date) -> str:
    return str(fiscal.be_year(day.year))


def period_text(style: str, start, end, fiscal_year: int | None) -> str:
    """How a period is written in the document, with Arabic digits."""
    if style in ("fiscal_year", "all_year"):
        return {"fiscal_year": "ตลอดปีงบประมาณ", "all_year": "ดำเนินการตลอดทั้งปี"}[style]
    if style == "fiscal_year_be":
        return f"ตลอดปีงบประมาณ พ.ศ. {fiscal_year}"
    if start is None or end is None:
        return ""
    if style == "months":
        if start.year == end.year:
            months = month_abbr(start)
            if (start.month, start.year) != (end.month, end.year):
                months += "-" + month_abbr(end)
            return f"{months} {be_year(end)}"
        return f"{month_abbr_year(start)} - {month_abbr_year(end)}"
    if style == "months_years":
        return f"{month_abbr(start)}{be_year(start)}-{month_abbr(end)}{be_year(end)}"
    if style == "months_short_years":
        return f"{month_abbr_year(start, short=True)} - {month_abbr_year(end, short=True)}"
    if style == "dates":
        return f"{date_full(start)} ถึง {date_full(end)}"
    if style == "day":
        return f"วันที่ {date_full(start)}"
    if style == "quarters":
        first, last = fiscal.quarter_of(start), fiscal.quarter_of(end)
        return f"ไตรมาสที่ {first}" if first == last else f"ไตรมาสที่ {first} - {last}"
    raise ValueError(f"unknown period style {style!r}")


def _as_datetime(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day)
