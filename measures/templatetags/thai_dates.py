from django import template

from measures import thai

register = template.Library()


@register.filter
def thai_date(value):
    """๓๐ เมษายน ๒๕๖๘: Buddhist-Era year and Thai digits, as staff read dates."""
    if not value:
        return ""
    return thai.to_digits(thai.date_full(value))
