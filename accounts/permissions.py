"""Who may see and change what. Every view asks here; nothing else decides."""

from django.db.models import Q, QuerySet

from measures.models import Agency, Report

from .models import Membership


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


def report_can_view(user, report: Report) -> bool:
    return agencies_visible_to(user).filter(pk=report.agency_id).exists()


def report_can_edit(user, report: Report) -> bool:
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(
            user=user, agency_id=report.agency_id, role=Membership.Role.EDITOR
        ).exists()
    )
