"""Indexing at publication: one search entry per measure of a report's latest version."""

from django.db import connections, transaction
from django.db.models import Exists, OuterRef

from reports.documents import measure_anchor

from ..models import PublishedVersion, SearchEntry, SearchWord
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


def entry_tokens(*, title: str, text: str) -> tuple[list[str], list[str]]:
    """The folded words of an entry, each once, the title's first (``text`` begins with it, on
    its own lines): "inside some word" needs no order nor repeats; and the title's in order,
    for phrases."""
    return list(dict.fromkeys(tokens(text))), tokens(title.strip())


def _measure_tokens(measure: dict) -> tuple[list[str], list[str]]:
    return entry_tokens(title=measure.get("title", ""), text=measure_text(measure))


# Words are added to the dictionary a slice at a time (SQLite allows ~1,000 parameters).
WORDS_BATCH = 500


def word_ids(words, *, model=SearchWord) -> dict[str, int]:
    """The dictionary ids of ``words``, adding the words it lacks.

    Concurrent publishers are safe: a word another transaction is adding waits for it (ON
    CONFLICT DO NOTHING), then reads its id; sorted, so two publishers lock their common words
    in the same order. Nothing is kept across transactions: an id read here exists as long as
    the transaction that reads it commits.
    """
    distinct = sorted(set(words))
    ids = {}
    for start in range(0, len(distinct), WORDS_BATCH):
        part = distinct[start : start + WORDS_BATCH]
        model.objects.bulk_create([model(word=word) for word in part], ignore_conflicts=True)
        ids.update(_ids_of(part, model=model))
    return ids


def _ids_of(words: list[str], *, model) -> list[tuple[str, int]]:
    connection = connections[model.objects.db]
    if connection.vendor != "postgresql":
        return list(model.objects.filter(word__in=words).values_list("word", "pk"))
    # Not "word IN (…)": PostgreSQL answers that through the trigram index (pg_trgm serves = as
    # well as LIKE), 130 ms for 300 words, where a join on the unique index takes 0.3 ms.
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word.word, word.id FROM unnest(%s::text[]) AS wanted(word) "
            f"JOIN {table} AS word ON word.word = wanted.word",
            [words],
        )
        return cursor.fetchall()


def _word_fields(cut: list[tuple[list[str], list[str]]], *, model=SearchWord) -> list[dict]:
    """The words fields of entries cut by ``entry_tokens``, their words mapped in one go."""
    ids = word_ids((word for words, title in cut for word in (*words, *title)), model=model)
    return [
        {
            "words": [ids[word] for word in words],
            "title_words": [ids[word] for word in dict.fromkeys(title)],
            "title_tokens": " ".join(title),
        }
        for words, title in cut
    ]


def version_entries(
    *, data: dict, postgresql: bool | None = None, html: str | None = None
) -> list[dict]:
    """The fields of one search entry per measure of a version, all from the version's data
    (its words' new ones added to the dictionary).

    Migration 0002 still calls it with ``postgresql`` and ``html``: it then gets the fields of
    its own model (the words as text, a ``search_vector`` left empty), and no dictionary.
    """
    entries, cut = [], []
    for number, measure in enumerate(data.get("measures", []), start=1):
        title = measure.get("title", "")
        cut.append(_measure_tokens(measure))
        entries.append(
            {
                "number": number,
                "title": title,
                "fiscal_year": data["fiscal_year"],
                "indicator": (measure.get("indicator") or {}).get("number"),
                "issue_group": measure.get("issue_group"),
                "anchor": measure_anchor(number),  # as the layouts write it
            }
        )
    if postgresql is not None:  # migration 0002's model
        return [
            {
                **entry,
                "text": measure_text(measure),
                "tokens": " ".join(words),
                "search_vector": None,
            }
            for entry, measure, (words, _title) in zip(
                entries, data.get("measures", []), cut, strict=True
            )
        ]
    return [{**entry, **fields} for entry, fields in zip(entries, _word_fields(cut), strict=True)]


WORD_FIELDS = ["words", "title_words", "title_tokens"]


def search_entries_reindex(*, batch_size: int = 100) -> int:
    """Cut the stored entries' words again from their versions' measures, after the way words
    are cut changed (migration 0010: abbreviations whole); how many changed.

    A batch of versions at a time, each its own transaction: the search answers throughout, an
    entry at a time old or new.
    """
    changed = 0
    indexed = SearchEntry.objects.filter(version=OuterRef("pk"))
    versions = PublishedVersion.objects.filter(Exists(indexed)).order_by("pk").only("pk", "data")
    last = 0
    while batch := list(versions.filter(pk__gt=last)[:batch_size]):
        last = batch[-1].pk
        measures = {version.pk: version.data.get("measures", []) for version in batch}
        with transaction.atomic():
            entries = list(
                SearchEntry.objects.filter(version__in=batch)
                .order_by("pk")
                .only("pk", "version_id", "number", *WORD_FIELDS)
            )
            cut = [
                _measure_tokens(measures[entry.version_id][entry.number - 1]) for entry in entries
            ]
            stale = []
            for entry, fresh in zip(entries, _word_fields(cut), strict=True):
                if fresh != {field: getattr(entry, field) for field in WORD_FIELDS}:
                    for field, value in fresh.items():
                        setattr(entry, field, value)
                    stale.append(entry)
            SearchEntry.objects.bulk_update(stale, WORD_FIELDS)
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
