"""Two editors saving one measure at the same moment, on the real database."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from measures.models import Measure, Report
from measures.report_format import measure_to_data
from measures.services import EditConflict, measure_update

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (CI runs the suite on it); SQLite locks the whole file",
    ),
]


def test_simultaneous_saves_one_wins_the_other_is_refused(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    measure = Report.objects.get(agency__slug="nong-lom").measures.first()
    version = measure.version
    start = threading.Barrier(2)
    outcome = {}

    def save(name: str):
        data = measure_to_data(measure=measure)
        data["title"] = f"ฉบับของ {name}"
        start.wait()
        try:
            measure_update(measure=measure, data=data, expected_version=version, user=None)
            outcome[name] = "saved"
        except EditConflict:
            outcome[name] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("ก", "ข")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcome.values()) == ["refused", "saved"]
    winner = next(name for name, result in outcome.items() if result == "saved")
    saved = Measure.objects.get(pk=measure.pk)
    assert saved.title == f"ฉบับของ {winner}" and saved.version == version + 1
