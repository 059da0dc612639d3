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
from django.core.cache import cache
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
    reviewers_of,
)
from measures.models import DOCUMENT_TITLES, DocumentKind, ImportJob, Measure, Report
from measures.report_format import report_to_data
from measures.selectors import report_document, report_documents
from measures.services.imports import ABANDONED_AFTER
from reports.layouts import CYCLE_LAYOUTS, LAYOUTS
from reports.rendering import PDF_STATIC_BASE, document_article, document_for, html_pdf, print_html

from .archive import version_archive, version_print_extras
from .dashboards import dashboards_forget
from .files import BUILDERS, page_compress
from .models import Comment, DocumentState, PublishedVersion, Transition
from .packing import report_unpacked
from .seal import pdf_seal
from .search import index_version
from .selectors import version_article
from .workflow import ACTIONS, Reason, action_check

log = logging.getLogger(__name__)


@transaction.atomic
def report_transition(
    *, report: Report, user, action: str, reason: str = "", document: str = DocumentKind.REPORT
) -> Transition:
    """Take ``action`` (a name in ``workflow.ACTIONS``) on ``report``'s ``document`` (the report
    itself, or one of the cycle's other documents of its year), as the table says."""
    rule = ACTIONS[action]
    if _import_under_way(report_pk=report.pk):
        # A large import holds the report's row lock for its whole run (minutes): refused now,
        # rather than waiting for it past the request's timeout.
        raise ValidationError(
            _("Measures are being imported into this report: try again once the import has ended."),
            code="importing",
        )
    # Lock the row: two reviewers pressing "approve" at once make one move, not two. The report's
    # row also guards its other documents, so a move waits for any move of the same year, and
    # every write to the report's content takes it too (measures.services): a move waits for the
    # saves in flight, and a save that waited for a move is refused if the report left draft.
    locked = report_unpacked(Report.objects.select_for_update().get(pk=report.pk))
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
    # The cached counts: forgotten now, and again once committed (a page drawn meanwhile may
    # have kept the old ones).
    dashboards_forget(report=locked)
    transaction.on_commit(lambda: dashboards_forget(report=locked))
    reviewers = rule.tells_reviewers
    transaction.on_commit(lambda: _notify(transition.pk, reviewers=reviewers))
    return transition


def _import_under_way(*, report_pk: int) -> bool:
    """A large import into the report is queued or running (one its worker did not abandon)."""
    since = timezone.now() - ABANDONED_AFTER
    jobs = ImportJob.objects.filter(report=report_pk, state__in=ImportJob.ACTIVE_STATES)
    return jobs.filter(created_at__gte=since).exists()


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
    report_unpacked(report)  # a closed year's report returned and published again
    full = report_document(pk=report.pk)
    data = report_to_data(report=full)
    versions = PublishedVersion.all_documents.filter(report=report, document=document)
    number = (versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = PublishedVersion(
        report=report,
        document=document,
        number=number,
        published_by=user if user and user.is_authenticated else None,
        data=data,
        data_sha256=content_hash(data),
    )
    _page_store(version, document_article(document_for(full, kind=document)))
    version.save()
    if document == DocumentKind.REPORT:
        index_version(version)  # search reads the report; the other documents hold the same
        version = version_store_files(version=version)
    version_pdf_queue(version_pk=version.pk)
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
        _file_save(locked, field, f"v{locked.number}.{kind}", content)
        setattr(locked, digest, hashlib.sha256(content).hexdigest())
        written += [field, digest]
    if written:
        locked.save(update_fields=written)
    return locked


def _file_save(version: PublishedVersion, field: str, filename: str, content: bytes) -> None:
    """Store ``content`` as the version's ``field`` under its one name, whatever is there.

    Called under the version's row lock with the field still empty: a file already under that
    name was left by a writer that died before its transaction committed (a worker killed
    between the two), and is replaced, not kept beside a second copy under a random suffix.
    """
    file = getattr(version, field)
    name = file.field.generate_filename(version, filename)
    if file.storage.exists(name):
        log.warning("Replacing %s, left by a write that did not commit", name)
        file.storage.delete(name)
    file.save(filename, ContentFile(content), save=False)


def _page_store(version: PublishedVersion, html: str) -> None:
    """Store the new (unsaved) version's frozen page, gzipped the same way every time."""
    _file_save(version, "html_file", f"v{version.number}.html.gz", page_compress(html))


# -- The PDF of a version, rendered in the background ----------------------------------------------

# Longer than any render takes (200 measures: about 20 s on a busy machine): a version whose PDF
# is still missing this long after its render was queued lost it (a worker restarted), and the
# next request for its PDF queues it again.
RENDER_CLAIM_TIMEOUT = 10 * 60


def _render_claim(version_pk: int) -> str:
    return f"publication:pdf-render:{version_pk}"


def version_pdf_queue(*, version_pk: int) -> None:
    """Have the version's PDF rendered once this transaction commits, never in the request
    (publication.tasks.task_defer); its public address says "being prepared" meanwhile."""
    from .tasks import render_version_pdf, task_defer

    cache.set(_render_claim(version_pk), True, timeout=RENDER_CLAIM_TIMEOUT)
    task_defer(render_version_pdf, version_pk)


def version_pdf_ensure(*, version_pk: int) -> None:
    """The version's PDF was asked for and is not there: queue its render again, unless one is
    under way (a claim in the cache) or it failed for good (the staff retry it: version_pdf_retry).
    The render is idempotent: it stores one PDF at most."""
    failed = PublishedVersion.all_documents.filter(pk=version_pk, pdf_failed_at__isnull=False)
    if failed.exists():
        return
    if cache.add(_render_claim(version_pk), True, timeout=RENDER_CLAIM_TIMEOUT):
        from .tasks import render_version_pdf, task_defer

        task_defer(render_version_pdf, version_pk)


def _render_starts(version_pk: int) -> str:
    return f"publication:pdf-starts:{version_pk}"


def version_pdf_started(*, version_pk: int) -> int:
    """Count a start of the version's render; how many did not end (this one included): more
    than one, and the workers of the others died in the middle (killed, out of memory)."""
    cache.add(_render_starts(version_pk), 0, timeout=24 * 3600)
    try:
        return cache.incr(_render_starts(version_pk))
    except ValueError:  # expired between the two
        return 1


def version_pdf_ended(*, version_pk: int) -> None:
    """The render came to an end, stored or failed: its worker did not die in it."""
    cache.delete(_render_starts(version_pk))


def version_pdf_render_task(*, version_pk: int) -> None:
    """What the background task does: render the PDF if it is still missing."""
    version = PublishedVersion.all_documents.select_related("report").filter(pk=version_pk).first()
    if version is None:  # its publication was rolled back
        return
    log.info("Rendering the PDF of version %s (%s)", version_pk, version)
    version_render_pdf(version=version)
    cache.delete(_render_claim(version_pk))  # kept after a failure: tried again in a while


ERROR_LENGTH = 2000  # of the reason kept: the exception's message, not a whole traceback


def version_pdf_fail(*, version_pk: int, error: BaseException) -> None:
    """The render failed for good (after its retries): say why, for the staff (version_pdf_retry).
    A version whose PDF was stored meanwhile (by another render) did not fail."""
    reason = f"{type(error).__name__}: {error}".strip()[:ERROR_LENGTH]
    PublishedVersion.all_documents.filter(pk=version_pk, pdf="").update(
        pdf_error=reason, pdf_failed_at=timezone.now()
    )
    cache.delete(_render_claim(version_pk))


@transaction.atomic
def version_pdf_retry(*, version: PublishedVersion, user) -> PublishedVersion:
    """Render again the PDF of a version whose render failed: those who may publish the report."""
    if not report_can_publish(user, version.report):
        raise PermissionDenied
    locked = PublishedVersion.all_documents.select_for_update().get(pk=version.pk)
    if locked.pdf:
        raise ValidationError(_("This version already has its PDF."))
    if locked.pdf_failed_at is None:
        raise ValidationError(_("The PDF of this version is still being prepared."))
    PublishedVersion.all_documents.filter(pk=locked.pk).update(pdf_error="", pdf_failed_at=None)
    log.info("%s asked for the PDF of version %s again", user, locked)
    version_pdf_queue(version_pk=locked.pk)
    locked.refresh_from_db()
    return locked


def version_render_pdf(*, version: PublishedVersion) -> PublishedVersion:
    """Render the version's PDF once, from its own frozen page, and store it."""
    if version.pdf:
        return version

    data = version.data
    report_itself = version.document == DocumentKind.REPORT
    if report_itself and not version.json_file:
        version = version_store_files(version=version)  # embedded in the PDF: stored first
    layout = LAYOUTS[data["layout"]] if report_itself else CYCLE_LAYOUTS[version.document]
    title = data["title"] if report_itself else DOCUMENT_TITLES[version.document]
    html = print_html(
        version_article(version),
        orientation=layout.orientation,
        digits=data["digits"],
        title=f"{title} {data['fiscal_year']} {data['agency']['name']}",
        author=data["agency"]["name"],
        static_base=PDF_STATIC_BASE,
        published=version_print_extras(version),
    )
    identifier = f"{data['agency']['slug']}-{data['fiscal_year']}"
    identifier += (
        f"-v{version.number}" if report_itself else f"-{version.document}-v{version.number}"
    )
    # PDF/A-3 with its data (reports.pdfa), then sealed by an incremental update that keeps it.
    pdf = html_pdf(html, identifier=identifier, archive=version_archive(version))
    reason = " ".join(f"{title} {data['fiscal_year']} ฉบับที่ {version.number}".split())
    pdf = pdf_seal(pdf, reason=reason)
    with transaction.atomic():
        # Two renders of one version (a render asked for again while the first one still ran)
        # store one file: the second finds the first's under the row lock.
        locked = PublishedVersion.all_documents.select_for_update().get(pk=version.pk)
        if locked.pdf:
            return locked
        _file_save(version, "pdf", f"v{version.number}.pdf", pdf)
        version.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        version.pdf_error, version.pdf_failed_at = "", None
        version.save(update_fields=["pdf", "pdf_sha256", "pdf_error", "pdf_failed_at"])
    return version


@transaction.atomic
def versions_create_many(*, reports: list[Report], user) -> list[PublishedVersion]:
    """Freeze each report as its next version, as ``version_create`` does, many at once.

    For loading many agencies' reports together (``generate_national``): the reports are read
    in a fixed number of queries and the versions inserted in one statement, then each is
    indexed and its files stored by the same functions. The PDF is left to the caller
    (``version_render_pdf``), which renders it when and for whom it chooses.
    """
    fulls = report_documents(Report.objects.filter(pk__in=[report.pk for report in reports]))
    fulls = list(fulls.order_by("pk"))
    last = dict(
        PublishedVersion.objects.filter(report__in=reports)
        .values("report")
        .annotate(last=Max("number"))
        .values_list("report", "last")
    )
    by = user if user and user.is_authenticated else None
    fresh = []
    for full in fulls:
        data = report_to_data(report=full)
        fresh.append(
            PublishedVersion(
                report=full,
                document=DocumentKind.REPORT,
                number=last.get(full.pk, 0) + 1,
                published_by=by,
                data=data,
                data_sha256=content_hash(data),
            )
        )
        _page_store(fresh[-1], document_article(document_for(full)))
    versions = PublishedVersion.objects.bulk_create(fresh)
    for version in versions:
        index_version(version)
    # The cached counts, as report_transition forgets them: one report of each year and province.
    moved = list({(r.fiscal_year_id, r.agency.province_id): r for r in fulls}.values())
    for report in moved:
        dashboards_forget(report=report)
    transaction.on_commit(lambda: [dashboards_forget(report=report) for report in moved])
    return [version_store_files(version=version) for version in versions]


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
