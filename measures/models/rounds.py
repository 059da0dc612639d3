"""Progress during the year: the rounds a report reports in, and each measure's state in each."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..validators import reject_markup
from .measures import Measure
from .reports import Report
from .rows import Progress


class ProgressRound(models.Model):
    """A round the agency reports progress in: รอบ ๖ เดือน, รอบ ๑๒ เดือน, or a quarter."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("report")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    label = models.CharField(_("name"), max_length=100, validators=[reject_markup])
    as_of = models.DateField(_("as of"), help_text=_("The day the round reports up to."))

    class Meta:
        verbose_name = _("progress round")
        verbose_name_plural = _("progress rounds")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="round_unique_number")
        ]

    def __str__(self):
        return self.label


class MeasureRound(models.Model):
    """Where one measure stood at the end of one round."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("measure")
    )
    round = models.ForeignKey(
        ProgressRound, on_delete=models.CASCADE, related_name="entries", verbose_name=_("round")
    )
    progress = models.CharField(_("progress"), max_length=20, choices=Progress.choices, blank=True)
    percent = models.PositiveSmallIntegerField(
        _("percent done"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    note = models.TextField(_("note"), blank=True, validators=[reject_markup])

    class Meta:
        verbose_name = _("progress of a measure in a round")
        verbose_name_plural = _("progress of measures in rounds")
        ordering = ["measure", "round__number"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "round"], name="measure_round_unique"),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="percent_at_most_100"
            ),
        ]

    def __str__(self):
        return f"{self.measure} — {self.round}"
