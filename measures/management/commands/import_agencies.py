from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from measures.services.agencies import (
    AGENCY_COLUMNS,
    MAX_AGENCY_ERRORS,
    MAX_AGENCY_FILE_BYTES,
    AgencyImportError,
    agency_import,
)
from measures.services.places import country_load

SHOWN = 50  # changes listed of each kind; all of them with --verbosity 2


class Command(BaseCommand):
    help = (
        "Create or update agencies from a CSV file with the columns "
        f"{', '.join(c.name for c in AGENCY_COLUMNS)} (see the README), and say what changed. "
        "Every row is checked first: one wrong row writes nothing. Running it again with the "
        "same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv file (UTF-8, or Windows-874 as older Excel saves)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, but write nothing"
        )

    def handle(self, *args, file, dry_run, verbosity, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {file}")
        with path.open("rb") as stream:
            content = stream.read(MAX_AGENCY_FILE_BYTES + 1)
        if len(content) > MAX_AGENCY_FILE_BYTES:
            raise CommandError(
                f"ไฟล์ใหญ่เกิน {MAX_AGENCY_FILE_BYTES / 1_000_000:g} MB: แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์"
            )
        try:
            with transaction.atomic():
                country_load()  # the places the rows name (nothing to write once loaded)
                result = agency_import(content=content)
                if dry_run:
                    transaction.set_rollback(True)
        except AgencyImportError as error:
            for problem in error.errors[:MAX_AGENCY_ERRORS]:
                self.stderr.write(str(problem))
            if len(error.errors) > MAX_AGENCY_ERRORS:
                self.stderr.write(f"… และอีก {len(error.errors) - MAX_AGENCY_ERRORS} รายการ")
            raise CommandError(
                f"ไม่ได้นำเข้าหน่วยงานใดเลย: พบปัญหา {len(error.errors)} รายการ (แก้ไฟล์แล้วนำเข้าอีกครั้ง)"
            ) from None

        if result.ignored_columns:
            self.stdout.write(f"ไม่ได้ใช้คอลัมน์: {', '.join(result.ignored_columns)}")
        for changes in (result.created, result.updated):
            shown = changes if verbosity > 1 else changes[:SHOWN]
            for change in shown:
                self.stdout.write(f"  {change}")
            if len(changes) > len(shown):
                self.stdout.write(f"  … และอีก {len(changes) - len(shown)} แห่ง (ดูทั้งหมด: -v 2)")
        prefix = "ทดลอง (ไม่ได้บันทึก): " if dry_run else ""
        self.stdout.write(f"{prefix}{result}")
