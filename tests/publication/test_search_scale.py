"""Search at national scale: the same work whatever the number of entries (publication/search/).

The entries are made with factories and indexed through ``index_version``, a few agencies at a
time, instead of the whole national generator.
"""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.models import Report
from portal import search_views
from publication.models import PublishedVersion, SearchEntry, SearchWord
from publication.search import (
    candidates_sql,
    index_version,
    querying,
    search_measures,
    version_entries,
)
from publication.search.indexing import word_ids
from tests.factories import AgencyFactory, FiscalYearFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")

COMMON = "ร้องเรียน"  # in every measure below, as in most real ones
STEPS = [
    "ประชาสัมพันธ์ช่องทางการร้องเรียนการทุจริตให้ประชาชนทราบ",
    "จัดทำคู่มือการปฏิบัติงานและเผยแพร่บนเว็บไซต์ของหน่วยงาน",
    "รายงานผลการดำเนินงานต่อผู้บริหารทุกไตรมาส",
]


def measure(title: str, steps=STEPS) -> dict:
    return {
        "title": title,
        "indicator": {"number": 5},
        "steps": [{"label": "", "text": text} for text in steps],
    }


def published(agency, year: int, measures: list[dict]) -> PublishedVersion:
    """A published version of ``agency``'s report of ``year``, indexed as publication does."""
    report = Report.objects.create(agency=agency, fiscal_year=FiscalYearFactory(year=year))
    data = {"fiscal_year": year, "measures": measures}
    version = PublishedVersion.objects.create(report=report, number=1, data=data)
    index_version(version)
    return version


def agencies(count: int, years=(2567, 2568), measures: int = 10) -> None:
    for _ in range(count):
        agency = AgencyFactory()
        for year in years:
            titles = [f"มาตรการส่งเสริมความโปร่งใสข้อ {n}" for n in range(measures)]
            published(agency, year, [measure(title) for title in titles])


def many_agencies(count: int, years=(2567, 2568), measures: int = 10) -> None:
    """``count`` agencies with the same reports, written in bulk (indexed once, copied)."""
    district = AgencyFactory().district
    created = AgencyFactory.create_batch(count, district=district, province=district.province)
    titles = [f"มาตรการส่งเสริมความโปร่งใสข้อ {n}" for n in range(measures)]
    for year in years:
        data = {"fiscal_year": year, "measures": [measure(title) for title in titles]}
        fiscal_year = FiscalYearFactory(year=year)
        reports = Report.objects.bulk_create(
            Report(agency=agency, fiscal_year=fiscal_year) for agency in created
        )
        versions = PublishedVersion.objects.bulk_create(
            PublishedVersion(report=report, number=1, data=data) for report in reports
        )
        fields = version_entries(data=data)
        SearchEntry.objects.bulk_create(
            SearchEntry(
                version=version,
                report_id=version.report_id,
                agency=version.report.agency,
                province_id=version.report.agency.province_id,
                agency_kind=version.report.agency.kind,
                **entry,
            )
            for version in versions
            for entry in fields
        )


def queries(run) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        run()
    return [query["sql"] for query in context.captured_queries]


def test_a_search_at_ten_times_the_data_asks_the_database_the_same(client):
    def searches():
        return {
            "function": queries(lambda: search_measures(query=COMMON, limit=20)),
            "page": queries(lambda: client.get("/search/", {"q": COMMON})),
            "api": queries(lambda: client.get("/api/v1/search/", {"q": COMMON})),
            "filters": queries(lambda: client.get("/search/", {"indicator": "5"})),
        }

    agencies(2)
    small = searches()
    agencies(18)  # ten times the entries
    large = searches()
    assert SearchEntry.objects.count() == 400
    assert {name: len(sql) for name, sql in large.items()} == {
        name: len(sql) for name, sql in small.items()
    }
    asked = [sql for sql in large["function"] if not re.match(r"(SAVEPOINT|RELEASE|SET) ", sql)]
    # the dictionary, the years, how common the word is, the candidates, ranks, page
    assert len(asked) == 6


def test_the_years_offered_are_not_a_distinct_over_the_entries(client):
    agencies(1, years=(2566, 2568))
    sql = queries(lambda: client.get("/search/", {"q": COMMON}))
    assert not [query for query in sql if "DISTINCT" in query.upper()]
    page = client.get("/search/").content.decode()
    options = re.findall(
        r'<option value="(\d+)"', page.split('id="search-year"')[1].split("</select>")[0]
    )
    assert options == ["2568", "2566"]


def test_the_count_stops_past_the_cap_and_the_page_says_more_than(client, monkeypatch):
    monkeypatch.setattr(querying, "CAP", 12)
    monkeypatch.setattr(search_views, "CAP", 12)
    agencies(2)  # 40 measures hold the word
    hits, total = search_measures(query=COMMON, limit=100)
    assert total == 13 and len(hits) == 13  # "more than 12": the first 13 are served, no more
    assert search_measures(query=COMMON, limit=100, offset=13) == ([], 13)
    assert search_measures(query="ไตรมาส ร้องเรียน ขององค์กรที่ไม่มี")[1] == 0
    response = client.get("/search/", {"q": COMMON})
    heading = re.search(r'id="results-heading">(.*?)</h2>', response.content.decode())[1]
    assert "๑๒" in heading and ("มากกว่า" in heading or "More than" in heading), heading
    assert response.context["last"] == 1  # 12 on the pages, of 20 each

    results = client.get("/api/v1/search/", {"q": COMMON}).json()
    assert results["count"] == 13 and len(results["results"]) == 13


def test_titles_rank_above_text_then_newer_years_even_past_the_cap(monkeypatch):
    monkeypatch.setattr(querying, "CAP", 5)
    old, new = AgencyFactory(name="ก องค์การเก่า"), AgencyFactory(name="ข องค์การใหม่")
    body = ["ประชาสัมพันธ์เรื่องร้องเรียนแล้วแก้ไขการทุจริตทันที"]  # both words, not as a phrase
    published(new, 2568, [measure(f"มาตรการที่ {n}", body) for n in range(8)])
    published(
        old,
        2567,
        [
            measure("มาตรการที่ร้องเรียนแยกกับทุจริต", body),  # both words in the title, apart
            measure("ช่องทางการร้องเรียนทุจริต", body),  # the query as a phrase in the title
            measure("มาตรการที่ธรรมดา", ["ระบบรับเรื่องร้องเรียนทุจริตออนไลน์"]),  # in the text
        ],
    )
    hits, total = search_measures(query="ร้องเรียน ทุจริต", limit=100)
    assert total == 6  # more than five
    ranked = [(hit.fiscal_year, hit.title) for hit in hits]
    assert ranked[:2] == [
        (2567, "ช่องทางการร้องเรียนทุจริต"),
        (2567, "มาตรการที่ร้องเรียนแยกกับทุจริต"),
    ]
    # Then the text matches, the newest year first: 2568's fill the cap before 2567's.
    assert [year for year, _title in ranked[2:]] == [2568, 2568, 2568, 2568]


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


@postgresql_only
@pytest.mark.parametrize(
    "words",
    [[COMMON], ["ทุจริต", "เว็บไซต์"], ["เบาะแส"]],
    ids=["in every entry", "two words in every entry", "in one entry"],
)
def test_postgresql_reads_the_words_indexes_and_stops_at_the_cap(monkeypatch, words):
    monkeypatch.setattr(querying, "CAP", 20)
    many_agencies(1000)  # 20,000 entries, each holding the common words
    rare = AgencyFactory()
    published(rare, 2568, [measure("ระบบแจ้งเบาะแสการทุจริต", ["รับแจ้งเบาะแสทางเว็บไซต์"])])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_searchentry")
    sql, params = candidates_sql(SearchEntry.objects.all(), words, [2568, 2567])
    ((result,),) = querying.candidates(sql, params, explain=True)
    plan = (json.loads(result) if isinstance(result, str) else result)[0]
    nodes = list(_nodes(plan["Plan"]))
    on_entries = [node for node in nodes if node.get("Relation Name") == "reports_searchentry"]
    assert on_entries and not [node for node in on_entries if "Seq Scan" in node["Node Type"]]
    indexes = {node.get("Index Name") for node in nodes}
    assert indexes - {None}, nodes  # an index, whichever the planner finds cheaper
    if words == ["เบาะแส"]:  # a rare word is looked up in the index, never searched row by row
        # The entries' GIN indexes find the ids of its words, the dictionary's trigram index
        # those words.
        assert {"reports_searchentry_words_gin", "reports_searchentry_title_words_gin"} <= indexes
        dictionary = SearchWord.objects.filter(word__contains=words[0]).values("pk")
        ((result,),) = querying.candidates(*dictionary.query.sql_with_params(), explain=True)
        plan = (json.loads(result) if isinstance(result, str) else result)[0]
        assert "reports_searchword_word_trgm" in {n.get("Index Name") for n in _nodes(plan["Plan"])}
    # A word in every title may be read in the year's order instead of through the title's
    # index (the planner's choice, by the table's statistics): either stops at the cap.
    assert nodes[0]["Node Type"] in ("Append", "Limit") and "Limit" in {
        n["Node Type"] for n in nodes
    }
    # 10,000 entries of 2568 hold the words; the table is read for no more than the cap's.
    assert all(node["Actual Rows"] <= 21 for node in on_entries)

    entries = SearchEntry.objects.all()
    if words != ["เบาะแส"]:  # so common a word is read in the year's order, the cap's worth
        assert querying.is_dense(entries, words, 2568)
        sql, params = candidates_sql(entries, words, [2568, 2567], dense=True)
        ((result,),) = querying.candidates(sql, params, in_order=True, explain=True)
        plan = (json.loads(result) if isinstance(result, str) else result)[0]
        # Read in the year's index order and stopped at the cap, not the year gathered first.
        assert not [n for n in _nodes(plan["Plan"]) if "Bitmap" in n["Node Type"]]
        nodes = [n for n in _nodes(plan["Plan"]) if n.get("Relation Name") == "reports_searchentry"]
        assert nodes and all("Seq Scan" not in node["Node Type"] for node in nodes)
        assert all(node["Actual Rows"] <= 21 for node in nodes)
    else:
        assert not querying.is_dense(entries, words, 2568)


def test_a_word_inside_many_dictionary_words_finds_the_same_measures(monkeypatch):
    # Such a word ("การ" in thousands of words) is looked for row by row, not through the index.
    agencies(2)
    published(AgencyFactory(), 2568, [measure("ระบบแจ้งเบาะแสการทุจริต", ["รับแจ้งเบาะแส"])])
    asked = [COMMON, "เบาะแส", "ทุจริต เว็บไซต์", "การ", "ร้องเรียน zqxjkv"]
    through_index = {query: search_measures(query=query, limit=100) for query in asked}
    assert through_index["เบาะแส"][1] == 1 and through_index[COMMON][1] == 40
    monkeypatch.setattr(querying, "BROAD_IDS", 0)
    assert {query: search_measures(query=query, limit=100) for query in asked} == through_index


@postgresql_only
def test_indexing_finds_known_words_through_the_unique_index_not_the_trigram_one():
    # pg_trgm answers "=" too, and the planner took it for "word IN (…)": 130 ms for 300 words
    # at national scale, which made generating the country three times slower.
    words = [f"คำที่{n}" for n in range(300)]
    word_ids(words)
    with CaptureQueriesContext(connection) as queries:
        assert sorted(word_ids(words)) == sorted(words)
    lookup = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_searchword")
        cursor.execute("SET LOCAL enable_seqscan = off")  # as on a dictionary of 100,000 words
        cursor.execute("EXPLAIN (FORMAT JSON) " + lookup)
        plan = json.dumps(cursor.fetchone()[0])
    used_trigrams = "reports_searchword_word_trgm" in plan
    assert not used_trigrams and "Index" in plan, "the lookup should use the unique index"
