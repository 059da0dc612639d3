"""How many queries a page asks, counted as a user meets it: first with nothing kept, then
again with what the first request kept in the cache."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries(client, path: str) -> tuple[int, int]:
    """The queries of ``path`` with no counts kept, then with them kept."""
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        counts.append(len(captured))
    return tuple(counts)
