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

The words are stored once, in a dictionary (``SearchWord``: a folded word a row, never
removed, so an id always means the same word); an entry keeps the ids of its distinct words
(``words``; its title's apart in ``title_words``, and the title's words as text, in order, in
``title_tokens`` for the phrase rank). "Found inside some word" is then two steps: the
dictionary's words holding the query word (``word LIKE '%word%'``, one statement for all the
query's words: a query word holds no wildcard), then the entries holding any of their ids
(``words && ARRAY[...]``). On PostgreSQL a pg_trgm GIN index on the dictionary answers the
first and a GIN index on each array the second (migration 0011): the dictionary is small (its
trigrams cost little) and an array of 4-byte ids half the text it replaces. A word inside more
than ``BROAD_IDS`` dictionary words ("การ") is checked row by row against a hash of its ids
instead (an index scan's work grows with the ids it looks up); such a word is in most entries,
so the cap is soon reached, but a rare one reads the years' entries to the end. Elsewhere
(SQLite) the ids are a JSON list and the same statements run through ``json_each``, without
an index: the same answers, slower. (Until migration 0011 a trigram index on each entry's words
as text answered a LIKE, 60 % of the entries' size; until 0006 a tsvector held every suffix of
every word.)

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
