"""Writes of the review and publication.

A report's state changes only through ``report_transition``, which takes any action declared in
``publication.workflow.ACTIONS``: it checks who may take it and from which state, refuses illegal
moves with a clear message, and records who, when and why. ``report_submit`` and its siblings
name the actions for the callers that know which one they take.
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
from accounts.permissions import report_can_review, report_is_editor, reviewers_of
from measures.models import DOCUMENT_TITLES, DocumentKind, Measure, Report
from measures.report_format import report_to_data
from measures.selectors import report_document
from reports.layouts import CYCLE_LAYOUTS, LAYOUTS
from reports.rendering import PDF_STATIC_BASE, document_article, document_for, html_pdf, print_html

from .files import BUILDERS
from .models import Comment, DocumentState, PublishedVersion, Transition
from .search import index_version
from .workflow import ACTIONS, Reason, action_check

log = logging.getLogger(__name__)


@transaction.atomic
def report_transition(
    *, report: Report, user, action: str, reason: str = "", document: str = DocumentKind.REPORT
) -> Transition:
    """Take ``action`` (a name in ``workflow.ACTIONS``) on ``report``'s ``document`` (the report
    itself, or one of the cycle's other documents of its year), as the table says."""
    rule = ACTIONS[action]
    # Lock the row: two reviewers pressing "approve" at once make one move, not two. The report's
    # row also guards its other documents, so a move waits for any move of the same year, and
    # every write to the report's content takes it too (measures.services): a move waits for the
    # saves in flight, and a save that waited for a move is refused if the report left draft.
    locked = Report.objects.select_for_update().get(pk=report.pk)
    own = None
    if document != DocumentKind.REPORT:
        own, _created = DocumentState.objects.get_or_create(report=locked, document=document)
    state = own.state if own else locked.state
    reason = "" if rule.reason is Reason.NONE else (reason or "").strip()
    action_check(rule, user=user, report=locked, reason=reason, state=state)
    by = user if user and user.is_authenticated else None
    transition = Transition.objects.create(
        report=locked,
        document=document,
        from_state=state,
        to_state=rule.target,
        user=by,
        reason=reason,
    )
    if own:
        DocumentState.objects.filter(pk=own.pk).update(state=rule.target)
    else:
        Report.objects.filter(pk=locked.pk).update(state=rule.target)
        report.state = locked.state = rule.target
    if rule.comments:
        Comment.objects.create(report=locked, author=by, text=reason)
    if rule.publishes:
        version_create(report=locked, user=user, document=document)
    reviewers = rule.tells_reviewers
    transaction.on_commit(lambda: _notify(transition.pk, reviewers=reviewers))
    return transition


def report_submit(*, report: Report, user, reason: str = "") -> Transition:
    """An editor sends the report for review; gaps the OIT check finds need a reason."""
    return report_transition(report=report, user=user, action="submit", reason=reason)


def report_return(*, report: Report, user, comment: str) -> Transition:
    """A reviewer or the approver sends it back, with a comment the editors see."""
    return report_transition(report=report, user=user, action="return", reason=comment)


def report_approve(*, report: Report, user, reason: str = "") -> Transition:
    return report_transition(report=report, user=user, action="approve", reason=reason)


@transaction.atomic
def report_publish(*, report: Report, user) -> PublishedVersion:
    """Freeze the approved report as its next public version."""
    report_transition(report=report, user=user, action="publish")
    return report.versions.order_by("-number").first()


def report_open_revision(*, report: Report, user) -> Transition:
    """Editors may change a published report again; its last version stays public meanwhile."""
    return report_transition(report=report, user=user, action="revise")


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


def version_create(
    *, report: Report, user, document: str = DocumentKind.REPORT
) -> PublishedVersion:
    """Freeze ``document`` of the report as its next version: the data, the page, then the PDF.

    Every document of the year freezes the same data (the report data format); the page is the
    document's own layout of it.
    """
    full = report_document(pk=report.pk)
    data = report_to_data(report=full)
    versions = PublishedVersion.all_documents.filter(report=report, document=document)
    number = (versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = PublishedVersion.all_documents.create(
        report=report,
        document=document,
        number=number,
        published_by=user if user and user.is_authenticated else None,
        data=data,
        data_sha256=content_hash(data),
        html=document_article(document_for(full, kind=document)),
    )
    if document == DocumentKind.REPORT:
        index_version(version)  # search reads the report; the other documents hold the same
        version = version_store_files(version=version)
    if settings.TASKS_INLINE:
        version_render_pdf(version=version)
    else:
        from .tasks import render_version_pdf

        transaction.on_commit(lambda: render_version_pdf.delay(version.pk))
    return version


@transaction.atomic
def version_store_files(*, version: PublishedVersion) -> PublishedVersion:
    """Store the report version's JSON, CSV and XLSX beside its PDF, each once.

    Called at publication, and on the first download of a version published before these
    files were stored. The row lock makes two first downloads at once store one file.
    """
    locked = PublishedVersion.all_documents.select_for_update().get(pk=version.pk)
    if locked.document != DocumentKind.REPORT:
        return locked  # the cycle's other documents have a page and a PDF only
    written = []
    for kind, build in BUILDERS.items():
        field, digest = PublishedVersion.FILES[kind]
        if getattr(locked, field):
            continue
        content = build(locked)
        getattr(locked, field).save(f"v{locked.number}.{kind}", ContentFile(content), save=False)
        setattr(locked, digest, hashlib.sha256(content).hexdigest())
        written += [field, digest]
    if written:
        locked.save(update_fields=written)
    return locked


def version_render_pdf(*, version: PublishedVersion) -> PublishedVersion:
    """Render the version's PDF once, from its own frozen page, and store it."""
    if version.pdf:
        return version

    data = version.data
    report_itself = version.document == DocumentKind.REPORT
    layout = LAYOUTS[data["layout"]] if report_itself else CYCLE_LAYOUTS[version.document]
    title = data["title"] if report_itself else DOCUMENT_TITLES[version.document]
    html = print_html(
        version.html,
        orientation=layout.orientation,
        digits=data["digits"],
        title=f"{title} {data['fiscal_year']} {data['agency']['name']}",
        author=data["agency"]["name"],
        static_base=PDF_STATIC_BASE,
    )
    identifier = f"{data['agency']['slug']}-{data['fiscal_year']}"
    identifier += (
        f"-v{version.number}" if report_itself else f"-{version.document}-v{version.number}"
    )
    pdf = html_pdf(html, identifier=identifier)
    version.pdf.save(f"v{version.number}.pdf", ContentFile(pdf), save=False)
    version.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    version.save(update_fields=["pdf", "pdf_sha256"])
    return version


# -- Notifications ---------------------------------------------------------------------------------


def _notify(transition_pk: int, *, reviewers: bool = False) -> None:
    """E-mail those who act next: the agency's staff and, when ``reviewers``, its reviewers."""
    transition = Transition.objects.select_related("report__agency", "report__fiscal_year", "user")
    transition = transition.get(pk=transition_pk)
    report = transition.report
    staff = Membership.objects.filter(agency=report.agency).select_related("user")
    recipients = {m.user.email for m in staff if m.user.email}
    if reviewers:
        recipients |= set(
            reviewers_of(report.agency).filter(email__gt="").values_list("email", flat=True)
        )
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
