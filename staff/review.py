"""Reads for the reviewers' dashboard: the agencies in scope for a fiscal year, counted per
province and per agency type, each document's state, who is late; the agencies a page at a time.

The counts of whole provinces (or the country) are added up from publication.dashboards' cached
rows; a narrower scope (a district, an agency, an agency's own staff) counts its few agencies.
"""

import datetime

from accounts.permissions import agencies_visible_to, provinces_wholly_visible_to
from measures.models import Agency, District, DocumentKind, FiscalYear, Province, Report
from publication.dashboards import (
    COLUMNS,
    DOCUMENTS,
    LATE,
    NOT_STARTED,
    agencies_status,
    counts_of,
    counts_table,
    counts_view,
    dashboard_year,
    kind_labels,
    status_page,
)
from publication.filters import ReviewFilters
from publication.workflow import State

PAGE_SIZE = 50
WAITING_SHOWN = 50


def reports_waiting(*, user) -> list[Report]:
    """The reports submitted to this reviewer, whatever their fiscal year, the longest waiting
    first: what a reviewer opens the page for, above the dashboard (at most WAITING_SHOWN)."""
    return list(
        Report.objects.filter(agency__in=agencies_visible_to(user), state=State.SUBMITTED)
        .select_related("agency__province", "fiscal_year")
        .order_by("updated_at", "pk")[:WAITING_SHOWN]
    )


def review_dashboard(*, user, params, today: datetime.date) -> dict:
    """``params``: the query string, read by publication.filters.ReviewFilters."""
    agencies = agencies_visible_to(user)
    form = ReviewFilters(params)
    chosen = form.values
    years = list(FiscalYear.objects.order_by("-year"))
    year, problems = dashboard_year(years, chosen["year"], today)
    document = chosen["document"] or DocumentKind.REPORT
    scoped = agencies
    for name, lookup in (("province", "province_id"), ("district", "district_id")):
        if chosen[name] is not None:
            scoped = scoped.filter(**{lookup: chosen[name]})
    if chosen["kind"] is not None:
        scoped = scoped.filter(kind=chosen["kind"])
    context = {
        "chosen": {name: value for name, value in chosen.items() if value is not None},
        "problems": form.problems + problems,
        "years": years,
        "year": year and year.year,
        "document": document,
        "documents": [(d, DocumentKind(d).label) for d in DOCUMENTS],
        "columns": [(d, COLUMNS[d]) for d in DOCUMENTS],
        "kinds": Agency.Kind.choices,
        "states": form.fields["state"].choices,
        "workflow_states": Report.State.choices,
    }
    if year is None:
        return {**context, "total": None, "page": None, "provinces": [], "districts": []}
    whole = provinces_wholly_visible_to(user)
    options = {"document": document, "today": today}
    if whole is False or chosen["district"] is not None:
        # A few agencies (a district, an agency's staff): counted as they are now.
        table = counts_table(
            counts_of(year, scoped), within=None, province=None, kind=None, **options
        )
        provinces = Province.objects.filter(agencies__in=agencies).distinct()
        table["provinces"] = [(p.pk, p.name) for p in provinces]
    else:
        table = counts_view(
            year, within=whole, province=chosen["province"], kind=chosen["kind"], **options
        )
    total = table["total"]
    listed = agencies_status(
        year=year, agencies=scoped, document=document, state=chosen["state"], today=today
    )
    page = status_page(listed, chosen["page"], year=year, size=PAGE_SIZE)
    due = table["deadline"] is not None and table["deadline"] < today
    for agency in page:
        agency.state = _state(agency, document)
        agency.late = due and not getattr(agency, f"published_{document}")
        agency.waiting = agency.state == State.SUBMITTED
        marks = context["columns"]
        agency.published = [label for d, label in marks if getattr(agency, f"published_{d}")]
    # One province's districts (the one chosen, or the only one in scope), not the country's 928.
    only = [pk for pk, _name in table["provinces"]] if len(table["provinces"]) == 1 else [None]
    province = chosen["province"] if chosen["province"] is not None else only[0]
    districts = []
    if province is not None:
        districts = District.objects.filter(province_id=province, agencies__in=agencies).distinct()
    return {
        **context,
        "total": total,
        "counts": [(s, label, total["states"][s]) for s, label in Report.State.choices],
        "deadline": table["deadline"],
        "by_province": table["by_province"],
        "by_kind": kind_labels(table["by_kind"]),
        "page": page,
        "provinces": table["provinces"],
        "districts": districts,
        "late": LATE,
        "not_started": NOT_STARTED,
    }


def _state(agency, document: str) -> str:
    """The state of ``document`` of the agency's report, NOT_STARTED without a report."""
    if agency.report_pk is None:
        return NOT_STARTED
    return getattr(agency, f"state_{document}") or State.DRAFT  # a document never moved
