"""Reads of the published versions for the open-data API: the catalogue, one version, a year.

Each reads only the published versions (drafts never leave the staff pages) and takes a fixed
number of queries however many reports and measures there are.
"""

from collections.abc import Iterator

from django.db import NotSupportedError
from django.db.models import F, Func, IntegerField, Prefetch
from django.db.models.functions import Coalesce

from measures.models import DocumentKind

from .models import PublishedVersion, PublishedVersionQuerySet


class JSONArrayLength(Func):
    """The length of the array under ``key`` in a JSON column, counted by the database.

    The catalogue shows how many measures each version has without loading its whole data.
    """

    output_field = IntegerField()
    arity = 1

    def __init__(self, field: str, key: str):
        self.key = key
        super().__init__(F(field))

    def _compiled(self, compiler):
        return compiler.compile(self.get_source_expressions()[0])

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"No JSON array length on {connection.vendor}.")

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = self._compiled(compiler)
        return f"json_array_length({sql}, %s)", (*params, f"$.{self.key}")

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = self._compiled(compiler)
        return f"jsonb_array_length({sql} -> %s)", (*params, self.key)

    def as_mysql(self, compiler, connection, **extra):
        sql, params = self._compiled(compiler)
        return f"JSON_LENGTH({sql}, %s)", (*params, f"$.{self.key}")


def _with_report(versions: PublishedVersionQuerySet) -> PublishedVersionQuerySet:
    return versions.select_related(
        "report__agency__province", "report__agency__district", "report__fiscal_year"
    )


def _version_links() -> Prefetch:
    """Every version of the report, the newest first, as ``report.version_list``."""
    return Prefetch(
        "report__versions",
        queryset=PublishedVersion.objects.only("report_id", "number", "published_at").order_by(
            "-number"
        ),
        to_attr="version_list",
    )


def _document_links() -> Prefetch:
    """The latest version of each of the year's other documents, as ``report.document_list``."""
    return Prefetch(
        "report__versions",
        queryset=PublishedVersion.all_documents.exclude(document=DocumentKind.REPORT)
        .latest_per_report()
        .only("report_id", "document", "number", "published_at")
        .order_by("document"),
        to_attr="document_list",
    )


def documents_list(
    *, year: int | None = None, agency: str | None = None
) -> PublishedVersionQuerySet:
    """The cycle's other documents (analysis, plan, progress) that are published, each at its
    latest version; the newest fiscal year first, then by agency and document."""
    versions = _with_report(
        PublishedVersion.all_documents.exclude(document=DocumentKind.REPORT).latest_per_report()
    ).defer("data", "html")
    if year is not None:
        versions = versions.filter(report__fiscal_year__year=year)
    if agency is not None:
        versions = versions.filter(report__agency__slug=agency)
    return versions.order_by("-report__fiscal_year__year", "report__agency__slug", "document")


def catalogue_list(
    *,
    year: int | None = None,
    province: int | None = None,
    agency: str | None = None,
    kind: str | None = None,
) -> PublishedVersionQuerySet:
    """Each published report at its latest version, with ``measure_count`` and ``version_list``;
    the newest fiscal year first, then by agency."""
    versions = _with_report(PublishedVersion.objects.latest_per_report())
    if year is not None:
        versions = versions.filter(report__fiscal_year__year=year)
    if province is not None:
        versions = versions.filter(report__agency__province_id=province)
    if agency is not None:
        versions = versions.filter(report__agency__slug=agency)
    if kind is not None:
        versions = versions.filter(report__agency__kind=kind)
    return (
        versions.defer("data", "html")
        .annotate(measure_count=Coalesce(JSONArrayLength("data", "measures"), 0))
        .prefetch_related(_version_links(), _document_links())
        .order_by("-report__fiscal_year__year", "report__agency__slug")
    )


def version_get(*, agency: str, year: int, number: int | None = None) -> PublishedVersion | None:
    """A report's latest version, or its version ``number``, with the list of all its versions."""
    versions = PublishedVersion.objects.all()
    latest = versions.latest_per_report() if number is None else versions.filter(number=number)
    version = (
        _with_report(latest)
        .prefetch_related(_version_links(), _document_links())
        .filter(report__agency__slug=agency, report__fiscal_year__year=year)
        .first()
    )
    if version is not None:
        version.measure_count = len(version.data.get("measures", []))
    return version


def year_versions(*, year: int) -> Iterator[PublishedVersion]:
    """The latest version of every report of a fiscal year, streamed in agency order."""
    versions = PublishedVersion.objects.latest_per_report().filter(report__fiscal_year__year=year)
    versions = _with_report(versions).defer("html").order_by("report__agency__slug")
    return versions.iterator(chunk_size=100)
