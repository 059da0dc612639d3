"""A report's content changes only while staff may change it, and a review step never crosses a
save: every content write takes the report's row lock and checks its state under it, and
``report_transition`` takes the same lock first."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

import publication.services
from measures.models import Change, Measure, Report
from measures.report_format import measure_to_data, report_to_data
from measures.selectors import report_document
from measures.services import (
    analysis_result_save,
    issue_groups_save,
    measure_create,
    measure_delete,
    measure_move,
    measure_restore,
    measure_update,
    measures_import,
    report_update,
    round_delete,
    round_save,
)
from measures.services import editing as editing_services
from publication.models import Transition
from publication.services import report_submit
from tests.factories import (
    MeasureFactory,
    ReportFactory,
    UserFactory,
    fiscal_year_with_framework,
)

LATE = "แก้ไขหลังส่งตรวจ"
AS_OF = datetime.date(2025, 3, 31)  # inside fiscal year 2568
WAIT = 10  # seconds: a thread that waits longer than this means the test is broken

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (CI runs the suite on it); SQLite locks the whole file",
)


def _setup() -> dict:
    """A draft report with two measures, a round, an issue, a deleted measure to restore."""
    fiscal_year_with_framework(2567)
    report = ReportFactory()
    first = MeasureFactory(report=report, position=1)
    MeasureFactory(report=report, position=2)
    gone = MeasureFactory(report=report, position=3)
    measure_delete(measure=gone, user=None)
    round_save(report=report, number=None, label="รอบ ๖ เดือน", as_of=AS_OF, entries=[], user=None)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    return {
        "report": Report.objects.get(pk=report.pk),
        "measure": Measure.objects.get(pk=first.pk),
        "deleted": Change.objects.get(action=Change.Action.DELETED),
        "admin": admin,
    }


# Every service that changes what a report says, called as staff's pages call it.
WRITES = {
    "measure_create": lambda s: measure_create(report=s["report"], data={"title": LATE}, user=None),
    "measure_update": lambda s: measure_update(
        measure=s["measure"],
        data={**measure_to_data(measure=s["measure"]), "title": LATE},
        expected_version=s["measure"].version,
        user=None,
    ),
    "measure_delete": lambda s: measure_delete(measure=s["measure"], user=None),
    "measure_move": lambda s: measure_move(measure=s["measure"], offset=1, user=None),
    "measure_restore": lambda s: measure_restore(change=s["deleted"], user=None),
    "report_update": lambda s: report_update(report=s["report"], values={"title": LATE}, user=None),
    "measures_import": lambda s: measures_import(
        report=s["report"], imported={"measures": [{"title": LATE}]}, replace=False, user=None
    ),
    "measures_import_replace": lambda s: measures_import(
        report=s["report"], imported={"measures": [{"title": LATE}]}, replace=True, user=None
    ),
    "round_save": lambda s: round_save(
        report=s["report"], number=None, label=LATE, as_of=AS_OF, entries=[], user=None
    ),
    "round_delete": lambda s: round_delete(report=s["report"], number=1, user=None),
    "analysis_result_save": lambda s: analysis_result_save(
        report=s["report"], data={"fiscal_year": 2567, "overall": "91.50"}, user=None
    ),
    "issue_groups_save": lambda s: issue_groups_save(
        report=s["report"], groups=[{"id": None, "title": LATE, "kind": ""}], user=None
    ),
}


def _content(report: Report) -> dict:
    return report_to_data(report=report_document(pk=report.pk))


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES)
def test_a_report_under_review_refuses_every_content_write(write):
    setup = _setup()
    report = setup["report"]
    before = _content(report)
    Report.objects.filter(pk=report.pk).update(state=Report.State.SUBMITTED)

    # The caller still holds the report as it was when its page was opened: a draft.
    with pytest.raises(ValidationError) as refused:
        WRITES[write](setup)

    assert refused.value.code == "not_editable"
    assert _content(report) == before


def _run(target, outcome: dict, key: str):
    def body():
        try:
            outcome[key] = target()
        except Exception as error:  # noqa: BLE001 - the test reads what happened
            outcome[key] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", WRITES)
def test_a_write_waits_for_a_transition_in_flight_and_is_then_refused(write, monkeypatch):
    setup = _setup()
    report = setup["report"]
    before = _content(report)
    inside, release = threading.Event(), threading.Event()
    checked = publication.services.action_check

    def paused_check(*args, **kwargs):
        checked(*args, **kwargs)
        inside.set()  # the transition holds the report's lock now
        assert release.wait(WAIT)

    monkeypatch.setattr(publication.services, "action_check", paused_check)
    outcome = {}
    move = _run(
        lambda: report_submit(report=report, user=setup["admin"], reason="ส่งตรวจ"),
        outcome,
        "submit",
    )
    assert inside.wait(WAIT)
    save = _run(lambda: WRITES[write](setup), outcome, "write")

    save.join(0.5)
    still_waiting = save.is_alive()
    release.set()
    move.join(WAIT)
    save.join(WAIT)

    assert still_waiting, f"{write} did not wait for the transition: {outcome.get('write')!r}"
    assert isinstance(outcome["submit"], Transition)
    assert isinstance(outcome["write"], ValidationError), outcome["write"]
    assert _content(report) == before
    assert Report.objects.get(pk=report.pk).state == Report.State.SUBMITTED


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_transition_waits_for_a_save_in_flight(monkeypatch):
    setup = _setup()
    report, measure = setup["report"], setup["measure"]
    inside, release = threading.Event(), threading.Event()
    upsert = editing_services._measure_upsert

    def paused_upsert(*args, **kwargs):
        inside.set()  # the save is inside its transaction, writing
        assert release.wait(WAIT)
        return upsert(*args, **kwargs)

    monkeypatch.setattr(editing_services, "_measure_upsert", paused_upsert)
    outcome = {}
    save = _run(lambda: WRITES["measure_update"](setup), outcome, "write")
    assert inside.wait(WAIT)
    move = _run(
        lambda: report_submit(report=report, user=setup["admin"], reason="ส่งตรวจ"),
        outcome,
        "submit",
    )

    move.join(0.5)
    still_waiting = move.is_alive()
    release.set()
    save.join(WAIT)
    move.join(WAIT)

    assert still_waiting, "the submission did not wait for the save in flight"
    assert isinstance(outcome["write"], Measure), outcome["write"]
    assert isinstance(outcome["submit"], Transition), outcome["submit"]
    # The save landed before the move: what was submitted is what the history says.
    saved = Change.objects.get(measure=measure, action=Change.Action.UPDATED)
    submitted = Transition.objects.get(report=report, to_state=Report.State.SUBMITTED)
    assert saved.created_at < submitted.created_at
    assert Measure.objects.get(pk=measure.pk).title == LATE


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_save_that_began_before_the_submission_cannot_land_after_it(monkeypatch):
    """The editor's page checked the report was a draft; the reviewer's move commits before the
    editor's write reaches the database: the write is refused, the submitted report unchanged."""
    setup = _setup()
    report = setup["report"]
    before = _content(report)
    checked, release = threading.Event(), threading.Event()

    def editor_request():
        with transaction.atomic():  # as the request's transaction (ATOMIC_REQUESTS)
            assert Report.objects.get(pk=report.pk).state == Report.State.DRAFT
            checked.set()
            assert release.wait(WAIT)
            return WRITES["measure_update"](setup)

    outcome = {}
    save = _run(editor_request, outcome, "write")
    assert checked.wait(WAIT)
    report_submit(report=report, user=setup["admin"], reason="ส่งตรวจ")
    release.set()
    save.join(WAIT)

    assert isinstance(outcome["write"], ValidationError), outcome["write"]
    assert _content(report) == before
