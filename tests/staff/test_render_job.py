"""The preview PDF of a long report is made by a background job: its page follows it with a
progress bar and downloads the PDF once ready. A short report's preview PDF comes at once."""

import re
import time

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Membership
from publication import previews, tasks
from reports import pdftext
from tests.factories import MeasureFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG = previews.PREVIEW_IN_BACKGROUND_OVER + 1


@pytest.fixture
def report():
    return ReportFactory(agency__slug="nong-lom")


@pytest.fixture
def editor(report):
    user = UserFactory(username="nong-lom-editor")
    Membership.objects.create(user=user, agency=report.agency, role=Membership.Role.EDITOR)
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def queued(settings, monkeypatch):
    """As with a Celery worker: the request only queues the render; the test runs it."""
    settings.TASKS_INLINE = False
    tokens = []
    monkeypatch.setattr(tasks.render_preview_pdf, "delay", tokens.append)
    return tokens


def test_a_short_report_s_preview_pdf_comes_at_once(report, editor):
    MeasureFactory.create_batch(3, report=report)
    response = editor.get(f"/staff/reports/{report.pk}/preview.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'inline; filename="nong-lom-2568.pdf"'


def test_a_long_report_s_preview_pdf_is_a_job_its_page_follows(
    report, editor, queued, monkeypatch, django_capture_on_commit_callbacks
):
    MeasureFactory.create_batch(LONG, report=report)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.get(f"/staff/reports/{report.pk}/preview.pdf?layout=measures_progress")
    # Not rendered in the request: the user is sent to the job's page, and a task is queued.
    assert response.status_code == 302
    job_url = response["Location"]
    assert re.fullmatch(rf"/staff/reports/{report.pk}/preview/pdf/[0-9a-f]{{32}}/", job_url)
    assert len(queued) == 1

    page = editor.get(job_url).content.decode()
    assert '<progress class="flex-grow-1" id="render-job-bar" value="0" max="100">' in page
    assert "Waiting to start" in page
    assert f'data-progress-url="{job_url}progress.json"' in page
    assert f'data-download-url="{job_url}download.pdf"' in page
    # Strict CSP: the behaviour is a static file's; no inline script or style.
    assert "js/job-progress.js" in page and "<script>" not in page and "style=" not in page
    progress = editor.get(f"{job_url}progress.json")
    assert progress["Cache-Control"].startswith("max-age=0")
    assert progress.json() == {
        "state": "queued",
        "label": "Waiting to start",
        "done": 0,
        "total": 100,
    }
    # The same preview asked again joins the job under way.
    again = editor.get(f"/staff/reports/{report.pk}/preview.pdf?layout=measures_progress")
    assert again["Location"] == job_url and len(queued) == 1
    # Before it is ready, the PDF's address leads back to the page.
    assert editor.get(f"{job_url}download.pdf")["Location"] == job_url

    # Midway (the pages laid out, the PDF not yet written), the page's script reads how far.
    midway = []
    annotate = pdftext.annotate_logical_order

    def look(document):
        midway.append(editor.get(f"{job_url}progress.json").json())
        midway[-1]["pages"] = len(document.pages)
        return annotate(document)

    monkeypatch.setattr(pdftext, "annotate_logical_order", look)
    tasks.render_preview_pdf(queued[0])  # what the worker does
    [status] = midway
    assert status["state"] == "running"
    assert status["label"] == f"Laying out page {status['pages']}"
    assert previews.LAYOUT_FROM < status["done"] <= previews.LAYOUT_TO

    done = editor.get(f"{job_url}progress.json").json()
    assert done == {"state": "done", "label": "The PDF is ready", "done": 100, "total": 100}
    page = editor.get(job_url).content.decode()
    assert 'id="render-job-download"' in page and f'href="{job_url}download.pdf">' in page
    pdf = editor.get(f"{job_url}download.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="nong-lom-2568.pdf"'
    assert pdf["Cache-Control"] == "private, no-store"


def test_a_job_that_fails_says_so_and_offers_to_try_again(
    report, editor, queued, monkeypatch, django_capture_on_commit_callbacks
):
    MeasureFactory.create_batch(LONG, report=report)
    with django_capture_on_commit_callbacks(execute=True):
        job_url = editor.get(f"/staff/reports/{report.pk}/preview.pdf?document=plan")["Location"]

    def broken(document):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(previews, "document_pdf", broken)
    tasks.render_preview_pdf(queued[0])
    status = editor.get(f"{job_url}progress.json").json()
    assert (status["state"], status["label"]) == ("failed", "Failed: no PDF was made")
    page = editor.get(job_url).content.decode()
    assert "The PDF could not be made" in page
    assert f'href="/staff/reports/{report.pk}/preview.pdf?document=plan"' in page
    # Asked again, it is a new job.
    with django_capture_on_commit_callbacks(execute=True):
        again = editor.get(f"/staff/reports/{report.pk}/preview.pdf?document=plan")
    assert again["Location"] != job_url and len(queued) == 2


def test_a_job_is_seen_only_through_its_own_report(report, editor, queued):
    MeasureFactory.create_batch(LONG, report=report)
    job_url = editor.get(f"/staff/reports/{report.pk}/preview.pdf")["Location"]
    token = job_url.rstrip("/").rsplit("/", 1)[1]
    other = ReportFactory()
    Membership.objects.create(
        user=UserFactory(username="nong-lom-editor"),
        agency=other.agency,
        role=Membership.Role.EDITOR,
    )
    for suffix in ("", "progress.json", "download.pdf"):
        assert (
            editor.get(f"/staff/reports/{other.pk}/preview/pdf/{token}/{suffix}").status_code == 404
        )
        unknown = f"/staff/reports/{report.pk}/preview/pdf/{'0' * 32}/{suffix}"
        assert editor.get(unknown).status_code == 404
    stranger = Client()
    stranger.force_login(UserFactory(username="sai-khao-editor"))
    assert stranger.get(job_url).status_code == 404  # does not learn the report exists
    assert Client().get(job_url)["Location"].startswith("/accounts/login/")


def test_a_job_whose_worker_died_says_it_failed_and_a_new_one_starts(
    report, editor, queued, django_capture_on_commit_callbacks
):
    MeasureFactory.create_batch(LONG, report=report)
    with django_capture_on_commit_callbacks(execute=True):
        job_url = editor.get(f"/staff/reports/{report.pk}/preview.pdf")["Location"]
    token = queued[0]
    key = previews._key(token)
    # Running, and not a page further for longer than any render takes.
    cache.set(key, {**cache.get(key), "state": "running", "updated": time.time() - 3600})
    status = editor.get(f"{job_url}progress.json").json()
    assert status["state"] == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        again = editor.get(f"/staff/reports/{report.pk}/preview.pdf")["Location"]
    assert again != job_url and len(queued) == 2
