"""Search across the published measures, for citizens.

Reads, except ``index_version``, which publication calls (``services.version_create``): the latest
published version of each report is indexed as one ``SearchEntry`` per measure.

How words match: the measures and the query are cut into words, Thai abbreviations whole
(ป.ป.ช., อบต., พ.ศ.: with or without their dots they fold to one word, "ปปช") and the rest with
pythainlp (newmm), and each word is folded (Thai digits to Arabic, pythainlp ``normalize``, lower
case, only letters, marks and digits kept; a lone letter is no word: ป or ช would find and mark
nearly everything). After a change to how words are cut, ``manage.py reindex_search`` (or a data
migration, as 0010) cuts the stored entries again. Every word of the query must be found inside
some word of the measure: inside, not equal, because newmm cuts "ช่องทางการร้องเรียนการทุจริต"
into "ช่องทาง", "การร้องเรียน", … and "ร้องเรียน" must find it; partial words ("ร้องเรี") are
found the same way.

An entry keeps its folded words as text, each once, one space between them (``tokens``; its
title's apart and in order in ``title_tokens``), so "found inside some word" is
``tokens LIKE '%word%'``: a query word holds no space. On PostgreSQL a pg_trgm GIN index on each
answers that LIKE (migration 0006); it cuts text into words by the database's locale, and
C.UTF-8 keeps a Thai word with its vowels and tone marks whole, but the index only narrows the
rows: LIKE decides, so the answers never depend on the locale. Elsewhere (SQLite) the same LIKE
runs without an index: the same answers, slower. (Until migration 0006 a tsvector held every
suffix of every word: 8 KB an entry, most of the database at national scale.)

How much a search does is bounded, whatever the number of entries (see ``querying``): it takes
at most ``CAP + 1`` matches, the newest fiscal year first, and at most ``CAP`` title matches;
ranks only those (the query's words as one phrase in the title, then all of them in the title,
then the rest; newer years first, then newer publications); and counts to ``CAP + 1`` at most,
which the pages show as "more than 1,000".
"""

from .highlighting import Fragments, highlight, snippet
from .indexing import (
    entry_tokens,
    index_version,
    measure_text,
    search_entries_reindex,
    version_entries,
)
from .querying import (
    CAP,
    Highlighted,
    SearchHit,
    VersionLink,
    candidates_sql,
    entry_years,
    search_choices,
    search_measures,
)
from .words import query_words, tokens

__all__ = [
    "CAP",
    "Fragments",
    "Highlighted",
    "SearchHit",
    "VersionLink",
    "candidates_sql",
    "entry_tokens",
    "entry_years",
    "highlight",
    "index_version",
    "measure_text",
    "query_words",
    "search_choices",
    "search_entries_reindex",
    "search_measures",
    "snippet",
    "tokens",
    "version_entries",
]
