"""Every GET address of the portal, fuzzed: any query string, any role that may see it, never a 500.

The addresses are test_permissions' table, which its own test holds to the URL resolver (a new
URL without a row fails there), so a new page is fuzzed here without a line changed. The query
parameters are those the code reads, found in its source and its filter and API schemas, and
names no view reads; the values are arbitrary Unicode (anything a URL can percent-encode) and
the numbers that broke pages before: '²', '٣', '𝟚', huge ones, NUL.
"""

import re
import time
from pathlib import Path

import pytest
from django.test import Client
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import params as api_params
from publication.filters import QueryFilters
from tests.test_permissions import NOT_REPORT_URLS, ROLES, demo, names_of_all_urls, url_table

pytestmark = pytest.mark.django_db
__all__ = ["demo"]  # test_permissions' fixture: the demo with a draft, a change, a comment

ROOT = Path(__file__).resolve().parents[1]
APPS = ("staff", "portal", "api", "publication", "reports", "accounts", "ita_portal")
READ = re.compile(r"""GET(?:\.get\(|\[|\.getlist\()\s*["'](\w+)["']""")


# The parameters read today, should a view come to read one under a name the source does not
# spell out; Django's own pages read next (the login page).
READ_TODAY = {"a", "b", "digits", "document", "layout", "next", "page", "q", "version", "year"}


def parameter_names() -> list[str]:
    """Every query parameter a view reads: by name in the source, in a filter form or an API
    query schema."""
    names = set()
    for app in APPS:
        for source in (ROOT / app).rglob("*.py"):
            names.update(READ.findall(source.read_text(encoding="utf-8")))

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for form in subclasses(QueryFilters):
        names.update(form.base_fields)
    for schema in vars(api_params).values():
        if isinstance(schema, type) and hasattr(schema, "model_fields"):
            names.update(schema.model_fields)
    return sorted(names)


NASTY = [
    "²",
    "٣",
    "𝟚",
    "½",
    "๒๕๖๘",
    "-1",
    "0",
    "1.5",
    "1e309",
    "9" * 20,
    "9" * 5000,
    str(2**63),
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "../../etc/passwd",
    "\u202e",
    "x" * 3000,
]
# Characters a URL can carry: every code point but the lone surrogates (no UTF-8 for them).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
NUMBERS = st.integers(min_value=-(2**70), max_value=2**70).map(str)
VALUES = st.one_of(st.sampled_from(NASTY), TEXT, NUMBERS)
# Who fuzzes: anonymous, the editor (every staff address is theirs) and a reviewer (who only
# looks); the other roles get 403/404 before any parameter is read.
FUZZED_ROLES = ("anonymous", "editor_a", "reviewer_a")
EXAMPLES = 4  # per address and role; an address that renders a PDF (seconds) gets one
SLOW = 0.5  # seconds


def query_strategy(known: list[str]):
    names = st.one_of(st.sampled_from(known), st.text(min_size=1, max_size=8))
    return st.dictionaries(names, st.one_of(VALUES, st.lists(VALUES, max_size=3)), max_size=5)


def gettable(demo) -> dict[str, tuple[str, set[str]]]:
    """name: (path, roles who may see it), for every address that answers GET."""
    table = {}
    for name, method, path, allowed, _data in url_table(demo):
        if method == "get" or name not in table:
            table[name] = (path.split("?")[0], allowed)
    return table


@pytest.fixture
def clients(demo, django_user_model):
    """A client per role, each logged in once."""
    clients = {}
    for role, username in ROLES.items():
        client = Client()
        if username:
            client.force_login(django_user_model.objects.get(username=username))
        clients[role] = client
    # A progress round, so that /rounds/1/ is a page rather than a 404.
    report = demo["report"].pk
    rounds = {"label": "รอบ ๖ เดือน", "as_of": "31/3/2568"}
    rounds |= {"entries-TOTAL_FORMS": 0, "entries-INITIAL_FORMS": 0}
    assert clients["admin"].post(f"/staff/reports/{report}/rounds/new/", rounds).status_code == 302
    return clients


def get(client, path, query):
    response = client.get(path, query)  # an exception in the view fails the test here
    assert response.status_code < 500, (path, query, response.status_code)
    return response


def fuzz(client, path, known, examples):
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(query=query_strategy(known))
    def any_query(query):
        get(client, path, query)

    any_query()


def numbers_too_large(client, path):
    """<int:…> takes any digits: one beyond a database integer is a 404, not an overflow."""
    match = resolve(path)
    kwargs = {key: match.kwargs[key] for key in match.captured_kwargs}
    for key, value in kwargs.items():
        if isinstance(value, int):
            address = reverse(match.view_name, kwargs={**kwargs, key: 10**20})
            assert get(client, address, {}).status_code == 404, address


def test_every_get_address_with_any_query_string_never_answers_500(demo, clients):
    found = parameter_names()
    assert {"year", "province", "district", "indicator", "kind", "state", "digits"} <= set(found)
    known = sorted(READ_TODAY | set(found))
    addresses = gettable(demo)
    # From the resolver: every address of the portal is here (test_permissions checks the table).
    assert names_of_all_urls() - NOT_REPORT_URLS - set(addresses) == set()
    fuzzed = 0
    for path, allowed in sorted(addresses.values(), key=lambda row: row[0]):
        swept = False
        for role in FUZZED_ROLES:
            if role not in allowed:
                continue
            client = clients[role]
            started = time.monotonic()
            if get(client, path, {}).status_code == 405:
                break  # a form's POST address: no GET to fuzz
            slow = time.monotonic() - started > SLOW
            if not swept:  # every parameter at once, with each value that broke pages before
                for index in range(0, len(NASTY), 4):
                    chunk = NASTY[index : index + 4]
                    get(client, path, {p: chunk[i % len(chunk)] for i, p in enumerate(known)})
                swept = True
            fuzz(client, path, known, examples=1 if slow else EXAMPLES)
            fuzzed += 1
            if not slow:
                numbers_too_large(client, path)
    assert fuzzed > 60
