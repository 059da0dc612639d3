"""/health/ for the load balancer and the operator (django-health-check).

Two addresses: /health/web/ checks what this web server needs to answer requests (the
database, the cache, the file stores, the broker); /health/ adds the read replica and the
workers' heartbeat, so that a portal whose PDFs are not being rendered shows as failing. Point
the load balancer at /health/web/: a stopped worker, or replica, must not take every web
server out of its pool.

Both answer 200 when every check passes and 503 otherwise, never cached; in JSON with
?format=json or Accept: application/json, as text with ?format=text, HTML otherwise.
"""

import dataclasses
import datetime
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "ita:worker-heartbeat"


@dataclasses.dataclass
class WorkerHeartbeat(HealthCheck):
    """A worker wrote its heartbeat into the shared cache (Redis) less than ``max_age`` ago.

    Every worker writes the time every WORKER_HEARTBEAT_SECONDS (``heartbeat_start``): a check
    of the cache costs the web server nothing, where a Celery ping would wait its timeout on
    every call once no worker answers."""

    max_age: datetime.timedelta = dataclasses.field(
        default_factory=lambda: datetime.timedelta(seconds=3 * settings.WORKER_HEARTBEAT_SECONDS),
        repr=False,
    )

    def run(self):
        beat = cache.get(HEARTBEAT_KEY)
        if beat is None:
            raise ServiceUnavailable("No worker has reported")
        age = time.time() - beat
        if age > self.max_age.total_seconds():
            raise ServiceUnavailable(f"The last worker reported {age:.0f} s ago")


def _broker_client():
    from redis.asyncio import Redis

    return Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)


def web_checks() -> list:
    """What a web server needs to answer: the database, the cache, the file stores, and the
    broker when tasks go through Redis. Not the read replica: without it the primary serves
    (ita_portal.db_router)."""
    checks = [(Database, {"alias": "default"}), Cache]
    # The stored files' stores (public and private), not the static files': those are packaged.
    checks += [(Storage, {"alias": alias}) for alias in settings.STORAGES if alias != "staticfiles"]
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        from health_check.contrib.redis import Redis

        checks.append((Redis, {"client_factory": _broker_client}))
    return checks


class WebHealthView(HealthCheckView):
    """django-health-check's view, with 503 (not 500) for a failed check: the load balancer's
    "service unavailable", and no error page of ours in between."""

    def get_checks(self):
        self.checks = self.portal_checks()
        return super().get_checks()

    def portal_checks(self) -> list:
        return web_checks()

    async def get(self, request, *args, **kwargs):
        try:
            response = await super().get(request, *args, **kwargs)
        except ValueError:  # an Accept header it cannot read: not a server error
            return HttpResponse("Not Acceptable", status=406, content_type="text/plain")
        if response.status_code == 500:
            response.status_code = 503
        return response


class HealthView(WebHealthView):
    def portal_checks(self) -> list:
        checks = web_checks()
        if "replica" in settings.DATABASES:
            checks.insert(1, (Database, {"alias": "replica"}))
        # Without a broker, tasks run inside the web server: there is no worker to hear from.
        return checks + ([] if settings.TASKS_INLINE else [WorkerHeartbeat])


def heartbeat_start(**_signal) -> None:
    """Celery's worker_ready: write the heartbeat now and every WORKER_HEARTBEAT_SECONDS, from a
    thread of the worker's main process (the one that takes tasks from the broker)."""

    def beat():
        while True:
            try:
                cache.set(HEARTBEAT_KEY, time.time(), timeout=None)
            except Exception:  # the cache is down: /health/ says so; keep beating
                log.warning("Could not write the worker heartbeat", exc_info=True)
            time.sleep(settings.WORKER_HEARTBEAT_SECONDS)

    threading.Thread(target=beat, name="ita-heartbeat", daemon=True).start()
