"""The ITA framework of each fiscal year (tools, indicators, score bands, OIT items): loading it,
and opening a new year as a copy of the one before."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import fiscal
from ..models import FiscalYear, Indicator, OITItem, ScoreBand, Tool
from .base import _date, _saved, _score, _upsert


@transaction.atomic
def framework_load(*, data: dict) -> list[FiscalYear]:
    years = []
    for year_data in data["fiscal_years"]:
        year = _upsert(
            FiscalYear,
            {"year": year_data["year"]},
            {
                "oit_deadline": _date(year_data.get("oit_deadline")),
                "provisional": year_data.get("provisional", False),
            },
        )
        tools = {}
        for position, tool in enumerate(year_data["tools"], start=1):
            tools[tool["code"]] = _upsert(
                Tool,
                {"fiscal_year": year, "code": tool["code"]},
                {"name": tool["name"], "position": position},
            )
        indicators = {}
        for indicator in year_data["indicators"]:
            indicators[indicator["number"]] = _upsert(
                Indicator,
                {"fiscal_year": year, "number": indicator["number"]},
                {"tool": tools[indicator["tool"]], "name": indicator["name"]},
            )
        _bands_replace(year, year_data["bands"])
        for position, item in enumerate(year_data.get("oit_items", []), start=1):
            _upsert(
                OITItem,
                {"fiscal_year": year, "form": item.get("form", ""), "code": item["code"]},
                {
                    "title": item["title"],
                    "indicator": indicators.get(item.get("indicator")),
                    "position": position,
                },
            )
        years.append(year)
    return years


def _bands_replace(year: FiscalYear, bands: list[dict]) -> None:
    """Bands are replaced whole, since their order is what the rule means; unchanged, kept."""
    wanted = [
        (band["label"], _score(band["min_overall"]), _score(band.get("min_each_tool")))
        for band in bands
    ]
    if list(year.bands.values_list("label", "min_overall", "min_each_tool")) == wanted:
        return
    year.bands.all().delete()
    for position, (label, min_overall, min_each_tool) in enumerate(wanted, start=1):
        _saved(
            ScoreBand(
                fiscal_year=year,
                label=label,
                min_overall=min_overall,
                min_each_tool=min_each_tool,
                position=position,
            )
        )


@transaction.atomic
def fiscal_year_open(
    *, year: int, source: FiscalYear, oit_deadline: datetime.date | None = None
) -> FiscalYear:
    """Open fiscal year ``year`` as a copy of ``source``'s framework, marked provisional.

    Tools, indicators, OIT items and the score-band rule are copied; the OIT deadline is the one
    given, or left open for an administrator to set. Until the NACC publishes the year's manual
    the copy is the best guess, so it stays provisional until someone confirms it.
    """
    if FiscalYear.objects.filter(year=year).exists():
        raise ValidationError(
            _("Fiscal year %(year)s is already open.") % {"year": year}, code="exists"
        )
    opened = _saved(FiscalYear(year=year, oit_deadline=oit_deadline, provisional=True))
    tools = {}
    for tool in source.tools.all():
        tools[tool.pk] = _saved(
            Tool(fiscal_year=opened, code=tool.code, name=tool.name, position=tool.position)
        )
    indicators = {}
    for indicator in source.indicators.all():
        indicators[indicator.pk] = _saved(
            Indicator(
                fiscal_year=opened,
                tool=tools[indicator.tool_id],
                number=indicator.number,
                name=indicator.name,
            )
        )
    for item in source.oit_items.all():
        _saved(
            OITItem(
                fiscal_year=opened,
                indicator=indicators.get(item.indicator_id),
                code=item.code,
                title=item.title,
                form=item.form,
                position=item.position,
            )
        )
    for band in source.bands.all():
        _saved(
            ScoreBand(
                fiscal_year=opened,
                label=band.label,
                min_overall=band.min_overall,
                min_each_tool=band.min_each_tool,
                position=band.position,
            )
        )
    return opened


def fiscal_year_confirm(*, fiscal_year: FiscalYear) -> FiscalYear:
    """An administrator has checked a provisional framework against the year's manual."""
    fiscal_year.provisional = False
    return _saved(fiscal_year)


def fiscal_year_ensure_current(*, today: datetime.date) -> FiscalYear | None:
    """The fiscal year containing ``today``, opened from the latest year before it if missing
    (None when there is no framework at all to copy)."""
    current = fiscal.fiscal_year_of(today)
    existing = FiscalYear.objects.filter(year=current).first()
    if existing is not None:
        return existing
    source = FiscalYear.objects.filter(year__lt=current).order_by("-year").first()
    if source is None:
        return None
    return fiscal_year_open(year=current, source=source)
