"""The per-indicator progress table (seed 001): its rows and their guidelines and notes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .framework import FiscalYear, Indicator
from .reports import Report
from .rows import IndicatorMixin, OrderedItem, PeriodMixin, Progress, _raise, numbering_field


class IndicatorProgress(IndicatorMixin, PeriodMixin):
    """A row of the per-indicator progress table (seed 001): guidelines, who, when, progress."""

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="indicator_progress",
        verbose_name=_("report"),
        db_index=False,  # the unique order's index begins with it
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
        db_index=False,  # the unique order's index begins with it
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
