"""What the image runs, run here without Docker (there is no daemon on this machine): the build's
collectstatic with the build's environment, gunicorn with the image's configuration and the
production settings, and the container's health probe against it and against a stub."""

import http.client
import http.server
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.deploy.test_deploy_files import ROOT, dockerfile_instructions

PROBE = ROOT / "deploy" / "healthcheck.py"
PRODUCTION = {
    "SECRET_KEY": "x7kq2vR9zL0pW4mN8bT1yH6cJ3fD5sA_gE-uQiOoXwVnMlKjZ-test",
    "ALLOWED_HOSTS": "ita.example.go.th",
    "CSRF_TRUSTED_ORIGINS": "https://ita.example.go.th",
    "PROXY_COUNT": "1",
}


def basics() -> dict:
    # None of the developer's settings (DEBUG=true above all): what a container starts with.
    return {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def probe(port: int, **environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(PROBE), str(port)],
        env={**basics(), **environment},
        capture_output=True,
        text=True,
        timeout=30,
    )


# -- The health probe against a stub -------------------------------------------------------------


class Stub(http.server.BaseHTTPRequestHandler):
    status = 200
    seen: list = []

    def do_GET(self):
        Stub.seen.append((self.path, self.headers["Host"], self.headers["X-Forwarded-Proto"]))
        self.send_response(Stub.status)
        if Stub.status == 301:
            self.send_header("Location", "https://ita.example.go.th/health/web/")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    server = http.server.HTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Stub.seen.clear()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("status, healthy", [(200, True), (503, False), (301, False)])
def test_the_probe_asks_as_the_proxy_does_and_accepts_only_a_200(stub, status, healthy):
    Stub.status = status
    result = probe(stub.server_port, ALLOWED_HOSTS=".example.go.th,ita.example.go.th")
    assert (result.returncode == 0) == healthy, result.stderr
    # A host Django accepts (".x" allows x itself), over https as far as Django knows.
    assert Stub.seen == [("/health/web/", "example.go.th", "https")]


def test_the_probe_calls_a_server_that_does_not_answer_unhealthy():
    result = probe(free_port())
    assert result.returncode == 1 and "unhealthy" in result.stderr


# -- The build's collectstatic -------------------------------------------------------------------


def test_the_builds_collectstatic_loads_the_settings_with_only_its_own_environment(tmp_path):
    run = next(a for name, a in dockerfile_instructions() if name == "RUN" and "collectstatic" in a)
    command = shlex.split(run.split("&&")[0])
    settings = [word for word in command if re.match(r"^[A-Z_]+=", word)]
    assignments = dict(word.split("=", 1) for word in settings)
    arguments = [word for word in command if word not in settings]
    assert arguments[:3] == ["python", "manage.py", "collectstatic"]
    # A dry run: the real one compresses every file (minutes on this machine; docs/deploy.md).
    result = subprocess.run(
        [sys.executable, *arguments[1:], "--dry-run", "--verbosity", "2"],
        cwd=ROOT,
        env={**basics(), **assignments, "STATIC_ROOT": str(tmp_path / "static")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    # Bootstrap from node_modules (the node stage's copy), Sarabun from its wheel.
    assert "node_modules/bootstrap/dist/css/bootstrap.min.css'" in result.stdout
    assert "fontpkg_sarabun/files/" in result.stdout


# -- gunicorn with the image's configuration ------------------------------------------------------


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    folder = tmp_path_factory.mktemp("image")
    (folder / "static").mkdir()
    port = free_port()
    environment = {
        **basics(),
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
        "WEB_CONCURRENCY": "2",  # the image's ENV
        "PROMETHEUS_MULTIPROC_DIR": str(folder / "prometheus"),
    }
    command = next(a for name, a in dockerfile_instructions() if name == "CMD")
    command = [Path(sys.executable).parent / "gunicorn", *json.loads(command)[1:]]
    log = open(folder / "gunicorn.log", "wb")  # noqa: SIM115 (the server's life)
    server = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # Until its workers have loaded the portal (Docker's start period: 60 s) and answer.
        for _ in range(240):
            assert server.poll() is None, (folder / "gunicorn.log").read_text()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", "/health/web/", headers={"Host": "ita.example.go.th"})
                connection.getresponse().read()
                connection.close()
                break
            except OSError:
                time.sleep(0.5)
        yield port, folder, environment
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def test_the_container_probe_finds_the_images_gunicorn_healthy(gunicorn):
    port, folder, environment = gunicorn
    result = probe(port, ALLOWED_HOSTS=environment["ALLOWED_HOSTS"])
    assert result.returncode == 0, result.stderr + (folder / "gunicorn.log").read_text()


def test_the_images_gunicorn_adds_up_its_workers_metrics(gunicorn):
    port, folder, _environment = gunicorn
    for _ in range(6):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/health/web/", headers={"Host": "ita.example.go.th"})
        assert connection.getresponse().status == 200
        connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/metrics", headers={"Host": "ita.example.go.th"})
    response = connection.getresponse()
    body = response.read().decode()
    assert response.status == 200, body[:500]
    # One file per worker process in the folder gunicorn.conf.py emptied at start.
    assert list((folder / "prometheus").glob("*.db"))
    # Every worker's requests, whichever answered: at least the six above.
    counted = re.search(
        r'django_http_requests_total_by_method_total\{method="GET"\} ([\d.]+)', body
    )
    assert counted and float(counted.group(1)) >= 6, body[:2000]
