"""Citizens' search across the published measures (reports/search.py, /search/)."""

import html
import re

import hypothesis
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from measures import thai
from measures.models import Province, Report
from publication import services
from publication.models import PublishedVersion, SearchEntry, SearchWord
from publication.search import (
    highlight,
    index_version,
    measure_text,
    query_words,
    search_measures,
    tokens,
)
from publication.selectors import version_article
from tests.factories import (
    MeasureFactory,
    ReportFactory,
    demo_for_module,
    fiscal_year_with_framework,
    publish,
)

pytestmark = pytest.mark.django_db
ODD_QUERIES = [
    "",
    " ",
    "'",
    '"ร้องเรียน',
    "ร้อง'เรียน",
    "&|!():*",
    "a & b | !c <-> d:* (e)",
    "'a':* & !'b'",
    "\\",
    "\\'; DROP TABLE reports_searchentry; --",
    "%_%",
    "\x00",
    "ร้อง\x00เรียน",
    "🙂 ร้องเรียน 🇹🇭",
    "ร้องเรียน" * 1200,
    "x" * 10_000,
    "ก่่่่่่่่่",
    "\u200b\u0e31",
    "٣٤٥ ²",
]


@pytest.fixture(scope="module", autouse=True)
def published_demo(django_db_setup, django_db_blocker, demo_media):
    """The five seeds published as v1, once for the module, rolled back after it.

    No PDF is drawn (its task waits for a commit that never comes).
    """
    with demo_for_module(django_db_blocker, demo_media, "--seeds-only"):
        yield


@pytest.fixture(autouse=True)
def no_pdf(settings):
    settings.TASKS_INLINE = False  # tests that publish need the page and the index, not the PDF


def found(query="", **filters) -> list[tuple[str, int, int]]:
    hits, total = search_measures(query=query, **filters, limit=100)
    assert total == len(hits)
    return [(hit.version.agency_slug, hit.fiscal_year, hit.number) for hit in hits]


def entries_with(text: str) -> set[tuple[str, int, int]]:
    return {
        (entry.agency.slug, entry.fiscal_year, entry.number)
        for entry in SearchEntry.objects.select_related("agency", "version")
        if text in measure_text(entry.version.data["measures"][entry.number - 1])
    }


def test_tokens_are_folded_thai_words():
    assert tokens("ช่องทางการร้องเรียนการทุจริต") == ["ช่องทาง", "การร้องเรียน", "การ", "ทุจริต"]
    assert tokens("๒๕๖๘") == tokens("2568") == ["2568"]
    assert tokens("ประเมิน ITA, (No Gift Policy)!") == ["ประเมิน", "ita", "no", "gift", "policy"]
    assert tokens("  ,.;!? -- ") == [] and tokens("") == []


def test_every_published_measure_is_indexed_once():
    assert SearchEntry.objects.count() == sum(
        len(version.data["measures"]) for version in PublishedVersion.objects.all()
    )
    assert SearchEntry.objects.filter(agency__slug="sai-khao", number=10).get().indicator is None


def test_a_word_is_found_inside_a_longer_run():
    # newmm cuts "ช่องทางการร้องเรียนการทุจริต" into ช่องทาง|การร้องเรียน|การ|ทุจริต.
    hits = set(found("ร้องเรียน"))
    assert hits == entries_with("ร้องเรียน")
    assert {("sai-khao", 2567, 2), ("sai-khao", 2567, 10)} <= hits
    assert entries_with("ช่องทางการร้องเรียนการทุจริต") <= hits
    assert set(found("ร้องเรี")) >= hits  # part of a word
    # The whole run finds it too, and the measures holding all its words apart.
    assert set(found("ช่องทางการร้องเรียนการทุจริต")) >= entries_with("ช่องทางการร้องเรียนการทุจริต")


def test_every_word_of_the_query_must_match():
    both = set(found("ร้องเรียน ทุจริต"))
    assert both and both <= entries_with("ร้องเรียน") & entries_with("ทุจริต")
    assert found("ร้องเรียน zqxjkv") == []
    assert set(found("No Gift")) == set(found("no gift")) == entries_with("No Gift")


@hypothesis.settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_measure_is_found_when_every_query_word_is_inside_one_of_its_words(data):
    # The same answer on every database: PostgreSQL's index of suffixes, SQLite's LIKE.
    entries = list(SearchEntry.objects.select_related("agency"))
    dictionary = dict(SearchWord.objects.values_list("pk", "word"))
    words_of = {entry.pk: {dictionary[id_] for id_ in entry.words} for entry in entries}
    vocabulary = sorted(set().union(*words_of.values()))
    parts = []
    for _ in range(data.draw(st.integers(1, 3))):
        word = data.draw(st.sampled_from(vocabulary))
        start = data.draw(st.integers(0, len(word) - 1))
        parts.append(word[start : data.draw(st.integers(start + 1, len(word)))])
    query = " ".join(parts)
    words = query_words(query)
    expected = {
        (entry.agency.slug, entry.fiscal_year, entry.number)
        for entry in entries
        if words and all(any(w in token for token in words_of[entry.pk]) for w in words)
    }
    assert set(found(query)) == expected


def test_thai_and_arabic_digits_find_each_other():
    thai_digits = found("๒๕๖๘")
    assert thai_digits == found("2568")
    assert set(thai_digits) == entries_with("๒๕๖๘") and ("nong-lom", 2568, 1) in thai_digits


def test_filters():
    everything = found(kind="subdistrict_municipality")
    assert len(everything) == SearchEntry.objects.count()
    assert {slug for slug, _, _ in found(year=2567)} == {"sai-khao", "nong-samet"}
    assert {slug for slug, _, _ in found("ร้องเรียน", year=2567)} == {"sai-khao"}
    krabi = Province.objects.get(name="กระบี่")
    assert {slug for slug, _, _ in found(province=krabi.pk)} == {"sai-khao"}
    five = set(found(indicator=5))
    assert five == {
        (e.agency.slug, e.fiscal_year, e.number) for e in SearchEntry.objects.filter(indicator=5)
    }
    assert five and len(five) < len(everything)
    assert found(kind="city_municipality") == []
    SearchEntry.objects.filter(agency__slug="non-sung").update(agency_kind="city_municipality")
    assert {slug for slug, _, _ in found(kind="city_municipality")} == {"non-sung"}
    assert found(year=2500) == [] and found(province=10**12) == [] and found(indicator=-1) == []


def test_no_words_and_no_filters_find_nothing():
    assert search_measures(query="") == ([], 0)
    assert search_measures(query=" ,.!? ") == ([], 0)


def test_paging():
    first, total = search_measures(query="", year=2567, limit=5)
    rest, again = search_measures(query="", year=2567, limit=50, offset=5)
    assert total == again == 12 and len(first) == 5 and len(rest) == 7
    keys = [(h.version.agency_slug, h.number) for h in first + rest]
    assert len(set(keys)) == 12


def test_only_the_latest_published_version_is_found(django_user_model):
    admin = django_user_model.objects.get(username="admin")
    report = Report.objects.get(agency__slug="nong-lom")
    measure = report.measures.get(position=report.measures.order_by("position")[0].position)
    old_title = measure.title
    services.report_open_revision(report=report, user=admin)
    measure.title = "มาตรการปรับปรุงใหม่ตามแผนปี 2571 ไตรมาสพิเศษ Supercalifragilisticexpialidocious"
    measure.save()

    # The draft of the revision is not public: v1's text is still what is found.
    assert found("ไตรมาสพิเศษ") == []
    assert ("nong-lom", 2568, 1) in found(old_title)

    version = publish(report, admin)
    assert version.number == 2
    assert found("ไตรมาสพิเศษ") == [("nong-lom", 2568, 1)]
    assert found("๒๕๗๑") == found("2571") == [("nong-lom", 2568, 1)]  # typed in Arabic digits
    # Longer than the index's lexemes: found by its beginning, then checked whole.
    assert found("califragilisticexpiali") == [("nong-lom", 2568, 1)]
    assert found("califragilisticexpialX") == []
    (hit,), _ = search_measures(query="ไตรมาสพิเศษ")
    assert hit.version.number == 2 and hit.version.url.startswith("/nong-lom/2568/v2/#measure-")
    assert ("nong-lom", 2568, 1) not in found(old_title)
    assert set(SearchEntry.objects.filter(report=report).values_list("version", flat=True)) == {
        version.pk
    }

    # Indexing an older version again (a re-run, a script) never brings its text back.
    assert index_version(report.versions.get(number=1)) == []
    assert found("ไตรมาสพิเศษ") == [("nong-lom", 2568, 1)]


def test_the_filters_offer_a_province_and_a_year_once_their_first_report_is_published(
    client, django_user_model
):
    admin = django_user_model.objects.get(username="admin")
    assert "จังหวัดเพิ่งเผยแพร่" not in client.get("/search/").content.decode()  # now cached
    report = ReportFactory(
        agency__district__province__name="จังหวัดเพิ่งเผยแพร่",
        fiscal_year=fiscal_year_with_framework(2569),
    )
    MeasureFactory(report=report, title="มาตรการของจังหวัดที่เพิ่งเผยแพร่")
    publish(report, admin)
    page = client.get("/search/").content.decode()
    assert "จังหวัดเพิ่งเผยแพร่" in page and '<option value="2569">๒๕๖๙</option>' in page


def test_a_report_never_published_is_not_found():
    draft = ReportFactory(fiscal_year=Report.objects.first().fiscal_year)
    MeasureFactory(report=draft, title="มาตรการฉบับร่างที่ไม่เคยเผยแพร่")
    assert found("ไม่เคยเผยแพร่") == []


def test_each_hit_links_to_its_measure_on_the_version_page():
    for entry in SearchEntry.objects.select_related("version", "agency"):
        version = entry.version
        assert entry.anchor, entry
        segment = (
            version_article(version).split(f'id="{entry.anchor}"', 1)[1].split('id="measure-', 1)[0]
        )
        title = html.escape(thai.to_digits(entry.title, version.data["digits"]), quote=False)
        assert title.split()[0] in segment, entry


def test_highlight_marks_the_words_in_the_original_text():
    assert highlight("ช่องทางการร้องเรียนการทุจริต", tokens("ร้องเรียน")) == [
        ("ช่องทางการ", False),
        ("ร้องเรียน", True),
        ("การทุจริต", False),
    ]
    assert highlight("ภายใน ม.ค. ๒๕๖๘", tokens("มค 2568")) == [
        ("ภายใน ", False),
        ("ม.ค.", True),  # the abbreviation whole, its last dot too
        (" ", False),
        ("๒๕๖๘", True),
    ]


def test_the_page_shows_the_matches_marked(client):
    response = client.get("/search/", {"q": "ร้องเรียน"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>ร้องเรียน</mark>" in page
    assert re.search(r'href="/sai-khao/2567/v1/#measure-\d+"', page)
    assert f"{len(entries_with('ร้องเรียน'))}" in page
    for label in ("search-q", "search-year", "search-province", "search-kind", "search-indicator"):
        assert f'for="{label}"' in page and f'id="{label}"' in page
    anchor = re.search(r'href="(/sai-khao/2567/v1/)#(measure-\d+)"', page)
    assert f'id="{anchor[2]}"' in client.get(anchor[1]).content.decode()


def test_the_page_escapes_what_it_is_given(client):
    page = client.get("/search/", {"q": "<script>alert(1)</script> ร้องเรียน"}).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_the_page_pages_and_keeps_the_filters(client):
    page = client.get("/search/", {"kind": "subdistrict_municipality"}).content.decode()
    assert "page=2" in page and "kind=subdistrict_municipality" in page
    second = client.get("/search/", {"kind": "subdistrict_municipality", "page": "2"})
    assert second.context["page"] == 2 and len(second.context["hits"]) == 9
    beyond = client.get("/search/", {"kind": "subdistrict_municipality", "page": "99"})
    assert beyond.context["page"] == 2


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc", "province": "-1", "kind": "nope", "indicator": "99999999999999999999"},
        {"year": "๒๕๖๗", "page": "0"},
        {"page": "-3", "q": "ร้องเรียน"},
        {"page": "9" * 40, "q": "ร้องเรียน"},
        {"province": "1.5", "indicator": " 5 "},
        {"q": "\x00", "year": "\x00"},
    ],
)
def test_the_page_ignores_invalid_parameters(client, params):
    assert client.get("/search/", params).status_code == 200


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_never_raise(query, client):
    hits, total = search_measures(query=query, year=2568)
    assert total >= len(hits)
    assert client.get("/search/", {"q": query}).status_code == 200


@hypothesis.settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(), year=st.none() | st.integers(), offset=st.integers(-(2**70), 2**70))
def test_search_never_raises(query, year, offset):
    hits, total = search_measures(query=query, year=year, offset=offset)
    assert total >= len(hits) >= 0


@hypothesis.settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "year", "province", "kind", "indicator", "page"]),
        st.text(st.characters(exclude_categories=["Cs"])),
    )
)
def test_the_page_never_fails(client, params):
    assert client.get("/search/", params).status_code == 200
