"""Reads of the published versions for the open-data API: the catalogue, one version, a year.

Each reads only the published versions (drafts never leave the staff pages) and takes a fixed
number of queries however many reports and measures there are.
"""

from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Prefetch

from measures.models import DocumentKind

from .files import page_decompress
from .models import (
    PublishedVersion,
    PublishedVersionQuerySet,
    catalogue_key,
    catalogue_stamp,
    report_stamp,
)
from .storage import stored_open, stored_size


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
    ).defer("data")
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
    """Each published report at its latest version, with ``version_list`` and ``document_list``;
    the newest fiscal year first, then by agency: by ``catalogue_key``, whose index gives any
    page (after a key) in the same time."""
    versions = _with_report(PublishedVersion.objects.latest_per_report())
    if year is not None:  # the year's keys, by the digits that begin them (any collation)
        versions = versions.filter(
            catalogue_key__gt=f"{10000 - year:04d}", catalogue_key__lt=f"{10001 - year:04d}"
        )
    if province is not None:
        versions = versions.filter(report__agency__province_id=province)
    if agency is not None:
        versions = versions.filter(report__agency__slug=agency)
    if kind is not None:
        versions = versions.filter(report__agency__kind=kind)
    return (
        versions.only(*CATALOGUE_COLUMNS)
        .prefetch_related(_version_links(), _document_links())
        .order_by("catalogue_key")
    )


# What a catalogue entry shows (api.api._entry): not the data, page or report's texts.
CATALOGUE_COLUMNS = (
    *("report", "document", "number", "published_at", "data_sha256", "measure_count"),
    *("catalogue_key", "report__agency", "report__fiscal_year__year"),
    *("report__agency__slug", "report__agency__name", "report__agency__kind"),
    *("report__agency__district__name", "report__agency__province__name"),
    "report__agency__province__slug",
)


def catalogue_count(versions: PublishedVersionQuerySet, *, filters: dict) -> int:
    """How many ``versions`` (catalogue_list with ``filters``): counted once per publication."""
    chosen = ":".join(f"{name}={value}" for name, value in sorted(filters.items()))
    key = f"publication:catalogue-count:{catalogue_stamp()}:{chosen}"
    count = cache.get(key)
    if count is None:
        count = versions.count()
        cache.set(key, count, timeout=24 * 3600)
    return count


def version_article(version: PublishedVersion) -> str:
    """The version's frozen page (its article), from the storage; kept in the cache, since it
    never changes."""
    key = f"publication:article:{version.pk}:{version.html_file.name}"
    article = cache.get(key)
    if article is None:
        with closing(stored_open(version.html_file.name)) as stored:  # OSError: lost, store down
            article = page_decompress(stored.read())
        cache.set(key, article, timeout=24 * 3600)
    return article


def version_find(
    *, agency: str, year: int, number: int | None = None, document: str = DocumentKind.REPORT
) -> PublishedVersionQuerySet:
    """The version at a public address: ``number``, or the latest (the highest number), found
    by the catalogue's index without a join; evaluate it with ``.first()``."""
    versions = PublishedVersion.all_documents.filter(
        catalogue_key=catalogue_key(year=year, agency=agency), document=document
    )
    if number is not None:
        versions = versions.filter(number=number)
    return versions.order_by("-number")


def version_get(*, agency: str, year: int, number: int | None = None) -> PublishedVersion | None:
    """A report's latest version, or its version ``number``, with the list of all its versions."""
    versions = version_find(agency=agency, year=year, number=number)
    return (_with_report(versions).prefetch_related(_version_links(), _document_links())).first()


@dataclass(frozen=True)
class StoredFile:
    """Where a version's stored file is, and what its address answers with: all that serving
    it needs (portal.views), kept in the cache so that serving it again asks no database."""

    version: int  # the version's pk
    number: int
    published_at: float  # a timestamp
    name: str  # in the default storage; empty while it is not stored yet
    sha256: str
    size: int | None  # None: the storage lost it


def stored_file(
    *,
    agency: str,
    year: int,
    number: int | None,
    kind: str,
    document: str = DocumentKind.REPORT,
    cached_only: bool = False,
) -> StoredFile | None:
    """The stored file of ``kind`` (a key of PublishedVersion.FILES) at a public address, or
    None if no version is published there (or, ``cached_only``, if the cache does not know it).

    A numbered version's files never change once stored; the latest version's are looked up
    again after each publication of the report (the report's stamp changes).
    """
    which = (
        f"v{number}" if number is not None else f"latest:{report_stamp(agency=agency, year=year)}"
    )
    key = f"publication:file:{agency}:{year}:{document}:{which}:{kind}"
    found = cache.get(key)
    if found is not None or cached_only:
        return found
    field, digest = PublishedVersion.FILES[kind]
    versions = version_find(agency=agency, year=year, number=number, document=document)
    version = versions.only("pk", "number", "published_at", field, digest).first()
    if version is None:
        return None
    file, sha256 = version.stored(kind)
    # None: the storage lost it (or is down): the download says so, and it is looked up again
    size = stored_size(file)
    found = StoredFile(
        version=version.pk,
        number=version.number,
        published_at=version.published_at.timestamp(),
        name=file.name or "",
        sha256=sha256,
        size=size,
    )
    if found.name and size is not None:  # not while it is still to be stored, or lost
        cache.set(key, found, timeout=30 * 24 * 3600)
    return found


def year_versions(*, year: int) -> Iterator[PublishedVersion]:
    """The latest version of every report of a fiscal year, streamed in agency order.

    On PostgreSQL, a server-side cursor in the catalogue's index order, inside a transaction
    of its own while it is read: outside one, the cursor would be declared WITH HOLD, which
    reads the whole year before the first row. Only a chunk of versions is in memory at a time.
    """
    versions = PublishedVersion.objects.latest_per_report().filter(
        catalogue_key__gt=f"{10000 - year:04d}", catalogue_key__lt=f"{10001 - year:04d}"
    )
    versions = _with_report(versions).order_by("catalogue_key")
    with transaction.atomic():
        if connection.vendor == "postgresql":  # plan for the first rows, not for all of them
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 0.001")
        yield from versions.iterator(chunk_size=20)  # a first row soon, few round trips
