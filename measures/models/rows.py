"""What the rows of a report share: progress, numbering, periods, indicators, ordered items.

Measures and the rows of the per-indicator progress table are both built from these.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .. import fiscal, thai
from ..validators import reject_markup
from .framework import FiscalYear


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


def baht_field(verbose_name) -> models.DecimalField:
    """An amount in baht, to the satang; empty when not given."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )


def numbering_field(verbose_name, default=Numbering.AUTO) -> models.CharField:
    return models.CharField(verbose_name, max_length=10, choices=Numbering.choices, default=default)


WHOLE_YEAR_STYLES = {PeriodStyle.FISCAL_YEAR, PeriodStyle.FISCAL_YEAR_BE, PeriodStyle.ALL_YEAR}
MONTH_STYLES = {PeriodStyle.MONTHS, PeriodStyle.MONTHS_YEARS, PeriodStyle.MONTHS_SHORT_YEARS}
# A period may reach a year beyond its fiscal year (plans made early, work that runs on),
# never further: anything else is a typing mistake such as 2658 for 2568.
PERIOD_SLACK_DAYS = 366


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
            ) % {"year": thai.ui_digits(year.year)}
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
