import json
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.models import DocumentKind
from measures.report_format import report_to_data
from measures.selectors import report_documents, report_list
from reports.layouts import LAYOUTS
from reports.rendering import (
    DOCUMENT_STATIC_FILES,
    document_for,
    document_html,
    document_pdf,
    static_file_path,
)
from reports.word import document_docx


class Command(BaseCommand):
    help = (
        "Write every report (or one agency's, or one year's) to files named "
        "<agency-slug>-<fiscal-year>.<format>; another document of the year's cycle than the "
        "report (--document) to <agency-slug>-<fiscal-year>-<document>.<format>."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "html", "pdf", "docx"], default="json")
        parser.add_argument("--output-dir", required=True, type=Path)
        parser.add_argument("--agency", help="only this agency (its slug)")
        parser.add_argument("--year", type=int, help="only this fiscal year (B.E.)")
        parser.add_argument(
            "--layout", choices=sorted(LAYOUTS), help="render in this layout, not the report's own"
        )
        parser.add_argument(
            "--document",
            choices=DocumentKind.values,
            default=DocumentKind.REPORT,
            help="which document of the year's cycle to render (html, pdf, docx); default: report",
        )

    def handle(self, *args, format, output_dir, agency, year, layout, document, **options):
        if document != DocumentKind.REPORT and format == "json":
            raise CommandError(
                "The JSON file holds the whole report: --document is for html, pdf, docx."
            )
        if document != DocumentKind.REPORT and layout:
            raise CommandError("--layout is the report's: the other documents have one layout.")
        suffix = "" if document == DocumentKind.REPORT else f"-{document}"
        reports = report_documents(report_list(agency_slug=agency, year=year))
        if not reports:
            raise CommandError("No report matches.")
        output_dir.mkdir(parents=True, exist_ok=True)
        if format == "html":
            self._copy_static_files(output_dir / "static")
        for report in reports:
            if report.packed:  # publication.packing: only its published version holds its lines
                self.stderr.write(
                    f"{report.agency.slug} {report.fiscal_year.year}: a closed year's report kept "
                    "in its published version; download that version from the portal."
                )
                continue
            path = output_dir / f"{report.agency.slug}-{report.fiscal_year.year}{suffix}.{format}"
            if format == "json":
                data = json.dumps(report_to_data(report=report), ensure_ascii=False, indent=2)
                path.write_text(data + "\n", encoding="utf-8")
            elif format == "html":
                built = document_for(report, layout=layout, kind=document)
                path.write_text(document_html(built, static_base="static/"), encoding="utf-8")
            elif format == "docx":
                path.write_bytes(document_docx(document_for(report, layout=layout, kind=document)))
            else:
                path.write_bytes(document_pdf(document_for(report, layout=layout, kind=document)))
            self.stdout.write(str(path))

    def _copy_static_files(self, target: Path) -> None:
        """The HTML files link their stylesheets and fonts: put them beside the files."""
        for name in DOCUMENT_STATIC_FILES:
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(static_file_path(name), destination)
