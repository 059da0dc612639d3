from django.contrib.auth import get_user_model
from django.db import transaction

from measures.models import Agency

from .models import Membership, ReviewScope

User = get_user_model()


@transaction.atomic
def user_upsert(
    *, username: str, password: str, first_name: str = "", last_name: str = "", **flags
) -> User:
    """Create the user, or reset an existing one's password and names (demo accounts)."""
    user, _ = User.objects.get_or_create(username=username)
    user.first_name, user.last_name = first_name, last_name
    for flag, value in flags.items():
        setattr(user, flag, value)
    user.set_password(password)
    user.save()
    return user


def membership_grant(*, user: User, agency: Agency, role: str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, agency=agency, role=role)
    return membership


def review_scope_grant(*, user: User, agency=None, district=None, province=None) -> ReviewScope:
    scope, _ = ReviewScope.objects.get_or_create(
        user=user, agency=agency, district=district, province=province
    )
    return scope


@transaction.atomic
def user_email_set(*, username: str, email: str) -> None:
    User.objects.filter(username=username).update(email=email)
