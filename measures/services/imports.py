"""Writing measures read from an agency's own file (measures.importers) into a report.

A small import is written at once, in the request (``measures_import``). A larger one becomes an
``ImportJob``: the table read is kept in the job from the preview on (``import_job_prepare``),
the confirmation queues it (``import_job_start``), and a Celery task (``measures.tasks``) writes
it in one transaction (``import_job_run``), counting its progress for the page that follows it.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Change, ImportJob, IssueGroup, Report
from ..report_format import measure_data_validate, report_to_data
from ..selectors import report_document
from .base import _record, _report_for_writing, _upsert
from .editing import measure_create
from .reports import report_import

logger = logging.getLogger(__name__)

# Up to this many measures and progress rows an import is written in the request, as it always
# was. A measure takes 20-25 ms to write (about 55 queries: its items, responsible units and its
# history), so 50 take one or two seconds, far inside the 30 s worker timeout even for long
# measures, and cover any real report (the seeds have 2 to 16 measures). A larger file, a
# province's reports pasted at once, say, takes minutes: a background job.
IMPORT_IN_BACKGROUND_OVER = 50
# How long a preview may wait for its confirmation.
PREVIEW_MAX_AGE = timedelta(hours=1)
# The running count outlives any import; the cache forgets it if the worker dies.
PROGRESS_TIMEOUT = 24 * 60 * 60
# Far longer than the largest import takes (20,000 measures: under an hour on a busy machine).
# A job running longer lost its worker (killed, out of memory): its transaction was rolled back.
ABANDONED_AFTER = timedelta(hours=6)


def import_size(imported: dict) -> int:
    """How many rows an import writes: its measures and its rows of progress per indicator."""
    return len(imported.get("measures", [])) + len(imported.get("indicator_progress", []))


def import_in_background(imported: dict) -> bool:
    return import_size(imported) > IMPORT_IN_BACKGROUND_OVER


@transaction.atomic
def measures_import(
    *,
    report: Report,
    imported: dict,
    replace: bool,
    user,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write measures read by measures.importers into the report; returns how many.

    ``imported`` holds "measures", and may hold "issue_groups" and "indicator_progress".
    Replacing swaps the report's measures (and its progress table and issues, when the file has
    them) for the file's; otherwise the file's measures are added after the report's own.
    ``progress``, when given, is called with the number of measures written so far.
    """

    report = _report_for_writing(report)
    measures = imported.get("measures", [])
    for measure in measures:
        measure_data_validate(measure)
    if replace:
        data = report_to_data(report=report_document(pk=report.pk))
        data["measures"] = measures
        for key in ("issue_groups", "indicator_progress"):
            if imported.get(key):
                data[key] = imported[key]
        report_import(data=data, progress=progress)
    else:
        for group in imported.get("issue_groups", []):
            _upsert(
                IssueGroup, {"report": report, "number": group["number"]}, {"title": group["title"]}
            )
        for done, measure in enumerate(measures, start=1):
            measure_create(report=report, data=measure, user=user)
            if progress:
                progress(done)
    _record(
        report=report,
        measure=None,
        user=user,
        action=Change.Action.IMPORTED,
        summary=_("%(count)s measures imported") % {"count": len(measures)},
        after={"measures": [m["title"] for m in measures], "replace": replace},
    )
    return len(measures)


# -- Large imports, as background jobs ------------------------------------------------------------


@transaction.atomic
def import_job_prepare(*, report: Report, user, imported: dict, replace: bool) -> ImportJob:
    """Keep a large table read for ``report`` until an editor confirms it (``import_job_start``).

    The table is kept in the job, so the preview carries only the job's number: signed into a
    hidden field, 20,000 measures would be megabytes posted back.
    """
    # Previews nobody confirmed go: this user's earlier ones of this report, and any too old.
    stale = Q(report=report, user=user) | Q(created_at__lt=timezone.now() - PREVIEW_MAX_AGE)
    ImportJob.objects.filter(stale, state=ImportJob.State.PREVIEWED).delete()
    return ImportJob.objects.create(
        report=report,
        user=user,
        replace=replace,
        total=len(imported.get("measures", [])),
        payload=imported,
    )


@transaction.atomic
def import_job_start(*, job: ImportJob, user) -> ImportJob:
    """Queue a previewed job; its task starts once this transaction commits."""
    job = ImportJob.objects.select_for_update().defer("payload").get(pk=job.pk)
    if job.state != ImportJob.State.PREVIEWED:
        raise ValidationError(_("This import was confirmed already."), code="started")
    if job.created_at < timezone.now() - PREVIEW_MAX_AGE:
        raise ValidationError(_("The preview has expired: read the table again."), code="expired")
    _jobs_abandoned_end(report_pk=job.report_id)
    active = ImportJob.objects.filter(report=job.report_id, state__in=ImportJob.ACTIVE_STATES)
    if active.exists():
        raise ValidationError(
            _("Another import into this report is under way: wait until it ends."), code="busy"
        )
    job.state = ImportJob.State.QUEUED
    job.user = user
    job.save(update_fields=["state", "user"])
    if settings.TASKS_INLINE:  # the embedded default: run in this request, once committed
        transaction.on_commit(lambda: import_job_run(job_pk=job.pk))
    else:
        from ..tasks import import_job_run_task  # the task module imports this one

        transaction.on_commit(lambda: import_job_run_task.delay(job.pk))
    return job


def import_job_run(*, job_pk: int) -> ImportJob | None:
    """Write a queued job's measures in one transaction: all of them, or none and why.

    Not itself atomic: the job's state is written outside the import's transaction, so that the
    page sees it running, and sees it failed after the import was rolled back.
    """
    # Only a queued job starts: the broker hands a task out again when it is not acknowledged
    # within its visibility timeout (an hour on Redis), and a long import may still be running.
    claimed = ImportJob.objects.filter(pk=job_pk, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("report", "user").get(pk=job_pk)
    try:
        with transaction.atomic():
            count = measures_import(
                report=job.report,
                imported=job.payload,
                replace=job.replace,
                user=job.user,
                progress=_progress_counter(job),
            )
            # In the import's own transaction: the job is done exactly when the measures are in.
            _job_end(job, ImportJob.State.DONE, done=count)
    except ValidationError as error:
        _job_end(job, ImportJob.State.FAILED, error=" ".join(error.messages))
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        _job_end(
            job,
            ImportJob.State.FAILED,
            error=_(
                "The import stopped on an unexpected error. Try again, or tell the administrator."
            ),
        )
    finally:
        cache.delete(job.progress_key)
    job.refresh_from_db()
    return job


def _jobs_abandoned_end(*, report_pk: int) -> None:
    """Fail the report's jobs whose worker died, so that they block no new import."""
    abandoned = ImportJob.objects.filter(
        report=report_pk,
        state__in=ImportJob.ACTIVE_STATES,
        created_at__lt=timezone.now() - ABANDONED_AFTER,
    )
    abandoned.update(
        state=ImportJob.State.FAILED,
        error=_("The import stopped before it ended. Nothing was imported: try again."),
        payload=None,
        finished_at=timezone.now(),
    )


def _job_end(job: ImportJob, state: str, *, done: int = 0, error: str = "") -> None:
    # The table read is not kept once the job ended: it may be megabytes.
    ImportJob.objects.filter(pk=job.pk).update(
        state=state, done=done, error=error, payload=None, finished_at=timezone.now()
    )


def _progress_counter(job: ImportJob) -> Callable[[int], None]:
    """Count the measures written, for the page that follows the job.

    The import is one transaction, so that a failure leaves nothing; a count written to the job's
    row inside it would stay invisible to every other connection until the end. A second database
    connection would show it on PostgreSQL, but on SQLite it waits for the one writer. So the
    count goes to the cache: Redis in production, shared by the web workers and the Celery
    workers. In the embedded default (a local-memory cache) the task runs inline in the request
    that confirmed it, and the job's page is drawn after it ended, from the job's row.
    """
    every = max(1, job.total // 100)  # a hundred writes at most: the bar moves by a percent

    def progress(done: int) -> None:
        if done % every == 0 or done == job.total:
            cache.set(job.progress_key, done, timeout=PROGRESS_TIMEOUT)

    return progress
