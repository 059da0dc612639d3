"""The review workflow, declared once.

``ACTIONS`` says, for each action on a report: from which states it may be taken, the state it
leads to, who may take it (a function of accounts.permissions), whether it needs a reason, and how
its button reads. ``services.report_transition`` performs any action from this table, and
``actions_for`` tells every screen which buttons to show; nothing else decides either.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import report_can_publish, report_can_review, report_is_editor
from measures.models import DocumentKind, Report
from measures.selectors import report_document

from .checks import report_check

State = Report.State


class Reason(enum.Enum):
    NONE = "none"  # the action takes no reason: one typed anyway is not recorded
    OPTIONAL = "optional"  # recorded with the move when given
    REQUIRED = "required"  # the move is refused without one
    FOR_GAPS = "for gaps"  # required when the OIT check finds something missing


@dataclass(frozen=True)
class Action:
    name: str  # what the staff's form posts as "action"
    sources: frozenset[str]  # the states it may be taken from
    target: str  # the state it leads to
    may: Callable[..., bool]  # may(user, report): who may take it, whatever the state
    label: str  # its button
    reason: Reason = Reason.NONE
    reason_label: str = ""  # the label of the reason's field
    missing_reason: str = ""  # the refusal when a required reason is missing
    comments: bool = False  # the reason is also left as a comment for the editors
    publishes: bool = False  # the report is frozen as its next published version
    tells_reviewers: bool = False  # its reviewers are e-mailed too, not only the agency's staff
    # Actions of the same form share its reason field (approve and return: one comment).
    form: str = ""
    style: str = "btn-primary"  # the button's look
    help: str = ""  # a line after the button
    # What the page says once it is done: of the report, and of another document of the cycle
    # (%(document)s). Whole sentences, not "is now %(state)s": a state's label ("ส่งตรวจแล้ว")
    # already says "done" in Thai, and a sentence around it said it twice.
    done: str = ""
    done_document: str = ""

    def allows(self, user, report: Report, state: str | None = None) -> bool:
        """Whether ``user`` may take this action on ``report`` (whose document is in ``state``,
        the report's own state by default) as it is now."""
        return (state or report.state) in self.sources and self.may(user, report)


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action(
            name="submit",
            sources=frozenset({State.DRAFT, State.RETURNED}),
            target=State.SUBMITTED,
            may=report_is_editor,
            label=gettext_lazy("Submit for review"),
            done=gettext_lazy("The report was sent for review."),
            done_document=gettext_lazy("%(document)s was sent for review."),
            reason=Reason.FOR_GAPS,
            reason_label=gettext_lazy("Why submit with these gaps?"),
            tells_reviewers=True,
            form="submit",
        ),
        Action(
            name="approve",
            sources=frozenset({State.SUBMITTED}),
            target=State.APPROVED,
            may=report_can_review,
            label=gettext_lazy("Approve"),
            done=gettext_lazy("The report was approved."),
            done_document=gettext_lazy("%(document)s was approved."),
            reason=Reason.OPTIONAL,
            reason_label=gettext_lazy("Comment for the editors"),
            form="review",
            style="btn-success",
        ),
        Action(
            name="return",
            sources=frozenset({State.SUBMITTED, State.APPROVED}),
            target=State.RETURNED,
            may=report_can_review,
            label=gettext_lazy("Return with the comment"),
            done=gettext_lazy("The report was returned to its editors for changes."),
            done_document=gettext_lazy("%(document)s was returned to its editors for changes."),
            reason=Reason.REQUIRED,
            reason_label=gettext_lazy("Comment for the editors"),
            missing_reason=gettext_lazy("Say what the editors should change."),
            comments=True,
            form="review",
            style="btn-outline-danger",
        ),
        Action(
            name="publish",
            sources=frozenset({State.APPROVED}),
            target=State.PUBLISHED,
            may=report_can_publish,
            label=gettext_lazy("Publish"),
            done=gettext_lazy("The report was published."),
            done_document=gettext_lazy("%(document)s was published."),
            publishes=True,
            form="publish",
            style="btn-success",
        ),
        Action(
            name="revise",
            sources=frozenset({State.PUBLISHED}),
            target=State.DRAFT,
            may=report_is_editor,
            label=gettext_lazy("Open a revision"),
            done=gettext_lazy("A revision of the report is open."),
            done_document=gettext_lazy("A revision of %(document)s is open."),
            form="revise",
            style="btn-outline-primary",
            help=gettext_lazy(
                "The published version stays public until the revision is published."
            ),
        ),
    )
}


def state_of(report: Report, document: str = DocumentKind.REPORT) -> str:
    """Where ``document`` of the report's year stands: the report's own state, or its
    document's (a document never moved is a draft)."""
    if document == DocumentKind.REPORT:
        return report.state
    for row in report.document_states.all():
        if row.document == document:
            return row.state
    return Report.State.DRAFT


def actions_for(user, report: Report, document: str = DocumentKind.REPORT) -> list[Action]:
    """The actions ``user`` may take on ``report``'s ``document`` now, in the table's order."""
    state = state_of(report, document)
    return [action for action in ACTIONS.values() if action.allows(user, report, state)]


def action_check(
    action: Action, *, user, report: Report, reason: str, state: str | None = None
) -> None:
    """Refuse the move, with the reason why, unless ``user`` may take ``action`` now.

    ``report`` is the locked row, as it is now; ``state`` its document's (the report's own by
    default); ``reason`` is stripped.
    """
    state = state or report.state
    if not action.may(user, report):
        raise PermissionDenied(_("You may not do this with this report."))
    if state not in action.sources:
        raise ValidationError(
            _("A report that is %(state)s cannot be %(action)s.")
            % {"state": State(state).label, "action": State(action.target).label}
        )
    if reason:
        return
    if action.reason is Reason.REQUIRED:
        raise ValidationError(str(action.missing_reason))
    if action.reason is Reason.FOR_GAPS:
        findings = report_check(report_document(pk=report.pk), today=timezone.localdate())
        if findings:
            raise ValidationError(
                _("The OIT check found %(count)s gaps: fix them, or say why you submit as it is.")
                % {"count": len(findings)}
            )


# -- The buttons ---------------------------------------------------------------------------------


@dataclass
class ActionForm:
    """One form of buttons on a screen: the actions sharing a reason field."""

    key: str
    actions: list[Action] = field(default_factory=list)
    reason_label: str = ""  # empty: the form has no reason field
    help: str = ""


def action_forms(actions: list[Action], *, gaps: bool) -> list[ActionForm]:
    """``actions`` (from ``actions_for``) as the forms a screen draws.

    ``gaps``: whether the OIT check finds something missing, when a reason is asked for then.
    """
    forms: dict[str, ActionForm] = {}
    for action in actions:
        form = forms.setdefault(
            action.form or action.name, ActionForm(key=action.form or action.name)
        )
        form.actions.append(action)
        asks = action.reason in (Reason.OPTIONAL, Reason.REQUIRED) or (
            action.reason is Reason.FOR_GAPS and gaps
        )
        if asks and not form.reason_label:
            form.reason_label = action.reason_label
        form.help = form.help or action.help
    return list(forms.values())
