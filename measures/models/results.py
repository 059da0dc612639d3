"""Agencies' assessment results, scored under their fiscal year's framework."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .framework import FiscalYear, Indicator, score_field
from .places import Agency


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


class IndicatorScore(models.Model):
    """A result's score on one indicator, as ITAS gives it (the analysis charts them)."""

    result = models.ForeignKey(
        AssessmentResult,
        on_delete=models.CASCADE,
        related_name="indicator_scores",
        verbose_name=_("assessment result"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="scores", verbose_name=_("indicator")
    )
    score = score_field(_("score"))

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        ordering = ["result", "indicator__number"]
        constraints = [
            models.UniqueConstraint(fields=["result", "indicator"], name="indicator_score_unique"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="indicator_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.score}"

    def clean(self):
        if (
            self.result_id
            and self.indicator_id
            and self.indicator.fiscal_year_id != self.result.fiscal_year_id
        ):
            raise ValidationError(
                {"indicator": _("The indicator belongs to another fiscal year than the result.")}
            )
