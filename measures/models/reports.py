"""Reports: one agency's document for one fiscal year, and the issue groups it analyses."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import thai
from ..validators import reject_markup
from .framework import FiscalYear
from .places import Agency
from .results import AssessmentResult


class DocumentKind(models.TextChoices):
    """The four documents of the year's cycle, written once on one set of measures."""

    ANALYSIS = "analysis", _("Analysis of last year's result")
    PLAN = "plan", _("Measures plan")
    PROGRESS = "progress", _("Progress")
    REPORT = "report", _("Report of the measures carried out")


# The year's documents besides the report, in the order the year writes them.
CYCLE_DOCUMENTS = (DocumentKind.ANALYSIS, DocumentKind.PLAN, DocumentKind.PROGRESS)

# How each document is titled, as the ITA's forms word it.
DOCUMENT_TITLES = {
    DocumentKind.ANALYSIS: "การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
    DocumentKind.PLAN: "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    DocumentKind.PROGRESS: (
        "รายงานความก้าวหน้าการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    ),
    DocumentKind.REPORT: "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
}


class Report(models.Model):
    """One agency's report for one fiscal year: the document the seeds are, and the year's
    cycle around it (the analysis, the plan and the progress), on the same measures."""

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

    # The states in which staff change a report's content (accounts.permissions says who may;
    # measures.services refuses any other under the report's row lock).
    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

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
    # What the newer forms ask of the report (ปัญหา อุปสรรค, ข้อเสนอแนะ); empty is written "ไม่มี".
    obstacles = models.TextField(_("problems and obstacles"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    analysis = models.TextField(
        _("analysis of last year's result"),
        blank=True,
        help_text=_("What the result says, before the issues found. Paragraphs: an empty line."),
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

    # A closed year's report whose measures' lines (items, responsible units, evidence) are
    # kept only in its latest published version, which holds them word for word
    # (measures.services.packing); written back when staff open it.
    packed = models.BooleanField(_("kept in its published version"), default=False, editable=False)
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
        "analysis",
        "obstacles",
        "suggestions",
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

    class Kind(models.TextChoices):
        URGENT = "urgent", _("a weakness to fix urgently (ข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน)")
        DEVELOP = "develop", _("to develop further (ประเด็นที่จะต้องพัฒนาให้ดีขึ้น)")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="issue_groups", verbose_name=_("report")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind of issue"), max_length=10, choices=Kind.choices, blank=True)

    class Meta:
        verbose_name = _("issue group")
        verbose_name_plural = _("issue groups")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="issue_group_unique_number")
        ]

    def __str__(self):
        return f"ประเด็นที่ {self.number} {self.title}"
