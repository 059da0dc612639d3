"""Where agencies are, and the agencies with their internal units."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# DOPA's codes as the country's data package (geothai) gives them: a province's two digits, its
# districts' four, their subdistricts' six. Null for a place typed in before the country was loaded.


class Province(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=2, unique=True, null=True, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

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
    code = models.CharField(_("code"), max_length=4, unique=True, null=True, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="district_unique_in_province")
        ]

    def __str__(self):
        return f"{self.name} ({self.province})"


class Subdistrict(models.Model):
    """A ตำบล (แขวง in Bangkok), as the country's data package lists it."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="subdistricts",
        verbose_name=_("district"),
    )
    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.district})"


BANGKOK = "10"  # its province code: a special administrative area, not a จังหวัด

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
        """The types of agency the NACC's ITA results group agencies by (``other`` aside); the
        first ten keep the order they have always had in the API's messages."""

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
        GOVERNMENT_OFFICE = (
            "government_office",
            _("Department-level government office (ส่วนราชการระดับกรม)"),
        )
        EDUCATIONAL_INSTITUTION = "educational_institution", _("Educational institution (สถานศึกษา)")
        STATE_ENTERPRISE = "state_enterprise", _("State enterprise (รัฐวิสาหกิจ)")
        INDEPENDENT_BODY = (
            "independent_body",
            _("Court, independent, prosecution or parliamentary body (องค์กรศาล องค์กรอิสระ ฯลฯ)"),
        )
        PUBLIC_ORGANIZATION = "public_organization", _("Public organization (องค์การมหาชน)")
        FUND = "fund", _("Fund (กองทุน)")
        HIGHER_EDUCATION = "higher_education", _("Higher education institution (สถาบันอุดมศึกษา)")
        PROVINCE = "province", _("Province (จังหวัด)")
        EDUCATION_SERVICE_AREA = (
            "education_service_area",
            _("Educational service area office (สำนักงานเขตพื้นที่การศึกษา)"),
        )
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
    # The name as the agency's documents write it; ``subdistrict_area`` is the place it names.
    subdistrict = models.CharField(_("subdistrict"), max_length=100, blank=True)
    subdistrict_area = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("subdistrict (from the country's list)"),
    )
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
    code = models.CharField(
        _("external code"),
        max_length=50,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The agency's code in another register (such as ITAS), when it has one."),
    )

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
        if self.subdistrict_area_id and self.subdistrict_area.district_id != self.district_id:
            raise ValidationError(
                {"subdistrict_area": _("The subdistrict is not in the agency's district.")}
            )

    @property
    def address_line(self) -> str:
        """อำเภอดอกคำใต้ จังหวัดพะเยา (with ตำบล first when known; แขวง and เขต in Bangkok)."""
        bangkok = self.province.code == BANGKOK
        parts = []
        if self.subdistrict:
            parts.append(f"{'แขวง' if bangkok else 'ตำบล'}{self.subdistrict}")
        if self.district_id:
            # The package names Bangkok's districts with their เขต already.
            parts.append(self.district.name if bangkok else f"อำเภอ{self.district.name}")
        parts.append(self.province.name if bangkok else f"จังหวัด{self.province.name}")
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
