"""The preview PDF of a long report, made by a background job (publication.previews): the page
that follows it with a progress bar (static/js/job-progress.js), its state as JSON for that
script, and the PDF once it is ready. Anyone who may see the report may follow its jobs, as they
may open its preview.

And a published version's PDF whose rendering failed for good, asked for again by those who may
publish the report (publication.services.version_pdf_retry)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from measures.models import DocumentKind, Report
from publication import previews
from publication.models import PublishedVersion
from publication.services import version_pdf_retry

from .access import report_for_viewing


def preview_filename(report: Report, kind: str) -> str:
    suffix = "" if kind == DocumentKind.REPORT else f"-{kind}"
    return f"{report.agency.slug}-{report.fiscal_year.year}{suffix}.pdf"


def preview_job_redirect(request, report: Report, kind: str):
    """Start the preview's job (or join the one under way) and go to its page."""
    job = previews.preview_job_start(
        report=report,
        kind=kind,
        layout=request.GET.get("layout") or "",
        digits=request.GET.get("digits") or "",
    )
    return redirect("staff:render-job", pk=report.pk, token=job["token"])


def _job_of(request, pk: int, token: str) -> tuple[Report, dict]:
    report = report_for_viewing(request.user, pk)
    job = previews.preview_job_get(report=report, token=token)
    if job is None:
        raise Http404
    return report, job


@login_required
def render_job_view(request, pk: int, token: str):
    """Where the preview stands: a progress bar while it renders, then its PDF."""
    report, job = _job_of(request, pk, token)
    return render(
        request,
        "staff/render_job.html",
        {
            "report": report,
            "job": job,
            "document": DocumentKind(job["kind"]).label,
            "status": previews.preview_job_status(job),
        },
    )


@never_cache
@login_required
def render_job_progress(request, pk: int, token: str):
    """The job's state and percentage, for the page's script."""
    _report, job = _job_of(request, pk, token)
    return JsonResponse(previews.preview_job_status(job))


@login_required
def render_job_pdf(request, pk: int, token: str):
    """The PDF, once ready; before, the job's page."""
    report, job = _job_of(request, pk, token)
    pdf = previews.preview_job_pdf(job)
    if pdf is None:
        return redirect(reverse("staff:render-job", kwargs={"pk": pk, "token": token}))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = preview_filename(report, job["kind"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def version_pdf_retry_view(request, pk: int, version_pk: int):
    """Render again a version's PDF whose rendering failed: 404 for those who may not see the
    report, 403 for those who may see it but not publish it."""
    report = report_for_viewing(request.user, pk)
    version = get_object_or_404(PublishedVersion.all_documents, pk=version_pk, report=report)
    try:
        version_pdf_retry(version=version, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The PDF of this version is being rendered again."))
    return redirect("staff:report", pk=report.pk)
