"""Fail on any Thai the interface lacks: `make check` runs it.

A message the Thai catalogue does not translate shows in English on a Thai page ("Fiscal years:"
was a fuzzy entry, which gettext ignores). The catalogue is checked as ``make messages`` would
leave it: the messages of the code and templates are extracted again (into a copy, never into
locale/) and merged with it, so that a message added or changed since shows as untranslated or
fuzzy here. The compiled catalogue must say what the .po says.
"""

import gettext
import re
import tempfile
from contextlib import chdir
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

LANGUAGE = "th"
# As `make messages` extracts them (Makefile).
IGNORED = [".venv/*", "staticfiles/*", "node_modules/*"]
SKIPPED = {"locale", "node_modules", "staticfiles", "media"}  # not linked into the copy
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")


class Command(BaseCommand):
    help = (
        "Check the Thai catalogue: no fuzzy or untranslated message (after extracting the "
        "messages of the code again), the same placeholders as the English, and a compiled "
        "catalogue that matches it. Lists every offender and fails if there is one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--po", help="the catalogue to check (default: locale/th/LC_MESSAGES/django.po)"
        )
        parser.add_argument(
            "--no-extract",
            action="store_true",
            help="check the file as it is, without extracting the code's messages again",
        )

    def handle(self, *args, po=None, no_extract=False, **options):
        import polib  # a development tool (requirements-dev.txt), as the check is

        po_path = Path(po) if po else _default_po()
        if not po_path.exists():
            raise CommandError(f"No catalogue at {po_path}")
        catalogue = polib.pofile(str(po_path)) if no_extract else catalogue_extracted(po_path)
        problems = catalogue_problems(catalogue)
        if po is None:
            problems += compiled_problems(catalogue, po_path.with_suffix(".mo"))
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} problems in the Thai catalogue {po_path}: translate them "
                "(make messages, then fill in the Thai), and compile it."
            )
        count = len([e for e in catalogue if not e.obsolete])
        self.stdout.write(f"The Thai catalogue translates all {count} messages.")


def _default_po() -> Path:
    return Path(settings.LOCALE_PATHS[0]) / LANGUAGE / "LC_MESSAGES" / "django.po"


def catalogue_extracted(po_path: Path):
    """A copy of the catalogue merged with the messages extracted from the code now.

    makemessages writes into the ``locale`` folder nearest each file it reads, so it runs in a
    folder of its own that links to the project's code and holds the copy as its ``locale``.
    """
    import polib

    base = Path(settings.BASE_DIR)
    before = po_path.read_bytes()
    with tempfile.TemporaryDirectory(prefix="catalog-") as folder:
        root = Path(folder)
        for item in base.iterdir():
            if item.name not in SKIPPED and not item.name.startswith("."):
                (root / item.name).symlink_to(item)
        target = root / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
        target.parent.mkdir(parents=True)
        target.write_bytes(before)
        with override_settings(LOCALE_PATHS=[root / "locale"]), chdir(root):
            call_command(
                "makemessages",
                locale=[LANGUAGE],
                no_obsolete=True,
                symlinks=True,
                ignore_patterns=IGNORED,
                verbosity=0,
                stdout=StringIO(),
            )
        catalogue = polib.pofile(str(target))
    if po_path.read_bytes() != before:  # never: the check changes nothing it checks
        po_path.write_bytes(before)
        raise CommandError(f"makemessages wrote into {po_path}; it was put back")
    return catalogue


def _where(entry) -> str:
    return ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2]) or "?"


def catalogue_problems(catalogue) -> list[str]:
    """Every fuzzy or untranslated message, and every translation whose placeholders differ."""
    problems = []
    for entry in catalogue:
        if entry.obsolete or not entry.msgid:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r} ({_where(entry)})")
        elif not entry.translated():
            problems.append(f"untranslated: {entry.msgid!r} ({_where(entry)})")
        else:
            translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
            wanted = _placeholders(entry.msgid_plural or entry.msgid)
            for text in translations:
                if "python-format" in entry.flags and _placeholders(text) - wanted:
                    problems.append(
                        f"placeholders differ: {entry.msgid!r} has {sorted(wanted)}, "
                        f"the Thai {sorted(_placeholders(text))} ({_where(entry)})"
                    )
    return problems


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def compiled_problems(catalogue, mo_path: Path) -> list[str]:
    """Messages the compiled catalogue (what Django reads) does not say as the .po does."""
    if not mo_path.exists():
        return [f"not compiled: {mo_path} is missing (make messages)"]
    with mo_path.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    stale = []
    for entry in catalogue:
        if entry.obsolete or not entry.msgid or not entry.translated() or entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if compiled._catalog.get(key) != entry.msgstr:
            stale.append(f"not compiled: {entry.msgid!r} ({_where(entry)})")
    return stale
