"""The year's cycle entered once: progress rounds (every measure's state on one page) and the
analysis of last year's result (scores typed or read from ITAS's file, and the issues found).

Thin views over measures.services; permissions from accounts.permissions.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from measures import services
from measures.importers import ReportImportError
from measures.models import FiscalYear, Indicator, ProgressRound
from measures.selectors import progress_rollup

from .access import report_for_editing
from .cycle_forms import (
    IssueFormSet,
    MeasureRoundFormSet,
    ResultForm,
    RoundForm,
    ScoresFileForm,
    issues_data,
    issues_initial,
    result_initial,
    round_entries_initial,
    round_initial,
)

PASS_LINE = 85


def cycle_context(report) -> dict:
    """What the report page shows of the cycle; ``report`` comes from
    ``selectors.report_documents``, so that nothing here queries again."""
    result = report.cited_result
    return {
        "rollup": progress_rollup(report),
        "cited": result,
        "cited_scores": list(result.indicator_scores.all()) if result else [],
        "pass_line": PASS_LINE,
        "issue_groups": list(report.issue_groups.all()),
    }


def _section_url(report, anchor: str) -> str:
    return reverse("staff:report", kwargs={"pk": report.pk}) + f"#{anchor}"


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


# -- Progress rounds ------------------------------------------------------------------------------


def _round_rows(formset, measures) -> list:
    """(measure, form) for each row, the measure found by the row's own hidden id."""
    by_pk = {m.pk: m for m in measures}
    rows = []
    for form in formset.forms:
        value = form["measure"].value()
        try:
            measure = by_pk.get(int(value))
        except (TypeError, ValueError):
            measure = None
        if measure is not None:
            rows.append((measure, form))
    return rows


@login_required
def round_edit(request, pk: int, number: int | None = None):
    """A round's name and date and, on the same page, every measure's state in it."""
    report = report_for_editing(request.user, pk)
    progress_round = None
    if number is not None:
        progress_round = get_object_or_404(ProgressRound, report=report, number=number)
    measures = list(report.measures.select_related("indicator").order_by("position"))
    if progress_round is not None:
        source = progress_round
    else:  # a new round starts from where the last one left the measures
        source = report.rounds.order_by("-number").first()
    entries = {e.measure_id: e for e in source.entries.all()} if source else {}

    if request.method == "POST":
        form = RoundForm(request.POST)
        formset = MeasureRoundFormSet(request.POST, prefix="entries")
        if form.is_valid() & formset.is_valid():
            try:
                saved = services.round_save(
                    report=report,
                    number=number,
                    label=form.cleaned_data["label"],
                    as_of=form.cleaned_data["as_of"],
                    entries=[f.cleaned_data for f in formset.forms if f.cleaned_data],
                    user=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("%(round)s saved.") % {"round": saved.label})
                return redirect(_section_url(report, "progress"))
    else:
        if progress_round is not None:
            initial = {"label": progress_round.label, "as_of": progress_round.as_of}
        else:
            initial = round_initial(report)
        form = RoundForm(initial=initial)
        formset = MeasureRoundFormSet(
            prefix="entries", initial=round_entries_initial(measures, entries)
        )
    return render(
        request,
        "staff/round_form.html",
        {
            "report": report,
            "round": progress_round,
            "form": form,
            "formset": formset,
            "rows": _round_rows(formset, measures),
            "has_errors": bool(form.errors) or bool(formset.total_error_count()),
        },
    )


@login_required
@require_POST
def round_delete(request, pk: int, number: int):
    report = report_for_editing(request.user, pk)
    progress_round = get_object_or_404(ProgressRound, report=report, number=number)
    try:
        services.round_delete(report=report, number=progress_round.number, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(round)s was deleted; the report's history keeps what it held.")
            % {"round": progress_round.label},
        )
    return redirect(_section_url(report, "progress"))


# -- The analysis of last year's result -----------------------------------------------------------


def _result_year(report) -> int:
    """The year of the result the report analyses: the one it cites, else the year before."""
    if report.cited_result_id:
        return report.cited_result.fiscal_year.year
    return report.fiscal_year.year - 1


def _result_of(report, year: int):
    """The result the report cites, else the agency's result of that year if there is one."""
    if report.cited_result_id:
        return report.cited_result
    return report.agency.results.filter(fiscal_year__year=year).first()


def _indicators(year: int) -> list[Indicator]:
    return list(
        Indicator.objects.filter(fiscal_year__year=year).select_related("tool").order_by("number")
    )


def _analysis_page(request, report, *, result_form=None, file_form=None, issues=None, read=None):
    year = _result_year(report)
    result = _result_of(report, year)
    indicators = _indicators(year)
    if result_form is None:
        result_form = ResultForm(initial=result_initial(result), indicators=indicators)
    if issues is None:
        issues = IssueFormSet(prefix="issues", initial=issues_initial(report))
    weak = []
    if result is not None:
        weak = [
            s for s in result.indicator_scores.select_related("indicator") if s.score < PASS_LINE
        ]
    return render(
        request,
        "staff/analysis.html",
        {
            "report": report,
            "year": year,
            "framework": FiscalYear.objects.filter(year=year).exists(),
            "result": result,
            "weak": weak,
            "pass_line": PASS_LINE,
            "result_form": result_form,
            "file_form": file_form or ScoresFileForm(),
            "issues": issues,
            "read": read,
        },
    )


def _report_with_result(request, pk: int):
    report = report_for_editing(request.user, pk)
    return (
        type(report)
        .objects.select_related("agency", "fiscal_year", "cited_result__fiscal_year")
        .get(pk=report.pk)
    )


@login_required
def analysis(request, pk: int):
    """Last year's scores, typed; the file and the issues post to their own addresses."""
    report = _report_with_result(request, pk)
    if request.method != "POST":
        return _analysis_page(request, report)
    year = _result_year(report)
    form = ResultForm(request.POST, indicators=_indicators(year))
    if form.is_valid():
        try:
            services.analysis_result_save(
                report=report, data=form.result_data(year), user=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The scores are saved."))
            return redirect("staff:analysis", pk=report.pk)
    return _analysis_page(request, report, result_form=form)


@login_required
@require_POST
def analysis_import(request, pk: int):
    """Read ITAS's file of scores into the form, for the editor to check and save."""
    report = _report_with_result(request, pk)
    file_form = ScoresFileForm(request.POST, request.FILES)
    if not file_form.is_valid():
        return _analysis_page(request, report, file_form=file_form)
    year = _result_year(report)
    indicators = _indicators(year)
    upload = file_form.cleaned_data["file"]
    try:
        read = services.result_scores_read(
            file=upload, filename=upload.name, indicators={i.number: i.name for i in indicators}
        )
    except ReportImportError as error:
        file_form.add_error("file", str(error))
        return _analysis_page(request, report, file_form=file_form)
    initial = result_initial(_result_of(report, year))
    initial.update({k: v for k, v in read.items() if k in ("overall", "iit", "eit", "oit")})
    initial.update({f"indicator_{n}": score for n, score in read["indicators"].items()})
    form = ResultForm(initial=initial, indicators=indicators)
    return _analysis_page(request, report, result_form=form, file_form=ScoresFileForm(), read=read)


@login_required
@require_POST
def analysis_issues(request, pk: int):
    report = _report_with_result(request, pk)
    issues = IssueFormSet(request.POST, prefix="issues")
    if issues.is_valid():
        try:
            services.issue_groups_save(report=report, groups=issues_data(issues), user=request.user)
        except ValidationError as error:
            issues.non_form_errors().extend(error.messages)
        else:
            messages.success(request, _("The issues are saved."))
            return redirect(f"{reverse('staff:analysis', kwargs={'pk': report.pk})}#issues")
    return _analysis_page(request, report, issues=issues)
