"""/metrics for Prometheus (django-prometheus): requests, latency and database queries by its
middleware and database wrappers, plus the portal's own counters below.

Not public: it answers only a request made straight to this web server from an address in
METRICS_ALLOWED_IPS (loopback by default; one relayed by the reverse proxy, X-Forwarded-For,
never), or one carrying "Authorization: Bearer <METRICS_TOKEN>"; anyone else gets a 404.

Each process counts its own: under several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an
empty folder, README "Health and metrics") so that /metrics adds them up. A Celery worker's
task counters are in the worker: with WORKER_METRICS_PORT it serves them itself (the same
multiprocess folder adds up its pool's processes), for Prometheus on the private network.
"""

import contextlib
import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import Http404
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    multiprocess,
    start_http_server,
)

log = logging.getLogger(__name__)

TASK_STATES = ("queued", "started", "succeeded", "failed", "retried")

tasks = Counter(
    "ita_tasks_total",
    "Background tasks by name and what happened to them (queued where they were sent; "
    "started, succeeded, failed, retried where they ran).",
    ["task", "state"],
)
publications = Counter(
    "ita_publications_total",
    "Versions published (committed) through the staff's publish action, by document.",
    ["document"],
)
published_versions = Gauge(
    "ita_published_versions",
    "Published versions in the database (every document), read at each scrape.",
    multiprocess_mode="livemax",
)


def _published_count() -> int:
    from publication.models import PublishedVersion

    return PublishedVersion.all_documents.count()


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    if "X-Forwarded-For" in request.headers:
        return False  # relayed by a proxy: REMOTE_ADDR is the proxy's, whoever asked
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net) for net in settings.METRICS_ALLOWED_IPS)


@never_cache
def metrics(request):
    if not _allowed(request):
        raise Http404  # as if there were nothing here
    # The database down: the other metrics say so, and are still worth reading.
    with contextlib.suppress(DatabaseError):
        published_versions.set(_published_count())
    return ExportToDjangoView(request)


# -- Signal receivers (connected in ita_portal.apps) -----------------------------------------------


def _task_name(sender=None, task=None, headers=None, **_):
    if headers and "task" in headers:
        return headers["task"]  # before_task_publish: the sender is the task's name
    named = task or sender
    return getattr(named, "name", None) or str(named)


def task_queued(sender=None, headers=None, **kwargs):
    tasks.labels(_task_name(sender=sender, headers=headers), "queued").inc()


def task_started(sender=None, task=None, **kwargs):
    tasks.labels(_task_name(sender=sender, task=task), "started").inc()


def task_finished(sender=None, task=None, state=None, **kwargs):
    if state == "SUCCESS":
        tasks.labels(_task_name(sender=sender, task=task), "succeeded").inc()


def task_failed(sender=None, **kwargs):
    tasks.labels(_task_name(sender=sender), "failed").inc()


def task_retried(sender=None, **kwargs):
    tasks.labels(_task_name(sender=sender), "retried").inc()


def version_saved(sender, instance, created, **kwargs):
    if created:
        document = str(instance.document)
        transaction.on_commit(lambda: publications.labels(document).inc())


def worker_metrics_serve(**_signal) -> None:
    """Celery's worker_ready: serve this worker's metrics on WORKER_METRICS_PORT (at
    WORKER_METRICS_ADDRESS, loopback by default), if set."""
    port = settings.WORKER_METRICS_PORT
    if not port:
        return
    registry = REGISTRY
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    start_http_server(port, addr=settings.WORKER_METRICS_ADDRESS, registry=registry)
    log.info("Serving the worker's metrics on %s:%s", settings.WORKER_METRICS_ADDRESS, port)
