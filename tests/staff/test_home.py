"""The staff home (issue 15.1): each report's state and the next step of the user's role, its
open comments, deadline and progress, in a number of queries that does not grow with the reports;
the review menu only for those who review; the PDF status address open to all, as the PDF is."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import Membership
from accounts.services import membership_grant, review_scope_grant
from measures.models import MeasureRound, ProgressRound, Report
from publication import services
from staff.home import home_reports
from tests.factories import (
    MeasureFactory,
    MeasureItemFactory,
    ReportFactory,
    ResponsibleFactory,
    UserFactory,
    publish,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 4, 20)  # ten days before FY 2568's OIT deadline (30 April 2568)


@pytest.fixture
def report():
    report = ReportFactory(agency__slug="nong-lom")
    for _ in range(3):
        measure = MeasureFactory(report=report)
        MeasureItemFactory(measure=measure)
        ResponsibleFactory(measure=measure)
    return report


@pytest.fixture
def people(report):
    """One user of each role around the report's agency, and one of another agency."""
    agency = report.agency
    users = {name: UserFactory(username=name) for name in ("editor", "approver", "reviewer")}
    membership_grant(user=users["editor"], agency=agency, role=Membership.Role.EDITOR)
    membership_grant(user=users["approver"], agency=agency, role=Membership.Role.APPROVER)
    review_scope_grant(user=users["reviewer"], province=agency.province)
    users["admin"] = UserFactory(username="admin", is_superuser=True, is_staff=True)
    users["stranger"] = UserFactory(username="stranger")
    other = ReportFactory(agency__slug="other-place")
    membership_grant(user=users["stranger"], agency=other.agency, role=Membership.Role.EDITOR)
    return users


def row_of(user, report):
    rows = [row for row in home_reports(user=user, today=TODAY) if row["report"] == report]
    return rows[0] if rows else None


NEXT_STEPS = {
    # state: {role: the next step it is told}
    Report.State.DRAFT: {
        "editor": "Complete the measures and submit for review",
        "approver": "Waiting for the editors to submit it",
        "reviewer": "Waiting for the editors to submit it",
    },
    Report.State.RETURNED: {
        "editor": "Revise as commented and submit again",
        "approver": "Waiting for the editors to revise it",
        "reviewer": "Waiting for the editors to revise it",
    },
    Report.State.SUBMITTED: {
        "editor": "Waiting for review",
        "approver": "Review and approve",
        "reviewer": "Review and approve",
        "admin": "Review and approve",
    },
    Report.State.APPROVED: {
        "editor": "Publish the approved report",
        "approver": "Publish the approved report",
        "reviewer": "Waiting to be published",
    },
    Report.State.PUBLISHED: {
        "editor": "Published: nothing to do",
        "reviewer": "Published: nothing to do",
    },
}


@pytest.mark.parametrize("state", list(NEXT_STEPS))
def test_each_role_is_told_its_next_step(report, people, state):
    Report.objects.filter(pk=report.pk).update(state=state)
    for role, step in NEXT_STEPS[state].items():
        with translation.override("en"):
            row = row_of(people[role], report)
        assert row["next_step"] == step, role
        assert row["mine"] == (not step.startswith(("Waiting", "Published"))), role
    assert row_of(people["stranger"], report) is None


def test_a_returned_report_is_not_drawn_as_a_draft(report, people):
    Report.objects.filter(pk=report.pk).update(state=Report.State.DRAFT)
    draft = row_of(people["editor"], report)["state_badge"]
    Report.objects.filter(pk=report.pk).update(state=Report.State.RETURNED)
    assert row_of(people["editor"], report)["state_badge"] != draft


def test_comments_deadline_and_progress(report, people):
    admin = people["admin"]
    services.comment_add(report=report, user=admin, text="ขอให้ระบุผู้รับผิดชอบ")
    resolved = services.comment_add(report=report, user=admin, text="แก้คำผิด")
    services.comment_resolve(comment=resolved, user=admin)
    first = ProgressRound.objects.create(
        report=report, number=1, label="รอบ ๖ เดือน", as_of=datetime.date(2025, 3, 31)
    )
    MeasureRound.objects.create(measure=report.measures.first(), round=first, progress="done")
    row = row_of(people["editor"], report)
    assert row["open_comments"] == 1
    assert row["days_left"] == 10 and row["days_late"] == 0
    assert (row["reported"], row["measures"]) == (1, 3)
    late = home_reports(user=people["editor"], today=datetime.date(2025, 5, 3))[0]
    assert late["days_late"] == 3


def test_the_home_asks_as_many_queries_for_three_reports_as_for_one(report, people):
    def queries() -> int:
        client = Client()
        client.force_login(people["reviewer"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/staff/").status_code == 200
        return len(captured)

    one = queries()
    province = report.agency.province
    for slug in ("second", "third"):
        more = ReportFactory(agency__slug=slug, agency__province=province)
        for _ in range(4):
            measure = MeasureFactory(report=more)
            MeasureItemFactory(measure=measure)
        services.comment_add(report=more, user=people["admin"], text="ความเห็น")
    assert len(home_reports(user=people["reviewer"], today=TODAY)) == 3
    assert queries() == one


@pytest.mark.parametrize(
    "role, sees_review",
    [
        ("editor", False),
        ("stranger", False),
        ("approver", True),
        ("reviewer", True),
        ("admin", True),
    ],
)
def test_the_review_menu_is_for_those_who_review(people, role, sees_review):
    client = Client()
    client.force_login(people[role])
    page = client.get("/staff/").content.decode()
    assert 'href="/staff/"' in page
    assert ('href="/staff/review/"' in page) == sees_review


def test_the_pdf_status_is_open_to_everyone_as_the_pdf_is(report, people):
    status = f"/nong-lom/{report.fiscal_year.year}/v1/pdf-status.json"
    for role in (None, *people):
        client = Client()
        if role:
            client.force_login(people[role])
        assert client.get(status).status_code == 404, role  # not published: not there at all
    publish(report, people["admin"])  # the tests render at once (tests/conftest.py)
    for role in (None, *people):
        client = Client()
        if role:
            client.force_login(people[role])
        response = client.get(status)
        assert response.status_code == 200, role
        assert response.json() == {"state": "ready", "url": "/nong-lom/2568/v1.pdf"}
        assert "no-cache" in response["Cache-Control"]
        assert client.get(status.replace("v1", "v2")).status_code == 404


def test_the_pdf_status_says_preparing_until_the_pdf_is_stored(report, people, monkeypatch):
    queued = []
    monkeypatch.setattr("publication.tasks.task_defer", lambda task, *args: queued.append(args))
    publish(report, people["admin"])
    response = Client().get("/nong-lom/2568/v1/pdf-status.json")
    assert response.json() == {"state": "preparing"}
    page = Client().get("/nong-lom/2568/").content.decode()
    assert "กำลังจัดทำ PDF" in page and "data-pdf-status-url" in page
