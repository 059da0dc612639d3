"""Reads for the reviewers' queue: reports in scope, filtered, counted, with who is late."""

import datetime

from django.db.models import Count, Q

from measures.models import Agency, District, FiscalYear, Province, Report
from publication.filters import ReviewFilters


def review_rows(*, agencies, params, today: datetime.date) -> dict:
    """``params``: the query string, read by publication.filters.ReviewFilters."""
    reports = Report.objects.filter(agency__in=agencies).select_related(
        "agency__province", "agency__district", "fiscal_year"
    )
    form = ReviewFilters(params)
    chosen = {name: value for name, value in form.values.items() if value is not None}
    lookups = {
        "province": "agency__province_id",
        "district": "agency__district_id",
        "year": "fiscal_year__year",
        "kind": "agency__kind",
    }
    reports = reports.filter(**{lookups[name]: chosen[name] for name in lookups if name in chosen})
    counts_base = reports
    if "state" in chosen:
        reports = reports.filter(state=chosen["state"])
    counts = dict(
        counts_base.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    late = Q(fiscal_year__oit_deadline__lt=today) & ~Q(state=Report.State.PUBLISHED)
    rows = [
        {
            "report": report,
            "late": bool(
                report.fiscal_year.oit_deadline
                and report.fiscal_year.oit_deadline < today
                and report.state != Report.State.PUBLISHED
            ),
            "waiting": report.state == Report.State.SUBMITTED,
        }
        for report in reports.order_by(
            "-fiscal_year__year", "agency__province__name", "agency__name"
        )
    ]
    # Agencies in scope with no report at all for the chosen year are late too, once it is due.
    missing = []
    if "year" in chosen:
        year = FiscalYear.objects.filter(year=chosen["year"]).first()
        if year and year.oit_deadline and year.oit_deadline < today:
            with_report = Report.objects.filter(fiscal_year=year).values("agency_id")
            missing = list(
                agencies.exclude(pk__in=with_report).select_related("province").order_by("name")
            )
    return {
        "rows": rows,
        "counts": [(s, label, counts.get(s, 0)) for s, label in Report.State.choices],
        "late_count": counts_base.filter(late).count() + len(missing),
        "missing": missing,
        "chosen": chosen,
        "problems": form.problems,
        "provinces": Province.objects.filter(agencies__in=agencies).distinct(),
        "districts": District.objects.filter(agencies__in=agencies).distinct(),
        "years": FiscalYear.objects.order_by("-year"),
        "kinds": Agency.Kind.choices,
        "states": Report.State.choices,
    }
