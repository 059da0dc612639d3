"""The read replica (DATABASE_REPLICA_URL), served for real: gunicorn on two PostgreSQL
databases, the replica a copy of the primary made to differ from it, so that a page shows which
one it read (a province on one alone), and the server's query log says which each request used.
Public pages read the replica; a signed-in user's requests, and any request soon after the same
browser wrote, read the primary; a replica that does not answer is passed over."""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

import environ
import psycopg2
import pytest
from django.contrib.auth.hashers import make_password
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ita_portal.db_router import RECENT_WRITE_COOKIE

from .ops_parts import ROOT, free_port, gunicorn, portal_env

ONLY_PRIMARY, ONLY_REPLICA = "only-on-primary", "only-on-replica"
PASSWORD = "replica-test-pass-1"
AFTER_WRITE = 25  # REPLICA_AFTER_WRITE_SECONDS of the served portal


def server_config() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the replica is tested on PostgreSQL (DATABASE_URL)")
    return environ.Env.db_url_config(url)


def sql(config: dict, database: str, *statements, params=()):
    connection = psycopg2.connect(
        dbname=database,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params)
    connection.close()


def url_of(config: dict, database: str) -> str:
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    host = f"{config['HOST']}:{config['PORT'] or 5432}"
    return f"postgres://{config['USER']}{password}@{host}/{database}"


def province_add(config: dict, database: str, slug: str):
    sql(
        config,
        database,
        "INSERT INTO measures_province (name, slug, name_en) VALUES (%s, %s, '')",
        params=(slug, slug),
    )


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    """The primary, migrated, with a staff member; the replica, its copy; then a province
    added to each alone. Named after the run's database (DATABASE_URL), created and dropped
    here."""
    config = server_config()
    base = config["NAME"].removeprefix("test_")
    primary, replica = f"{base}_primary", f"{base}_replica"
    drop = [f'DROP DATABASE IF EXISTS "{replica}"', f'DROP DATABASE IF EXISTS "{primary}"']
    sql(config, "postgres", *drop, f'CREATE DATABASE "{primary}"')
    folder = tmp_path_factory.mktemp("replica")
    env = portal_env(DATABASE_URL=url_of(config, primary), MEDIA_ROOT=folder / "media")
    migrate = [sys.executable, "manage.py", "migrate", "-v0"]
    subprocess.run(migrate, env=env, cwd=ROOT, check=True, timeout=600)
    sql(
        config,
        primary,
        "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,"
        " is_staff, is_active, date_joined) VALUES (%s, true, 'editor', '', '', '', true, true,"
        " now())",
        params=(make_password(PASSWORD, hasher="pbkdf2_sha256"),),
    )
    sql(config, "postgres", f'CREATE DATABASE "{replica}" TEMPLATE "{primary}"')
    province_add(config, primary, ONLY_PRIMARY)
    province_add(config, replica, ONLY_REPLICA)
    yield {"config": config, "primary": primary, "replica": replica, "folder": folder}
    sql(config, "postgres", *drop)


def serve(databases, replica_url: str):
    config, folder = databases["config"], databases["folder"]
    env = portal_env(
        DATABASE_URL=url_of(config, databases["primary"]),
        DATABASE_REPLICA_URL=replica_url,
        REPLICA_AFTER_WRITE_SECONDS=AFTER_WRITE,
        MEDIA_ROOT=folder / "media",
        # Every query logged (DEBUG), with its database and its request's id (json).
        LOG_FORMAT="json",
        LOG_LEVEL="DEBUG",
    )
    return gunicorn(folder, env).start()


@pytest.fixture(scope="module")
def served(databases):
    web = serve(databases, url_of(databases["config"], databases["replica"]))
    yield web
    web.stop()


class Browser:
    """One browser: its cookies, and which databases each of its requests read (the server's
    JSON log, by the request id it sent)."""

    def __init__(self, web):
        self.web, self.base = web, f"http://127.0.0.1:{web.port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path: str, data: dict | None = None):
        """Status, body and the databases the request used."""
        request_id = uuid.uuid4().hex
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path, data=body, headers={"X-Request-ID": request_id}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                status, content = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, content = error.code, error.read().decode()
        return status, content, self.databases_of(request_id)

    def databases_of(self, request_id: str) -> set[str]:
        used = set()
        for line in self.web.log.read_text(errors="replace").splitlines():
            if not line.startswith("{"):
                continue
            entry = json.loads(line)
            if entry["request_id"] == request_id and entry["logger"] == "django.db.backends":
                used.update(re.findall(r"alias=(\w+)$", entry["message"]))
        return used

    def cookie(self, name: str):
        return next((c for c in self.cookies if c.name == name), None)

    def forget(self, name: str):
        cookie = self.cookie(name)
        self.cookies.clear(cookie.domain, cookie.path, cookie.name)

    def post_form(self, path: str, fields: dict):
        self.request(path)  # the form page: its CSRF cookie
        token = self.cookie("csrftoken").value
        return self.request(path, {"csrfmiddlewaretoken": token, **fields})


def browse(browser, slug: str):
    status, _content, used = browser.request(f"/browse/{slug}/")
    return status, used


def test_an_anonymous_public_page_reads_the_replica(served):
    browser = Browser(served)
    assert browse(browser, ONLY_REPLICA) == (200, {"replica"})
    assert browse(browser, ONLY_PRIMARY) == (404, {"replica"})
    status, content, used = browser.request("/api/v1/reports/")
    assert status == 200 and used == {"replica"}, content[:500]


def test_a_signed_in_users_requests_read_the_primary(served):
    browser = Browser(served)
    status, _content, used = browser.post_form(
        "/accounts/login/", {"username": "editor", "password": PASSWORD}
    )
    assert status == 200 and browser.cookie("sessionid"), "signed in (and sent to staff home)"
    assert used == {"default"}
    # Signed in, even once the mark of the login's write is gone: the primary.
    browser.forget(RECENT_WRITE_COOKIE)
    assert browse(browser, ONLY_PRIMARY) == (200, {"default"})
    assert browse(browser, ONLY_REPLICA) == (404, {"default"})
    status, _content, used = browser.request("/staff/")
    assert status == 200 and used == {"default"}


def test_a_request_soon_after_a_write_reads_the_primary(served):
    browser = Browser(served)
    status, _content, used = browser.post_form("/i18n/setlang/", {"language": "en", "next": "/"})
    assert status == 200  # followed the redirect home
    # The browser is marked for REPLICA_AFTER_WRITE_SECONDS (the cookie's Max-Age).
    assert browser.cookie(RECENT_WRITE_COOKIE) is not None
    assert browse(browser, ONLY_PRIMARY) == (200, {"default"})
    # Once it has expired (the browser drops it), the replica again.
    browser.forget(RECENT_WRITE_COOKIE)
    assert browse(browser, ONLY_REPLICA) == (200, {"replica"})


def test_a_replica_that_does_not_answer_is_passed_over(databases):
    nowhere = url_of(databases["config"], databases["replica"]).replace(
        f":{databases['config']['PORT'] or 5432}/", f":{free_port()}/"
    )
    web = serve(databases, nowhere)
    try:
        browser = Browser(web)
        assert browse(browser, ONLY_PRIMARY) == (200, {"default"})
        assert browse(browser, ONLY_PRIMARY) == (200, {"default"})  # not tried again at once
        # The load balancer's check passes (the primary serves); the operator's names it.
        status, _content, _used = browser.request("/health/web/?format=json")
        assert status == 200
        status, content, _used = browser.request("/health/?format=json")
        failed = [name for name, result in json.loads(content).items() if result != "OK"]
        assert status == 503 and failed == ["Database(alias='replica')"], content
    finally:
        web.stop()


@pytest.mark.django_db
def test_without_a_replica_everything_reads_the_primary(settings):
    assert list(settings.DATABASES) == ["default"] and not settings.DATABASE_ROUTERS
    with CaptureQueriesContext(connections["default"]) as queries:
        assert Client().get("/browse/").status_code == 200
    assert len(queries) > 0
    assert RECENT_WRITE_COOKIE not in Client().post("/i18n/setlang/", {"language": "en"}).cookies
