"""/health/ with real parts: a portal served by gunicorn on its own PostgreSQL cluster, Redis
(cache, sessions, broker) and S3 store (moto's server), each started here on a free loopback
port. Stopping any one makes /health/ answer 503, naming it; starting it again, 200."""

import contextlib

import pytest
from celery import Celery
from django.test import Client

from .ops_parts import (
    HttpClient,
    Postgres,
    bucket_create,
    bucket_settings,
    celery_worker,
    free_port,
    gunicorn,
    moto_server,
    portal_env,
    redis_server,
    wait_until,
)

BUCKET = "ita-health"
TASK = "publication.tasks.render_version_pdf"


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("health")
    postgres = Postgres().init().start()
    redis = redis_server(folder).start()
    store = moto_server(folder).start()
    endpoint = f"http://127.0.0.1:{store.port}"
    bucket_create(endpoint, BUCKET)
    env = portal_env(
        DATABASE_URL=postgres.url,
        REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
        **bucket_settings(endpoint, BUCKET),
        MEDIA_ROOT=folder / "media",
        WORKER_HEARTBEAT_SECONDS=1,
    )
    web = gunicorn(folder, env).start()
    yield {
        "postgres": postgres,
        "redis": redis,
        "store": store,
        "endpoint": endpoint,
        "env": env,
        "folder": folder,
        "client": HttpClient(web.port),
    }
    web.stop()
    store.stop()
    redis.stop()
    postgres.stop()
    postgres.remove()


def failing(result) -> dict:
    status, checks = result
    return {name: outcome for name, outcome in checks.items() if outcome != "OK"}


def healthy(client, path="/health/web/"):
    return client.health(path)[0] == 200


def test_all_parts_up_is_200_in_json_never_cached(parts):
    client = parts["client"]
    status, headers, body = client.get("/health/web/", {"Accept": "application/json"})
    assert status == 200, body
    assert headers["Content-Type"] == "application/json"
    assert "no-store" in headers["Cache-Control"]
    checks = client.health()[1]
    assert set(checks.values()) == {"OK"}
    # Every part is checked: the database, the cache, both file stores, the broker.
    names = " ".join(checks)
    for part in (
        "Database",
        "Cache",
        "Storage(alias='default')",
        "Storage(alias='private')",
        "Redis",
    ):
        assert part in names, checks
    # Nothing was written under MEDIA_ROOT: the storage check went to the object store.
    assert not (parts["folder"] / "media").exists()


@contextlib.contextmanager
def stopped(parts, name: str, what: str, after=None):
    """The part ``name`` stopped for the block, which gets the names of the checks /health/
    then fails (503, or the block is not run) and all the checks; started again after it (then
    ``after()``), and /health/ must recover."""
    client, part = parts["client"], parts[name]
    part.stop()
    try:
        status, checks = client.health()
        assert status == 503, checks
        yield list(failing((status, checks))), checks
    finally:
        part.start()
        if after is not None:
            after()
    assert wait_until(lambda: healthy(client), what=f"health after {what} came back")


def test_postgresql_stopped_is_503_then_recovers(parts):
    with stopped(parts, "postgres", "PostgreSQL") as (broken, checks):
        assert broken == ["Database(alias='default')"], checks


def test_redis_stopped_is_503_then_recovers(parts):
    with stopped(parts, "redis", "Redis") as (broken, checks):
        assert any(name.startswith("Cache") for name in broken), checks
        assert any(name.startswith("Redis") for name in broken), checks
        assert not any(name.startswith(("Database", "Storage")) for name in broken), checks


def test_object_store_stopped_is_503_then_recovers(parts):
    # moto keeps nothing: its bucket is made again (a real store would keep it).
    def bucket_again():
        bucket_create(parts["endpoint"], BUCKET)

    with stopped(parts, "store", "the store", after=bucket_again) as (broken, checks):
        assert broken and all(name.startswith("Storage") for name in broken), checks


def test_the_full_check_waits_for_a_worker_heartbeat(parts):
    """/health/ adds the workers: 503 until a real Celery worker reports, 200 while it does,
    503 again once it stopped (WORKER_HEARTBEAT_SECONDS=1 here: stale after 3 s)."""
    client = parts["client"]
    status, checks = client.health("/health/")
    assert status == 503
    assert list(failing((status, checks))) == ["WorkerHeartbeat()"], checks

    metrics_port = free_port()
    env = {**parts["env"], "WORKER_METRICS_PORT": str(metrics_port)}
    worker = celery_worker(parts["folder"], env).start()
    try:
        assert wait_until(lambda: healthy(client, "/health/"), what="a worker's heartbeat")
        # A task sent through Redis, run by the worker, counted in the worker's own metrics.
        sender = Celery(broker=env["REDIS_URL"])
        sender.send_task(TASK, args=[0])
        started = f'ita_tasks_total{{state="started",task="{TASK}"}} 1.0'
        assert wait_until(
            lambda: started in HttpClient(metrics_port).get("/")[2].decode(),
            what="the worker's count of the task it ran",
        )
    finally:
        worker.stop()
    assert wait_until(lambda: not healthy(client, "/health/"), what="the heartbeat to go stale")
    # The web servers' own check does not depend on the workers: the load balancer keeps them.
    assert healthy(client)


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["garbage", "text/html;q=0.5;", "application/json;;"])
def test_an_unreadable_accept_header_is_not_a_server_error(accept):
    response = Client().get("/health/web/", HTTP_ACCEPT=accept)
    assert response.status_code == 406
