"""A large import holds the report's row lock for its whole run: a move of the report (its
submission, say) is refused while the import is under way, at once and with a message, instead of
waiting for the lock past the request's timeout."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import Membership
from measures.models import ImportJob, Report
from tests.factories import MeasureFactory, ReportFactory, UserFactory

WAIT = 10


def editor_of(report) -> Client:
    user = UserFactory(username="editor")
    Membership.objects.create(user=user, agency=report.agency, role=Membership.Role.EDITOR)
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def submit(client, report):
    url = f"/staff/reports/{report.pk}/transition/"
    return client.post(url, {"action": "submit", "reason": "ส่งตรวจ"}, follow=True)


@pytest.mark.django_db
def test_a_submission_while_an_import_runs_is_refused_and_says_why():
    report = ReportFactory()
    MeasureFactory(report=report)
    client = editor_of(report)
    job = ImportJob.objects.create(report=report, state=ImportJob.State.RUNNING, total=80)

    page = submit(client, report).content.decode()
    assert "Measures are being imported into this report" in page
    assert Report.objects.get(pk=report.pk).state == Report.State.DRAFT

    # A job its worker abandoned long ago blocks nothing; one that ended neither.
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=7))
    ImportJob.objects.create(report=report, state=ImportJob.State.DONE, total=80, done=80)
    submit(client, report)
    assert Report.objects.get(pk=report.pk).state == Report.State.SUBMITTED


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (CI runs the suite on it); SQLite locks the whole file",
)
def test_the_refusal_does_not_wait_for_the_import_s_lock():
    report = ReportFactory()
    MeasureFactory(report=report)
    client = editor_of(report)
    ImportJob.objects.create(report=report, state=ImportJob.State.RUNNING, total=80)
    holding, release = threading.Event(), threading.Event()

    def import_in_progress():  # as measures.services.imports holds it for the whole import
        try:
            with transaction.atomic():
                Report.objects.select_for_update().get(pk=report.pk)
                holding.set()
                release.wait(WAIT)
        finally:
            connections.close_all()

    thread = threading.Thread(target=import_in_progress, daemon=True)
    thread.start()
    try:
        assert holding.wait(WAIT)
        page = submit(client, report).content.decode()
    finally:
        release.set()
        thread.join(WAIT)
    # Refused while the lock was held: a submission that waited for it would have gone through.
    assert "Measures are being imported into this report" in page
    assert Report.objects.get(pk=report.pk).state == Report.State.DRAFT
