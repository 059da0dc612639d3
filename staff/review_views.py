from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from measures.models import DocumentKind, Report
from measures.numbers import INT_MAX, NotANumber, whole_number
from publication import services
from publication.models import Comment
from publication.previews import preview_in_background
from publication.workflow import ACTIONS
from reports.layouts import LAYOUTS
from reports.rendering import approval_memo_pdf as render_memo
from reports.rendering import document_for, document_pdf, memo_data
from reports.word import CONTENT_TYPE as DOCX
from reports.word import approval_memo_docx as approval_memo_docx_file
from reports.word import content_disposition, document_docx

from .access import report_for_viewing
from .render_views import preview_filename, preview_job_redirect
from .review import reports_waiting, review_dashboard


def _visible_report(request, pk: int) -> Report:
    return report_for_viewing(request.user, pk)


def _kind(value: str | None) -> str:
    """Which of the year's documents: the report unless another is named."""
    return value if value in DocumentKind.values else DocumentKind.REPORT


def _document(request, report):
    digits = request.GET.get("digits")
    return document_for(
        report,
        layout=request.GET.get("layout"),
        digits=digits if digits in (Report.Digits.values) else None,
        kind=_kind(request.GET.get("document")),
    )


@login_required
def report_preview(request, pk: int):
    report = _visible_report(request, pk)
    document = _document(request, report)
    return render(
        request,
        "staff/preview.html",
        {"doc": document, "report": report, "layouts": LAYOUTS.values()},
    )


@login_required
def report_preview_pdf(request, pk: int):
    report = _visible_report(request, pk)
    kind = _kind(request.GET.get("document"))
    if preview_in_background(report=report):  # seconds to render: a job and its progress page
        return preview_job_redirect(request, report, kind)
    pdf = document_pdf(_document(request, report))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = preview_filename(report, kind)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_preview_docx(request, pk: int):
    """The document as a Word file, from the same data and with the same choices as the PDF."""
    report = _visible_report(request, pk)
    document = _document(request, report)
    kind = _kind(request.GET.get("document"))
    suffix = "" if kind == DocumentKind.REPORT else f"-{kind}"
    response = HttpResponse(document_docx(document), content_type=DOCX)
    response["Content-Disposition"] = content_disposition(
        ascii_name=f"{report.agency.slug}-{report.fiscal_year.year}{suffix}.docx",
        kind=kind,
        agency_name=report.agency.name,
        year=report.fiscal_year.year,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# -- Review and publication -------------------------------------------------------------------


@login_required
@require_POST
def report_transition(request, pk: int):
    """Any action of publication.workflow.ACTIONS, by its name."""
    report = report_for_viewing(request.user, pk)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise Http404
    document = _kind(request.POST.get("document"))
    try:
        services.report_transition(
            report=report,
            user=request.user,
            action=action,
            reason=request.POST.get("reason", ""),
            document=document,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = ACTIONS[action]
        if document == DocumentKind.REPORT:
            messages.success(request, str(done.done))
        else:
            label = DocumentKind(document).label
            messages.success(request, str(done.done_document) % {"document": label})
    return redirect("staff:report", pk=pk)


@login_required
@require_POST
def comment_create(request, pk: int):
    report = report_for_viewing(request.user, pk)
    measure = None
    if request.POST.get("measure"):
        measure = get_object_or_404(report.measures, pk=request.POST["measure"])
    try:
        services.comment_add(
            report=report, user=request.user, text=request.POST.get("text", ""), measure=measure
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{reverse('staff:report', kwargs={'pk': pk})}#comments")


@login_required
@require_POST
def comment_resolve(request, pk: int, comment_pk: int):
    report = report_for_viewing(request.user, pk)
    comment = get_object_or_404(Comment, pk=comment_pk, report=report)
    services.comment_resolve(comment=comment, user=request.user)
    return redirect(f"{reverse('staff:report', kwargs={'pk': pk})}#comments")


@login_required
def review_queue(request):
    """The agencies a reviewer covers for a fiscal year: counts per province and agency type,
    each document's state, who is late against the year's deadline; filtered, a page at a time."""
    context = review_dashboard(user=request.user, params=request.GET, today=timezone.localdate())
    context["waiting"] = reports_waiting(user=request.user)
    return render(request, "staff/review_queue.html", context)


def _memo_version(request, report):
    """The published version a memo is asked for (?version=N), or None."""
    if asked := request.GET.get("version", "").strip():  # the memo of a published version
        try:
            number = whole_number(asked, low=1, high=INT_MAX)
        except NotANumber:
            raise Http404 from None
        return get_object_or_404(report.versions, number=number)
    return None


@login_required
def approval_memo_docx(request, pk: int):
    """The approval memo as a Word file, to be signed: the same text as its PDF."""
    report = report_for_viewing(request.user, pk)
    memo = memo_data(report=report, version=_memo_version(request, report))
    content = approval_memo_docx_file(memo, digits=report.digits, author=report.agency.name)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition(
        ascii_name=f"{report.agency.slug}-{report.fiscal_year.year}-approval-memo.docx",
        kind="memo",
        agency_name=report.agency.name,
        year=report.fiscal_year.year,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def approval_memo_pdf(request, pk: int):
    """The one-page บันทึกข้อความ asking the head's permission to publish, as agencies attach it."""
    report = report_for_viewing(request.user, pk)
    pdf = render_memo(report=report, version=_memo_version(request, report))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{report.agency.slug}-{report.fiscal_year.year}-approval-memo.pdf"'
    )
    return response
