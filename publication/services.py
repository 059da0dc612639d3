"""Writes of the review and publication: each move of a report's state is one function that
checks who may make it, refuses illegal moves with a clear message, and records who, when, why.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.permissions import (
    report_can_publish,
    report_can_review,
    report_is_editor,
)
from measures.models import Measure, Report
from measures.report_format import report_to_data
from measures.selectors import report_document

from .checks import report_check
from .models import Comment, PublishedVersion, Transition
from .search import index_version

State = Report.State
log = logging.getLogger(__name__)


def _move(*, report: Report, user, allowed_from, to, may, reason="") -> Transition:
    # Lock the row: two reviewers pressing "approve" at once make one move, not two.
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if not may(user, locked):
        raise PermissionDenied(_("You may not do this with this report."))
    if locked.state not in allowed_from:
        raise ValidationError(
            _("A report that is %(state)s cannot be %(action)s.")
            % {"state": locked.get_state_display(), "action": Report.State(to).label}
        )
    transition = Transition.objects.create(
        report=locked,
        from_state=locked.state,
        to_state=to,
        user=user if user and user.is_authenticated else None,
        reason=reason,
    )
    Report.objects.filter(pk=locked.pk).update(state=to)
    report.state = to
    transaction.on_commit(lambda: _notify(transition.pk))
    return transition


@transaction.atomic
def report_submit(*, report: Report, user, reason: str = "") -> Transition:
    """An editor sends the report for review; gaps the OIT check finds need a reason."""
    if not report_is_editor(user, report):
        raise PermissionDenied(_("You may not do this with this report."))
    findings = report_check(report_document(pk=report.pk), today=timezone.localdate())
    if findings and not reason.strip():
        raise ValidationError(
            _("The OIT check found %(count)s gaps: fix them, or say why you submit as it is.")
            % {"count": len(findings)}
        )
    return _move(
        report=report,
        user=user,
        allowed_from=(State.DRAFT, State.RETURNED),
        to=State.SUBMITTED,
        may=report_is_editor,
        reason=reason,
    )


@transaction.atomic
def report_return(*, report: Report, user, comment: str) -> Transition:
    if not comment.strip():
        raise ValidationError(_("Say what the editors should change."))
    transition = _move(
        report=report,
        user=user,
        allowed_from=(State.SUBMITTED, State.APPROVED),
        to=State.RETURNED,
        may=report_can_review,
        reason=comment,
    )
    Comment.objects.create(report=report, author=transition.user, text=comment)
    return transition


@transaction.atomic
def report_approve(*, report: Report, user, reason: str = "") -> Transition:
    return _move(
        report=report,
        user=user,
        allowed_from=(State.SUBMITTED,),
        to=State.APPROVED,
        may=report_can_review,
        reason=reason,
    )


@transaction.atomic
def report_publish(*, report: Report, user) -> PublishedVersion:
    """Freeze the approved report as its next public version."""
    _move(
        report=report,
        user=user,
        allowed_from=(State.APPROVED,),
        to=State.PUBLISHED,
        may=report_can_publish,
    )
    return version_create(report=report, user=user)


@transaction.atomic
def report_open_revision(*, report: Report, user) -> Transition:
    """Editors may change a published report again; its last version stays public meanwhile."""
    return _move(
        report=report,
        user=user,
        allowed_from=(State.PUBLISHED,),
        to=State.DRAFT,
        may=report_is_editor,
    )


# -- Comments --------------------------------------------------------------------------------------


def comment_add(*, report: Report, user, text: str, measure: Measure | None = None) -> Comment:
    if not (report_can_review(user, report) or report_is_editor(user, report)):
        raise PermissionDenied(_("You may not comment on this report."))
    if not text.strip():
        raise ValidationError(_("Write the comment."))
    if measure is not None and measure.report_id != report.pk:
        raise PermissionDenied
    return Comment.objects.create(report=report, measure=measure, author=user, text=text.strip())


def comment_resolve(*, comment: Comment, user) -> Comment:
    if not report_is_editor(user, comment.report):
        raise PermissionDenied(_("Only the report's editors resolve comments."))
    comment.resolved_at, comment.resolved_by = timezone.now(), user
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


# -- Publication ---------------------------------------------------------------------------------


def content_hash(data: dict) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def version_create(*, report: Report, user) -> PublishedVersion:
    from reports.rendering import document_article, document_for

    full = report_document(pk=report.pk)
    data = report_to_data(report=full)
    number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = PublishedVersion.objects.create(
        report=report,
        number=number,
        published_by=user if user and user.is_authenticated else None,
        data=data,
        data_sha256=content_hash(data),
        html=document_article(document_for(full)),
    )
    index_version(version)
    if settings.TASKS_INLINE:
        version_render_pdf(version=version)
    else:
        from .tasks import render_version_pdf

        transaction.on_commit(lambda: render_version_pdf.delay(version.pk))
    return version


def version_render_pdf(*, version: PublishedVersion) -> PublishedVersion:
    """Render the version's PDF once, from its own frozen page, and store it."""
    if version.pdf:
        return version
    from reports.layouts import LAYOUTS
    from reports.rendering import PDF_STATIC_BASE, html_pdf, print_html

    data = version.data
    html = print_html(
        version.html,
        orientation=LAYOUTS[data["layout"]].orientation,
        digits=data["digits"],
        title=f"{data['title']} {data['fiscal_year']} {data['agency']['name']}",
        author=data["agency"]["name"],
        static_base=PDF_STATIC_BASE,
    )
    pdf = html_pdf(
        html, identifier=f"{data['agency']['slug']}-{data['fiscal_year']}-v{version.number}"
    )
    version.pdf.save(f"v{version.number}.pdf", ContentFile(pdf), save=False)
    version.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    version.save(update_fields=["pdf", "pdf_sha256"])
    return version


# -- Notifications ---------------------------------------------------------------------------------


def _notify(transition_pk: int) -> None:
    """E-mail those who act next: the agency's staff, and its reviewers on submission."""
    transition = Transition.objects.select_related("report__agency", "report__fiscal_year", "user")
    transition = transition.get(pk=transition_pk)
    report = transition.report
    staff = Membership.objects.filter(agency=report.agency).select_related("user")
    recipients = {m.user.email for m in staff if m.user.email}
    if transition.to_state == State.SUBMITTED:
        from accounts.models import ReviewScope

        scopes = ReviewScope.objects.filter(user__email__gt="").select_related("user")
        for scope in scopes:
            place = (scope.agency_id, scope.district_id, scope.province_id)
            if (
                place == (None, None, None)
                or report.agency_id == scope.agency_id
                or (scope.district_id and scope.district_id == report.agency.district_id)
                or (scope.province_id and scope.province_id == report.agency.province_id)
            ):
                recipients.add(scope.user.email)
    if not recipients:
        return
    subject = _("%(agency)s, fiscal year %(year)s: %(state)s") % {
        "agency": report.agency.name,
        "year": report.fiscal_year.year,
        "state": Report.State(transition.to_state).label,
    }
    body = render_to_string(
        "publication/email/transition.txt",
        {
            "transition": transition,
            "report": report,
            "url": settings.PUBLIC_BASE_URL + reverse("staff:report", kwargs={"pk": report.pk}),
        },
    )
    try:
        send_mail(subject, body, None, sorted(recipients))
    except OSError:  # the mail server is down: the move stands, the log says who was missed
        log.exception("Could not e-mail %s about %s", sorted(recipients), transition)
