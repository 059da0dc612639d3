"""Kill -9 a Celery worker while it renders a long report's PDF: the version stays "being
prepared", and once another worker runs it renders it; exactly one PDF is stored.

Real parts: Redis (database 11 of the server on 127.0.0.1:6379, emptied here) as the broker and
cache, the test's own PostgreSQL database read by the worker processes (so the test commits:
``transaction=True``), ``celery -A ita_portal worker --pool prefork`` in processes of their own,
killed by their process group.
"""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client

from measures.models import MeasureItem, Report
from publication import tasks
from publication.models import PublishedVersion
from tests.factories import MeasureFactory, ReportFactory, UserFactory

from .ops_parts import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/11"
MEASURES = 200  # about 15 s to render: long enough to be killed in the middle
FOLDER = "published/nong-lom/2568"


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return client


def _database_url() -> str:
    if connection.vendor != "postgresql":
        pytest.skip("the worker processes read the test database: PostgreSQL only")
    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    where = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{where}/{db['NAME']}"  # the test database: test_…


@pytest.fixture
def broker():
    client = _redis()
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def worker_env(broker, settings):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "DATABASE_", "REDIS_", "CELERY_", "DJANGO_"))
    }
    env.update(
        DEBUG="true",
        DATABASE_URL=_database_url(),
        REDIS_URL=REDIS,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),  # the test's folder: it lists what was stored
        LOG_LEVEL="INFO",
        # Redis gives a message whose worker died to another after this many seconds.
        CELERY_VISIBILITY_TIMEOUT="10",
        CELERY_RESTORE_INTERVAL="1",
        CELERY_RESTORE_THROTTLE="1",
    )
    return env


class Worker:
    """``celery worker`` in a process group of its own, its output in ``log``."""

    def __init__(self, name: str, *, env: dict, log: Path):
        args = [str(Path(sys.executable).parent / "celery"), "-A", "ita_portal", "worker"]
        args += ["--concurrency", "1", "--pool", "prefork", "--loglevel", "INFO"]
        args += ["--hostname", f"{name}@%h", "--without-gossip", "--without-mingle"]
        self.log = log
        with log.open("ab") as out:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                args,
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(
            lambda: self.logged(" ready.") or self.proc.poll() is not None,
            what=f"the worker {name} to start",
            timeout=90,
        )
        assert self.proc.poll() is None, self.log.read_text(errors="replace")[-3000:]

    def logged(self, text: str) -> bool:
        return text in self.log.read_text(errors="replace")

    def kill(self):
        """kill -9 the worker and its pool's processes (its process group)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)


@pytest.fixture
def workers(worker_env, tmp_path):
    started = []

    def start(name: str) -> Worker:
        started.append(Worker(name, env=worker_env, log=tmp_path / f"{name}.log"))
        return started[-1]

    yield start
    for worker in started:
        worker.kill()


@pytest.fixture
def sent_to_redis(monkeypatch, settings):
    """Publishing queues the render on the Redis broker, as a web server with REDIS_URL does."""
    from celery import Celery

    settings.TASKS_INLINE = False
    settings.TASKS_EAGER = False
    sender = Celery("ita-portal-test", broker=REDIS, set_as_current=False)
    sent = []

    def delay(*args):
        sent.append(args)
        sender.send_task(tasks.render_version_pdf.name, args=args)

    monkeypatch.setattr(tasks.render_version_pdf, "delay", delay)
    yield sent
    sender.close()


@pytest.fixture
def long_report():
    report = ReportFactory(agency__slug="nong-lom")
    measures = MeasureFactory.create_batch(MEASURES, report=report)
    MeasureItem.objects.bulk_create(
        MeasureItem(
            measure=measure,
            kind=MeasureItem.Kind.STEP,
            position=step,
            text=f"ขั้นตอนที่ {step} ของ{measure.title} ดำเนินการตามแผนและรายงานผลต่อผู้บริหาร",
        )
        for measure in measures
        for step in range(1, 4)
    )
    Report.objects.filter(pk=report.pk).update(state=Report.State.APPROVED)
    return report


def _pdfs_stored() -> list[str]:
    return sorted(name for name in default_storage.listdir(FOLDER)[1] if name.endswith(".pdf"))


def test_a_worker_killed_while_rendering_leaves_it_to_the_next_one(
    long_report, workers, sent_to_redis
):
    first = workers("first")
    admin = Client()
    admin.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    response = admin.post(f"/staff/reports/{long_report.pk}/transition/", {"action": "publish"})
    assert response.status_code == 302
    version = PublishedVersion.objects.get(report=long_report)
    assert sent_to_redis == [(version.pk,)]

    # The first worker takes the render; killed in the middle, with its pool process.
    rendering = f"Rendering the PDF of version {version.pk} "
    wait_until(lambda: first.logged(rendering), what="the first worker to render", timeout=90)
    time.sleep(1)  # inside WeasyPrint by now: a render takes seconds
    first.kill()

    # Nothing was stored: the version is still being prepared, for the public and the staff.
    version.refresh_from_db()
    assert not version.pdf and version.pdf_failed_at is None
    assert Client().get("/nong-lom/2568/v1.pdf").status_code == 503
    admin.cookies["django_language"] = "en"
    assert "PDF being prepared" in admin.get(f"/staff/reports/{long_report.pk}/").content.decode()

    # Another worker runs: Redis gives it the message the dead one never acknowledged.
    second = workers("second")

    def stored():
        version.refresh_from_db()
        return bool(version.pdf)

    wait_until(stored, what="the second worker to store the PDF", timeout=150)
    assert second.logged(rendering)
    assert _pdfs_stored() == ["v1.pdf"]  # exactly one PDF, under its own name
    response = Client().get("/nong-lom/2568/v1.pdf")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    response.close()
    assert body.startswith(b"%PDF-") and hashlib.sha256(body).hexdigest() == version.pdf_sha256
