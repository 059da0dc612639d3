"""Who is trying to log in, for the login throttle (django-axes, ita_portal/settings.py)."""

from django.conf import settings
from django.shortcuts import render


def client_ip(request) -> str | None:
    """The address the outermost of our PROXY_COUNT proxies saw.

    Each proxy appends the address it was reached from to X-Forwarded-For, so only the last
    PROXY_COUNT entries are ours; whatever comes before them a client may have written.
    """
    count = settings.PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page of a refused login: how many failures, and how long the wait is."""
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,  # Too Many Requests
    )
