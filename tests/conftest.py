import json
from pathlib import Path

import pytest
from django.core.cache import cache

from measures.services import framework_load

FRAMEWORK = Path(__file__).resolve().parents[1] / "measures" / "demo" / "framework.json"


@pytest.fixture
def framework(db):
    """The ITA framework of 2565–2568 as load_demo loads it."""
    return {year.year: year for year in framework_load(data=json.loads(FRAMEWORK.read_text()))}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The demo creates 16 users; real hashing would make every such test seconds slower.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_at_once(settings):
    # A task queued without a broker runs in a background thread once the request's transaction
    # commits, which a test's transaction never does: here it runs at once, where it is queued.
    # The tests of the background itself (tests/publication/test_render_background.py) set it
    # back to False.
    settings.TASKS_EAGER = True


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    """The stored files of a demo loaded once for a module (tests.factories.demo_for_module)."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(request, settings, tmp_path):
    # Published PDFs are stored files: each test writes its own, none into the project. A folder
    # of its own, for the demo seal is kept beside MEDIA_ROOT (publication.seal), not in tmp_path.
    # In a module whose demo was published once, every test reads that demo's files.
    if "demo_media" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("demo_media")
    else:
        settings.MEDIA_ROOT = tmp_path / "site" / "media"


@pytest.fixture(autouse=True)
def no_login_throttling(settings):
    # Django's test client logs in without a request, which django-axes refuses; the throttle's
    # own tests (tests/accounts/test_login_throttle.py) turn it back on.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def empty_cache():
    # What is cached of published versions is keyed by their addresses, which every test reuses.
    cache.clear()


@pytest.fixture(autouse=True)
def responses_closed(monkeypatch):
    """Close every response the test client gave once the test is over, as a server does: a
    streamed download left open would warn of its unclosed file (warnings are errors here)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.test.client import Client

    given = []
    request = Client.request

    def request_kept(self, **kwargs):
        response = request(self, **kwargs)
        given.append(response)
        return response

    monkeypatch.setattr(Client, "request", request_kept)
    yield
    # As the test client does around a request: closing fires request_finished, whose handler
    # would otherwise close the database connection the test's transaction lives in.
    request_finished.disconnect(close_old_connections)
    try:
        for response in given:
            response.close()
    finally:
        request_finished.connect(close_old_connections)
