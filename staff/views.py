"""Staff data entry: thin views over measures.services; permissions from accounts.permissions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import (
    agencies_visible_to,
    agency_can_edit,
    report_can_edit,
    report_can_publish,
    report_can_review,
    report_is_editor,
)
from measures import services
from measures.models import CYCLE_DOCUMENTS, Change, DocumentKind, Measure, Report
from measures.selectors import (
    import_job_latest,
    measure_gaps,
    report_before,
    report_documents,
)
from publication.checks import report_check
from publication.models import PublishedVersion
from publication.packing import report_unpacked
from publication.workflow import action_forms, actions_for, state_of
from reports.documents import document_build
from reports.layouts import layout_get

from .access import report_for_editing, report_for_viewing
from .cycle_views import cycle_context
from .forms import ReportCreateForm, ReportForm
from .home import home_creatable, home_reports
from .measure_form import MeasureForm, measure_initial


@login_required
def home(request):
    rows = home_reports(user=request.user, today=timezone.localdate())
    return render(
        request,
        "staff/home.html",
        {
            "rows": rows,
            "agencies": home_creatable(user=request.user, rows=rows),
            "create_form": ReportCreateForm(),
        },
    )


@login_required
@require_POST
def report_create(request, slug: str):
    agency = get_object_or_404(agencies_visible_to(request.user), slug=slug)
    if not agency_can_edit(request.user, agency):
        raise PermissionDenied
    form = ReportCreateForm(request.POST)
    if form.is_valid():
        roll_forward = form.cleaned_data["start"] == ReportCreateForm.START_ROLL_FORWARD
        previous = report_before(agency=agency, year=form.cleaned_data["fiscal_year"].year)
        if roll_forward and previous:
            report_unpacked(previous)  # a closed year's, kept in its published version
        try:
            report = services.report_create(
                agency=agency,
                fiscal_year=form.cleaned_data["fiscal_year"],
                user=request.user,
                roll_forward=roll_forward,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report is ready."))
            if form.cleaned_data["start"] == ReportCreateForm.START_FILE:
                return redirect("staff:import", pk=report.pk)
            return redirect("staff:report", pk=report.pk)
    else:
        messages.error(request, _("Choose a fiscal year and how to start."))
    return redirect("staff:home")


@login_required
def report_detail(request, pk: int):
    report = report_for_viewing(request.user, pk)
    report = (
        report_documents(type(report).objects.filter(pk=pk))
        .prefetch_related("document_states")
        .get()
    )

    measures = [(m, measure_gaps(m)) for m in report.measures.all()]
    user = request.user
    is_editor = report_is_editor(user, report)
    findings = report_check(report, today=timezone.localdate())
    transitions = list(report.transitions.select_related("user")[:20])
    return render(
        request,
        "staff/report_detail.html",
        {
            "report": report,
            "measures": measures,
            "can_edit": report_can_edit(user, report),
            "is_editor": is_editor,
            "can_comment": is_editor or report_can_review(user, report),
            "action_forms": action_forms(actions_for(user, report), gaps=bool(findings)),
            "findings": findings,
            "transitions": transitions,
            "submission": _submission(report, transitions),
            "comments": report.comments.select_related("author", "measure", "resolved_by"),
            "versions": report.versions.order_by("-number"),
            "can_retry_pdf": report_can_publish(user, report),  # a PDF whose rendering failed
            "deleted": report.changes.filter(action=Change.Action.DELETED, restored=False)[:20],
            **cycle_context(report),
            "cycle_documents": _cycle_documents(user, report, gaps=bool(findings)),
            "import_job": import_job_latest(report=report) if is_editor else None,
        },
    )


def _submission(report, transitions):
    """The move that submitted the report, while it waits for review and if its editors said
    why (they must when it has gaps): the reviewer reads it first, not in the history."""
    moves = [t for t in transitions if t.document == DocumentKind.REPORT]
    if report.state != Report.State.SUBMITTED or not moves:
        return None
    latest = moves[0]
    return latest if latest.to_state == Report.State.SUBMITTED and latest.reason else None


def _cycle_documents(user, report, *, gaps: bool) -> list[dict]:
    """The year's other documents: where each stands, its latest version, what ``user`` may do."""
    latest = {
        version.document: version
        for version in PublishedVersion.all_documents.filter(report=report)
        .exclude(document=DocumentKind.REPORT)
        .latest_per_report()
        .only("document", "number", "published_at", "pdf", "pdf_error", "pdf_failed_at")
    }
    documents = []
    for kind in CYCLE_DOCUMENTS:
        state = state_of(report, kind)
        documents.append(
            {
                "kind": kind,
                "label": kind.label,
                "state_label": Report.State(state).label,
                "published": latest.get(kind),
                "action_forms": action_forms(actions_for(user, report, kind), gaps=gaps),
            }
        )
    return documents


@login_required
def report_edit(request, pk: int):
    report = report_for_editing(request.user, pk)
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        values = form.changed_values()
        # The services write; the form's instance was only a scratch copy of the report.
        try:
            services.report_update(
                report=report_for_editing(request.user, pk), values=values, user=request.user
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:report", pk=pk)
    return render(request, "staff/report_form.html", {"report": report, "form": form})


def _measure_of(report, measure_pk: int) -> Measure:
    return get_object_or_404(Measure, pk=measure_pk, report=report)


@login_required
def measure_edit(request, pk: int, measure_pk: int | None = None):
    report = report_for_editing(request.user, pk)
    measure = _measure_of(report, measure_pk) if measure_pk else None
    conflict = None
    if request.method == "POST":
        form = MeasureForm(request.POST, report=report, measure=measure)
        if form.is_valid():
            data = form.measure_data()
            try:
                if measure is None:
                    measure = services.measure_create(report=report, data=data, user=request.user)
                else:
                    measure = services.measure_update(
                        measure=measure,
                        data=data,
                        expected_version=form.cleaned_data.get("version") or 0,
                        user=request.user,
                    )
            except services.EditConflict as error:
                # Shown again with the other person's changes merged in, part by part.
                conflict, form = error, form.merged_with(error.measure, error.current)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                if "continue" in request.POST:
                    return redirect("staff:measure-edit", pk=pk, measure_pk=measure.pk)
                return redirect(f"{report_url(report)}#measure-{measure.pk}")
    else:
        form = MeasureForm(report=report, measure=measure, initial=measure_initial(measure))
    return render(
        request,
        "staff/measure_form.html",
        {
            "report": report,
            "measure": measure,
            "form": form,
            "conflict": conflict,
            "conflict_preview": _preview_html(report, conflict.measure) if conflict else "",
            "preview": _preview_html(report, measure) if measure else "",
        },
        status=409 if conflict else 200,
    )


def _add_service_errors(form, error: ValidationError) -> None:
    """A service's refusal beside its field, or above the form (a report no longer a draft)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def report_url(report) -> str:
    return reverse("staff:report", kwargs={"pk": report.pk})


def _preview_html(report, measure: Measure) -> str:
    full = report_documents(type(report).objects.filter(pk=report.pk)).get()
    document = document_build(full, layout_get(None, full))
    document.measures = [m for m in document.measures if m.pk == measure.pk]
    document.groups = [g for g in document.groups if any(m.pk == measure.pk for m in g.measures)]
    for group in document.groups:
        group.measures = [m for m in group.measures if m.pk == measure.pk]
    document.progress_rows = []
    document.only_measures = True
    return render_to_string(document.layout.template, {"doc": document})


@login_required
@require_POST
def measure_preview(request, pk: int, measure_pk: int | None = None):
    """The measure as typed, drawn in the report's layout, without saving anything."""
    report = report_for_editing(request.user, pk)
    form = MeasureForm(request.POST, report=report)
    if not form.is_valid():
        return HttpResponse(status=204)
    try:
        with transaction.atomic():
            if measure_pk:
                measure = _measure_of(report, measure_pk)
                measure = services.measure_update(
                    measure=measure,
                    data=form.measure_data(),
                    expected_version=measure.version,
                    user=None,
                )
            else:
                measure = services.measure_create(
                    report=report, data=form.measure_data(), user=None
                )
            html = _preview_html(report, measure)
            transaction.set_rollback(True)
    except (ValidationError, services.EditConflict):
        # Saving will say what is wrong (a report submitted meanwhile, say); no preview now.
        return HttpResponse(status=204)
    return HttpResponse(html)


@login_required
def measure_delete(request, pk: int, measure_pk: int):
    report = report_for_editing(request.user, pk)
    measure = _measure_of(report, measure_pk)
    if request.method == "POST":
        try:
            services.measure_delete(measure=measure, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The measure was deleted. You can restore it from the report's history."),
            )
        return redirect("staff:report", pk=pk)
    return render(request, "staff/measure_delete.html", {"report": report, "measure": measure})


@login_required
@require_POST
def measure_move(request, pk: int, measure_pk: int):
    report = report_for_editing(request.user, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.measure_move(
            measure=_measure_of(report, measure_pk), offset=offset, user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{report_url(report)}#measure-{measure_pk}")


@login_required
def report_history(request, pk: int):
    report = report_for_viewing(request.user, pk)
    changes = report.changes.select_related("user", "measure")[:200]
    return render(
        request,
        "staff/history.html",
        {"report": report, "changes": changes, "can_edit": report_can_edit(request.user, report)},
    )


@login_required
@require_POST
def change_restore(request, pk: int, change_pk: int):
    report = report_for_editing(request.user, pk)
    change = get_object_or_404(Change, pk=change_pk, report=report)
    try:
        measure = services.measure_restore(change=change, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("staff:history", pk=pk)
    messages.success(request, _("The measure is back, at the end of the report."))
    return redirect(f"{report_url(report)}#measure-{measure.pk}")
