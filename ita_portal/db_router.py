"""Read traffic off the primary: the public pages and the API read from the replica.

When DATABASE_REPLICA_URL is set, settings add the "replica" database and ReplicaRouter. The
middleware decides, per request, whether its reads may go to the replica; the router reads that
decision from a context variable. Everything else, and every write, goes to "default".

Read-your-writes: a replica lags behind the primary, so a request whose user may just have
written reads from the primary: any signed-in user's, and any request within
REPLICA_AFTER_WRITE_SECONDS of one that wrote (a POST, PUT, PATCH or DELETE from the same
browser; a cookie says so).
"""

import contextvars
import logging
import time
from asyncio import iscoroutinefunction

from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
RECENT_WRITE_COOKIE = "ita_recent_write"
# Requests whose reads may go to the replica: the public portal's pages (its search too) and
# the open-data API, by their URL namespace or prefix.
PUBLIC_APPS = {"portal"}
PUBLIC_PREFIXES = ("/api/", "/search/")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# After the replica failed to answer, the primary serves for this long before it is tried again.
RETRY_AFTER_SECONDS = 30

reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "ita_reading_replica", default=False
)
_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_usable() -> bool:
    """The replica answers (a connection is open, or opens now); if it does not, the primary
    serves for RETRY_AFTER_SECONDS before the replica is tried again."""
    global _down_until
    if time.monotonic() < _down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        log.warning("The read replica does not answer: reading from the primary", exc_info=True)
        _down_until = time.monotonic() + RETRY_AFTER_SECONDS
        return False
    return True


class ReplicaRouter:
    """Reads to the replica while the request allows it (ReplicaMiddleware); all else to the
    primary. Only the primary is migrated: the replica follows it by replication."""

    def db_for_read(self, model, **hints):
        # Inside a transaction on the primary (a service writing), its reads stay with it.
        if reading_replica.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def _public(request) -> bool:
    match = request.resolver_match
    if match and PUBLIC_APPS.intersection(match.app_names):
        return True
    return request.path_info.startswith(PUBLIC_PREFIXES)


def _reads_replica(request) -> bool:
    return (
        request.method in SAFE_METHODS
        and _public(request)
        and RECENT_WRITE_COOKIE not in request.COOKIES
        # Signed in: the session and user were read from the primary before this is asked.
        and not request.user.is_authenticated
        and replica_usable()
    )


class ReplicaMiddleware:
    """Last (its process_view calls the view): sets where this request reads from, and marks
    the browser of a request that wrote (the cookie, for REPLICA_AFTER_WRITE_SECONDS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = reading_replica.set(False)
        try:
            response = self.get_response(request)
        finally:
            reading_replica.reset(token)
        if replica_configured() and request.method not in SAFE_METHODS:
            response.set_cookie(
                RECENT_WRITE_COOKIE,
                "1",
                max_age=settings.REPLICA_AFTER_WRITE_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if iscoroutinefunction(view_func) or not replica_configured():
            return None
        if not _reads_replica(request):
            return None
        reading_replica.set(True)
        # Called here rather than by Django, which would first open ATOMIC_REQUESTS'
        # transaction on the primary: a connection to it for a request that reads elsewhere.
        # (Writes such a view makes open their own transaction, and read there.)
        return view_func(request, *view_args, **view_kwargs)
