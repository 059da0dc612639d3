"""Thai document conventions: digits, Buddhist-Era dates and how periods are written.

Month names, abbreviations and Buddhist-Era years come from pythainlp; the wording around
them ("ไตรมาสที่", "ตลอดปีงบประมาณ") is the seeds' own.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language
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


# -- The interface: one way to write dates and numbers on every page and in every message ------
# Thai pages write Thai digits, Thai month names and Buddhist-Era years; English pages write
# Arabic digits and English month names, with the Buddhist-Era year kept (fiscal years, and the
# portal's addresses, are Buddhist-Era years in both languages). A document keeps its own digits.

EN_MONTHS = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]


def ui_is_thai() -> bool:
    return (get_language() or "th").startswith("th")


def ui_digits(text) -> str:
    """``text`` with its digits as the interface writes them (๒๕๖๘ in Thai), ungrouped."""
    if text is None or text == "":
        return ""
    return to_digits(str(text), THAI if ui_is_thai() else ARABIC)


def ui_number(value, places: int | None = None) -> str:
    """A count or an amount as the interface writes it: 8,306 (๘,๓๐๖ in Thai); ``places``
    decimals when given (a score: 89.14)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return ui_digits(value)
    text = f"{value:,.{places}f}" if places is not None else f"{value:,}"
    return ui_digits(text)


def ui_date(value, short: bool = False) -> str:
    """๑ ธันวาคม ๒๕๖๙ (๑ ธ.ค. ๒๕๖๙ when ``short``); 1 December 2569 in English."""
    if not value:
        return ""
    if isinstance(value, str):  # an ISO date, as the report data format writes one
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return ui_digits(value)
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    if ui_is_thai():
        return ui_digits(thai_strftime(_as_datetime(value), "%-d %b %Y" if short else "%-d %B %Y"))
    month = EN_MONTHS[value.month - 1]
    return f"{value.day} {month[:3] if short else month} {fiscal.be_year(value.year)}"


def ui_datetime(value) -> str:
    """๑ ธ.ค. ๒๕๖๙ ๐๑:๓๕ in Thai, 1 Dec 2569 01:35 in English: a moment of the site's day."""
    if not value:
        return ""
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{ui_date(moment.date(), short=True)} {ui_digits(moment.strftime('%H:%M'))}"


def ui_period(start, end) -> str:
    """From one date to another, as the interface writes dates."""
    return f"{ui_date(start)} – {ui_date(end)}"


def _as_datetime(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day)
