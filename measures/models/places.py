"""Where agencies are, and the agencies with their internal units."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self):
        return self.name


class District(models.Model):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="district_unique_in_province")
        ]

    def __str__(self):
        return f"{self.name} ({self.province})"


# The first part of the portal's own addresses: an agency's public address may not take one.
RESERVED_SLUGS = {
    "admin",
    "staff",
    "api",
    "search",
    "accounts",
    "i18n",
    "static",
    "media",
    "browse",
}


class Agency(models.Model):
    class Kind(models.TextChoices):
        CITY_MUNICIPALITY = "city_municipality", _("City municipality (เทศบาลนคร)")
        TOWN_MUNICIPALITY = "town_municipality", _("Town municipality (เทศบาลเมือง)")
        SUBDISTRICT_MUNICIPALITY = (
            "subdistrict_municipality",
            _("Subdistrict municipality (เทศบาลตำบล)"),
        )
        PROVINCIAL_ADMINISTRATION = (
            "provincial_administration",
            _("Provincial administration (อบจ.)"),
        )
        SUBDISTRICT_ADMINISTRATION = (
            "subdistrict_administration",
            _("Subdistrict administration (อบต.)"),
        )
        SPECIAL_LOCAL = "special_local", _("Special local government (กทม. / เมืองพัทยา)")
        GOVERNMENT_OFFICE = "government_office", _("Government office (ส่วนราชการ)")
        EDUCATIONAL_INSTITUTION = "educational_institution", _("Educational institution (สถานศึกษา)")
        STATE_ENTERPRISE = "state_enterprise", _("State enterprise (รัฐวิสาหกิจ)")
        OTHER = "other", _("Other public agency")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Part of the agency's public addresses; never change it once published."),
    )
    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    subdistrict = models.CharField(_("subdistrict"), max_length=100, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("district"),
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("province")
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["province__name", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This address is taken by the portal itself.")})
        if self.district_id and self.province_id and self.district.province_id != self.province_id:
            raise ValidationError({"district": _("The district is not in the agency's province.")})

    @property
    def address_line(self) -> str:
        """อำเภอดอกคำใต้ จังหวัดพะเยา (with ตำบล first when known)."""
        parts = []
        if self.subdistrict:
            parts.append(f"ตำบล{self.subdistrict}")
        if self.district_id:
            parts.append(f"อำเภอ{self.district.name}")
        parts.append(f"จังหวัด{self.province.name}")
        return " ".join(parts)


class Unit(models.Model):
    """An agency's internal unit (สำนักปลัด, กองคลัง…) that can be named as responsible."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="units", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unit_unique_in_agency")
        ]

    def __str__(self):
        return self.name
