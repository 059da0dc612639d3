"""The registry of document layouts: the report's, one per seed report, and one for each other
document of the year's cycle (the analysis, the plan, the progress: CYCLE_LAYOUTS).

A layout names its template and page orientation, and how it numbers lists. Any report can be
rendered in any of the report's layouts; the report's own choice is the default.
"""

from dataclasses import dataclass, field

from measures.models import DocumentKind, Report


@dataclass(frozen=True)
class Layout:
    key: str
    template: str
    orientation: str  # the orientation of its measure pages: "landscape" or "portrait"
    # How each list is numbered: a format with {n}.
    markers: dict = field(default_factory=dict)
    # A table per indicator: a measure without one has no place (the OIT check says so).
    groups_by_indicator: bool = False

    def marker(self, kind: str) -> str:
        return self.markers.get(kind, "{n}.")


LAYOUTS = {
    layout.key: layout
    for layout in [
        Layout(
            Report.Layout.BY_INDICATOR,
            "reports/layouts/by_indicator.html",
            "landscape",
            groups_by_indicator=True,
        ),
        Layout(
            Report.Layout.MEASURES_PROGRESS, "reports/layouts/measures_progress.html", "landscape"
        ),
        Layout(Report.Layout.NARRATIVE, "reports/layouts/narrative.html", "portrait"),
        Layout(Report.Layout.MEMO_TABLE, "reports/layouts/memo_table.html", "landscape"),
        Layout(
            Report.Layout.BY_ISSUE,
            "reports/layouts/by_issue.html",
            "landscape",
            markers={"outcomes": "{n})"},
        ),
    ]
}


def layout_get(key: str | None, report: Report) -> Layout:
    """The layout called ``key``, or the report's own when ``key`` is empty or unknown."""
    return LAYOUTS.get(key or "", LAYOUTS[report.layout])


# The three other documents of the year's cycle, one layout each (reports.cycle builds them).
CYCLE_LAYOUTS = {
    layout.key: layout
    for layout in [
        Layout(DocumentKind.ANALYSIS, "reports/layouts/analysis.html", "portrait"),
        Layout(DocumentKind.PLAN, "reports/layouts/plan.html", "landscape"),
        Layout(DocumentKind.PROGRESS, "reports/layouts/progress.html", "landscape"),
    ]
}
