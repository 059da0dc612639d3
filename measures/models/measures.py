"""A report's measures, with their items, responsible units and evidence."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..validators import reject_markup
from .framework import FiscalYear, Indicator
from .places import Unit
from .reports import IssueGroup, Report
from .rows import (
    IndicatorMixin,
    Numbering,
    OrderedItem,
    PeriodMixin,
    Progress,
    _raise,
    baht_field,
    numbering_field,
)


class Measure(IndicatorMixin, PeriodMixin):
    """A measure, project or activity (มาตรการ / โครงการ / กิจกรรม) of a report."""

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("report"),
        db_index=False,  # the unique order's index begins with it
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
    # The plan (มาตรการส่งเสริมคุณธรรมฯ) asks what the measure is for, what success is, and its
    # budget; the report asks what was spent. One record carries the measure through the year.
    objective = models.TextField(_("objective"), blank=True, validators=[reject_markup])
    target = models.TextField(
        _("target"),
        blank=True,
        validators=[reject_markup],
        help_text=_("How success is judged (เป้าหมาย / ตัวชี้วัดความสำเร็จ)."),
    )
    budget_planned = baht_field(_("budget planned (baht)"))
    budget_spent = baht_field(_("budget spent (baht)"))
    budget_none = models.BooleanField(
        _("no budget"), default=False, help_text=_("The document says ไม่ใช้งบประมาณ.")
    )
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
            models.CheckConstraint(
                condition=Q(budget_none=False)
                | (Q(budget_planned__isnull=True) & Q(budget_spent__isnull=True)),
                name="measure_no_budget_no_amount",
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
        if self.budget_none and (self.budget_planned is not None or self.budget_spent is not None):
            errors["budget_none"] = _("A measure without a budget has no amount: clear it.")
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
        Measure,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("measure"),
        db_index=False,  # the unique order's index begins with it
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
        Measure,
        on_delete=models.CASCADE,
        related_name="responsibles",
        verbose_name=_("measure"),
        db_index=False,  # the unique order's index begins with it
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
        Measure,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("measure"),
        db_index=False,  # the unique order's index begins with it
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
