"""An editor's save in flight while the report is submitted: refused, with what was typed kept."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

import measures.services
from accounts.models import Membership
from measures.models import Measure, Report
from publication.services import report_submit
from tests.factories import MeasureFactory, ReportFactory, UserFactory
from tests.staff.test_measure_conflict import form_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (CI runs the suite on it); SQLite locks the whole file",
    ),
]
WAIT = 10


def test_a_save_caught_by_the_submission_is_refused_and_the_text_kept(monkeypatch):
    report = ReportFactory()
    measure = MeasureFactory(report=report, title="มาตรการเดิม")
    editor = UserFactory(username="editor")
    Membership.objects.create(user=editor, agency=report.agency, role=Membership.Role.EDITOR)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    url = f"/staff/reports/{report.pk}/measures/{measure.pk}/"
    client = Client()
    client.force_login(editor)
    typed, _ = form_of(client.get(url))
    typed["title"] = ["มาตรการที่แก้ขณะส่งตรวจ"]

    # The request checked the report was a draft and read the form; the save itself waits.
    reached, release = threading.Event(), threading.Event()
    update = measures.services.measure_update

    def late_update(**kwargs):
        reached.set()
        assert release.wait(WAIT)
        return update(**kwargs)

    monkeypatch.setattr(measures.services, "measure_update", late_update)
    outcome = {}

    def save():
        try:
            outcome["response"] = client.post(url, typed)
        finally:
            connections.close_all()

    thread = threading.Thread(target=save, daemon=True)
    thread.start()
    assert reached.wait(WAIT)
    report_submit(report=report, user=admin, reason="ส่งตรวจ")
    release.set()
    thread.join(WAIT)

    response = outcome["response"]
    assert response.status_code == 200
    assert "not_editable" in [e.code for e in response.context["form"].non_field_errors().as_data()]
    assert "มาตรการที่แก้ขณะส่งตรวจ" in response.content.decode()  # typed, not lost
    assert Measure.objects.get(pk=measure.pk).title == "มาตรการเดิม"
    assert Report.objects.get(pk=report.pk).state == Report.State.SUBMITTED
