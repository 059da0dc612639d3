"""`collectstatic` writes what production serves whatever DEBUG said when it ran: run with
DEBUG=true, gunicorn with DEBUG=false then serves the pages and their static files (it once
answered 500 for want of the manifest)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7#kq2!vR9zL0pW4mN8bT1yH6cJ3fD5sA_gE-uQiOoXwVnMlKjZ",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "PROXY_COUNT": "0",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def uncompressed_settings(folder: Path) -> None:
    """The portal's settings, but WhiteNoise compresses no file: minutes of brotli on a loaded
    machine, which the manifest and serving do not depend on."""
    suffixes = {
        Path(path).suffix[1:]
        for finder in finders.get_finders()
        for path, _storage in finder.list([])
        if Path(path).suffix
    }
    (folder / "uncompressed_settings.py").write_text(
        "from ita_portal.settings import *  # noqa: F403\n"
        f"WHITENOISE_SKIP_COMPRESS_EXTENSIONS = {sorted(suffixes)!r}\n"
    )


def test_collectstatic_under_debug_then_gunicorn_without_it_serves_pages(tmp_path):
    # Only the machine's basics: none of the developer's or CI's settings.
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    static_root = tmp_path / "static"
    # A database file of its own: the login page reads no table.
    base = {**keep, "STATIC_ROOT": str(static_root), "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    uncompressed_settings(tmp_path)
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={
            **base,
            "DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "uncompressed_settings",
            "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert collect.returncode == 0, collect.stderr
    assert (static_root / "staticfiles.json").exists()

    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "ita_portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env={**base, **PRODUCTION},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(240):  # until it listens (seconds on a loaded machine)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                time.sleep(0.5)
        status, page = get(f"http://127.0.0.1:{port}/accounts/login/")
        assert status == 200
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "the page names the hashed copy"
        assert get(f"http://127.0.0.1:{port}{stylesheet[1]}")[0] == 200
    finally:
        server.terminate()
        server.communicate(timeout=60)
