"""Publishing answers at once: the version's PDF is rendered after the response, by the background
thread of the embedded default (publication.tasks), and its public address says it is being
prepared until then."""

import threading

import pytest
from django.core.cache import cache
from django.test import Client

from measures.models import Report
from publication import services, tasks
from publication.models import PublishedVersion
from tests.factories import UserFactory, approved_report

# Committed for real: the background thread reads the version through its own connection.
pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 5  # how long the held render waits for the test to let it go


@pytest.fixture
def embedded(settings):
    """No broker, as `make run`: tasks run in this process's background thread after commit."""
    settings.TASKS_INLINE = True
    settings.TASKS_EAGER = False


@pytest.fixture
def approved():
    return approved_report()


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def held_render(monkeypatch):
    """Renders wait until the test lets them go (``release.set()``)."""
    started, release = threading.Event(), threading.Event()
    render = services.html_pdf

    def held(*args, **kwargs):
        started.set()
        release.wait(WAIT)
        return render(*args, **kwargs)

    monkeypatch.setattr(services, "html_pdf", held)
    yield started, release
    release.set()
    tasks.background_idle()


def assert_being_prepared(response):
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    assert "กำลังจัดทำไฟล์ PDF ของฉบับนี้" in response.content.decode()


def test_publishing_answers_at_once_and_the_pdf_follows(
    embedded, approved, admin_client, held_render
):
    started, release = held_render
    response = admin_client.post(f"/staff/reports/{approved.pk}/transition/", {"action": "publish"})
    assert response.status_code == 302
    # The response came back with the version published and its page public…
    approved.refresh_from_db()
    assert approved.state == Report.State.PUBLISHED
    assert admin_client.get("/nong-lom/2568/v1/").status_code == 200
    # …while its PDF is still to come: both its addresses say so, in Thai, and when to come back.
    assert_being_prepared(admin_client.get("/nong-lom/2568/v1.pdf"))
    assert_being_prepared(admin_client.get("/nong-lom/2568.pdf"))
    # The staff's page of the report says it too.
    admin_client.cookies["django_language"] = "en"
    page = admin_client.get(f"/staff/reports/{approved.pk}/").content.decode()
    assert "PDF being prepared" in page

    assert started.wait(WAIT)  # the render runs in the background, not in the request
    release.set()
    assert tasks.background_idle()
    pdf = admin_client.get("/nong-lom/2568/v1.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    page = admin_client.get(f"/staff/reports/{approved.pk}/").content.decode()
    assert "PDF being prepared" not in page and 'href="/nong-lom/2568/v1.pdf"' in page


def test_a_render_lost_on_the_way_is_asked_for_again_by_its_address(
    embedded, approved, admin_client, settings, monkeypatch
):
    # Published while a worker would render it, and the worker died: no PDF, no render under way.
    settings.TASKS_INLINE = False
    monkeypatch.setattr(tasks.render_version_pdf, "delay", lambda *args: None)
    admin_client.post(f"/staff/reports/{approved.pk}/transition/", {"action": "publish"})
    version = PublishedVersion.objects.get(report=approved)
    cache.delete(f"publication:pdf-render:{version.pk}")  # the claim outlived by the restart
    settings.TASKS_INLINE = True

    assert_being_prepared(admin_client.get("/nong-lom/2568/v1.pdf"))
    assert tasks.background_idle()
    pdf = admin_client.get("/nong-lom/2568/v1.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_asking_again_while_it_renders_renders_it_once(
    embedded, approved, admin_client, held_render, monkeypatch
):
    started, release = held_render
    admin_client.post(f"/staff/reports/{approved.pk}/transition/", {"action": "publish"})
    assert started.wait(WAIT)
    renders = []
    monkeypatch.setattr(tasks, "render_version_pdf", renders.append)  # nothing queued anew
    for _ in range(3):
        assert_being_prepared(admin_client.get("/nong-lom/2568/v1.pdf"))
    release.set()
    assert tasks.background_idle()
    assert renders == []  # the render under way was not queued again behind itself
    assert admin_client.get("/nong-lom/2568/v1.pdf").status_code == 200
