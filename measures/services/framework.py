"""Loading the ITA framework of fiscal years: tools, indicators, score bands and OIT items."""

from django.db import transaction

from ..models import FiscalYear, Indicator, OITItem, ScoreBand, Tool
from .base import _date, _saved, _score, _upsert


@transaction.atomic
def framework_load(*, data: dict) -> list[FiscalYear]:
    years = []
    for year_data in data["fiscal_years"]:
        year = _upsert(
            FiscalYear,
            {"year": year_data["year"]},
            {"oit_deadline": _date(year_data.get("oit_deadline"))},
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
