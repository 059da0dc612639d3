"""Indexing at publication: one search entry per measure of a report's latest version."""

from django.db import transaction

from reports.documents import measure_anchor

from ..models import PublishedVersion, SearchEntry
from .words import tokens


def measure_text(measure: dict) -> str:
    """A measure of the report data format as plain text: title, items, responsible, period."""
    lines = [measure.get("title", "")]
    for part in ("sub_items", "steps", "outputs", "outcomes"):
        for item in measure.get(part) or []:
            lines.append(f"{item.get('label', '')} {item.get('text', '')}")
    responsible = measure.get("responsible") or {}
    for role in ("main", "supporting"):
        lines.extend(responsible.get(role) or [])
    lines.append((measure.get("period") or {}).get("text", ""))
    return "\n".join(line.strip() for line in lines if line and line.strip())


def entry_tokens(*, title: str, text: str) -> dict:
    """The folded words of an entry: the title's first (``text`` begins with it, on its own
    lines), each once: "inside some word" needs no order nor repeats, and a smaller column is
    cheaper to check; the title's keep their order, for phrases."""
    return {
        "tokens": " ".join(dict.fromkeys(tokens(text))),
        "title_tokens": " ".join(tokens(title.strip())),
    }


def version_entries(
    *, data: dict, postgresql: bool | None = None, html: str | None = None
) -> list[dict]:
    """The fields of one search entry per measure of a version, all from the version's data.

    Migration 0002 still calls it with ``postgresql`` and ``html``: it then gets the fields of
    its own model (a ``search_vector`` left empty, no ``title_tokens``, which 0006 fills).
    """
    entries = []
    for number, measure in enumerate(data.get("measures", []), start=1):
        title = measure.get("title", "")
        text = measure_text(measure)
        entry = {
            "number": number,
            "title": title,
            "text": text,
            **entry_tokens(title=title, text=text),
            "fiscal_year": data["fiscal_year"],
            "indicator": (measure.get("indicator") or {}).get("number"),
            "issue_group": measure.get("issue_group"),
            "anchor": measure_anchor(number),  # as the layouts write it
        }
        if postgresql is not None:  # migration 0002's model
            del entry["title_tokens"]
            entry["search_vector"] = None
        entries.append(entry)
    return entries


def search_entries_reindex(*, model=SearchEntry, batch_size: int = 2000) -> int:
    """Cut the stored entries' words again from their own title and text, after the way words
    are cut changed (migration 0008: abbreviations whole); how many changed.

    ``model`` is a migration's historical model when a migration calls it. Each batch is its
    own transaction: the search answers throughout, an entry at a time old or new.
    """
    changed = 0
    entries = model.objects.order_by("pk").only("pk", "title", "text", "tokens", "title_tokens")
    last = 0
    while batch := list(entries.filter(pk__gt=last)[:batch_size]):
        last = batch[-1].pk
        stale = []
        for entry in batch:
            fresh = entry_tokens(title=entry.title, text=entry.text)
            if fresh != {"tokens": entry.tokens, "title_tokens": entry.title_tokens}:
                entry.tokens, entry.title_tokens = fresh["tokens"], fresh["title_tokens"]
                stale.append(entry)
        with transaction.atomic(using=model.objects.db):
            model.objects.bulk_update(stale, ["tokens", "title_tokens"])
        changed += len(stale)
    return changed


@transaction.atomic
def index_version(version: PublishedVersion) -> list[SearchEntry]:
    """Make ``version`` the searchable text of its report, replacing the previous version's."""
    if not PublishedVersion.objects.latest_per_report().filter(pk=version.pk).exists():
        return []  # only the latest version is searchable: never index back an older one
    agency = version.report.agency
    SearchEntry.objects.filter(report_id=version.report_id).delete()
    return SearchEntry.objects.bulk_create(
        SearchEntry(
            version=version,
            report_id=version.report_id,
            agency=agency,
            province_id=agency.province_id,
            agency_kind=agency.kind,
            **entry,
        )
        for entry in version_entries(data=version.data)
    )
