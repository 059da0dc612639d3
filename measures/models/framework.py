"""Fiscal years and the ITA framework of each: tools, indicators, OIT items and score bands."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import fiscal

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
    # A year opened as a copy of the one before, before the NACC publishes its own framework:
    # usable at once, flagged until an administrator has checked it against the manual.
    provisional = models.BooleanField(
        _("provisional framework"),
        default=False,
        help_text=_(
            "Copied from the year before; an administrator confirms it once the NACC's manual "
            "for the year is out."
        ),
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
