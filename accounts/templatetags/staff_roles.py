"""What the site's menu shows a logged-in user, asked of accounts.permissions."""

from django import template

from accounts.permissions import user_reviews

register = template.Library()


@register.filter
def reviews(user) -> bool:
    """``{% if user|reviews %}``: whether the review menu is theirs (once per request)."""
    if not hasattr(user, "_reviews"):
        user._reviews = user_reviews(user)
    return user._reviews
