"""Who may see and change what. Every view and every object check asks here; nothing else decides.

- Site administrators (superusers) see and change everything.
- An agency's editors see its reports and change them; its approvers see them.
- Reviewers see the reports of the agencies in their scope (an agency, a district, a province,
  or the whole country).
- Anyone else, and another agency's staff, does not even learn that a draft exists: 404.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from measures.models import Agency, Report

from .models import Membership, ReviewScope

# -- Review scopes: the one rule of which agencies a reviewer covers -------------------------------


def _scopes_covering(*, agency, district, province) -> Q:
    """The review scopes (a filter of ReviewScope) covering one agency.

    ``agency``, ``district`` and ``province`` are the agency's id and its district's and
    province's ids: values, or ``OuterRef``s to the agencies of an outer query. A scope covers
    the narrowest place it names (an agency, else a district, else a province) or, naming none,
    the whole country.
    """
    covering = Q(agency=None, district=None, province=None) | Q(agency=agency)
    if district is not None:  # None is no district: it must not match the scopes naming none
        covering |= Q(agency=None, district=district)
    if province is not None:
        covering |= Q(agency=None, district=None, province=province)
    return covering


def _reviewed_by(user) -> Exists:
    """A filter of Agency: the agencies one of ``user``'s review scopes covers."""
    outer = {"agency": OuterRef("pk"), "district": OuterRef("district_id")}
    scopes = ReviewScope.objects.filter(user=user)
    return Exists(scopes.filter(_scopes_covering(**outer, province=OuterRef("province_id"))))


def agencies_reviewed_by(user) -> QuerySet[Agency]:
    """The agencies ``user``'s review scopes cover (whatever the memberships)."""
    if not user.is_authenticated:
        return Agency.objects.none()
    return Agency.objects.filter(_reviewed_by(user))


def user_reviews(user) -> bool:
    """Whether ``user`` reviews reports at all: an administrator, an agency's approver, or a
    reviewer with a scope (the review menu is theirs); an agency's editors only do not."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    approves = Membership.objects.filter(user=user, role=Membership.Role.APPROVER)
    return ReviewScope.objects.filter(user=user).exists() or approves.exists()


def reviewers_of(agency: Agency):
    """The users whose review scopes cover ``agency``."""
    scopes = ReviewScope.objects.filter(
        _scopes_covering(agency=agency.pk, district=agency.district_id, province=agency.province_id)
    )
    return get_user_model().objects.filter(pk__in=scopes.values("user_id"))


def agencies_visible_to(user) -> QuerySet[Agency]:
    """The agencies whose unpublished reports ``user`` may read."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    return Agency.objects.filter(Q(memberships__user=user) | _reviewed_by(user)).distinct()


def provinces_wholly_visible_to(user) -> set[int] | None | bool:
    """When ``agencies_visible_to(user)`` is whole provinces: None for the whole country, else
    the provinces' ids; False when it is not (a member of an agency, a narrower scope), so the
    dashboards count those agencies themselves instead of adding up their per-province counts."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    if Membership.objects.filter(user=user).exists():
        return False
    scopes = list(
        ReviewScope.objects.filter(user=user).values_list("agency", "district", "province")
    )
    if (None, None, None) in scopes:
        return None
    if any(agency or district for agency, district, _province in scopes):
        return False
    return {province for _agency, _district, province in scopes}


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
    return report.state in Report.EDITABLE_STATES and report_is_editor(user, report)


def report_can_review(user, report: Report) -> bool:
    """May return or approve: a reviewer covering the agency, its approver, an administrator."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or _member(user, report, Membership.Role.APPROVER):
        return True
    if Membership.objects.filter(user=user, agency_id=report.agency_id).exists():
        return False  # its editors do not review their own work
    return agencies_reviewed_by(user).filter(pk=report.agency_id).exists()


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
