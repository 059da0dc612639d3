"""A large import runs as a background task: a progress bar, all or nothing, and the editor may
leave and come back. Small imports stay as they were (tests/staff/test_import_views.py)."""

import csv
import io
import re
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from accounts.models import Membership
from measures.models import Change, ImportJob
from measures.services import imports
from staff.import_views import PREVIEW_ROWS
from tests.factories import AgencyFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-1"
# Above the size that is imported at once in the request.
LARGE = imports.IMPORT_IN_BACKGROUND_OVER + 10
HEADER = ["มาตรการ/กิจกรรม", "ขั้นตอนและวิธีการปฏิบัติ", "ระยะเวลา", "ผู้รับผิดชอบ", "สรุปผล", "ผลลัพธ์"]


def rows_csv(count: int) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(1, count + 1):
        writer.writerow(
            [f"มาตรการที่ {n}", "1. ประชุม\n2. ประกาศ", "ตลอดปีงบประมาณ", "สำนักปลัด", "ทำแล้ว", "ดี"]
        )
    return SimpleUploadedFile("measures.csv", out.getvalue().encode("utf-8-sig"))


def editor_of(agency, client):
    user = UserFactory()
    Membership.objects.create(user=user, agency=agency, role=Membership.Role.EDITOR)
    assert client.login(username=user.username, password=PASSWORD)
    return user


@pytest.fixture
def report():
    return ReportFactory()


@pytest.fixture
def editor(client, report):
    editor_of(report.agency, client)
    return client


def preview(client, report, count: int):
    response = client.post(f"/staff/reports/{report.pk}/import/", {"file": rows_csv(count)})
    assert response.status_code == 200
    return response


def job_of(response) -> ImportJob:
    match = re.search(r'name="job" value="(\d+)"', response.content.decode())
    assert match, "the confirmation posts the job, not the whole parsed table"
    return ImportJob.objects.get(pk=match.group(1))


def test_a_large_import_runs_as_a_job_with_a_progress_bar(
    editor, report, django_capture_on_commit_callbacks
):
    response = preview(editor, report, LARGE)
    assert 'name="payload"' not in response.content.decode()  # nothing big in a hidden field
    job = job_of(response)
    assert (job.state, job.total) == (ImportJob.State.PREVIEWED, LARGE)
    assert not report.measures.exists()

    url = f"/staff/reports/{report.pk}/import/"
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = editor.post(url, {"confirm": "1", "job": job.pk})
    job_url = f"/staff/reports/{report.pk}/import/{job.pk}/"
    assert (confirmed.status_code, confirmed["Location"]) == (302, job_url)

    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (ImportJob.State.DONE, LARGE, LARGE)
    assert job.payload is None  # the parsed table is not kept once imported
    assert list(report.measures.values_list("title", flat=True)[:2]) == [
        "มาตรการที่ 1",
        "มาตรการที่ 2",
    ]
    assert report.measures.count() == LARGE
    assert Change.objects.filter(report=report, action="imported").count() == 1

    page = editor.get(job_url).content.decode()
    assert re.search(rf'<progress[^>]* value="{LARGE}"[^>]* max="{LARGE}"', page)
    assert "job-progress.js" in page and "<script>" not in page and "style=" not in page
    progress = editor.get(f"{job_url}progress.json").json()
    assert progress | {"label": ""} == {
        "state": "done",
        "done": LARGE,
        "total": LARGE,
        "error": "",
        "label": "",
    }
    # Coming back later: the report page and the import page name the job.
    assert job_url in editor.get(f"/staff/reports/{report.pk}/").content.decode()
    assert job_url in editor.get(url).content.decode()


def test_with_a_worker_the_confirmation_queues_the_task(
    editor, report, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """With Redis (TASKS_INLINE false) the request only queues the job; a worker runs it."""
    from measures import tasks

    settings.TASKS_INLINE = False
    queued = []
    monkeypatch.setattr(tasks.import_job_run_task, "delay", queued.append)
    job = job_of(preview(editor, report, LARGE))
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"/staff/reports/{report.pk}/import/", {"confirm": "1", "job": job.pk})
    assert queued == [job.pk] and not report.measures.exists()
    status = editor.get(f"/staff/reports/{report.pk}/import/{job.pk}/progress.json").json()
    assert (status["state"], status["done"]) == ("queued", 0)

    tasks.import_job_run_task(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and report.measures.count() == LARGE


def test_a_failure_midway_imports_nothing_and_says_why(
    editor, report, monkeypatch, django_capture_on_commit_callbacks
):
    job = job_of(preview(editor, report, LARGE))
    real_create = imports.measure_create
    calls = []

    def failing_create(**kwargs):
        calls.append(1)
        if len(calls) == 30:
            raise ValidationError("หน่วยงานนี้ไม่มีกองที่ระบุ")
        return real_create(**kwargs)

    monkeypatch.setattr(imports, "measure_create", failing_create)
    changes = Change.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"/staff/reports/{report.pk}/import/", {"confirm": "1", "job": job.pk})

    assert len(calls) == 30  # it did fail mid-way, after 29 measures were written
    assert report.measures.count() == 0
    assert Change.objects.count() == changes
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "หน่วยงานนี้ไม่มีกองที่ระบุ" in job.error
    page = editor.get(f"/staff/reports/{report.pk}/import/{job.pk}/").content.decode()
    assert "หน่วยงานนี้ไม่มีกองที่ระบุ" in page


def test_an_unexpected_error_fails_the_job_without_a_traceback(
    editor, report, monkeypatch, django_capture_on_commit_callbacks
):
    job = job_of(preview(editor, report, LARGE))

    def broken(**kwargs):
        raise RuntimeError("connection reset")

    monkeypatch.setattr(imports, "measure_create", broken)
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"/staff/reports/{report.pk}/import/", {"confirm": "1", "job": job.pk})
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.error
    assert "connection reset" not in job.error and not report.measures.exists()


def test_another_agencys_editor_gets_nothing_of_the_job(client, report, editor):
    job = job_of(preview(editor, report, LARGE))
    client.logout()
    other = ReportFactory(agency=AgencyFactory(), fiscal_year=report.fiscal_year)
    editor_of(other.agency, client)
    for path in (
        f"/staff/reports/{report.pk}/import/{job.pk}/",
        f"/staff/reports/{report.pk}/import/{job.pk}/progress.json",
        f"/staff/reports/{other.pk}/import/{job.pk}/",  # their own report, the job of another
        f"/staff/reports/{other.pk}/import/{job.pk}/progress.json",
    ):
        assert client.get(path).status_code == 404, path
    refused = client.post(f"/staff/reports/{other.pk}/import/", {"confirm": "1", "job": job.pk})
    assert refused.status_code == 404
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEWED
    assert not other.measures.exists() and not report.measures.exists()


def test_a_previewed_job_is_confirmed_once_and_not_after_an_hour(
    editor, report, django_capture_on_commit_callbacks
):
    job = job_of(preview(editor, report, LARGE))
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=job.created_at - imports.PREVIEW_MAX_AGE - imports.PREVIEW_MAX_AGE
    )
    url = f"/staff/reports/{report.pk}/import/"
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(url, {"confirm": "1", "job": job.pk})
    assert response.status_code == 302 and response["Location"] == url
    assert not report.measures.exists()

    job = job_of(preview(editor, report, LARGE))
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url, {"confirm": "1", "job": job.pk})
        again = editor.post(url, {"confirm": "1", "job": job.pk})
    assert again.status_code == 302 and report.measures.count() == LARGE


def test_a_task_handed_out_again_does_not_import_twice(editor, report):
    """The broker hands an unacknowledged task out again after an hour: the job runs once."""
    job = job_of(preview(editor, report, LARGE))
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING)
    assert imports.import_job_run(job_pk=job.pk) is None
    assert not report.measures.exists()


def test_a_job_whose_worker_died_blocks_no_new_import(
    editor, report, django_capture_on_commit_callbacks
):
    dead = ImportJob.objects.create(report=report, state=ImportJob.State.RUNNING, total=9)
    ImportJob.objects.filter(pk=dead.pk).update(
        created_at=dead.created_at - imports.ABANDONED_AFTER
    )
    busy = ImportJob.objects.create(report=report, state=ImportJob.State.RUNNING, total=9)
    job = job_of(preview(editor, report, LARGE))
    url = f"/staff/reports/{report.pk}/import/"
    editor.post(url, {"confirm": "1", "job": job.pk})  # another import is under way
    assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.PREVIEWED

    busy.delete()
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url, {"confirm": "1", "job": job.pk})
    dead.refresh_from_db()
    assert dead.state == ImportJob.State.FAILED and dead.error
    assert report.measures.count() == LARGE


def test_the_preview_of_many_rows_lists_the_first_ones(editor, report):
    response = preview(editor, report, 250)
    html = response.content.decode()
    assert html.count("<tr><td>") == PREVIEW_ROWS
    assert "มาตรการที่ 250" not in html and "๒๕๐" in html  # the count, in the page's digits


def test_small_imports_stay_in_the_request(editor, report):
    response = preview(editor, report, imports.IMPORT_IN_BACKGROUND_OVER)
    assert 'name="payload"' in response.content.decode() and not ImportJob.objects.exists()


def test_the_progress_endpoint_counts_while_the_import_runs(editor, report, monkeypatch):
    job = job_of(preview(editor, report, LARGE))
    seen = []
    real_create = imports.measure_create

    def create_and_look(**kwargs):
        measure = real_create(**kwargs)
        url = f"/staff/reports/{report.pk}/import/{job.pk}/progress.json"
        seen.append(editor.get(url).json())
        return measure

    monkeypatch.setattr(imports, "measure_create", create_and_look)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.QUEUED)
    imports.import_job_run(job_pk=job.pk)
    running = [answer for answer in seen if answer["state"] == "running"]
    assert running and all(answer["total"] == LARGE for answer in running)
    counts = [answer["done"] for answer in running]
    assert counts == sorted(counts) and 0 < counts[-1] < LARGE


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once")
def test_progress_is_seen_from_another_connection_during_the_transaction(client, monkeypatch):
    """The import is one transaction; the page asking how far it got is another connection."""
    report = ReportFactory()
    editor_of(report.agency, client)
    job = job_of(preview(client, report, LARGE))
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.QUEUED)
    real_create = imports.measure_create
    half = threading.Event()
    resume = threading.Event()

    def slow_create(**kwargs):
        measure = real_create(**kwargs)
        if kwargs["report"].measures.count() == LARGE // 2:
            half.set()
            resume.wait(10)
        return measure

    monkeypatch.setattr(imports, "measure_create", slow_create)

    def run():
        try:
            imports.import_job_run(job_pk=job.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    assert half.wait(30)
    time.sleep(0.1)
    url = f"/staff/reports/{report.pk}/import/{job.pk}/progress.json"
    midway = client.get(url).json()
    assert report.measures.count() == 0  # nothing committed yet
    resume.set()
    worker.join(60)
    assert midway["state"] == "running" and 0 < midway["done"] <= LARGE // 2
    assert client.get(url).json()["state"] == "done" and report.measures.count() == LARGE
