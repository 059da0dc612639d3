from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from publication.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into this site's database (migrated first) and "
        "storage, which must be empty; every file's SHA-256 is checked before and after."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the archive `backup` wrote")
        parser.add_argument(
            "--force",
            action="store_true",
            help="delete everything in the database and the storage first",
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            summary = backup_restore(archive=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name in summary.missing:
            self.stderr.write(f"Missing at backup, so not restored: {name}")
        self.stdout.write(
            f"Restored {summary.rows} rows and {summary.files} files from {summary.path} "
            f"in {summary.seconds:.1f} s; every hash matched."
        )
