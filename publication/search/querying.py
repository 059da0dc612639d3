"""Searching: a bounded, ranked page of hits and a capped count, in a few small queries.

Every query here is bounded by ``CAP``, not by the number of entries: the candidates are the
first ``CAP + 1`` matches, newest fiscal year first (each year's scan stops at the cap and the
next year is read only if the cap is not reached yet), and the first ``CAP`` title matches the
same way; only those are ranked. A word found in 70 % of half a million entries costs the same
as a word found in 2,000.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Case, Exists, F, Func, JSONField, OuterRef, Q, TextField, Value, When
from django.db.models.functions import Replace
from django.db.models.lookups import Contains
from django.urls import reverse
from pythainlp.util import collate

from measures.models import Agency, Province

from ..models import SearchEntry, SearchWord, catalogue_stamp
from .highlighting import Fragments, highlight, snippet
from .indexing import measure_text
from .words import query_words

# How many hits a search ranks and serves at most; the count stops one above ("more than").
CAP = 1000
LIMIT_MAX = 100
# A word in at least DENSE_SHARE of the first SAMPLE_ROWS entries of the newest year is looked
# for among its first DENSE_ROWS entries (1,001 of 4,000 is 25 %), not through the index. At
# full national scale "ร้องเรียน" (47 % of the sample) took 102 ms through the index, 55 ms so.
SAMPLE_ROWS = 250
DENSE_ROWS = 4000
DENSE_SHARE = 0.3
# A query word inside more dictionary words than this ("การ", "าร") is looked for row by row,
# not through the entries' index, whose work grows with the ids it looks up.
BROAD_IDS = 5000
# A word with at most this many dictionary ids is checked in a row read anyway by comparing
# arrays (``&&``); with more, through a hash of its ids.
FEW_IDS = 16
# Filters are database integers: anything larger is no match rather than an overflow error.
INT_MAX = 2**31 - 1


@dataclass(frozen=True)
class VersionLink:
    """Where a hit is read: the measure on its version's page."""

    agency_slug: str
    year: int
    number: int
    measure: int
    anchor: str

    @property
    def url(self) -> str:
        url = reverse(
            "portal:public-version",
            kwargs={"agency": self.agency_slug, "year": self.year, "number": self.number},
        )
        return f"{url}#{self.anchor}" if self.anchor else url


@dataclass(frozen=True)
class Highlighted:
    title: Fragments
    snippet: Fragments


@dataclass(frozen=True)
class SearchHit:
    number: int
    title: str
    fiscal_year: int
    agency: str
    province: str
    agency_kind: str
    indicator: int | None
    issue_group: int | None
    version: VersionLink
    highlighted: Highlighted

    @property
    def agency_kind_label(self) -> str:
        return dict(Agency.Kind.choices).get(self.agency_kind, "")


# -- Years -----------------------------------------------------------------------------------------


def entry_years() -> list[int]:
    """The fiscal years that have search entries, newest first.

    Not a DISTINCT over the entries: one step down the fiscal-year index per year (a "loose
    index scan"), so five years cost five index probes whatever the number of entries.
    """
    connection = connections[SearchEntry.objects.db]
    table = connection.ops.quote_name(SearchEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE years(year) AS (
                    SELECT MAX(fiscal_year) FROM {table}
                    UNION ALL
                    SELECT (SELECT MAX(fiscal_year) FROM {table} WHERE fiscal_year < years.year)
                    FROM years WHERE years.year IS NOT NULL
                )
                SELECT year FROM years WHERE year IS NOT NULL"""
        )
        return [year for (year,) in cursor.fetchall()]


# -- Candidates ------------------------------------------------------------------------------------


def dictionary_ids(words: list[str]) -> list[list[int]]:
    """For each word, the ids of the dictionary's words holding it (on PostgreSQL through the
    dictionary's trigram index): one statement for the query."""
    if not words:
        return []
    parts = [
        SearchWord.objects.filter(word__contains=word)
        .annotate(n=Value(index))
        .values_list("n", "pk")
        .order_by()
        for index, word in enumerate(words)
    ]
    found: list[list[int]] = [[] for _ in words]
    for index, id_ in parts[0].union(*parts[1:], all=True):
        found[index].append(id_)
    return [sorted(ids) for ids in found]


def _holding(entries, ids: list[list[int]], field: str = "words"):
    """The entries holding, for each word, one of its ``ids`` in ``field``: through the
    array's index, but row by row for a word inside more than BROAD_IDS dictionary words (an
    index scan's work grows with the ids it looks up; such a word is in most entries)."""
    for word_ids in ids:
        lookup = "overlap" if len(word_ids) <= BROAD_IDS else "holds_any"
        entries = entries.filter(**{f"{field}__{lookup}": word_ids})
    return entries


def _first(entries, years: list[int], count: int) -> tuple[str, list]:
    """SQL for the ids of the first ``count`` of ``entries``, the newest year's first.

    One scan per year, each stopping at ``count``; the outer LIMIT stops reading the years as
    soon as ``count`` are found (the years' scans run in order, newest first).
    """
    parts, params = [], []
    for index, year in enumerate(years):
        year_entries = entries.filter(fiscal_year=year).order_by().values_list("pk")[:count]
        try:
            sql, year_params = year_entries.query.sql_with_params()
        except EmptyResultSet:  # a year out of the column's range: none
            continue
        parts.append(f"SELECT * FROM ({sql}) AS year{index}")
        params.extend(year_params)
    if not parts:
        raise EmptyResultSet
    return f"SELECT * FROM ({' UNION ALL '.join(parts)}) AS first LIMIT {int(count)}", params


def _row_lookup(word_ids: list[int]) -> str:
    """How a row read anyway is checked for a word: ``&&`` for a few ids (at full national
    scale 4,000 rows in 4.5 ms, against 30 ms through the hash of ``holds_any``), the hash for
    more, which ``&&`` would compare one by one with every id of the row."""
    return "overlap" if len(word_ids) <= FEW_IDS else "holds_any"


def _sample(entries, ids: list[list[int]], year: int, rows: int) -> tuple[str, list]:
    """SQL for the first ``rows`` entries of ``year`` in the year's index order: pk, and 1 when
    it holds every word. The words are checked on those rows only (the LIMIT stops the scan,
    and the check is in the list of what the scan returns)."""
    holds = Q(*[Q(**{f"words__{_row_lookup(word_ids)}": word_ids}) for word_ids in ids])
    first = entries.filter(fiscal_year=year).order_by()
    first = first.annotate(holds=Case(When(holds, then=Value(1)), default=Value(0)))
    sql, params = first.values("pk", "holds")[:rows].query.sql_with_params()
    return f"SELECT sample.pk, sample.holds FROM ({sql}) AS sample", params


def is_dense(entries, words: list[str], year: int, ids: list[list[int]] | None = None) -> bool:
    """Whether the words are in most entries of ``year``, judged on its first SAMPLE_ROWS.

    Such a word (the issue's "ร้องเรียน" is in 53–74 % of all entries) fills the cap sooner by
    reading the year's entries in order than through the words' index, whose work grows with
    the number of matches. ``ids``: the words' ``dictionary_ids``, if read already.
    """
    ids = dictionary_ids(words) if ids is None else ids
    sql, params = _sample(entries, ids, year, SAMPLE_ROWS)
    probe = f"SELECT COUNT(*), SUM(holds) FROM ({sql}) AS probe"
    ((seen, holding),) = candidates(probe, params, in_order=True)
    return seen == SAMPLE_ROWS and holding >= DENSE_SHARE * SAMPLE_ROWS


def candidates_sql(
    entries,
    words: list[str],
    years: list[int],
    dense: bool = False,
    ids: list[list[int]] | None = None,
) -> tuple[str, list]:
    """SQL for the rows (id, in title) of the entries worth ranking: the first ``CAP + 1``
    holding the words (their number is the capped count) and the first ``CAP`` with all the
    words in their title (0 and 1 in the second column). ``ids``: the words'
    ``dictionary_ids``, if read already.

    ``dense``: the first are looked for among the newest year's first DENSE_ROWS entries only
    (``search_measures`` asks the index after all if they are fewer than ``CAP + 1``), and the
    titles are ranked among those: a title index would also grow with so common a word.
    """
    ids = dictionary_ids(words) if ids is None else ids
    if dense:
        sql, params = _sample(entries, ids, years[0], DENSE_ROWS)
        sql = f"SELECT pk FROM ({sql}) AS dense WHERE holds = 1 LIMIT {CAP + 1}"
    else:
        sql, params = _first(_holding(entries, ids), years, CAP + 1)
    sql = f"SELECT pk, 0 AS titled FROM ({sql}) AS holding"
    if words and not dense:
        titled, titled_params = _first(_holding(entries, ids, "title_words"), years, CAP)
        sql = f"{sql} UNION ALL SELECT pk, 1 AS titled FROM ({titled}) AS titled"
        params = [*params, *titled_params]
    return sql, params


def candidates(
    sql: str, params: list, *, in_order: bool = False, explain: bool = False
) -> list[tuple]:
    """The rows of ``sql`` on the entries (or, ``explain``, its plan as PostgreSQL runs it).

    On PostgreSQL, never a scan of the whole table: a year's entries lie anywhere in it (its
    newest year last), so a scan would read every older year before stopping at the cap, and
    the planner cannot tell how many entries the words match, so it may choose one.
    ``in_order``: a year's first rows (``_sample``) are read in its index's order, stopping at
    the limit, not first gathered whole in a bitmap (10 ms of 15 at full national scale).
    """
    connection = connections[SearchEntry.objects.db]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            if in_order:
                cursor.execute("SET LOCAL enable_bitmapscan = off")
        prefix = "EXPLAIN (ANALYZE, FORMAT JSON) " if explain else ""
        cursor.execute(prefix + sql, params)
        return cursor.fetchall()


def _rank(words: list[str]):
    """0: the query's words run on as one phrase in the title; 1: all of them in the title."""
    phrase = "".join(words)  # Thai is written without spaces: the phrase is the words run on
    title = Replace(F("title_tokens"), Value(" "), Value(""), output_field=TextField())
    return Case(
        When(Contains(title, phrase), then=0),
        When(Q(*[Q(title_tokens__contains=word) for word in words]), then=1),
        default=2,
    )


# -- Searching -------------------------------------------------------------------------------------


def _valid(number: int | None) -> bool:
    return number is None or 0 <= number <= INT_MAX


def search_measures(
    *,
    query: str,
    year: int | None = None,
    province: int | None = None,
    kind: str | None = None,
    indicator: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[SearchHit], int]:
    """The published measures holding every word of ``query``, with the filters, best first;
    and how many, counted up to ``CAP + 1`` ("more than CAP"), which is also the most served.

    A query without words lists the measures of the filters; without filters either, nothing.
    """
    words = query_words(query)
    filters = {"province_id": province, "agency_kind": kind or None, "indicator": indicator}
    filters = {name: value for name, value in filters.items() if value is not None}
    if not words and not filters and year is None:
        return [], 0
    if not all(_valid(value) for value in (year, province, indicator)):
        return [], 0
    ids = dictionary_ids(words)
    if not all(ids):  # a word inside no word of any measure
        return [], 0
    years = [year] if year is not None else entry_years()
    if not years:
        return [], 0
    entries = SearchEntry.objects.filter(**filters)
    try:
        dense = bool(words) and is_dense(entries, words, years[0], ids)
        rows = candidates(*candidates_sql(entries, words, years, dense, ids), in_order=dense)
        total = sum(1 for _id, titled in rows if not titled)
        if dense and total <= CAP:  # fewer than the sample promised: all of them, exactly
            rows = candidates(*candidates_sql(entries, words, years, ids=ids))
            total = sum(1 for _id, titled in rows if not titled)
    except EmptyResultSet:  # a filter no row can hold
        return [], 0
    offset = min(max(offset, 0), INT_MAX)
    stop = min(offset + min(max(limit, 0), LIMIT_MAX), total)
    if offset >= stop:
        return [], total
    # Rank the candidates on their own columns (the title's words, the year, the version: newer
    # publications first), then read the page's rows with their agency and version: joins for
    # a page, not for every candidate.
    ranked = SearchEntry.objects.filter(pk__in={pk for pk, _titled in rows})
    order = ["-fiscal_year", "-version_id", "number"]
    if words:
        ranked, order = ranked.annotate(rank=_rank(words)), ["rank", *order]
    page_ids = list(ranked.order_by(*order).values_list("pk", flat=True)[offset:stop])
    page = {
        entry.pk: entry
        for entry in SearchEntry.objects.filter(pk__in=page_ids)
        .select_related("agency", "province", "version")
        .only(
            *("number", "title", "fiscal_year", "agency_kind", "indicator"),
            *("issue_group", "anchor", "agency__name", "agency__slug", "province__name"),
            "version__number",
        )
        .annotate(measure=MeasureOfVersion())
    }
    return [_hit(page[pk], words) for pk in page_ids], total


class MeasureOfVersion(Func):
    """An entry's measure in its version's data (``measures[number - 1]``), read in the query:
    the one measure a snippet is cut from, not the version's whole data."""

    output_field = JSONField()

    def __init__(self):
        super().__init__(F("version__data"), F("number") - 1)

    def as_sql(self, compiler, connection, **extra):  # SQLite: a JSON path built per row
        template = "json_extract(%(expressions)s || ']')"
        return super().as_sql(
            compiler, connection, template=template, arg_joiner=", '$.measures[' || ", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="(%(expressions)s)",
            arg_joiner=" -> 'measures' -> ",
            **extra,
        )


def _hit(entry: SearchEntry, words: list[str]) -> SearchHit:
    text = measure_text(entry.measure or {})
    body = text[len(entry.title) :] if text.startswith(entry.title) else text
    return SearchHit(
        number=entry.number,
        title=entry.title,
        fiscal_year=entry.fiscal_year,
        agency=entry.agency.name,
        province=entry.province.name,
        agency_kind=entry.agency_kind,
        indicator=entry.indicator,
        issue_group=entry.issue_group,
        version=VersionLink(
            agency_slug=entry.agency.slug,
            year=entry.fiscal_year,
            number=entry.version.number,
            measure=entry.number,
            anchor=entry.anchor,
        ),
        highlighted=Highlighted(
            title=highlight(entry.title, words), snippet=snippet(body.strip(), words)
        ),
    )


# -- The filters' choices --------------------------------------------------------------------------


def search_choices() -> dict:
    """What the filters offer: the years and provinces that have published measures.

    Each a few index probes (a year at a time, a province at a time), never a scan of entries;
    kept until the next publication.
    """
    key = f"publication:search-choices:{catalogue_stamp()}"
    found = cache.get(key)
    if found is None:
        entries = SearchEntry.objects.filter(province_id=OuterRef("pk"))
        provinces = Province.objects.filter(Exists(entries)).only("name")
        by_name = {province.name: province for province in provinces}
        found = {
            "years": entry_years(),
            "provinces": [by_name[name] for name in collate(list(by_name))],
        }
        cache.set(key, found, timeout=24 * 3600)
    return {**found, "kinds": Agency.Kind.choices, "indicators": list(range(1, 11))}
