import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.selectors import report_documents, report_export, report_list


class Command(BaseCommand):
    help = (
        "Write every report (or one agency's, or one year's) to files: <agency-slug>-<year>.<ext>."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--output-dir", required=True, type=Path)
        parser.add_argument("--agency", help="only this agency (its slug)")
        parser.add_argument("--year", type=int, help="only this fiscal year (B.E.)")

    def handle(self, *args, format, output_dir, agency, year, **options):
        reports = report_documents(report_list(agency_slug=agency, year=year))
        if not reports:
            raise CommandError("No report matches.")
        output_dir.mkdir(parents=True, exist_ok=True)
        for report in reports:
            path = output_dir / f"{report.agency.slug}-{report.fiscal_year.year}.{format}"
            data = report_export(report=report)
            path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            self.stdout.write(str(path))
