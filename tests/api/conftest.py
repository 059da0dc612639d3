"""Fixtures of the API tests: the demo reports published once, the OpenAPI description."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from api import api

from .helpers import BASE


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, demo_media):
    # The files stored when the module's demo was published are read by every test of it.
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, demo_media):
    """The five seed reports published as v1, once for the module (each test rolls back its own
    changes). PDFs are left to a background task that never runs: the API only links to them."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            TASKS_INLINE=False,
            MEDIA_ROOT=demo_media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        call_command("load_demo", "--seeds-only", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def admin(db, django_user_model):
    return django_user_model.objects.get(username="admin")


@pytest.fixture(scope="module")
def openapi():
    return api.openapi_document(server=f"{BASE}/api/v1/")
