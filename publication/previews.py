"""A long report's preview PDF for the staff, rendered in the background while a page follows it.

The PDF takes about 100 ms a page and a report of 200 measures lays out some 340 pages: over half
a minute, past a web worker's timeout. A report of more than PREVIEW_IN_BACKGROUND_OVER measures
has its preview PDF made by a job: ``preview_job_start`` queues it (publication.tasks.task_defer),
``preview_job_run`` renders it, saying how far WeasyPrint got, and the staff's page
(staff/render_views.py) follows it with a progress bar and downloads the PDF once it is ready.
A shorter report's PDF is still rendered in the request (staff/review_views.py).

A job lives in the cache only, its PDF beside it, for an hour: it shows the report as it stood,
nothing to keep, and the cache is what the web processes and the Celery workers share (Redis in
production; without it, the process's own memory, where the thread that renders runs too).
"""

import logging
import re
import secrets
import threading
import time
from contextlib import contextmanager

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from measures import thai
from measures.models import DocumentKind, Report
from measures.selectors import report_document
from reports.layouts import LAYOUTS
from reports.rendering import document_for, document_pdf

from .packing import report_unpacked

log = logging.getLogger(__name__)

# 50 measures lay out in about 5 s (seed 000's layout: 1.7 pages a measure): still an answer to
# wait for. Past it, a job and its page.
PREVIEW_IN_BACKGROUND_OVER = 50
# How long a job and its PDF are kept once queued.
JOB_TIMEOUT = 60 * 60
# How long the same preview asked again joins the job under way rather than starting another;
# a job whose worker died stops being joined after this.
JOIN_TIMEOUT = 10 * 60
# The progress bar's share of each step (measured on 200 measures: reading and styling the HTML
# takes a fifth of the time, laying out the pages three fifths, writing the PDF the rest), and
# the pages a measure is expected to fill, until the layout has ended and counted them.
LAYOUT_FROM, LAYOUT_TO, WRITING_AT = 15, 75, 80
PAGES_PER_MEASURE = 1.7
ENDED = ("done", "failed")
TOKEN = re.compile(r"[0-9a-f]{32}")


def preview_in_background(*, report: Report) -> bool:
    return report.measures.count() > PREVIEW_IN_BACKGROUND_OVER


def _key(token: str) -> str:
    return f"publication:preview:{token}"


def preview_job_new(
    *, report: Report, kind: str = DocumentKind.REPORT, layout: str = "", digits: str = ""
) -> dict:
    """A queued job for the preview of ``report``'s ``kind`` document (no task is queued)."""
    job = {
        "token": secrets.token_hex(16),  # not to be guessed: the job's page is its address
        "report": report.pk,
        "kind": kind,
        "layout": layout if layout in LAYOUTS else "",
        "digits": digits if digits in Report.Digits.values else "",
        "state": "queued",
        "percent": 0,
        "pages": 0,
        "expected_pages": max(1, round(report.measures.count() * PAGES_PER_MEASURE)),
        "updated": time.time(),
    }
    cache.set(_key(job["token"]), job, timeout=JOB_TIMEOUT)
    return job


def preview_job_start(
    *, report: Report, kind: str = DocumentKind.REPORT, layout: str = "", digits: str = ""
) -> dict:
    """The job rendering this preview: the one under way if the same was asked for already (by
    anyone who may see the report), otherwise a new one, queued."""
    layout = layout if layout in LAYOUTS else ""
    digits = digits if digits in Report.Digits.values else ""
    same = f"publication:preview-of:{report.pk}:{kind}:{layout}:{digits}"
    under_way = cache.get(same)
    job = cache.get(_key(under_way)) if under_way else None
    if job and _lost_as_failed(job)["state"] not in ENDED:
        return job
    job = preview_job_new(report=report, kind=kind, layout=layout, digits=digits)
    cache.set(same, job["token"], timeout=JOIN_TIMEOUT)
    from .tasks import render_preview_pdf, task_defer

    task_defer(render_preview_pdf, job["token"])
    return cache.get(_key(job["token"]), job)


def preview_job_get(*, report: Report, token: str) -> dict | None:
    """The report's job ``token``, or None: unknown, expired, or another report's."""
    if not TOKEN.fullmatch(token or ""):
        return None
    job = cache.get(_key(token))
    if not job or job["report"] != report.pk:
        return None
    return _lost_as_failed(job)


def _lost_as_failed(job: dict) -> dict:
    """A job that has not moved for a long while lost its worker (restarted, out of memory)."""
    if job["state"] not in ENDED and job["updated"] < time.time() - JOIN_TIMEOUT:
        job["state"] = "failed"
    return job


def preview_job_pdf(job: dict) -> bytes | None:
    return cache.get(_key(job["token"]) + ":pdf") if job["state"] == "done" else None


def preview_job_status(job: dict) -> dict:
    """Where the job stands, for its page and the page's script: a percentage and a label."""
    page = job["pages"]
    if translation.get_language() == "th":
        page = thai.number(page)
    if job["state"] == "running":
        if job["percent"] >= WRITING_AT:
            label = _("Writing the PDF")
        elif job["pages"]:
            label = _("Laying out page %(page)s") % {"page": page}
        else:
            label = _("Reading the report")
    else:
        label = {
            "queued": _("Waiting to start"),
            "done": _("The PDF is ready"),
            "failed": _("Failed: no PDF was made"),
        }[job["state"]]
    return {"state": job["state"], "label": label, "done": job["percent"], "total": 100}


def preview_job_run(*, token: str) -> dict | None:
    """Render a queued job's PDF and keep it beside the job; the job says how it went."""
    job = cache.get(_key(token))
    # Once only: a broker hands a task out again when it was not acknowledged in time.
    if (
        job is None
        or job["state"] != "queued"
        or not cache.add(_key(token) + ":run", True, timeout=JOB_TIMEOUT)
    ):
        return None

    def save(**changes) -> None:
        job.update(changes, updated=time.time())
        cache.set(_key(token), job, timeout=JOB_TIMEOUT)

    def progress(pages: int | None) -> None:
        if pages is None:  # the layout ended: the PDF is being written
            save(percent=WRITING_AT)
            return
        if pages == 0:  # the HTML was read and styled: its boxes are being built
            save(percent=LAYOUT_FROM // 3)
            return
        share = min(1, pages / max(job["expected_pages"], pages + 1))
        percent = LAYOUT_FROM + int(share * (LAYOUT_TO - LAYOUT_FROM))
        if pages > job["pages"]:  # WeasyPrint may lay the pages out a second time
            save(pages=pages, percent=max(job["percent"], percent))

    save(state="running")
    try:
        report_unpacked(Report.objects.get(pk=job["report"]))  # packed since it was asked for
        report = report_document(pk=job["report"])
        document = document_for(
            report, layout=job["layout"] or None, digits=job["digits"] or None, kind=job["kind"]
        )
        with pages_counted(progress):
            pdf = document_pdf(document)
    except Exception:
        log.exception("The preview PDF of report %s failed", job["report"])
        save(state="failed")
        return job
    cache.set(_key(token) + ":pdf", pdf, timeout=JOB_TIMEOUT)
    save(state="done", percent=100)
    return job


# -- How far WeasyPrint got -----------------------------------------------------------------------

_counting = threading.local()
_installed = threading.Lock()


class _PagesLaidOut(logging.Handler):
    """WeasyPrint says each step and each page it lays out on its ``weasyprint.progress`` logger;
    this tells the render of this thread, if it is counted."""

    def emit(self, record: logging.LogRecord) -> None:
        count = getattr(_counting, "callback", None)
        if count is None:
            return
        if record.msg.startswith("Step 5 - Creating layout - Page") and record.args:
            count(int(record.args[0]))
        elif record.msg.startswith("Step 4"):
            count(0)
        elif record.msg.startswith("Step 6"):
            count(None)


def _install() -> None:
    logger = logging.getLogger("weasyprint.progress")
    with _installed:
        if any(isinstance(handler, _PagesLaidOut) for handler in logger.handlers):
            return
        logger.addHandler(_PagesLaidOut())
        logger.setLevel(logging.INFO)
        logger.propagate = False  # a line a page is not for the console


@contextmanager
def pages_counted(callback):
    """Call ``callback(0)`` when the render in this thread starts building its boxes,
    ``callback(pages)`` as it lays out each page, ``callback(None)`` when it writes the PDF."""
    _install()
    _counting.callback = callback
    try:
        yield
    finally:
        _counting.callback = None
