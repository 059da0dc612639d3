from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.permissions import report_for_viewing
from measures.models import Report
from measures.selectors import report_list

from .layouts import LAYOUTS
from .rendering import document_for, document_pdf


def home(request):
    return render(request, "reports/home.html", {"reports": report_list()})


def _visible_report(request, pk: int) -> Report:
    return report_for_viewing(request.user, pk)


def _document(request, report):
    digits = request.GET.get("digits")
    return document_for(
        report,
        layout=request.GET.get("layout"),
        digits=digits if digits in (Report.Digits.values) else None,
    )


@login_required
def report_preview(request, pk: int):
    report = _visible_report(request, pk)
    document = _document(request, report)
    return render(
        request,
        "reports/preview.html",
        {"doc": document, "report": report, "layouts": LAYOUTS.values()},
    )


@login_required
def report_preview_pdf(request, pk: int):
    report = _visible_report(request, pk)
    pdf = document_pdf(_document(request, report))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{report.agency.slug}-{report.fiscal_year.year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
