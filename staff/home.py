"""Reads for the staff home: each report a user sees, where it stands and what is asked of them.

The number of queries does not grow with the reports: the user's roles are read once (their
memberships and review scopes), the reports with their measures' parts in report_documents'
fixed prefetches, and the open comments counted in the same query as the reports.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from accounts.permissions import (
    agencies_editable_by,
    agencies_reviewed_by,
    agencies_visible_to,
    report_can_publish,
    report_can_review,
    report_is_editor,
)
from measures.models import FiscalYear, Report
from measures.selectors import measure_gaps, progress_rollup, staff_reports
from publication.workflow import ACTIONS, State

# Each state's badge: a returned report must not look like a draft.
STATE_BADGES = {
    State.DRAFT: "text-bg-secondary",
    State.SUBMITTED: "text-bg-info",
    State.RETURNED: "text-bg-danger",
    State.APPROVED: "text-bg-primary",
    State.PUBLISHED: "text-bg-success",
}

# What an action of publication.workflow.ACTIONS asks of the person who may take it, by the state
# it is taken from: the first action a user may take is their next step.
NEXT_STEPS = {
    ("submit", State.DRAFT): _("Complete the measures and submit for review"),
    ("submit", State.RETURNED): _("Revise as commented and submit again"),
    ("approve", State.SUBMITTED): _("Review and approve"),
    ("publish", State.APPROVED): _("Publish the approved report"),
}

# When the user has nothing to do: whom the report waits for.
WAITING = {
    State.DRAFT: _("Waiting for the editors to submit it"),
    State.RETURNED: _("Waiting for the editors to revise it"),
    State.SUBMITTED: _("Waiting for review"),
    State.APPROVED: _("Waiting to be published"),
    State.PUBLISHED: _("Published: nothing to do"),
}


@dataclass
class Roles:
    """The agencies (ids) where a user may take each kind of workflow action; None: all."""

    edits: set[int] | None
    reviews: set[int] | None
    publishes: set[int] | None

    def may(self, may, agency_id: int) -> bool:
        """``may``: an Action's permission function (accounts.permissions)."""
        agencies = {
            report_is_editor: self.edits,
            report_can_review: self.reviews,
            report_can_publish: self.publishes,
        }[may]
        return agencies is None or agency_id in agencies


def roles_of(user) -> Roles:
    """``user``'s roles per agency in two queries, by accounts.permissions' rules."""
    if user.is_superuser:
        return Roles(edits=None, reviews=None, publishes=None)
    members: dict[int, set[str]] = {}
    for agency_id, role in Membership.objects.filter(user=user).values_list("agency_id", "role"):
        members.setdefault(agency_id, set()).add(role)
    edits = {a for a, roles in members.items() if Membership.Role.EDITOR in roles}
    approves = {a for a, roles in members.items() if Membership.Role.APPROVER in roles}
    reviewed = set(agencies_reviewed_by(user).values_list("pk", flat=True))
    # An agency's own staff do not review its work, unless they approve it (report_can_review).
    return Roles(
        edits=edits, reviews=approves | (reviewed - set(members)), publishes=edits | approves
    )


def next_step(roles: Roles, report: Report) -> tuple[str, bool]:
    """What ``report`` asks of the user now, and whether it is theirs to do."""
    for action in ACTIONS.values():
        step = NEXT_STEPS.get((action.name, report.state))
        if step and report.state in action.sources and roles.may(action.may, report.agency_id):
            return str(step), True
    return str(WAITING[report.state]), False


def _progress(report: Report) -> dict:
    """How complete the measures are, and how far the latest progress round got."""
    measures = list(report.measures.all())
    rollup = progress_rollup(report)
    latest = rollup[-1] if rollup else None
    return {
        "measures": len(measures),
        # A closed year's report kept in its published version has no lines here to check.
        "complete": None if report.packed else sum(1 for m in measures if not measure_gaps(m)),
        "latest_round": latest,
        # Measures with something said of them in the latest round.
        "reported": latest
        and sum(
            1
            for m in measures
            for e in m.rounds.all()
            if e.round_id == latest["round"].pk and (e.progress or e.percent is not None)
        ),
    }


def home_reports(*, user, today: datetime.date) -> list[dict]:
    """One row per report the user sees: its state, next step, open comments, deadline and
    progress."""
    roles = roles_of(user)
    reports = staff_reports(agencies=agencies_visible_to(user)).annotate(
        open_comments=Count("comments", filter=Q(comments__resolved_at=None), distinct=True)
    )
    rows = []
    for report in reports:
        deadline = report.fiscal_year.oit_deadline
        step, mine = next_step(roles, report)
        rows.append(
            {
                "report": report,
                "state_badge": STATE_BADGES[report.state],
                "next_step": step,
                "mine": mine,
                "can_edit": roles.may(report_is_editor, report.agency_id),
                "open_comments": report.open_comments,
                "deadline": deadline,
                # The deadline only presses what is not published yet.
                "days_left": (
                    (deadline - today).days
                    if deadline and report.state != State.PUBLISHED
                    else None
                ),
                "days_late": max((today - deadline).days, 0) if deadline else 0,
                **_progress(report),
            }
        )
    return rows


def home_creatable(*, user, rows: list[dict]) -> list:
    """The agencies the user edits, each with the fiscal years it has no report for yet."""
    years = list(FiscalYear.objects.order_by("-year"))
    taken = {(row["report"].agency_id, row["report"].fiscal_year_id) for row in rows}
    agencies = []
    for agency in agencies_editable_by(user).order_by("name"):
        agency.open_years = [y for y in years if (agency.pk, y.pk) not in taken]
        if agency.open_years:
            agencies.append(agency)
    return agencies
