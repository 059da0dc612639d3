"""Who may see and change what. Every view and every object check asks here; nothing else decides.

- Site administrators (superusers) see and change everything.
- An agency's editors see its reports and change them; its approvers see them.
- Reviewers see the reports of the agencies in their scope (an agency, a district, a province,
  or the whole country).
- Anyone else, and another agency's staff, does not even learn that a draft exists: 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from measures.models import Agency, Report

from .models import Membership

EDITABLE_STATES = (Report.State.DRAFT, Report.State.RETURNED)


def agencies_visible_to(user) -> QuerySet[Agency]:
    """The agencies whose unpublished reports ``user`` may read."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    condition = Q(memberships__user=user)
    for scope in user.review_scopes.all():
        if scope.agency_id:
            condition |= Q(pk=scope.agency_id)
        elif scope.district_id:
            condition |= Q(district_id=scope.district_id)
        elif scope.province_id:
            condition |= Q(province_id=scope.province_id)
        else:
            return Agency.objects.all()
    return Agency.objects.filter(condition).distinct()


def agencies_editable_by(user) -> QuerySet[Agency]:
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    return Agency.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.EDITOR
    ).distinct()


def report_can_view(user, report: Report) -> bool:
    return agencies_visible_to(user).filter(pk=report.agency_id).exists()


def _member(user, report: Report, role: str) -> bool:
    return Membership.objects.filter(user=user, agency_id=report.agency_id, role=role).exists()


def report_is_editor(user, report: Report) -> bool:
    """An editor of the report's agency (or an administrator), whatever the report's state."""
    return agencies_editable_by(user).filter(pk=report.agency_id).exists()


def report_can_edit(user, report: Report) -> bool:
    """May change the report's content now: an editor, while it is a draft or returned."""
    return report.state in EDITABLE_STATES and report_is_editor(user, report)


def report_can_review(user, report: Report) -> bool:
    """May return or approve: a reviewer covering the agency, its approver, an administrator."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or _member(user, report, Membership.Role.APPROVER):
        return True
    memberships = Membership.objects.filter(user=user, agency_id=report.agency_id)
    return (
        not memberships.exists() and user.review_scopes.exists() and report_can_view(user, report)
    )


def report_can_publish(user, report: Report) -> bool:
    """May publish an approved report: the agency's editors and approvers, administrators."""
    return report_is_editor(user, report) or (
        user.is_authenticated and _member(user, report, Membership.Role.APPROVER)
    )


def agency_can_edit(user, agency: Agency) -> bool:
    return agencies_editable_by(user).filter(pk=agency.pk).exists()


def report_for_viewing(user, pk: int) -> Report:
    """The report, or 404 for those who may not see it."""
    report = Report.objects.select_related("agency", "fiscal_year").filter(pk=pk).first()
    if report is None or not report_can_view(user, report):
        raise Http404
    return report


def report_for_editing(user, pk: int) -> Report:
    """The report, 404 for those who may not see it, 403 for those who may see but not change it."""
    report = report_for_viewing(user, pk)
    if not report_can_edit(user, report):
        raise PermissionDenied
    return report
