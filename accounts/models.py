"""Who may work on which agency's reports.

Site administrators are Django superusers. Everyone else gets rights through memberships
(editor or approver of an agency) and review scopes (an agency, a district, a province or,
with nothing set, the whole country).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from measures.models import Agency, District, Province


class Membership(models.Model):
    class Role(models.TextChoices):
        EDITOR = "editor", _("editor")
        APPROVER = "approver", _("approver (head of the agency)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("agency")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.agency}"


class ReviewScope(models.Model):
    """What a reviewer covers: the narrowest place given, or the whole country when none is."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_scopes",
        verbose_name=_("user"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("agency")
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("district")
    )
    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("province")
    )

    class Meta:
        verbose_name = _("review scope")
        verbose_name_plural = _("review scopes")

    def __str__(self):
        return f"{self.user} – {self.scope_name}"

    @property
    def scope_name(self) -> str:
        place = self.agency or self.district or self.province
        return str(place) if place else str(_("the whole country"))

    def clean(self):
        if sum(bool(x) for x in (self.agency_id, self.district_id, self.province_id)) > 1:
            raise ValidationError(_("Choose one of agency, district or province, or none."))
