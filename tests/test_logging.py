"""The console log: one line per refused request, no traceback for a 4xx, nothing printed twice."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

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


# -- Structured logs (LOG_FORMAT=json) -------------------------------------------------------------


@pytest.fixture
def json_console(settings, console):
    """The console as LOG_FORMAT=json has it: the JSON formatter, a line for every request."""
    settings.LOGGING = {
        **settings.LOGGING,
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {**settings.LOGGING["loggers"], "ita_portal.request": {"level": "INFO"}},
    }
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    for handler in logging.getLogger().handlers:
        handler.setStream(console.stream)
    console.read()
    return console


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]  # each line is one object


@pytest.mark.django_db
def test_each_request_is_one_json_line_with_the_callers_request_id(client, json_console):
    response = client.get("/browse/", HTTP_X_REQUEST_ID="lb-7f3a:42")

    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a:42"
    (line,) = [e for e in json_lines(json_console.read()) if e["logger"] == "ita_portal.request"]
    assert line["request_id"] == "lb-7f3a:42"
    assert line["path"] == "/browse/" and line["method"] == "GET" and line["status"] == 200
    assert line["level"] == "INFO" and line["message"] == "GET /browse/ 200"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert datetime.fromisoformat(line["time"]).tzinfo is not None


@pytest.mark.django_db
@pytest.mark.parametrize("sent", [None, "", "x" * 129, "a b", "<script>", "id\nforged"])
def test_a_missing_or_odd_request_id_is_replaced(client, json_console, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}
    response = client.get("/browse/", **headers)
    made = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert [e["request_id"] for e in json_lines(json_console.read())] == [made]


@pytest.mark.django_db
def test_every_line_written_for_a_request_carries_its_id(client, json_console):
    response = client.get("/no-such-agency-here/2568/", HTTP_X_REQUEST_ID="req-404")

    assert response.status_code == 404
    lines = json_lines(json_console.read())
    assert {e["logger"] for e in lines} == {"django.request", "ita_portal.request"}, lines
    assert {e["request_id"] for e in lines} == {"req-404"}
    refused = next(e for e in lines if e["logger"] == "django.request")
    assert refused["level"] == "WARNING" and refused["status"] == 404
    assert "exception" not in refused  # a refusal is one line, as on the console


def test_a_server_error_keeps_its_traceback_in_json(json_console):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("django.request").error(
            "Internal Server Error: /x/", exc_info=True, extra={"status_code": 500}
        )
    (line,) = json_lines(json_console.read())
    assert line["request_id"] is None and line["status"] == 500
    assert "ValueError: boom" in line["exception"]


def test_log_format_json_is_what_the_settings_configure():
    """LOG_FORMAT=json, read from the environment as in production: the process's own log."""
    code = "import logging; logging.getLogger('ita_portal.x').warning('ไทย %s', 1)"
    env = {**os.environ, "LOG_FORMAT": "json", "DEBUG": "true"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    (line,) = [json.loads(text) for text in done.stderr.splitlines() if text.startswith("{")]
    assert line["message"] == "ไทย 1" and line["level"] == "WARNING"
    assert line["logger"] == "ita_portal.x" and line["request_id"] is None
