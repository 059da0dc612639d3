"""Importing measures: paste a table or upload a file, see what will be created, confirm.

A small import is written in the request, its table signed into the preview's form. A larger one
(``services.IMPORT_IN_BACKGROUND_OVER``) is kept in an ImportJob from the preview on and written by
a background task; its page shows a progress bar, and the editor may leave and come back to it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.permissions import report_is_editor
from measures import services, thai
from measures.importers import ReportImportError, parse_file, parse_table_text
from measures.models import ImportJob
from measures.selectors import import_job_latest, import_job_status, import_jobs

from .access import report_for_editing, report_for_viewing
from .forms import ImportForm

IMPORT_SALT = "measures.import-preview"
# The preview lists this many measures: a table of 20,000 rows would take longer to draw and to
# read than the import itself.
PREVIEW_ROWS = 100


@login_required
def report_import_view(request, pk: int):
    """Paste a table or upload a file, see what will be created, then confirm."""
    report = report_for_editing(request.user, pk)
    if request.method == "POST" and "confirm" in request.POST:
        if "job" in request.POST:
            return _confirm_job(request, report)
        return _confirm_signed(request, report)

    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = _preview(request, report, form)
    return render(
        request,
        "staff/import.html",
        {
            "report": report,
            "form": form,
            "preview": preview,
            "import_job": import_job_latest(report=report),
        },
    )


def _preview(request, report, form) -> dict | None:
    """Read the table; keep what was read for the confirmation (signed, or in a job)."""
    indicators = dict(report.fiscal_year.indicators.values_list("number", "name"))
    year = report.fiscal_year.year
    upload = form.cleaned_data.get("file")
    try:
        if upload:
            result = parse_file(upload, upload.name, year, indicators)
        else:
            result = parse_table_text(form.cleaned_data["text"], year, indicators)
    except ReportImportError as error:
        form.add_error("file" if upload else "text", str(error))
        return None
    if not result.measures and not result.indicator_progress:
        form.add_error(None, _("No measure was found: is the table's header row there?"))
        return None
    data = {
        "measures": result.measures,
        "issue_groups": result.issue_groups,
        "indicator_progress": result.indicator_progress,
    }
    replace = form.cleaned_data["replace"]
    preview = {
        "result": result,
        "rows": result.measures[:PREVIEW_ROWS],
        "more": max(0, len(result.measures) - PREVIEW_ROWS),
    }
    if services.import_in_background(data):
        preview["job"] = services.import_job_prepare(
            report=report, user=request.user, imported=data, replace=replace
        )
    else:
        # The importers join the spaces a PDF left where lines wrapped; the editor may say no
        # (a box, ticked): the text as read is signed along.
        preview["wrap_spaces"], preview["wrap_examples"] = result.wrap_spaces, result.wrap_examples
        preview["payload"] = signing.dumps(
            {"report": report.pk, "result": data, "unjoined": result.unjoined, "replace": replace},
            salt=IMPORT_SALT,
            compress=True,
        )
    return preview


def _confirm_signed(request, report):
    try:
        payload = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=3600)
    except (KeyError, signing.BadSignature):
        messages.error(request, _("The preview has expired: read the table again."))
        return redirect("staff:import", pk=report.pk)
    if payload["report"] != report.pk:
        raise PermissionDenied
    imported = payload["result"]
    if payload.get("unjoined") and not request.POST.get("join_wrap_spaces"):
        imported = payload["unjoined"]
    try:
        count = services.measures_import(
            report=report,
            imported=imported,
            replace=payload["replace"],
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("staff:import", pk=report.pk)
    messages.success(request, _("%(count)s measures imported.") % {"count": thai.ui_number(count)})
    return redirect("staff:report", pk=report.pk)


def _confirm_job(request, report):
    """Start a previewed job of this report: any of its editors may (report_for_editing)."""
    try:
        job_pk = int(request.POST["job"])
    except ValueError as error:
        raise Http404 from error
    job = get_object_or_404(import_jobs(report=report), pk=job_pk)
    if job.state != ImportJob.State.PREVIEWED:  # confirmed twice: it is under way, or ended
        return redirect("staff:import-job", pk=report.pk, job_pk=job.pk)
    try:
        services.import_job_start(job=job, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("staff:import", pk=report.pk)
    return redirect("staff:import-job", pk=report.pk, job_pk=job.pk)


def _job_of(request, pk: int, job_pk: int) -> tuple:
    """The report and its job, for the report's editors: whatever its state, they may follow an
    import they started. Others who may see the report get 403, the rest 404."""
    report = report_for_viewing(request.user, pk)
    if not report_is_editor(request.user, report):
        raise PermissionDenied
    return report, get_object_or_404(import_jobs(report=report), pk=job_pk)


@login_required
def import_job_view(request, pk: int, job_pk: int):
    """Where a large import stands: a progress bar while it runs, then how it ended."""
    report, job = _job_of(request, pk, job_pk)
    return render(
        request,
        "staff/import_job.html",
        {"report": report, "job": job, "status": import_job_status(job)},
    )


@never_cache
@login_required
def import_job_progress(request, pk: int, job_pk: int):
    """The job's state and counts, for the page's script (static/js/job-progress.js)."""
    _report, job = _job_of(request, pk, job_pk)
    return JsonResponse(import_job_status(job))
