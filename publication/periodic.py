"""What Celery beat runs each night (publication.tasks; its schedule is in the settings,
CELERY_BEAT_SCHEDULE), besides the deadline reminders (publication.reminders).

- ``backup_nightly``: a backup archive (publication.backup) into ``settings.BACKUP_DIR``, the
  newest ``settings.BACKUP_KEEP`` kept;
- ``search_reindex_nightly``: the search index made whole again: the latest version of a report
  without its entries (indexing failed, a restore older than the index) indexed, and every
  entry's words cut as search cuts them today.

Packing closed years' reports, the third nightly job, is publication.packing's.
"""

import datetime
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Exists, OuterRef

from .backup import Summary, backup_write
from .models import PublishedVersion, SearchEntry
from .search import index_version, search_entries_reindex

log = logging.getLogger(__name__)

BACKUP_PREFIX = "ita-portal-"
BACKUP_SUFFIX = ".tar.gz"


def backup_nightly(*, folder: Path | None = None, keep: int | None = None) -> Summary:
    """Write tonight's backup into ``folder``, then remove all but the newest ``keep``.

    Named by the UTC time it started, so that names sort by age; backup_write writes it under a
    temporary name first: a failed night leaves the previous archives as they were.
    """
    folder = Path(folder or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S.%fZ")  # sortable, one a run
    summary = backup_write(output=folder / f"{BACKUP_PREFIX}{stamp}{BACKUP_SUFFIX}")
    archives = sorted(folder.glob(f"{BACKUP_PREFIX}*{BACKUP_SUFFIX}"))
    for old in archives[: max(len(archives) - keep, 0)]:
        old.unlink(missing_ok=True)
    log.info(
        "Backed up %s rows and %s files into %s (%.1f MB)",
        summary.rows,
        summary.files,
        summary.path,
        summary.size / 1e6,
    )
    return summary


@dataclass
class Reindexed:
    versions: int  # latest versions indexed again
    entries: int  # entries whose words changed


def search_reindex_nightly() -> Reindexed:
    entries = SearchEntry.objects.filter(version=OuterRef("pk"))
    missing = (
        PublishedVersion.objects.latest_per_report()
        .filter(measure_count__gt=0)
        .exclude(Exists(entries))
        .select_related("report__agency")
    )
    versions = 0
    for version in missing.iterator(chunk_size=200):
        index_version(version)
        versions += 1
    changed = search_entries_reindex()
    log.info("Search: %s versions indexed again, %s entries' words cut again", versions, changed)
    return Reindexed(versions=versions, entries=changed)
