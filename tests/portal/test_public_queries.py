"""Public pages cost the same number of queries however long the report."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.demo.generated import long_report_data
from measures.services import report_import
from tests.factories import publish

pytestmark = pytest.mark.django_db


def queries(client, path) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_report_page_queries_do_not_grow_with_measures(framework, client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    for slug, count in (("short", 5), ("long", 200)):
        publish(report_import(data=long_report_data(count, slug=slug)), admin)
    assert queries(client, "/short/2568/") == queries(client, "/long/2568/")
    assert queries(client, "/short/2568/v1/") == queries(client, "/long/2568/v1/")
