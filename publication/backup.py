"""Backup and restore: the database and every stored file in one archive, each with its hash.

The database alone is not enough: published PDFs, JSON, CSV and XLSX are stored files, and
their addresses promise the same bytes for ever. ``backup_write`` writes one tar archive:

- ``database.jsonl``: ``dumpdata`` of every app, natural foreign keys (content types and
  permissions are found by name, not id), so it loads into PostgreSQL or SQLite alike;
- ``media/<name>``: every file of the default storage, as stored;
- ``manifest.json``, last: the SHA-256 and size of each, and the migrations the dump is at.

``backup_restore`` checks every hash before it writes anything, migrates, refuses a database
or storage that is not empty (unless forced, which empties them), writes the files, checks
them again as the storage holds them, and loads the dump in one transaction.
"""

import datetime
import hashlib
import io
import json
import os
import posixpath
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from .models import PublishedVersion

FORMAT = "ita-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.jsonl"
MEDIA = "media/"
CHUNK = 1024 * 1024
# Made again by migrate (content types, permissions) or of no use elsewhere (sessions).
NOT_DUMPED = ("contenttypes", "auth.permission", "sessions")


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


@dataclass
class Summary:
    path: Path
    rows: int
    files: int
    size: int
    seconds: float
    # Files the database names but the storage did not hold at backup: their addresses answer 503.
    missing: list[str] = field(default_factory=list)


# -- Backup ----------------------------------------------------------------------------------------


def backup_write(*, output: Path) -> Summary:
    """Write the database and every stored file into the archive ``output``.

    A name ending in .gz or .tgz is compressed. The archive appears under its name only once
    complete, so a failed night never leaves a truncated backup where a good one is expected.
    """
    started = time.monotonic()
    output = Path(output).resolve()
    partial = output.with_name(output.name + ".partial")
    mode = "w:gz" if output.suffix in (".gz", ".tgz") else "w"
    try:
        with tempfile.TemporaryDirectory(prefix="ita-backup-", dir=output.parent) as folder:
            dump = Path(folder) / DUMP
            referenced, migrations = _dump(dump)
            with tarfile.open(partial, mode) as archive:
                with dump.open("rb") as handle:
                    database = _add(archive, DUMP, handle, dump.stat().st_size)
                with dump.open("rb") as handle:
                    rows = sum(1 for _line in handle)
                files = []
                for name in _stored_names():
                    with default_storage.open(name, "rb") as handle:
                        entry = _add(archive, MEDIA + name, handle, default_storage.size(name))
                    files.append({"name": name, **entry})
                missing = sorted(referenced - {entry["name"] for entry in files})
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                    "database": {"vendor": connection.vendor, "rows": rows, **database},
                    "migrations": migrations,
                    "files": files,
                    "missing": missing,
                }
                raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                _add(archive, MANIFEST, io.BytesIO(raw), len(raw))
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return Summary(
        path=output,
        rows=rows,
        files=len(files),
        size=output.stat().st_size,
        seconds=time.monotonic() - started,
        missing=missing,
    )


def _dump(path: Path) -> tuple[set[str], list[str]]:
    """Dump the database as it stands at one moment, with the stored files it names then."""
    with transaction.atomic():
        if connection.vendor == "postgresql":  # one snapshot for every table (SQLite has one)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        call_command(
            "dumpdata",
            format="jsonl",
            natural_foreign=True,
            use_base_manager=True,  # every row: PublishedVersion.objects hides other documents
            exclude=list(NOT_DUMPED),
            output=str(path),
            verbosity=0,
        )
        applied = MigrationRecorder(connection).applied_migrations()
        return _referenced_names(), sorted(f"{app}.{name}" for app, name in applied)


def _add(archive: tarfile.TarFile, name: str, handle, size: int) -> dict:
    """Add ``size`` bytes read from ``handle`` as ``name``; their SHA-256 is hashed on the way."""
    reader = _Hashing(handle)
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(time.time()), 0o644
    archive.addfile(info, reader)
    return {"sha256": reader.sha256.hexdigest(), "size": size}


class _Hashing:
    """A file that hashes what is read from it."""

    def __init__(self, handle):
        self.handle, self.sha256 = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.sha256.update(chunk)
        return chunk


def _stored_names(folder: str = "") -> Iterator[str]:
    """Every file of the default storage, in a stable order."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # nothing was ever stored
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for name in sorted(folders):
        yield from _stored_names(posixpath.join(folder, name))


def _referenced_names() -> set[str]:
    """The stored files the database names, in every file field of every model."""
    names = set()
    for model in _tables():
        for column in model._meta.concrete_fields:
            if isinstance(column, models.FileField):
                values = model._base_manager.exclude(**{column.name: ""})
                names.update(
                    values.exclude(**{f"{column.name}__isnull": True}).values_list(
                        column.name, flat=True
                    )
                )
    return names


def _tables() -> list[type[models.Model]]:
    """The models that own a table and are dumped."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in NOT_DUMPED
        and model._meta.label_lower not in NOT_DUMPED
    ]


# -- Restore ---------------------------------------------------------------------------------------


def backup_restore(*, archive: Path, force: bool = False) -> Summary:
    """Restore ``archive`` into this site's database and storage, both empty (or ``force``)."""
    started = time.monotonic()
    archive = Path(archive)
    try:
        with tarfile.open(archive, "r:*") as tar:
            manifest = _manifest(tar)
            _verify(tar, manifest)  # before anything is written
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(f"The archive cannot be read ({error}); nothing was restored.") from error
    call_command("migrate", interactive=False, verbosity=0)
    _check_migrations(manifest)
    _make_room(force=force)
    written = []
    try:
        with (
            tarfile.open(archive, "r:*") as tar,
            tempfile.TemporaryDirectory(prefix="ita-restore-") as folder,
        ):
            dump = Path(folder) / DUMP
            for member in tar:
                if member.name == DUMP:
                    with tar.extractfile(member) as source, dump.open("wb") as target:
                        while chunk := source.read(CHUNK):
                            target.write(chunk)
                elif member.name.startswith(MEDIA):
                    name = member.name.removeprefix(MEDIA)
                    with tar.extractfile(member) as source:
                        saved = default_storage.save(name, File(source, name=name))
                    written.append(saved)
                    if saved != name:
                        raise BackupError(f"The storage stored {name} as {saved}.")
            _verify_storage(manifest)
            with transaction.atomic():
                call_command("loaddata", str(dump), verbosity=0)
                PublishedVersion.all_documents.fill_missing()  # an archive before 0005
                _check_versions(manifest)
    except BaseException:
        for name in written:  # leave the storage as empty as it was
            default_storage.delete(name)
        raise
    return Summary(
        path=archive,
        rows=manifest["database"]["rows"],
        files=len(written),
        size=archive.stat().st_size,
        seconds=time.monotonic() - started,
        missing=manifest["missing"],
    )


def _manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError(f"Not a backup of this portal: no readable {MANIFEST}.") from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Not a backup this portal reads ({FORMAT} {FORMAT_VERSION}).")
    return manifest


def _verify(tar: tarfile.TarFile, manifest: dict) -> None:
    """Every member of the archive is in the manifest with its size and hash, and back."""
    expected = {DUMP: manifest["database"]}
    expected |= {MEDIA + entry["name"]: entry for entry in manifest["files"]}
    problems, seen = [], set()
    for member in tar:
        if member.name == MANIFEST:
            continue
        entry = expected.get(member.name)
        parts = member.name.split("/")
        if entry is None or member.name in seen or not member.isfile() or ".." in parts:
            problems.append(f"{member.name}: not in the manifest, twice or not a plain file")
            continue
        seen.add(member.name)
        digest, size = _digest(tar.extractfile(member))
        if (digest, size) != (entry["sha256"], entry["size"]):
            problems.append(
                f"{member.name}: SHA-256 {digest} ({size} bytes), "
                f"expected {entry['sha256']} ({entry['size']} bytes)"
            )
    problems += [f"{name}: missing from the archive" for name in sorted(expected.keys() - seen)]
    if problems:
        raise BackupError(_problems("The archive is damaged or was altered", problems))


def _digest(handle) -> tuple[str, int]:
    sha256, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        sha256.update(chunk)
        size += len(chunk)
    return sha256.hexdigest(), size


def _check_migrations(manifest: dict) -> None:
    applied = {f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()}
    unknown = sorted(set(manifest["migrations"]) - applied)
    if unknown:
        raise BackupError(
            "The archive comes from a newer version of the portal; update the code first. "
            f"Migrations it has and this code lacks: {', '.join(unknown)}."
        )


def _make_room(*, force: bool) -> None:
    """Refuse a database or storage that holds anything, unless ``force`` empties them."""
    tables = [model._meta.label for model in _tables() if model._base_manager.exists()]
    files = list(_stored_names())
    if not (tables or files):
        return
    if not force:
        raise BackupError(
            "Restore fills only an empty database and storage; this one holds rows in "
            f"{len(tables)} tables ({', '.join(tables[:5])}) and {len(files)} stored files. "
            "Restore into a new database and an empty MEDIA_ROOT, or add --force to delete "
            "everything in them first."
        )
    call_command("flush", interactive=False, verbosity=0)
    for name in files:
        default_storage.delete(name)


def _verify_storage(manifest: dict) -> None:
    """The storage holds every file byte for byte as the manifest hashed it."""
    problems = []
    for entry in manifest["files"]:
        with default_storage.open(entry["name"], "rb") as handle:
            digest, _size = _digest(handle)
        if digest != entry["sha256"]:
            problems.append(f"{entry['name']}: stored as SHA-256 {digest}")
    if problems:
        raise BackupError(_problems("The storage did not keep the files as written", problems))


def _check_versions(manifest: dict) -> None:
    """Each published version's files hash as the version says (what its addresses serve)."""
    hashes = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
    missing = set(manifest["missing"])
    problems = []
    for version in PublishedVersion.all_documents.iterator():
        for kind in PublishedVersion.FILES:
            file, digest = version.stored(kind)
            if file and file.name not in missing and hashes.get(file.name) != digest:
                problems.append(f"{version} {kind}: {file.name} does not hash to {digest}")
    if problems:
        raise BackupError(_problems("The published versions do not match their files", problems))


def _problems(heading: str, problems: list[str]) -> str:
    shown = "\n".join(f"  {problem}" for problem in problems[:20])
    more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
    return f"{heading}; nothing was restored:\n{shown}{more}"
