"""Fixtures of the API tests: the demo reports published once, the OpenAPI description."""

import pytest

from api import api
from tests.factories import demo_for_module

from .helpers import BASE


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, demo_media):
    """The five seed reports published as v1, once for the module (each test rolls back its own
    changes). PDFs are left to a background task that never runs: the API only links to them."""
    with demo_for_module(django_db_blocker, demo_media, "--seeds-only"):
        yield


@pytest.fixture
def admin(db, django_user_model):
    return django_user_model.objects.get(username="admin")


@pytest.fixture(scope="module")
def openapi():
    return api.openapi_document(server=f"{BASE}/api/v1/")
