"""/metrics: Prometheus's text with the requests, the database, the tasks and the publications,
for the addresses allowed (loopback by default) or a bearer token; a 404 to anyone else."""

import re

import pytest
from celery import current_app
from django.test import Client

from measures.models import Report
from publication import services, tasks
from tests.factories import MeasureFactory, ReportFactory, UserFactory, publish

pytestmark = pytest.mark.django_db

OUTSIDE = "203.0.113.9"


def scrape(client=None, **headers) -> str:
    client = client or Client()
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def value(text: str, name: str, **labels) -> float:
    """The sample ``name`` with (at least) ``labels``; 0 when there is none yet."""
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}(?:{{(.*)}})? (\S+)", line)
        if match and all(f'{k}="{v}"' in (match[1] or "") for k, v in labels.items()):
            return float(match[2])
    return 0.0


def test_requests_latency_and_queries_are_counted(client):
    before = scrape()
    assert client.get("/").status_code == 200
    after = scrape()
    assert value(after, "django_http_responses_total_by_status_total", status="200") > value(
        before, "django_http_responses_total_by_status_total", status="200"
    )
    assert value(after, "django_http_requests_latency_seconds_by_view_method_count") > 0
    assert value(after, "django_db_execute_total", alias="default") > value(
        before, "django_db_execute_total", alias="default"
    )


def test_publications_and_published_versions(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "version_pdf_queue", lambda *, version_pk: None)
    report = ReportFactory(agency__slug="nong-lom")
    MeasureFactory.create_batch(2, report=report)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    before = scrape()
    assert value(before, "ita_published_versions") == 0

    with django_capture_on_commit_callbacks(execute=True):
        publish(report, admin)

    after = scrape()
    assert value(after, "ita_published_versions") == 1
    published = "ita_publications_total"
    assert (
        value(after, published, document="report")
        == value(before, published, document="report") + 1
    )
    assert Report.objects.get(pk=report.pk).state == Report.State.PUBLISHED


@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_tasks_are_counted_by_what_happened_to_them():
    name = tasks.render_version_pdf.name
    before = scrape()
    tasks.render_version_pdf.apply(args=[0])  # run by Celery: no such version, nothing to do
    current_app.send_task(name, args=[0])  # sent to the broker (in memory here)
    after = scrape()
    for state in ("started", "succeeded", "queued"):
        assert value(after, "ita_tasks_total", task=name, state=state) == (
            value(before, "ita_tasks_total", task=name, state=state) + 1
        ), state


@pytest.mark.parametrize(
    "remote, headers",
    [
        (OUTSIDE, {}),
        # Relayed by a reverse proxy on this machine: its address is loopback, not the caller's.
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": OUTSIDE}),
        (OUTSIDE, {"HTTP_AUTHORIZATION": "Bearer wrong"}),
    ],
)
def test_refused_to_others(settings, remote, headers):
    settings.METRICS_TOKEN = "s3cret-token"
    response = Client().get("/metrics", REMOTE_ADDR=remote, **headers)
    assert response.status_code == 404
    assert b"django_http" not in response.content


def test_a_token_or_an_allowed_network_lets_in(settings):
    settings.METRICS_TOKEN = "s3cret-token"
    response = Client().get(
        "/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer s3cret-token"
    )
    assert response.status_code == 200 and b"ita_published_versions" in response.content
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["203.0.113.0/24"]
    assert Client().get("/metrics", REMOTE_ADDR=OUTSIDE).status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="198.51.100.1").status_code == 404


def test_health_and_metrics_skip_the_https_redirect(settings):
    """The load balancer and Prometheus ask each web server over plain http."""
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/").status_code == 301
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/health/web/?format=json").status_code in {200, 503}
