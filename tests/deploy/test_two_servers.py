"""Two web servers, one site (issue 14.1): two gunicorn instances on two ports share PostgreSQL,
Redis (cache, sessions, Celery's broker) and an S3-compatible store (moto's server), each started
here on a free loopback port, with a Celery worker that renders the PDF. A report published
through the staff's forms on one server reads the same, byte for byte, at every public address
on the other; no server writes a file under its own folder, and a login on one is a login on
the other.

The worker is a real one (REDIS_URL set is production's shape: tasks go to Redis, never to a
thread of the web process), so the PDF is rendered and sealed by a third process whose only
way to the seal's key and to the stored files is the object store.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .ops_parts import (
    ROOT,
    bucket_create,
    bucket_settings,
    celery_worker,
    gunicorn,
    moto_server,
    portal_env,
    redis_server,
    wait_until,
)

BUCKET = "ita-two-servers"
AGENCY, YEAR = "nong-samet", 2567  # the smallest seed report: two measures
PASSWORD = "ita-demo-2568"  # load_demo's
PUBLIC_BASE_URL = "https://ita.example.org"
# The site's name, as the load balancer passes it to either server: a page's addresses (and
# its QR code) are drawn from the host it was asked for.
HOST = "ita.localhost"


def _postgres_url() -> str:
    """The test's own database on the PostgreSQL the suite uses (or the machine's)."""
    configured = os.environ.get("DATABASE_URL", "")
    base = configured if configured.startswith("postgres") else ""
    base = base or "postgres://postgres@127.0.0.1:5432/ita_portal"
    parts = urlsplit(base)
    return parts._replace(path=f"{parts.path.rstrip('/')}_two_servers").geturl()


def _psql(url: str, sql: str) -> str:
    """Run ``sql`` on the server's maintenance database."""
    maintenance = urlsplit(url)._replace(path="/postgres").geturl()
    done = subprocess.run(
        ["psql", maintenance, "-tAc", sql], capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return done.stdout.strip()


def _manage(env: dict, *args: str, settings: str | None = None) -> subprocess.Popen:
    if settings:
        env = {**env, "DJANGO_SETTINGS_MODULE": settings}
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(process: subprocess.Popen, what: str) -> None:
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, f"{what} failed:\n{output[-3000:]}"


def _files_under(folder: Path) -> list[str]:
    return sorted(str(path) for path in folder.rglob("*") if path.is_file())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not shutil.which("psql"):
        pytest.skip("psql is not installed")
    database = _postgres_url()
    name = urlsplit(database).path.lstrip("/")
    try:
        _psql(database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # this test's own
        _psql(database, f'CREATE DATABASE "{name}"')
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"no PostgreSQL to create {name} on: {error}")

    folder = tmp_path_factory.mktemp("two-servers")
    started, commands = [], []  # stopped at the end, whatever happened
    try:
        redis, store = redis_server(folder), moto_server(folder)
        started += [redis, store]
        redis.start()
        store.start()
        endpoint = f"http://127.0.0.1:{store.port}"
        bucket_create(endpoint, BUCKET)

        def env_for(part: str) -> dict:
            # Production's settings (DEBUG off, collected static files), plain http on loopback.
            return portal_env(
                DEBUG="false",
                SECRET_KEY="two-servers-test-key-not-for-production-use-0123456789",
                ALLOWED_HOSTS=HOST,
                SECURE_SSL_REDIRECT="false",
                SESSION_COOKIE_SECURE="false",
                CSRF_COOKIE_SECURE="false",
                SECURE_HSTS_SECONDS="0",
                PROXY_COUNT="0",
                DATABASE_URL=database,
                REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
                **bucket_settings(endpoint, BUCKET),
                DOWNLOADS_REDIRECT="false",
                SENDFILE_HEADER="",
                SEAL_CERTIFICATE="",
                SEAL_KEY="",
                STATIC_ROOT=folder / "static",
                MEDIA_ROOT=folder / part / "media",
                PUBLIC_BASE_URL=PUBLIC_BASE_URL,
                LOG_LEVEL="WARNING",
            )

        # The static files' manifest, as collectstatic writes it, without WhiteNoise's gzip and
        # brotli copies (a minute and a half of compression, which serving does not need).
        (folder / "collect_settings.py").write_text(
            "from ita_portal.settings import *  # noqa: F403\n"
            'STORAGES = {**STORAGES, "staticfiles": {"BACKEND": '  # noqa: F405
            '"django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}\n'
        )
        collect_env = {**env_for("collect"), "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}"}
        collect = _manage(
            collect_env, "collectstatic", "--noinput", "-v0", settings="collect_settings"
        )
        commands.append(collect)
        setup = env_for("setup")
        commands.append(_manage(setup, "migrate", "-v0"))
        _finish(commands[-1], "migrate")
        # The five seed reports as drafts, their users, and the demo seal (into the store).
        commands.append(_manage(setup, "load_demo", "--seeds-only", "--no-publish"))
        _finish(commands[-1], "load_demo")
        _finish(collect, "collectstatic")

        a, b = gunicorn(folder, env_for("server-a")), gunicorn(folder, env_for("server-b"))
        worker = celery_worker(folder, env_for("worker"))
        started += [a, b, worker]
        with ThreadPoolExecutor(max_workers=3) as pool:
            list(pool.map(lambda process: process.start(), (a, b, worker)))
        yield {
            "a": f"http://127.0.0.1:{a.port}",
            "b": f"http://127.0.0.1:{b.port}",
            "folder": folder,
            "endpoint": endpoint,
            "redis_port": redis.port,
            "database": database,
        }
    finally:
        # All at once; gunicorn and Celery at once too (SIGQUIT: no wait for open connections).
        def stop(process):
            quick = process.args[0].endswith(("gunicorn", "celery"))
            process.stop(signal.SIGQUIT if quick else signal.SIGTERM)

        with ThreadPoolExecutor(max_workers=len(started) or 1) as pool:
            list(pool.map(stop, started))
        for command in commands:
            if command.poll() is None:
                command.kill()
                command.wait()
        _psql(database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- Through the staff's forms on A and B, then every public address on both -----------------------


def _csrf_post(session, url: str, data: dict):
    """A form's POST as the browser sends it: the CSRF cookie's token, no redirect followed."""
    data = {**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    return session.post(url, data=data, headers={"Referer": url}, allow_redirects=False)


def _session():
    import requests

    session = requests.Session()
    session.headers["Host"] = HOST
    return session


def _log_in(base: str):
    session = _session()
    assert session.get(f"{base}/accounts/login/", timeout=30).status_code == 200
    answer = _csrf_post(
        session, f"{base}/accounts/login/", {"username": "admin", "password": PASSWORD}
    )
    assert answer.status_code == 302, answer.text[-2000:]
    return session


def _report_pk(database: str) -> int:
    sql = (
        "SELECT r.id FROM measures_report r JOIN measures_agency a ON a.id = r.agency_id "
        "JOIN measures_fiscalyear f ON f.id = r.fiscal_year_id "
        f"WHERE a.slug = '{AGENCY}' AND f.year = {YEAR}"
    )
    done = subprocess.run(
        ["psql", database, "-tAc", sql], capture_output=True, text=True, check=True, timeout=60
    )
    return int(done.stdout.strip())


def _take(session, base: str, pk: int, action: str) -> None:
    """Press ``action``'s button on the report's staff page."""
    page = session.get(f"{base}/staff/reports/{pk}/", timeout=30)
    assert page.status_code == 200
    assert f'value="{action}"' in page.text, f"no {action} button on {base}"
    reason = "เอกสารทดสอบการเผยแพร่บนสองเครื่อง"
    answer = _csrf_post(
        session, f"{base}/staff/reports/{pk}/transition/", {"action": action, "reason": reason}
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/reports/{pk}/")


@pytest.fixture(scope="module")
def published(site):
    """The report published as version 1: submitted and published on A, approved on B with
    the login made on A; its PDF rendered by the worker."""
    pk = _report_pk(site["database"])
    staff = _log_in(site["a"])
    _take(staff, site["a"], pk, "submit")
    _take(staff, site["b"], pk, "approve")  # the session made on A, read on B
    _take(staff, site["a"], pk, "publish")

    def pdf_ready():
        answer = _session().get(f"{site['b']}/{AGENCY}/{YEAR}/v1.pdf", timeout=30)
        assert answer.status_code in (200, 503), answer.status_code
        return answer.status_code == 200

    wait_until(pdf_ready, what="the worker to store the PDF", timeout=120)
    return {**site, "staff": staff}


# Each public address of the version, and whether it is a stored file (served byte for byte).
ADDRESSES = [
    (f"/{AGENCY}/{YEAR}/", False),
    (f"/{AGENCY}/{YEAR}/v1/", False),
    *((f"/{AGENCY}/{YEAR}.{kind}", True) for kind in ("pdf", "json", "csv", "xlsx", "docx")),
    *((f"/{AGENCY}/{YEAR}/v1.{kind}", True) for kind in ("pdf", "json", "csv", "xlsx", "docx")),
]
# What a page draws for its visitor alone: the CSRF token of its forms.
PER_VISITOR = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _get(base: str, path: str):
    answer = _session().get(base + path, timeout=60, allow_redirects=False)
    assert answer.status_code == 200, (base + path, answer.status_code, answer.text[-1500:])
    return answer


def test_every_public_address_reads_the_same_on_both_servers(published):
    for path, stored in ADDRESSES:
        on_b = _get(published["b"], path)  # the server that did not publish it, first
        on_a = _get(published["a"], path)
        if stored:
            assert on_b.content == on_a.content, path
            for header in ("Content-Type", "Content-Length", "ETag", "Content-Disposition"):
                assert on_b.headers.get(header) == on_a.headers.get(header), (path, header)
            assert int(on_b.headers["Content-Length"]) == len(on_b.content) > 0
        else:
            page_b, page_a = (PER_VISITOR.sub("", answer.text) for answer in (on_b, on_a))
            assert page_b == page_a, path
            assert "ฉบับที่" in page_b  # the version's own page, not an error page


def test_the_stored_files_are_in_the_bucket_and_served_as_stored(published):
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=published["endpoint"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
    folder = f"media/published/{AGENCY}/{YEAR}"
    for kind in ("pdf", "json", "csv", "xlsx"):
        key = f"{folder}/v1.{kind}"
        assert key in keys
        stored = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        assert _get(published["b"], f"/{AGENCY}/{YEAR}/v1.{kind}").content == stored
    # The demo seal, which the worker sealed the PDF with: in the store, never served.
    assert {"private/seal/certificate.pem", "private/seal/key.pem"} <= keys


def test_the_pdf_sealed_by_the_worker_verifies_on_both_servers(published):
    import hashlib

    pdf = _get(published["a"], f"/{AGENCY}/{YEAR}/v1.pdf").content
    for base in (published["b"], published["a"]):
        visitor = _session()
        assert visitor.get(f"{base}/verify/", timeout=30).status_code == 200
        answer = _csrf_post(visitor, f"{base}/verify/", {"sha256": hashlib.sha256(pdf).hexdigest()})
        assert answer.status_code == 200
        assert f"/{AGENCY}/{YEAR}/v1/" in answer.text  # found: this version
        assert '<p class="text-success">' in answer.text  # the portal's seal, valid


def test_no_server_wrote_a_file_of_its_own(published):
    folder = published["folder"]
    for part in ("server-a", "server-b", "worker", "setup"):
        assert _files_under(folder / part) == [], part


def test_a_login_on_one_server_is_a_login_on_the_other_kept_in_redis(published):
    import redis

    staff = published["staff"]
    key = staff.cookies["sessionid"]
    for base in (published["b"], published["a"]):
        answer = staff.get(f"{base}/staff/", timeout=30, allow_redirects=False)
        assert answer.status_code == 200 and "admin" in answer.text
    cached = redis.Redis(port=published["redis_port"]).keys(f"*{key}*")
    assert cached, "the session is not in Redis"
