"""Search entries' words as ids into a dictionary of words (issue 12: the database shrinks).

The pg_trgm GIN indexes over each entry's words as text were most of the entries' size: the
trigram index moves to the dictionary (one row a distinct word), and each entry keeps the ids of
its words in an array with a GIN index (see publication/search/__init__.py). The words are not
cut again: the stored text is split on its spaces, in batches. Not reversible.
"""

from django.db import migrations, models

import publication.fields

BATCH = 20_000
ENTRY_TRIGRAMS = ["reports_searchentry_tokens_trgm", "reports_searchentry_title_trgm"]
WORD_TRIGRAMS = "reports_searchword_word_trgm"
ENTRY_GIN = {
    "words": "reports_searchentry_words_gin",
    "title_words": "reports_searchentry_title_words_gin",
}


def _ranges(SearchEntry):
    """(after, upto) pk bounds of BATCH entries each; upto None for the last."""
    pks = SearchEntry.objects.order_by("pk").values_list("pk", flat=True)
    last = 0
    while upto := list(pks.filter(pk__gt=last)[BATCH - 1 : BATCH]):
        yield last, upto[0]
        last = upto[0]
    yield last, None


def fill_words(apps, schema_editor):
    SearchEntry = apps.get_model("reports", "SearchEntry")
    if schema_editor.connection.vendor == "postgresql":
        for low, high in _ranges(SearchEntry):
            _fill_sql(schema_editor, low, high)
        return
    from publication.search.indexing import word_ids

    SearchWord = apps.get_model("reports", "SearchWord")
    for low, high in _ranges(SearchEntry):
        batch = SearchEntry.objects.filter(pk__gt=low).order_by("pk")
        batch = list((batch.filter(pk__lte=high) if high else batch).only("tokens", "title_tokens"))
        split = [(entry.tokens.split(), entry.title_tokens.split()) for entry in batch]
        ids = word_ids(
            {word for words, title in split for word in (*words, *title)}, model=SearchWord
        )
        for entry, (words, title) in zip(batch, split, strict=True):
            entry.words = [ids[word] for word in words]
            entry.title_words = [ids[word] for word in dict.fromkeys(title)]
        SearchEntry.objects.bulk_update(batch, ["words", "title_words"], batch_size=500)


def _fill_sql(schema_editor, low, high):
    """On PostgreSQL the database splits and maps the words itself: seconds, not minutes."""
    where = "e.id > %s" + (" AND e.id <= %s" if high else "")
    params = [low, high] if high else [low]
    cursor = schema_editor.connection.cursor()
    cursor.execute(
        f"""INSERT INTO reports_searchword (word)
            SELECT DISTINCT t.word
            FROM reports_searchentry e,
                 unnest(string_to_array(e.tokens || ' ' || e.title_tokens, ' ')) AS t(word)
            WHERE {where} AND t.word <> ''
            ORDER BY t.word
            ON CONFLICT (word) DO NOTHING""",
        params,
    )
    # In the words' own order (the title's first), as indexing stores them.
    cursor.execute(
        f"""UPDATE reports_searchentry e SET
              words = ARRAY(
                SELECT w.id
                FROM unnest(string_to_array(e.tokens, ' ')) WITH ORDINALITY AS t(word, n)
                JOIN reports_searchword w ON w.word = t.word ORDER BY t.n),
              title_words = ARRAY(
                SELECT w.id FROM (
                  SELECT t.word, MIN(t.n) AS n
                  FROM unnest(string_to_array(e.title_tokens, ' ')) WITH ORDINALITY AS t(word, n)
                  GROUP BY t.word) AS t
                JOIN reports_searchword w ON w.word = t.word ORDER BY t.n)
            WHERE {where}""",
        params,
    )


def swap_indexes(apps, schema_editor):
    # PostgreSQL only: SQLite finds the same entries through json_each, without an index.
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ENTRY_TRIGRAMS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE INDEX {WORD_TRIGRAMS} ON reports_searchword USING gin (word gin_trgm_ops)"
    )
    for column, name in ENTRY_GIN.items():
        schema_editor.execute(f"CREATE INDEX {name} ON reports_searchentry USING gin ({column})")


class Migration(migrations.Migration):
    dependencies = [("reports", "0010_search_abbreviations")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("word", models.TextField(verbose_name="word")),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
                "constraints": [
                    models.UniqueConstraint(fields=("word",), name="reports_searchword_unique")
                ],
            },
        ),
        migrations.AddField(
            model_name="searchentry",
            name="words",
            field=publication.fields.WordIds(default=list, verbose_name="words"),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="title_words",
            field=publication.fields.WordIds(
                blank=True, default=list, verbose_name="ids of the title's words"
            ),
        ),
        migrations.RunPython(fill_words, elidable=True),
        migrations.RunPython(swap_indexes),
        migrations.RemoveField(model_name="searchentry", name="tokens"),
    ]
