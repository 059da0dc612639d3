"""Dates and numbers as the interface writes them (measures.thai's ui_* functions): Thai digits,
Thai month names and Buddhist-Era years on Thai pages; Arabic digits and English month names,
with the Buddhist-Era year, on English pages. Documents keep their own digits."""

from django import template

from measures import thai

register = template.Library()


@register.filter
def thai_date(value):
    """๓๐ เมษายน ๒๕๖๘ (30 April 2568 in English)."""
    return thai.ui_date(value)


@register.filter
def ui_date(value):
    """๓๐ เม.ย. ๒๕๖๘ (30 Apr 2568 in English): a date in a list or a table."""
    return thai.ui_date(value, short=True)


@register.filter
def ui_datetime(value):
    """๓๐ เม.ย. ๒๕๖๘ ๐๙:๔๕: when something happened."""
    return thai.ui_datetime(value)


@register.filter
def ui_number(value, places=None):
    """A count as the interface writes it: 8,306, or ๘,๓๐๖ in Thai; ``|ui_number:2`` a score."""
    return thai.ui_number(value, None if places in (None, "") else int(places))


@register.filter
def ui_digits(value):
    """A year or a label with its digits as the interface writes them (๒๕๖๘), ungrouped."""
    return thai.ui_digits(value)


@register.simple_tag
def ui_digit_system():
    """ "thai" or "arabic": for a script that writes numbers into the page (data-digits)."""
    return thai.THAI if thai.ui_is_thai() else thai.ARABIC
