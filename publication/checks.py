"""The OIT check: what the ITA evaluators will look for in this document, before they do.

Every finding names what is missing and where to fix it, in the interface's digits and dates.
It reads the report as it is; the deadline is checked only for a report not yet published
(``today`` given).
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from measures import thai
from measures.models import Report
from measures.selectors import measure_gaps
from reports.layouts import LAYOUTS


@dataclass
class Finding:
    message: str
    url: str
    measure: int | None = None  # the measure's position in the report, when it is about one


def _date(day: datetime.date) -> str:
    return thai.ui_date(day)


def report_check(report: Report, *, today: datetime.date | None = None) -> list[Finding]:
    """``report`` from measures.selectors.report_documents (its parts prefetched)."""
    year = report.fiscal_year
    findings = []
    report_url = reverse("staff:report-edit", kwargs={"pk": report.pk})
    by_indicator = LAYOUTS[report.layout].groups_by_indicator
    for number, measure in enumerate(report.measures.all(), start=1):
        url = reverse("staff:measure-edit", kwargs={"pk": report.pk, "measure_pk": measure.pk})
        if by_indicator and not measure.indicator_id:
            # Its table would have no indicator cell: evaluators look for the measure under one.
            message = _(
                "Measure %(number)s has no indicator, and the report's layout sets out its "
                "measures in a table per indicator."
            )
            findings.append(Finding(message % {"number": thai.ui_digits(number)}, url, number))
        missing = measure_gaps(measure)
        if missing:
            findings.append(
                Finding(
                    _("Measure %(number)s has no %(parts)s.")
                    % {"number": thai.ui_digits(number), "parts": ", ".join(missing)},
                    url,
                    number,
                )
            )
        if measure.period_start and (
            not year.contains(measure.period_start) or not year.contains(measure.period_end)
        ):
            findings.append(
                Finding(
                    _(
                        "Measure %(number)s runs %(period)s, outside fiscal year %(year)s "
                        "(%(start)s – %(end)s)."
                    )
                    % {
                        "number": thai.ui_digits(number),
                        "period": thai.ui_digits(measure.period_text),
                        "year": thai.ui_digits(year.year),
                        "start": _date(year.start),
                        "end": _date(year.end),
                    },
                    url,
                    number,
                )
            )
    if not report.measures.all():
        findings.append(Finding(_("The report has no measure."), report_url))

    earlier = report.agency.results.filter(fiscal_year__year__lte=year.year).exists()
    if earlier and report.cited_result is None:
        findings.append(
            Finding(_("The report does not cite the agency's last assessment result."), report_url)
        )
    if report.memo_date and not year.contains(report.memo_date):
        findings.append(
            Finding(
                _("The report is dated %(date)s, outside fiscal year %(year)s.")
                % {"date": _date(report.memo_date), "year": thai.ui_digits(year.year)},
                report_url,
            )
        )
    if today and year.oit_deadline and today > year.oit_deadline:
        findings.append(
            Finding(
                _("The OIT deadline of fiscal year %(year)s (%(date)s) has passed.")
                % {"year": thai.ui_digits(year.year), "date": _date(year.oit_deadline)},
                report_url,
            )
        )
    return findings
