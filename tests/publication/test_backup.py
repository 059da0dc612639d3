"""Backup and restore: every public address of every published version gives the same bytes
after `backup` then `restore` into an empty database and storage; a damaged archive is refused;
a stored file that is missing answers a clear 503, never a traceback.

The round trip runs the commands as the nightly job would, in subprocesses on databases of their
own (created and dropped here): PostgreSQL when it answers, as in CI.
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

# Every public address of every published version, with the SHA-256 of what each file address
# serves (pages carry a CSRF token, different each time: their status only).
ADDRESSES = """
import hashlib, json
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from publication.models import PublishedVersion

setup_test_environment()
client, found = Client(), {}
for v in PublishedVersion.all_documents.select_related("report__agency", "report__fiscal_year"):
    where = {"agency": v.report.agency.slug, "year": v.report.fiscal_year.year}
    if v.document != "report":
        where["document"] = v.document
    numbered = {**where, "number": v.number}
    if v.document == "report":
        files = [("public-version-" + k, numbered) for k in ("pdf", "json", "csv", "xlsx")]
        files += [("public-latest-" + k, where) for k in ("pdf", "json", "csv", "xlsx")]
        pages = [("public-version", numbered), ("public-latest", where)]
    else:
        files = [("document-version-pdf", numbered), ("document-latest-pdf", where)]
        pages = [("document-version", numbered), ("document-latest", where)]
    for name, kwargs in files + pages:
        path = reverse("portal:" + name, kwargs=kwargs)
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        digest = hashlib.sha256(body).hexdigest() if (name, kwargs) in files else None
        found[path] = [response.status_code, digest]
print(json.dumps(found, sort_keys=True))
"""

# A second version of one report, so that "the latest" and "version 1" differ.
REVISION = """
from django.contrib.auth import get_user_model
from measures.models import Report
from publication.services import report_open_revision
from tests.factories import publish

admin = get_user_model().objects.get(username="admin")
report = Report.objects.get(agency__slug="nong-lom")
report_open_revision(report=report, user=admin)
measure = report.measures.first()
measure.title = "มาตรการที่แก้ไขในฉบับปรับปรุง"
measure.save()
publish(report, admin)
"""


def _server() -> str | None:
    """The PostgreSQL server the tests may create databases on, if it answers."""
    import psycopg2

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        psycopg2.connect(server, connect_timeout=3).close()
    except psycopg2.OperationalError:
        return None
    return server


def _sql(server: str, statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


class Site:
    """A portal of its own: a database (PostgreSQL or an SQLite file) and a MEDIA_ROOT."""

    def __init__(self, database_url: str, media: Path):
        self.database_url, self.media = database_url, media

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        environment = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(self.media),
            "REDIS_URL": "",  # the PDF task inline
            "PUBLIC_BASE_URL": "https://ita.example.org",
        }
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if check:
            assert done.returncode == 0, done.stderr[-3000:]
        return done

    def addresses(self) -> dict:
        return json.loads(self.manage("shell", "-c", ADDRESSES).stdout.strip().splitlines()[-1])

    def stored_files(self) -> list[Path]:
        return sorted(path for path in self.media.rglob("*") if path.is_file())


@pytest.fixture(scope="module")
def postgresql():
    server = _server()
    names = []

    def create() -> str:
        name = f"ita_h5_backup_{uuid.uuid4().hex[:10]}"
        _sql(server, f'CREATE DATABASE "{name}"')
        names.append(name)
        return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))

    yield create if server else None
    for name in names:
        _sql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def source(postgresql, tmp_path_factory):
    """A published portal (PostgreSQL when it answers), its addresses and its backup."""
    folder = tmp_path_factory.mktemp("source")
    url = postgresql() if postgresql else f"sqlite:///{folder / 'db.sqlite3'}"
    site = Site(url, folder / "media")
    site.manage("migrate", "--verbosity", "0")
    site.manage("load_demo", "--seeds-only")
    site.manage("shell", "-c", REVISION)
    before = site.addresses()
    archive = folder / "backup.tar.gz"
    done = site.manage("backup", "--output", str(archive))
    assert "Backed up" in done.stdout and not done.stderr.strip(), done.stderr
    return site, before, archive


def test_the_source_serves_every_address_and_its_backup_holds_every_file(source):
    site, before, archive = source
    # Five reports' latest page and four files, and the same at six numbered versions.
    assert len(before) == 5 * 5 + 6 * 5
    assert {status for status, _digest in before.values()} == {200}
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    stored = {path.relative_to(site.media).as_posix() for path in site.stored_files()}
    # Six versions' PDF, JSON, CSV, XLSX and frozen page (v1.html.gz)
    assert {entry["name"] for entry in manifest["files"]} == stored and len(stored) == 6 * 5
    assert manifest["database"]["rows"] > 0 and manifest["missing"] == []


def test_restore_into_an_empty_postgresql_gives_the_same_bytes_at_every_address(
    source, postgresql, tmp_path
):
    if postgresql is None:
        pytest.skip("PostgreSQL does not answer on this machine (CI has it)")
    _site, before, archive = source
    target = Site(postgresql(), tmp_path / "media")  # a new database, not even migrated
    done = target.manage("restore", str(archive))
    assert "every hash matched" in done.stdout
    assert target.addresses() == before

    again = target.manage("restore", str(archive), check=False)  # it is not empty any more
    assert again.returncode != 0 and "--force" in again.stderr
    assert target.addresses() == before


def test_a_postgresql_backup_restores_into_sqlite_too_and_force_replaces(source, tmp_path):
    _site, before, archive = source
    target = Site(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "media")
    target.manage("restore", str(archive))
    assert target.addresses() == before
    refused = target.manage("restore", str(archive), check=False)
    assert refused.returncode != 0 and "empty" in refused.stderr
    target.manage("restore", "--force", str(archive))
    assert target.addresses() == before


def test_a_tampered_archive_is_refused_and_nothing_is_restored(source, tmp_path):
    _site, _before, archive = source
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(tampered, "w:gz") as copy:
        for member in original:
            content = original.extractfile(member).read()
            if member.name.endswith("nong-lom/2568/v1.pdf"):
                content = content.replace(b"%%EOF", b"%%EOf")  # one byte, same size
            copy.addfile(member, io.BytesIO(content))
    target = Site(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "media")
    done = target.manage("restore", str(tampered), check=False)
    assert done.returncode != 0
    assert "media/published/nong-lom/2568/v1.pdf: SHA-256" in done.stderr
    assert "nothing was restored" in done.stderr
    assert target.stored_files() == [] and not (tmp_path / "db.sqlite3").exists()


# -- A stored file that is missing -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_missing_stored_file_answers_a_clear_503_at_every_download(client, settings, capsys):
    call_command("load_demo", "--seeds-only")
    shutil.rmtree(settings.MEDIA_ROOT)  # the database restored without its files
    for path in (
        "/nong-lom/2568/v1.pdf",
        "/nong-lom/2568.pdf",
        "/nong-lom/2568/v1.json",
        "/nong-lom/2568.json",
        "/nong-lom/2568/v1.csv",
        "/nong-lom/2568.csv",
        "/nong-lom/2568/v1.xlsx",
        "/nong-lom/2568.xlsx",
    ):
        response = client.get(path)
        assert response.status_code == 503, path
        assert int(response["Retry-After"]) > 0 and response["Cache-Control"] == "no-store"
        html = response.content.decode()
        assert '<html lang="th">' in html and "Traceback" not in html
        assert response.templates[0].name == "503.html"
    cache.clear()  # the page was read when its PDF was drawn; another server has not
    assert client.get("/nong-lom/2568/v1/").status_code == 503  # its frozen page is a file too


def test_every_file_address_serves_a_stored_file_byte_for_byte(source):
    site, before, _archive = source
    served = {digest for _status, digest in before.values() if digest is not None}
    downloads = [path for path in site.stored_files() if not path.name.endswith(".html.gz")]
    assert served == {hashlib.sha256(path.read_bytes()).hexdigest() for path in downloads}
