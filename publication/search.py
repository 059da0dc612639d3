"""Search across the published measures, for citizens.

Reads, except ``index_version``, which publication calls (``services.version_create``): the latest
published version of each report is indexed as one ``SearchEntry`` per measure.

How words match: the measures and the query are cut into words with pythainlp (newmm) and each
word is folded (Thai digits to Arabic, pythainlp ``normalize``, lower case, only letters, marks and
digits kept). Every word of the query must be found inside some word of the measure: inside, not
equal, because newmm cuts "ช่องทางการร้องเรียนการทุจริต" into "ช่องทาง", "การร้องเรียน", … and
"ร้องเรียน" must find it; partial words ("ร้องเรี") are found the same way.

On PostgreSQL a GIN index answers that: the vector holds every suffix of every word ("ร้องเรียน" is
a prefix of the suffix "ร้องเรียน" of "การร้องเรียน"), and the query asks for prefixes
(``'ร้องเรียน':*``). Vector and query are written as tsvector/tsquery literals of our folded words,
not through ``to_tsvector('simple', …)``: PostgreSQL's parser cuts words by its own rules and the
database's locale ("ม.ค." becomes "ม" and "ค"), and folded words are letters, marks and digits
only, so no user input ever reaches tsquery syntax. Elsewhere (SQLite) each query word is a LIKE
over the words: the same answers, slower.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQueryField
from django.db import connections, transaction
from django.db.models import BooleanField, F, Func, Value
from django.db.models.functions import Cast
from django.urls import reverse
from pythainlp.tokenize import word_tokenize
from pythainlp.util import collate, normalize, thai_digit_to_arabic_digit

from measures.models import Agency, Province
from reports.documents import measure_anchor

from .models import PublishedVersion, SearchEntry

# Longest lexeme in the vector: longer query words are found by their beginning, then checked whole.
LEXEME_CHARS = 16
# A tsvector holds at most 1 MB; a measure that would not fit keeps its words' beginnings only.
VECTOR_BYTES = 900_000
# A query is a few words: longer input is cut (no sensible search is longer; newmm is not free).
QUERY_CHARS = 200
QUERY_WORDS = 16
SNIPPET_CHARS = 180
LIMIT_MAX = 100
# Filters are database integers: anything larger is no match rather than an overflow error.
INT_MAX = 2**31 - 1

Fragments = list[tuple[str, bool]]  # (text, matched): the template marks matches up, escaped


# -- Words ---------------------------------------------------------------------------------------


def _fold(word: str) -> str:
    word = normalize(thai_digit_to_arabic_digit(word)).lower()
    return "".join(c for c in word if unicodedata.category(c)[0] in "LMN")


def tokens(text: str) -> list[str]:
    """The searchable words of ``text``, folded; whitespace and punctuation are dropped."""
    if not text:
        return []
    words = word_tokenize(text, engine="newmm", keep_whitespace=False)
    return [folded for folded in map(_fold, words) if folded]


def _quote(lexeme: str) -> str:
    # Folded words hold no quote or backslash; quoting keeps the literal valid regardless.
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _vector(words: list[str]) -> str:
    """The tsvector literal of every suffix of every word (cut to LEXEME_CHARS)."""
    lexemes = {word[i : i + LEXEME_CHARS] for word in words for i in range(len(word))}
    literal = " ".join(_quote(lexeme) for lexeme in sorted(lexemes))
    if len(literal.encode()) > VECTOR_BYTES:  # a huge measure: prefixes of whole words only
        literal = " ".join(_quote(lexeme) for lexeme in sorted({w[:LEXEME_CHARS] for w in words}))
        literal = literal.encode()[:VECTOR_BYTES].decode(errors="ignore").rsplit(" ", 1)[0]
    return literal


# -- Indexing (at publication) -------------------------------------------------------------------


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


def version_entries(*, data: dict, postgresql: bool, html: str | None = None) -> list[dict]:
    """The fields of one search entry per measure of a version (also used by migration 0002).

    All from the version's data; ``html`` is ignored (migration 0002 still passes it).
    """
    entries = []
    for number, measure in enumerate(data.get("measures", []), start=1):
        text = measure_text(measure)
        words = tokens(text)
        entries.append(
            {
                "number": number,
                "title": measure.get("title", ""),
                "text": text,
                "tokens": " ".join(words),
                "search_vector": _vector(words) if postgresql else None,
                "fiscal_year": data["fiscal_year"],
                "indicator": (measure.get("indicator") or {}).get("number"),
                "issue_group": measure.get("issue_group"),
                "anchor": measure_anchor(number),  # as the layouts write it
            }
        )
    return entries


@transaction.atomic
def index_version(version: PublishedVersion) -> list[SearchEntry]:
    """Make ``version`` the searchable text of its report, replacing the previous version's."""
    if not PublishedVersion.objects.latest_per_report().filter(pk=version.pk).exists():
        return []  # only the latest version is searchable: never index back an older one
    agency = version.report.agency
    SearchEntry.objects.filter(report_id=version.report_id).delete()
    fields = version_entries(
        data=version.data, postgresql=connections[SearchEntry.objects.db].vendor == "postgresql"
    )
    return SearchEntry.objects.bulk_create(
        SearchEntry(
            version=version,
            report_id=version.report_id,
            agency=agency,
            province_id=agency.province_id,
            agency_kind=agency.kind,
            **entry,
        )
        for entry in fields
    )


# -- Searching -----------------------------------------------------------------------------------


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


class _Matches(Func):
    """``vector @@ query`` as a filter."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def query_words(query: str) -> list[str]:
    """The distinct folded words of a query, cut to a sensible size."""
    words = tokens((query or "")[:QUERY_CHARS])
    return list(dict.fromkeys(words))[:QUERY_WORDS]


def _matching(entries, words: list[str]):
    if not words:
        return entries
    if connections[entries.db].vendor == "postgresql":
        query = " & ".join(f"{_quote(word[:LEXEME_CHARS])}:*" for word in words)
        entries = entries.filter(
            _Matches(F("search_vector"), Cast(Value(query), SearchQueryField()))
        )
        # The index saw only the beginning of longer words: check those whole, on its few rows.
        for word in words:
            if len(word) > LEXEME_CHARS:
                entries = entries.filter(tokens__contains=word)
        return entries
    for word in words:
        entries = entries.filter(tokens__icontains=word)
    return entries


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
    """The published measures holding every word of ``query``, with the filters; and how many.

    A query without words lists the measures of the filters; without filters either, nothing.
    """
    words = query_words(query)
    filters = {
        "fiscal_year": year,
        "province_id": province,
        "agency_kind": kind or None,
        "indicator": indicator,
    }
    filters = {name: value for name, value in filters.items() if value is not None}
    if not words and not filters:
        return [], 0
    if not all(_valid(value) for value in (year, province, indicator)):
        return [], 0
    entries = _matching(SearchEntry.objects.filter(**filters), words)
    total = entries.count()
    offset = min(max(offset, 0), INT_MAX)
    limit = min(max(limit, 0), LIMIT_MAX)
    rows = (
        entries.select_related("agency", "province", "version")
        .defer("search_vector", "tokens", "version__data", "version__html")
        .order_by("-fiscal_year", "agency__name", "agency_id", "number")[offset : offset + limit]
    )
    return [_hit(entry, words) for entry in rows], total


def _hit(entry: SearchEntry, words: list[str]) -> SearchHit:
    body = entry.text[len(entry.title) :] if entry.text.startswith(entry.title) else entry.text
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


# -- Highlighting --------------------------------------------------------------------------------


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the query words are in ``text``: (start, end) in ``text``, merged, in order."""
    # Fold character by character, remembering where each folded character came from; spaces
    # stay (a word never spans them), punctuation goes ("มค" is found in "ม.ค.").
    folded, where = [], []
    for index, char in enumerate(thai_digit_to_arabic_digit(text)):
        category = unicodedata.category(char)[0]
        if category in "LMN":
            for lower in char.lower():
                folded.append(lower)
                where.append(index)
        elif category in "ZC":
            folded.append(" ")
            where.append(index)
    folded_text = "".join(folded)
    spans = []
    for word in words:
        start = folded_text.find(word)
        while start != -1:
            end = where[start + len(word) - 1] + 1
            while end < len(text) and unicodedata.category(text[end]) == "Mn":
                end += 1  # keep a vowel or tone mark with its consonant
            spans.append((where[start], end))
            start = folded_text.find(word, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _fragments(text: str, spans, start: int = 0, end: int | None = None) -> Fragments:
    end = len(text) if end is None else end
    fragments: Fragments = []
    position = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        if span_start > position:
            fragments.append((text[position:span_start], False))
        fragments.append((text[span_start:span_end], True))
        position = span_end
    if position < end:
        fragments.append((text[position:end], False))
    return fragments


def highlight(text: str, words: list[str]) -> Fragments:
    """``text`` as fragments, the query words marked."""
    return _fragments(text, _spans(text, words))


WHITESPACE = re.compile(r"\s+")


def snippet(text: str, words: list[str], size: int = SNIPPET_CHARS) -> Fragments:
    """About ``size`` characters of ``text`` around the first query word, marked."""
    spans = _spans(text, words)
    start = max(spans[0][0] - size // 3, 0) if spans else 0
    if start:  # begin after a space or a line break if one is near, not inside a word
        before = [m.end() for m in WHITESPACE.finditer(text, max(start - 30, 0), start)]
        start = before[-1] if before else start
    end = min(start + size, len(text))
    if end < len(text):
        after = WHITESPACE.search(text, end, end + 30)
        end = after.start() if after else end
    fragments = _fragments(text, spans, start, end)
    if start:
        fragments.insert(0, ("…", False))
    if end < len(text):
        fragments.append(("…", False))
    return fragments


# -- The filters' choices ------------------------------------------------------------------------


def search_choices() -> dict:
    """What the filters offer: the years and provinces that have published measures."""
    years = (
        SearchEntry.objects.order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    provinces = Province.objects.filter(pk__in=SearchEntry.objects.values("province_id")).only(
        "name"
    )
    by_name = {province.name: province for province in provinces}
    return {
        "years": list(years),
        "provinces": [by_name[name] for name in collate(list(by_name))],
        "kinds": Agency.Kind.choices,
        "indicators": list(range(1, 11)),
    }
