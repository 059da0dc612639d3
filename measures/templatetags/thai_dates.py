import datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from measures import thai

register = template.Library()


@register.filter
def thai_date(value):
    """๓๐ เมษายน ๒๕๖๘: Buddhist-Era year and Thai digits, as staff read dates."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return thai.to_digits(thai.date_full(value))


def _interface_digits(text: str) -> str:
    """Thai digits where the interface is Thai, as the staff and citizens read it."""
    return thai.to_digits(text) if (get_language() or "th").startswith("th") else text


@register.filter
def ui_number(value):
    """A count as the interface writes it: 8,306, or ๘,๓๐๖ in Thai."""
    if value is None or value == "":
        return ""
    return _interface_digits(f"{value:,}" if isinstance(value, int) else str(value))


@register.filter
def ui_digits(value):
    """A year or a label with its digits as the interface writes them (๒๕๖๘), ungrouped."""
    return _interface_digits(str(value)) if value not in (None, "") else ""
