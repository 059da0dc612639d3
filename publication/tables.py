"""The published measures as a table: one row per measure, the same columns everywhere.

The open-data API streams a whole fiscal year as CSV (api: measures.csv); each report's page
offers its version as CSV and XLSX (portal). Both write these rows, escaped by ``cell``.
"""

import csv
from collections.abc import Callable, Iterable, Iterator

from django.urls import reverse

from measures.open_data import NO_BUDGET
from measures.report_format import CSV_COLUMNS

from .models import PublishedVersion

# Excel would run a cell that begins like a formula: a leading quote keeps it text (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _lines(items: list[dict]) -> str:
    """Steps, outputs or outcomes in one cell: one per line, a bold label kept before its text."""
    return "\n".join(
        f"{item['label']} {item['text']}" if item.get("label") else item["text"] for item in items
    )


def _amount(baht: int | float | None) -> int | float | str:
    return "" if baht is None else baht


def measure_rows(
    versions: Iterable[PublishedVersion], *, absolute_url: Callable[[str], str]
) -> Iterator[list]:
    """One row per measure of each version, in the versions' order, cells as they are.

    ``versions`` come with ``report__agency__province``, ``report__agency__district`` and
    ``report__fiscal_year``; ``absolute_url`` turns a path into the address the html column
    gives (request.build_absolute_uri).
    """
    for version in versions:
        agency, data = version.report.agency, version.data
        html = absolute_url(
            reverse(
                "portal:public-latest",
                kwargs={"agency": agency.slug, "year": version.report.fiscal_year.year},
            )
        )
        groups = {group["number"]: group["title"] for group in data.get("issue_groups", [])}
        for number, measure in enumerate(data.get("measures", []), start=1):
            period = measure.get("period") or {}
            indicator = measure.get("indicator") or {}
            responsible = measure.get("responsible") or {}
            yield [
                agency.slug,
                agency.name,
                agency.province.name,
                agency.district.name if agency.district_id else "",
                agency.kind,
                data["fiscal_year"],
                version.number,
                number,
                indicator.get("number", ""),
                measure.get("issue_group") or "",
                groups.get(measure.get("issue_group"), ""),
                measure["title"],
                _lines(measure.get("steps", [])),
                _lines(measure.get("outputs", [])),
                _lines(measure.get("outcomes", [])),
                period.get("text", ""),
                period.get("start") or "",
                period.get("end") or "",
                "\n".join(responsible.get("main", [])),
                "\n".join(responsible.get("supporting", [])),
                measure.get("progress", ""),
                html,
                _amount(measure.get("budget_planned")),
                _amount(measure.get("budget_spent")),
                NO_BUDGET if measure.get("budget_none") else "",
            ]


def cell(value):
    """A cell that a spreadsheet will not take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def safe_rows(
    versions: Iterable[PublishedVersion], *, absolute_url: Callable[[str], str]
) -> Iterator[list]:
    """``measure_rows`` with every cell escaped: what the CSV and XLSX files hold."""
    for row in measure_rows(versions, absolute_url=absolute_url):
        yield [cell(value) for value in row]


class _Line:
    """What csv.writer writes to: hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(
    versions: Iterable[PublishedVersion], *, absolute_url: Callable[[str], str]
) -> Iterator[str]:
    """The CSV file line by line (streamable): the BOM, the columns, a row per measure."""
    writer = csv.writer(_Line())
    yield "\ufeff"  # the BOM: Excel then reads the file as UTF-8, Thai and all
    yield writer.writerow(CSV_COLUMNS)
    for row in safe_rows(versions, absolute_url=absolute_url):
        yield writer.writerow(row)
