from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from publication.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write the database and every stored file, each with its SHA-256, into one archive "
        "(a tar; compressed when the name ends in .gz). `restore` reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="the archive to write")

    def handle(self, *args, output: Path, **options):
        try:
            summary = backup_write(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name in summary.missing:
            self.stderr.write(f"Named in the database but missing from the storage: {name}")
        self.stdout.write(
            f"Backed up {summary.rows} rows and {summary.files} files into {summary.path} "
            f"({summary.size / 1e6:.1f} MB) in {summary.seconds:.1f} s."
        )
