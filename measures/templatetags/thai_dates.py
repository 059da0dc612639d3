import datetime

from django import template
from django.utils import timezone

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
