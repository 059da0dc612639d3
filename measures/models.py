"""Agencies, fiscal years, the ITA framework and the reports with their measures.

The names follow the seed documents: a report (รายงาน) holds measures (มาตรการ), each with
steps (ขั้นตอน), outputs (สรุปผล / ผลการดำเนินการ) and outcomes (ผลลัพธ์).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from . import fiscal, thai
from .validators import reject_markup

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def score_field(verbose_name, *, optional=False, **options) -> models.DecimalField:
    """A score from 0.00 to 100.00."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=optional,
        blank=optional,
        validators=SCORE_VALIDATORS,
        **options,
    )


# -- Places and agencies ---------------------------------------------------------------------


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


# -- Fiscal years and the ITA framework --------------------------------------------------------


class FiscalYear(models.Model):
    year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"),
        unique=True,
        validators=[MinValueValidator(2500), MaxValueValidator(2700)],
    )
    oit_deadline = models.DateField(
        _("OIT deadline"),
        null=True,
        blank=True,
        help_text=_("The last day agencies may publish their OIT answers."),
    )

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2500) & Q(year__lte=2700), name="fiscal_year_plausible"
            )
        ]

    def __str__(self):
        return str(self.year)

    @property
    def start(self) -> datetime.date:
        return fiscal.fiscal_year_bounds(self.year)[0]

    @property
    def end(self) -> datetime.date:
        return fiscal.fiscal_year_bounds(self.year)[1]

    def quarter_bounds(self, quarter: int) -> tuple[datetime.date, datetime.date]:
        return fiscal.quarter_bounds(self.year, quarter)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def clean(self):
        if self.oit_deadline and not self.contains(self.oit_deadline):
            raise ValidationError(
                {"oit_deadline": _("The OIT deadline must fall inside the fiscal year.")}
            )

    def band_for(self, overall, tools: dict) -> str | None:
        """The official band of an overall score and per-tool scores under this year's rule.

        ``tools`` maps tool codes to scores (None when unknown). Returns None when the rule
        needs a tool score that is not known.
        """
        for band in self.bands.all():
            if overall < band.min_overall:
                continue
            if band.min_each_tool is None:
                return band.label
            known = [score for score in tools.values() if score is not None]
            if len(known) < len(tools) or not tools:
                return None
            if all(score >= band.min_each_tool for score in known):
                return band.label
        return None


class Tool(models.Model):
    """IIT, EIT or OIT."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="tools", verbose_name=_("fiscal year")
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("assessment tool")
        verbose_name_plural = _("assessment tools")
        ordering = ["fiscal_year", "position"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="tool_unique_code")
        ]

    def __str__(self):
        return f"{self.code} {self.fiscal_year}"


class Indicator(models.Model):
    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("fiscal year"),
    )
    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("tool")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "number"], name="indicator_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.name} ({self.fiscal_year})"

    def clean(self):
        if self.tool_id and self.fiscal_year_id and self.tool.fiscal_year_id != self.fiscal_year_id:
            raise ValidationError({"tool": _("The tool belongs to another fiscal year.")})


class OITItem(models.Model):
    """A numbered item of the OIT check (O1, O2, …); numbers and wording change every year."""

    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.CASCADE,
        related_name="oit_items",
        verbose_name=_("fiscal year"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="oit_items",
        verbose_name=_("indicator"),
    )
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("title"), max_length=500)
    form = models.CharField(
        _("assessment form"),
        max_length=100,
        blank=True,
        help_text=_("Which form of the year uses this item, when forms differ."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("OIT item")
        verbose_name_plural = _("OIT items")
        ordering = ["fiscal_year", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "form", "code"], name="oit_item_unique_code"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class ScoreBand(models.Model):
    """One band of a year's rule, tried in order: the first band whose minimums hold applies."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="bands", verbose_name=_("fiscal year")
    )
    label = models.CharField(_("label"), max_length=50)
    min_overall = score_field(_("minimum overall score"))
    min_each_tool = score_field(_("minimum score of every tool"), optional=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        ordering = ["fiscal_year", "position"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "label"], name="band_unique_label"),
            models.UniqueConstraint(fields=["fiscal_year", "position"], name="band_unique_order"),
            models.CheckConstraint(
                condition=Q(min_overall__gte=0) & Q(min_overall__lte=100),
                name="band_min_overall_range",
            ),
        ]

    def __str__(self):
        return self.label


class AssessmentResult(models.Model):
    """An agency's ITA result for a year, with the level label as the agency published it."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="results", verbose_name=_("agency")
    )
    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.PROTECT,
        related_name="results",
        verbose_name=_("fiscal year"),
    )
    overall = score_field(_("overall score"))
    iit = score_field(_("IIT score"), optional=True)
    eit = score_field(_("EIT score"), optional=True)
    oit = score_field(_("OIT score"), optional=True)
    published_label = models.CharField(
        _("level as published"),
        max_length=100,
        blank=True,
        help_text=_('The agency\'s own words, e.g. "ผ่านดีเยี่ยม" or "96.04 (ผ่าน) ระดับ AA".'),
    )

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["agency", "-fiscal_year__year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="result_unique_year"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True})
                    | (Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 100})),
                    name=f"result_{field}_range",
                )
                for field in ("overall", "iit", "eit", "oit")
            ],
        ]

    def __str__(self):
        return f"{self.agency} {self.fiscal_year}: {self.overall}"

    @property
    def official_band(self) -> str | None:
        return self.fiscal_year.band_for(
            self.overall, {"IIT": self.iit, "EIT": self.eit, "OIT": self.oit}
        )


# -- Reports -----------------------------------------------------------------------------------


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started (ยังไม่ได้ดำเนินการ)")
    IN_PROGRESS = "in_progress", _("In progress (อยู่ระหว่างดำเนินการ)")
    DONE = "done", _("Done (ดำเนินการแล้ว)")


class Numbering(models.TextChoices):
    AUTO = "auto", _("Numbered when there are two or more")
    NUMBERED = "numbered", _("Always numbered")
    PLAIN = "plain", _("Not numbered")


class PeriodStyle(models.TextChoices):
    MONTHS = "months", _("Months: ม.ค.-มี.ค. ๒๕๖๘")
    MONTHS_YEARS = "months_years", _("Months with years: ต.ค.๒๕๖๗-ก.ย.๒๕๖๘")
    MONTHS_SHORT_YEARS = "months_short_years", _("Months, short years: ต.ค. ๖๗ - ก.ย. ๖๘")
    DATES = "dates", _("Dates: ๑ ตุลาคม ๒๕๖๗ ถึง ๓๐ กันยายน ๒๕๖๘")
    DAY = "day", _("One day: วันที่ ๒๙ กรกฎาคม ๒๕๖๘")
    QUARTERS = "quarters", _("Quarters: ไตรมาสที่ ๑ - ๒")
    FISCAL_YEAR = "fiscal_year", _("The whole fiscal year: ตลอดปีงบประมาณ")
    FISCAL_YEAR_BE = "fiscal_year_be", _("The whole fiscal year: ตลอดปีงบประมาณ พ.ศ. ๒๕๖๘")
    ALL_YEAR = "all_year", _("The whole year: ดำเนินการตลอดทั้งปี")


def numbering_field(verbose_name, default=Numbering.AUTO) -> models.CharField:
    return models.CharField(verbose_name, max_length=10, choices=Numbering.choices, default=default)


WHOLE_YEAR_STYLES = {PeriodStyle.FISCAL_YEAR, PeriodStyle.FISCAL_YEAR_BE, PeriodStyle.ALL_YEAR}
MONTH_STYLES = {PeriodStyle.MONTHS, PeriodStyle.MONTHS_YEARS, PeriodStyle.MONTHS_SHORT_YEARS}
# A period may reach a year beyond its fiscal year (plans made early, work that runs on),
# never further: anything else is a typing mistake such as 2658 for 2568.
PERIOD_SLACK_DAYS = 366


class Report(models.Model):
    """One agency's report for one fiscal year: the document the seeds are."""

    class Layout(models.TextChoices):
        BY_INDICATOR = "by_indicator", _("A table per ITA indicator (7 columns)")
        MEASURES_PROGRESS = (
            "measures_progress",
            _("Numbered measures, then progress per indicator"),
        )
        NARRATIVE = "narrative", _("A block per measure (no table)")
        MEMO_TABLE = "memo_table", _("Memo, then a 6-column table")
        BY_ISSUE = "by_issue", _("A table per issue (ประเด็น)")

    class Digits(models.TextChoices):
        THAI = thai.THAI, _("Thai digits (๑๒๓)")
        ARABIC = thai.ARABIC, _("Arabic digits (123)")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for changes")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    class YearStyle(models.TextChoices):
        FY = "fy", "ปีงบประมาณ ๒๕๖๘"
        FY_BE = "fy_be", "ปีงบประมาณ พ.ศ. ๒๕๖๘"
        ANNUAL = "annual", "ประจำปีงบประมาณ ๒๕๖๘"
        ANNUAL_BE = "annual_be", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="reports", verbose_name=_("agency")
    )
    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("fiscal year"),
    )
    title = models.TextField(
        _("title"),
        default="รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        help_text=_("A new line in the title is a new line on the cover."),
    )
    year_style = models.CharField(
        _("how the year is written"),
        max_length=20,
        choices=YearStyle.choices,
        default=YearStyle.ANNUAL_BE,
    )
    prepared_by = models.CharField(
        _("prepared by"),
        max_length=200,
        blank=True,
        help_text=_("The unit that prepared the report (จัดทำโดย)."),
    )
    heading = models.TextField(_("heading"), blank=True)
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Separate paragraphs with an empty line.")
    )
    progress_heading = models.TextField(
        _("heading of the progress table"),
        blank=True,
        help_text=_("Shown above the per-indicator progress table."),
    )
    cited_result = models.ForeignKey(
        AssessmentResult,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citing_reports",
        verbose_name=_("assessment result cited"),
    )
    layout = models.CharField(
        _("layout"), max_length=30, choices=Layout.choices, default=Layout.BY_INDICATOR
    )
    digits = models.CharField(
        _("digits"), max_length=10, choices=Digits.choices, default=Digits.THAI
    )
    # Moved only by publication.services, which checks who may and records each move.
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)

    memo_department = models.CharField(
        _("memo: department (ส่วนราชการ)"), max_length=300, blank=True
    )
    memo_reference = models.CharField(_("memo: reference (ที่)"), max_length=100, blank=True)
    memo_date = models.DateField(_("memo: date (วันที่)"), null=True, blank=True)
    memo_subject = models.TextField(_("memo: subject (เรื่อง)"), blank=True)
    memo_to = models.CharField(_("memo: to (เรียน)"), max_length=300, blank=True)
    memo_background = models.TextField(_("memo: background (เรื่องเดิม)"), blank=True)
    memo_facts = models.TextField(_("memo: facts (ข้อเท็จจริง)"), blank=True)
    memo_considerations = models.TextField(_("memo: considerations (ข้อพิจารณา)"), blank=True)
    memo_closing = models.CharField(
        _("memo: closing line"), max_length=300, blank=True, default="จึงเรียนมาเพื่อโปรดพิจารณา"
    )
    memo_signatory_name = models.CharField(_("memo: signatory's name"), max_length=200, blank=True)
    memo_signatory_position = models.CharField(
        _("memo: signatory's position"), max_length=200, blank=True
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-fiscal_year__year", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year"], name="report_one_per_agency_and_year"
            )
        ]

    def __str__(self):
        return f"{self.agency} {self.fiscal_year}"

    # What staff edit on the report's own form, in the form's order.
    FRONT_MATTER_FIELDS = (
        "title",
        "year_style",
        "prepared_by",
        "heading",
        "intro",
        "progress_heading",
        "cited_result",
        "layout",
        "digits",
    )
    MEMO_FIELDS = (
        "memo_department",
        "memo_reference",
        "memo_date",
        "memo_subject",
        "memo_to",
        "memo_background",
        "memo_facts",
        "memo_considerations",
        "memo_closing",
        "memo_signatory_name",
        "memo_signatory_position",
    )
    EDITABLE_FIELDS = FRONT_MATTER_FIELDS + MEMO_FIELDS
    TEXT_FIELDS = tuple(
        f
        for f in EDITABLE_FIELDS
        if f not in ("year_style", "cited_result", "layout", "digits", "memo_date")
    )

    def clean(self):
        errors = {}
        for field in self.TEXT_FIELDS:
            try:
                reject_markup(getattr(self, field))
            except ValidationError as error:
                errors[field] = error.messages
        if errors:
            raise ValidationError(errors)
        if (
            self.cited_result_id
            and self.agency_id
            and self.cited_result.agency_id != self.agency_id
        ):
            raise ValidationError(
                {"cited_result": _("The cited assessment result belongs to another agency.")}
            )
        if (
            self.cited_result_id
            and self.fiscal_year_id
            and self.cited_result.fiscal_year.year > self.fiscal_year.year
        ):
            raise ValidationError(
                {"cited_result": _("A report cannot cite the result of a later year.")}
            )

    @property
    def has_memo(self) -> bool:
        return bool(self.memo_subject or self.memo_background or self.memo_facts)

    @property
    def year_caption(self) -> str:
        """ประจำปีงบประมาณ พ.ศ. 2568 (Arabic digits; the template converts)."""
        prefix = {
            "fy": "ปีงบประมาณ",
            "fy_be": "ปีงบประมาณ พ.ศ.",
            "annual": "ประจำปีงบประมาณ",
            "annual_be": "ประจำปีงบประมาณ พ.ศ.",
        }[self.year_style]
        return f"{prefix} {self.fiscal_year.year}"


class IssueGroup(models.Model):
    """ประเด็นที่ N: an issue found when analysing last year's result (seed 004)."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="issue_groups", verbose_name=_("report")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        verbose_name = _("issue group")
        verbose_name_plural = _("issue groups")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="issue_group_unique_number")
        ]

    def __str__(self):
        return f"ประเด็นที่ {self.number} {self.title}"


class PeriodMixin(models.Model):
    """When a measure runs: two dates and how the document writes them."""

    period_style = models.CharField(
        _("how the period is written"), max_length=30, choices=PeriodStyle.choices, blank=True
    )
    period_start = models.DateField(_("start"), null=True, blank=True)
    period_end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=F("period_end")),
                name="%(class)s_period_in_order",
            )
        ]

    def period_fiscal_year(self) -> FiscalYear:
        raise NotImplementedError

    @property
    def period_text(self) -> str:
        if not self.period_style:
            return ""
        return thai.period_text(
            self.period_style, self.period_start, self.period_end, self.period_fiscal_year().year
        )

    def clean_period(self) -> None:
        errors = {}
        start, end, style = self.period_start, self.period_end, self.period_style
        if not style:
            if start or end:
                errors["period_style"] = _("Choose how the period is written.")
            return _raise(errors)
        if start is None:
            errors["period_start"] = _("Enter the start of the period.")
        if end is None:
            errors["period_end"] = _("Enter the end of the period.")
        if errors:
            return _raise(errors)
        if start > end:
            return _raise({"period_end": _("The period ends before it starts.")})
        year = self.period_fiscal_year()
        earliest = year.start - datetime.timedelta(days=PERIOD_SLACK_DAYS)
        latest = year.end + datetime.timedelta(days=PERIOD_SLACK_DAYS)
        if start < earliest or end > latest:
            errors["period_start" if start < earliest else "period_end"] = _(
                "The period is more than a year away from fiscal year %(year)s: check the year."
            ) % {"year": year.year}
        elif style == PeriodStyle.DAY and start != end:
            errors["period_end"] = _("A one-day period starts and ends on the same day.")
        elif style in WHOLE_YEAR_STYLES and (start, end) != (year.start, year.end):
            errors["period_style"] = _("This style is for a period of the whole fiscal year.")
        elif style == PeriodStyle.QUARTERS and (
            start != year.quarter_bounds(fiscal.quarter_of(start))[0]
            or end != year.quarter_bounds(fiscal.quarter_of(end))[1]
            or not (year.contains(start) and year.contains(end))
        ):
            errors["period_style"] = _(
                "Quarters run from a quarter's first day to a quarter's last."
            )
        elif style in MONTH_STYLES and (start.day != 1 or end != fiscal.month_end(end)):
            errors["period_style"] = _(
                "Month periods run from a month's first day to a month's last."
            )
        _raise(errors)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


class IndicatorMixin:
    """For rows tied to an indicator of their report's year, named as the agency wrote it."""

    @property
    def indicator_name(self) -> str:
        if self.indicator_label:
            return self.indicator_label
        return self.indicator.name if self.indicator_id else ""

    def indicator_errors(self) -> dict:
        if (
            self.report_id
            and self.indicator_id
            and self.indicator.fiscal_year_id != self.report.fiscal_year_id
        ):
            return {"indicator": _("The indicator is not from the report's fiscal year.")}
        return {}


class OrderedItem(models.Model):
    """A numbered line of a list: its place, an optional bold label and its text."""

    position = models.PositiveIntegerField(_("order"))
    label = models.CharField(
        _("bold label"),
        max_length=300,
        blank=True,
        help_text=_('e.g. "สถิติการจัดประชุม:"'),
        validators=[reject_markup],
    )
    text = models.TextField(_("text"), validators=[reject_markup])

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.position}. {self.text[:60]}"


class Measure(IndicatorMixin, PeriodMixin):
    """A measure, project or activity (มาตรการ / โครงการ / กิจกรรม) of a report."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="measures", verbose_name=_("report")
    )
    position = models.PositiveIntegerField(_("order"))
    title = models.TextField(_("measure"), validators=[reject_markup])
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("indicator"),
    )
    indicator_label = models.CharField(
        _("indicator as written"),
        max_length=300,
        blank=True,
        help_text=_("The agency's own wording of the indicator, when it differs."),
    )
    issue_group = models.ForeignKey(
        IssueGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("issue group"),
    )
    progress = models.CharField(_("progress"), max_length=20, choices=Progress.choices, blank=True)
    sub_items_numbering = numbering_field(_("numbering of sub-items"))
    steps_numbering = numbering_field(_("numbering of steps"))
    outputs_numbering = numbering_field(_("numbering of outputs"))
    outcomes_numbering = numbering_field(_("numbering of outcomes"))
    responsible_numbering = numbering_field(
        _("numbering of responsible units"), default=Numbering.PLAIN
    )
    # Raised by every save through the services: a save that started from an older version is
    # refused, so that two people editing one measure cannot overwrite each other unseen.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta(PeriodMixin.Meta):
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["report", "position"]
        constraints = [
            *PeriodMixin.Meta.constraints,
            models.UniqueConstraint(fields=["report", "position"], name="measure_unique_order"),
            models.CheckConstraint(
                condition=Q(indicator__isnull=True) | Q(issue_group__isnull=True),
                name="measure_indicator_or_issue",
            ),
        ]

    def __str__(self):
        return self.title[:80]

    def period_fiscal_year(self) -> FiscalYear:
        return self.report.fiscal_year

    def clean(self):
        errors = {}
        if self.indicator_id and self.issue_group_id:
            errors["issue_group"] = _("Tie the measure to an indicator or to an issue, not both.")
        errors.update(self.indicator_errors())
        if self.report_id and self.issue_group_id and self.issue_group.report_id != self.report_id:
            errors["issue_group"] = _("The issue group belongs to another report.")
        _raise(errors)
        if self.report_id:
            self.clean_period()


class MeasureItem(OrderedItem):
    """One ordered line of a measure: a sub-item, a step, an output or an outcome."""

    new_row = models.BooleanField(
        _("continues on a new row"),
        default=False,
        help_text=_(
            "Starts the measure's continuation row (ต่อ) on a new page, as agencies do to keep "
            "a long measure readable."
        ),
    )

    class Kind(models.TextChoices):
        SUB_ITEM = "sub_item", _("sub-item")
        STEP = "step", _("step")
        OUTPUT = "output", _("output")
        OUTCOME = "outcome", _("outcome")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="items", verbose_name=_("measure")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("measure item")
        verbose_name_plural = _("measure items")
        ordering = ["measure", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "kind", "position"], name="measure_item_unique_order"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position}: {self.text[:60]}"


class Responsible(models.Model):
    """A unit or position responsible for a measure, as main or supporting."""

    class Role(models.TextChoices):
        MAIN = "main", _("main")
        SUPPORTING = "supporting", _("supporting")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="responsibles", verbose_name=_("measure")
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MAIN)
    position = models.PositiveIntegerField(_("order"))
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsibilities",
        verbose_name=_("unit"),
    )
    name = models.CharField(_("name"), max_length=300, validators=[reject_markup])

    class Meta:
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")
        ordering = ["measure", "role", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "role", "position"], name="responsible_unique_order"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (
            self.unit_id
            and self.measure_id
            and self.unit.agency_id != self.measure.report.agency_id
        ):
            raise ValidationError({"unit": _("The unit belongs to another agency.")})


class EvidenceLink(models.Model):
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("measure")
    )
    position = models.PositiveIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=1000)

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        ordering = ["measure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "position"], name="evidence_unique_order")
        ]

    def __str__(self):
        return self.title


class IndicatorProgress(IndicatorMixin, PeriodMixin):
    """A row of the per-indicator progress table (seed 001): guidelines, who, when, progress."""

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="indicator_progress",
        verbose_name=_("report"),
    )
    position = models.PositiveIntegerField(_("order"))
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_rows",
        verbose_name=_("indicator"),
    )
    indicator_label = models.CharField(_("indicator as written"), max_length=300, blank=True)
    responsible = models.CharField(_("responsible"), max_length=300, blank=True)
    progress = models.CharField(_("progress"), max_length=20, choices=Progress.choices, blank=True)
    guidelines_numbering = numbering_field(_("numbering of guidelines"))
    notes_numbering = numbering_field(_("numbering of notes"))

    class Meta(PeriodMixin.Meta):
        verbose_name = _("indicator progress")
        verbose_name_plural = _("indicator progress")
        ordering = ["report", "position"]
        constraints = [
            *PeriodMixin.Meta.constraints,
            models.UniqueConstraint(
                fields=["report", "position"], name="indicator_progress_unique_order"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.indicator_name}"

    def period_fiscal_year(self) -> FiscalYear:
        return self.report.fiscal_year

    def clean(self):
        _raise(self.indicator_errors())
        if self.report_id:
            self.clean_period()


class IndicatorProgressItem(OrderedItem):
    class Kind(models.TextChoices):
        GUIDELINE = "guideline", _("guideline")
        NOTE = "note", _("note")

    row = models.ForeignKey(
        IndicatorProgress,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("progress row"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("progress item")
        verbose_name_plural = _("progress items")
        ordering = ["row", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["row", "kind", "position"], name="progress_item_unique_order"
            )
        ]


class Change(models.Model):
    """One change to a report or a measure: who, when, what, with the data before and after."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        DELETED = "deleted", _("deleted")
        RESTORED = "restored", _("restored")
        MOVED = "moved", _("moved")
        IMPORTED = "imported", _("imported")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="changes", verbose_name=_("report")
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("measure"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    summary = models.CharField(_("what"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    restored = models.BooleanField(_("restored"), default=False)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.summary}"
