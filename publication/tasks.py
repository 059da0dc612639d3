"""Background tasks of publication, found by Celery's autodiscovery, and how they are queued.

``task_defer`` is the one way a service queues a task, so that nothing slow runs inside the
request that asked for it:

- with a broker (``REDIS_URL``), Celery: the task is sent once the transaction commits, and
  ``celery -A ita_portal worker`` runs it;
- without one (the embedded default, ``TASKS_INLINE``), one background thread of this process
  runs it once the transaction commits, after the response has gone. A thread, not a process:
  it reuses the warm Django, database connection and fonts (a fresh process costs seconds and
  ~150 MB to start, and cannot be reached by the tests' database); the one thread runs the
  tasks one after another, so ten publications at once do not render ten PDFs at once on two
  cores. Under gunicorn's sync workers it runs beside the worker's requests (its heartbeat is
  the main thread's, so no timeout hits it); a worker that is recycled or killed loses the
  task it ran, which is why each task can be asked for again (the public PDF address queues
  a render that no one is running: services.version_pdf_ensure);
- ``TASKS_EAGER`` (the tests' setting, tests/conftest.py) runs it at once, where it is queued.
"""

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connections, transaction

log = logging.getLogger(__name__)


RETRY_DELAY = 30  # seconds before the first retry; doubled at each
RENDER_SOFT_LIMIT = 10 * 60  # 200 measures take about 20 s: ten minutes is something wrong
STARTS_LIMIT = 5  # starts of one version's render whose worker died (killed, out of memory)


@shared_task(
    bind=True,
    max_retries=3,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=RENDER_SOFT_LIMIT,
    time_limit=RENDER_SOFT_LIMIT + 60,
)
def render_version_pdf(self, version_pk: int) -> None:
    """Render a version's PDF; idempotent, so that a message delivered again (its worker died
    before acknowledging it: settings.CELERY_*) or two workers at once store one PDF.

    A failure is retried; after the last retry (at once without a worker: no one would retry)
    the version records why, for the staff (services.version_pdf_fail), and waits for them. So
    does a render whose worker died at each of STARTS_LIMIT starts (it would kill the next one).
    """
    from . import services

    if services.version_pdf_started(version_pk=version_pk) > STARTS_LIMIT:
        stopped = RuntimeError(f"the worker rendering it stopped {STARTS_LIMIT} times")
        services.version_pdf_fail(version_pk=version_pk, error=stopped)
        services.version_pdf_ended(version_pk=version_pk)
        return
    try:
        services.version_pdf_render_task(version_pk=version_pk)
    except Exception as error:
        final = isinstance(error, SoftTimeLimitExceeded) or self.request.called_directly
        if not final and self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=RETRY_DELAY * 2**self.request.retries) from error
        log.exception("The PDF of version %s failed for good", version_pk)
        services.version_pdf_fail(version_pk=version_pk, error=error)
        if not self.request.called_directly:
            raise  # the worker counts it failed; in a request or this process's thread: recorded
    finally:
        services.version_pdf_ended(version_pk=version_pk)


# -- Periodic jobs, on Celery beat (settings.CELERY_BEAT_SCHEDULE) ---------------------------------


@shared_task
def send_deadline_reminders() -> int:
    """E-mail the agencies whose report is not published, days before the OIT deadline; how
    many agencies were reminded."""
    from .reminders import deadline_reminders_send

    return sum(sent.agencies for sent in deadline_reminders_send())


# Acknowledged when they start: a night's job cut short waits for the next night rather than
# run twice at once (one redelivered while the first still runs longer than the broker waits).
NIGHTLY = {"acks_late": False, "soft_time_limit": 5 * 3600, "time_limit": 5 * 3600 + 300}


@shared_task(**NIGHTLY)
def backup_nightly() -> str:
    from .periodic import backup_nightly as backup

    return str(backup().path)


@shared_task(**NIGHTLY)
def search_reindex() -> int:
    """The search index made whole again; how many versions and entries it changed."""
    from .periodic import search_reindex_nightly

    done = search_reindex_nightly()
    return done.versions + done.entries


@shared_task(**NIGHTLY)
def pack_closed_reports() -> int:
    """Closed years' working copies kept in their published versions; how many were packed."""
    from .packing import reports_pack_closed

    return reports_pack_closed()[0]


@shared_task
def render_preview_pdf(token: str) -> None:
    """A staff preview's PDF; how it ended is in its job (publication.previews)."""
    from .previews import preview_job_run

    preview_job_run(token=token)


def task_defer(task, *args) -> None:
    """Run the Celery ``task`` with ``args`` outside the request: see the module's docstring."""
    if not settings.TASKS_INLINE:
        transaction.on_commit(lambda: task.delay(*args))
    elif getattr(settings, "TASKS_EAGER", False):
        task(*args)
    else:
        transaction.on_commit(lambda: _background().submit(_run, task, args))


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _background() -> ThreadPoolExecutor:
    # Made on first use, so that a forked gunicorn worker makes its own. At exit, the
    # interpreter waits for the tasks already queued (concurrent.futures joins its threads).
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ita-tasks")
        return _executor


def _run(task, args) -> None:
    try:
        task(*args)
    except Exception:
        log.exception("Background task %s%r failed", task.name, args)
    finally:
        connections.close_all()  # this thread's own connections: nothing else closes them


def background_idle(timeout: float = 60) -> bool:
    """Wait until the background thread has run every task queued so far (for tests and
    benchmarks); False if it is still busy after ``timeout`` seconds."""
    done: Future = _background().submit(lambda: None)
    try:
        done.result(timeout=timeout)
    except TimeoutError:
        return False
    return True
