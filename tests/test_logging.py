"""The console log: one line per refused request, no traceback for a 4xx, nothing printed twice."""

import io
import logging

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils.log import configure_logging

from measures.models import Report


class Console:
    """Everything the portal's log handlers print, as `make run` has them (DEBUG on)."""

    def __init__(self):
        self.stream = io.StringIO()

    def read(self) -> str:
        text = self.stream.getvalue()
        self.stream.seek(0)
        self.stream.truncate()
        return text


@pytest.fixture
def console(settings):
    settings.DEBUG = True  # Django's own console handler only prints under DEBUG
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    console = Console()
    loggers = [logging.getLogger(), *map(logging.getLogger, logging.root.manager.loggerDict)]
    for handler in {h for logger in loggers for h in logger.handlers}:
        if type(handler) is logging.StreamHandler:
            handler.setStream(console.stream)
    yield console
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def lines_of(output: str, text: str) -> list[str]:
    return [line for line in output.splitlines() if text in line]


def test_a_csrf_refusal_is_logged_once(console):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert response.status_code == 403
    err = console.read()
    assert len(lines_of(err, "Forbidden (CSRF cookie not set.): /accounts/login/")) == 1, err


@pytest.mark.django_db
def test_a_permission_refusal_is_one_line_without_a_traceback(client, console):
    call_command("load_demo", "--seeds-only", "--no-publish", stdout=io.StringIO())
    report = Report.objects.get(agency__slug="nong-lom")
    client.login(username="nong-lom-approver", password="ita-demo-2568")
    console.read()

    response = client.get(f"/staff/reports/{report.pk}/edit/")

    assert response.status_code == 403
    err = console.read()
    assert len(lines_of(err, f"/staff/reports/{report.pk}/edit/")) == 1, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_a_server_error_keeps_its_traceback(console):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("django.request").error(
            "Internal Server Error: /x/", exc_info=True, extra={"status_code": 500}
        )
    err = console.read()
    assert "Traceback" in err and err.count("Internal Server Error: /x/") == 1, err
