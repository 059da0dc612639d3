"""Production settings: with the three variables production must set, `check --deploy` is clean;
every secure default is turned off only by a variable named for it, and the README names them."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7#kq2!vR9zL0pW4mN8bT1yH6cJ3fD5sA_gE-uQiOoXwVnMlKjZ",
    "ALLOWED_HOSTS": "ita.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://ita.example.org",
}


def run(code_or_args: list[str], **extra) -> subprocess.CompletedProcess:
    # Only the machine's basics: none of the developer's or CI's settings, no DEBUG=true.
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env={**keep, **PRODUCTION, **extra, "DJANGO_SETTINGS_MODULE": "ita_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def check_deploy(**extra) -> subprocess.CompletedProcess:
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **extra)


def test_check_deploy_is_clean_with_only_the_required_variables():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "variable, warning",
    [
        ("SECURE_SSL_REDIRECT", "security.W008"),
        ("SESSION_COOKIE_SECURE", "security.W012"),
        ("CSRF_COOKIE_SECURE", "security.W016"),
    ],
)
def test_each_secure_default_is_turned_off_only_by_its_own_variable(variable, warning):
    result = check_deploy(**{variable: "false"})
    assert result.returncode != 0 and warning in result.stderr + result.stdout


def test_hsts_is_turned_off_by_setting_its_seconds_to_zero():
    result = check_deploy(SECURE_HSTS_SECONDS="0")
    assert "security.W004" in result.stderr + result.stdout


SETTINGS_OF = """
import django, json
django.setup()
from django.conf import settings as s
print(json.dumps([s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,
    s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE,
    s.CSRF_COOKIE_SECURE, s.CSRF_TRUSTED_ORIGINS]))
"""


def settings_of(**extra) -> list:
    import json

    result = run(["-c", SETTINGS_OF], **extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_behind_the_tls_proxy_by_default_and_subdomains_and_preload_are_opt_in():
    proxy, redirect, hsts, subdomains, preload, session, csrf, origins = settings_of()
    assert proxy == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert redirect and session and csrf and hsts >= 31536000
    assert not subdomains and not preload
    assert origins == ["https://ita.example.org"]
    assert settings_of(SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true")[3:5] == [
        True,
        True,
    ]
    assert settings_of(PROXY_COUNT="0")[0] is None


def test_development_keeps_plain_http():
    # `make run` and the tests: no redirect to https, cookies over http.
    _, redirect, hsts, _, _, session, csrf, _ = settings_of(DEBUG="true")
    assert (redirect, hsts, session, csrf) == (False, 0, False, False)


def test_the_readme_names_every_variable_the_settings_read():
    settings = (ROOT / "ita_portal" / "settings.py").read_text()
    read = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z_]+)\"", settings))
    read |= set(re.findall(r"^\s+([A-Z_]+)=\(", settings, re.MULTILINE))  # environ.Env(NAME=…)
    section = (ROOT / "README.md").read_text().split("## Settings", 1)[1].split("\n## ", 1)[0]
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"} <= read
    assert {name for name in read if f"`{name}`" not in section} == set()
