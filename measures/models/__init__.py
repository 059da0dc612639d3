"""Agencies, fiscal years, the ITA framework and the reports with their measures.

The names follow the seed documents: a report (รายงาน) holds measures (มาตรการ), each with
steps (ขั้นตอน), outputs (สรุปผล / ผลการดำเนินการ) and outcomes (ผลลัพธ์).

One module per part, each importing only those before it:

- ``places``: provinces, districts, agencies and their units;
- ``framework``: fiscal years and their ITA framework (tools, indicators, OIT items, bands);
- ``results``: agencies' assessment results;
- ``reports``: reports and their issue groups;
- ``rows``: what measures and progress rows share (progress, numbering, periods, items);
- ``measures``: measures, their items, responsible units and evidence;
- ``progress``: the per-indicator progress table;
- ``rounds``: progress during the year, per round and measure;
- ``changes``: the history of every edit;
- ``imports``: large imports of measures, run as background jobs.

Import from ``measures.models``: the modules are how the code is laid out, not an interface.
"""

from .changes import Change
from .framework import (
    SCORE_VALIDATORS,
    FiscalYear,
    Indicator,
    OITItem,
    ScoreBand,
    Tool,
    score_field,
)
from .imports import ImportJob
from .measures import EvidenceLink, Measure, MeasureItem, Responsible
from .places import RESERVED_SLUGS, Agency, District, Province, Subdistrict, Unit
from .progress import IndicatorProgress, IndicatorProgressItem
from .reports import CYCLE_DOCUMENTS, DOCUMENT_TITLES, DocumentKind, IssueGroup, Report
from .results import AssessmentResult, IndicatorScore
from .rounds import MeasureRound, ProgressRound
from .rows import (
    MONTH_STYLES,
    PERIOD_SLACK_DAYS,
    WHOLE_YEAR_STYLES,
    IndicatorMixin,
    Numbering,
    OrderedItem,
    PeriodMixin,
    PeriodStyle,
    Progress,
    numbering_field,
)

__all__ = [
    "MONTH_STYLES",
    "PERIOD_SLACK_DAYS",
    "RESERVED_SLUGS",
    "SCORE_VALIDATORS",
    "WHOLE_YEAR_STYLES",
    "Agency",
    "AssessmentResult",
    "CYCLE_DOCUMENTS",
    "Change",
    "DOCUMENT_TITLES",
    "DocumentKind",
    "District",
    "EvidenceLink",
    "FiscalYear",
    "ImportJob",
    "Indicator",
    "IndicatorMixin",
    "IndicatorProgress",
    "IndicatorProgressItem",
    "IndicatorScore",
    "IssueGroup",
    "Measure",
    "MeasureItem",
    "MeasureRound",
    "Numbering",
    "OITItem",
    "OrderedItem",
    "PeriodMixin",
    "PeriodStyle",
    "Progress",
    "ProgressRound",
    "Province",
    "Report",
    "Responsible",
    "ScoreBand",
    "Subdistrict",
    "Tool",
    "Unit",
    "numbering_field",
    "score_field",
]
