"""Real parts for the operations tests, each in a process of its own on a free loopback port:
a PostgreSQL cluster (initdb, pg_ctl), redis-server, moto's S3 server, gunicorn serving the
portal, a Celery worker. Each can be stopped and started again on the same port."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(test, *, what: str, timeout: float = 60):
    """Poll ``test`` until it returns something true (a deadline, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = test()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def need(*programs):
    for program in programs:
        if not shutil.which(program) and not Path(program).exists():
            pytest.skip(f"{program} is not installed")


class Process:
    """A program run in its own process group, stopped by its pid (and its children's group)."""

    def __init__(self, args, *, port: int, env=None, log: Path, ready_text: str = ""):
        self.args, self.port, self.env, self.log = args, port, env, log
        self.ready_text = ready_text  # in its log once it is ready: for a process without a port
        self.proc = None

    def _ready(self) -> bool:
        if self.ready_text:
            with self.log.open("rb") as log:
                log.seek(self._offset)
                return self.ready_text.encode() in log.read()
        return port_open(self.port)

    def start(self):
        self._offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:  # the child keeps its own copy
            self.proc = subprocess.Popen(
                self.args,
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(
            lambda: self._ready() or self.proc.poll() is not None,
            what=f"{self.args[0]} to be ready",
        )
        if self.proc.poll() is not None:
            raise AssertionError(f"{self.args[0]} exited: {self.log.read_text()[-3000:]}")
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.port:
            wait_until(lambda: not port_open(self.port), what=f"port {self.port} to close")


class Postgres:
    """A PostgreSQL cluster of the test's own (trust on loopback), run as the postgres user:
    initdb refuses root."""

    def __init__(self):
        # Its own folder in /tmp: pytest's are closed to other users than root.
        self.folder, self.port = Path(tempfile.mkdtemp(prefix="ita-ops-pg-")), free_port()
        self.data = self.folder / "data"

    def _as_postgres(self, *args):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *map(str, args)], check=True, capture_output=True, timeout=120)

    def init(self):
        need(str(PG_BIN / "initdb"))
        self.folder.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(PG_BIN / "initdb", "-D", self.data, "--auth=trust", "-U", "postgres")
        return self

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self._as_postgres(
            PG_BIN / "pg_ctl",
            "-D",
            self.data,
            "-o",
            options,
            "-l",
            self.folder / "log",
            "-w",
            "start",
        )
        return self

    def stop(self):
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def remove(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


def redis_server(folder: Path) -> Process:
    need("redis-server")
    port = free_port()
    args = [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(folder),
    ]
    return Process(args, port=port, log=folder / "redis.log")


def moto_server(folder: Path) -> Process:
    program = VENV_BIN / "moto_server"
    need(str(program))
    port = free_port()
    return Process(
        [str(program), "-H", "127.0.0.1", "-p", str(port)], port=port, log=folder / "moto.log"
    )


def bucket_create(endpoint: str, name: str):
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    s3.create_bucket(Bucket=name)


def bucket_settings(endpoint: str, bucket: str) -> dict:
    """The portal's settings for a bucket on moto's server (made by ``bucket_create``)."""
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }


def portal_env(**settings) -> dict:
    """The environment of a portal process: this one's, less the test run's own settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(DEBUG="true", SECRET_KEY="ops-test", ALLOWED_HOSTS="127.0.0.1,localhost")
    env.update({key: str(value) for key, value in settings.items()})
    return env


def gunicorn(folder: Path, env: dict) -> Process:
    port = free_port()
    args = [
        str(VENV_BIN / "gunicorn"),
        "ita_portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--threads",
        "4",
        "--timeout",
        "60",
    ]
    return Process(args, port=port, env=env, log=folder / f"gunicorn-{port}.log")


def celery_worker(folder: Path, env: dict) -> Process:
    """A Celery worker (solo pool); its port is none: started once it logs "ready"."""
    log = folder / "worker.log"
    args = [
        str(VENV_BIN / "celery"),
        "-A",
        "ita_portal",
        "worker",
        "--pool",
        "solo",
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
    ]
    return Process(args, port=0, env=env, log=log, ready_text=" ready.")


class HttpClient:
    """Plain HTTP to a served portal: status, headers and body, whatever the status."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path: str, headers=None):
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def health(self, path="/health/web/"):
        status, headers, body = self.get(path + "?format=json")
        return status, json.loads(body)
