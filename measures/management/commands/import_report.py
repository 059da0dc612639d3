from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from measures.importers import ImportResult, ReportImportError, parse_file
from measures.models import Agency, FiscalYear, Indicator, Report
from measures.report_format import FORMAT, agency_to_data, report_to_data
from measures.selectors import report_document
from measures.services import measures_import, report_import


class Command(BaseCommand):
    help = (
        "Import an agency's measures for a fiscal year from the table it already has: "
        ".txt (text pasted from Word or Excel), .docx, .xlsx or .csv. An existing report keeps "
        "everything but its measures (and its progress table and issues, when the file has "
        "them); replacing its measures needs --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .txt, .docx, .xlsx or .csv file")
        parser.add_argument("--agency", required=True, help="the agency's slug")
        parser.add_argument("--year", required=True, type=int, help="fiscal year (B.E.)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the measures of a report that already has some",
        )

    def handle(self, *args, file, agency, year, replace, **options):
        agency_obj = Agency.objects.filter(slug=agency).first()
        if agency_obj is None:
            raise CommandError(f"ไม่พบหน่วยงาน “{agency}”: ต้องมีหน่วยงานในระบบก่อนจึงจะนำเข้ารายงานได้")
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        if fiscal_year is None:
            raise CommandError(
                f"ปีงบประมาณ {year} ยังไม่มีกรอบการประเมิน ITA: ผู้ดูแลระบบเปิดปีใหม่โดยคัดลอกจากปีก่อนได้ "
                f"ด้วยคำสั่ง python manage.py open_fiscal_year {year} หรือในหน้าผู้ดูแลระบบ (ปีงบประมาณ)"
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {file}")
        indicators = dict(
            Indicator.objects.filter(fiscal_year=fiscal_year).values_list("number", "name")
        )
        try:
            result = parse_file(path, path.name, year, indicators)
        except ReportImportError as error:
            raise CommandError(str(error)) from error

        self._summary(path, result)
        if not result.measures and not result.indicator_progress:
            raise CommandError("ไม่มีมาตรการให้นำเข้า")

        report = Report.objects.filter(agency=agency_obj, fiscal_year=fiscal_year).first()
        if report is not None and result.measures and report.measures.exists() and not replace:
            raise CommandError(
                f"รายงานของ{agency_obj.name} ปีงบประมาณ {year} มีมาตรการอยู่แล้ว "
                f"{report.measures.count()} รายการ: ใช้ --replace เพื่อแทนที่ด้วยมาตรการจากไฟล์"
            )
        try:
            if report is not None:
                imported = {
                    "measures": result.measures,
                    "issue_groups": result.issue_groups,
                    "indicator_progress": result.indicator_progress,
                }
                if not result.measures:  # a progress table alone keeps the measures
                    imported["measures"] = report_to_data(report=report_document(pk=report.pk))[
                        "measures"
                    ]
                measures_import(report=report, imported=imported, replace=True, user=None)
                saved = report
            else:
                saved = report_import(data=_new_report(agency_obj, year, result))
        except ValidationError as error:
            raise CommandError("บันทึกไม่ได้: " + " ".join(error.messages)) from error
        action = "สร้างรายงานใหม่" if report is None else "แทนที่ข้อมูลในรายงานเดิม"
        self.stdout.write(
            self.style.SUCCESS(
                f"{action}: {agency_obj.name} ปีงบประมาณ {year} "
                f"(มาตรการ {saved.measures.count()} รายการ)"
            )
        )

    def _summary(self, path: Path, result: ImportResult) -> None:
        self.stdout.write(
            f"{path.name}: มาตรการ {len(result.measures)} รายการ, "
            f"ความก้าวหน้ารายตัวชี้วัด {len(result.indicator_progress)} แถว, "
            f"ประเด็น {len(result.issue_groups)} ประเด็น"
        )
        for number, measure in enumerate(result.measures, start=1):
            title = measure["title"] if len(measure["title"]) <= 70 else measure["title"][:69] + "…"
            self.stdout.write(
                f"  {number}. {title} (ขั้นตอน {len(measure['steps'])}, "
                f"สรุปผล {len(measure['outputs'])}, ผลลัพธ์ {len(measure['outcomes'])})"
            )
        if result.moves:
            self.stdout.write("ระยะเวลาที่เลื่อนเข้าปีงบประมาณของรายงาน:")
            for move in result.moves:
                self.stdout.write(f"  - {move}")
        if result.problems:
            self.stdout.write(self.style.WARNING("ปัญหาที่พบ:"))
            for problem in result.problems:
                self.stdout.write(self.style.WARNING(f"  - {problem}"))


def _new_report(agency: Agency, year: int, result: ImportResult) -> dict:
    """A new report in the report data format, laid out like the file it comes from."""
    if result.issue_groups:
        layout = Report.Layout.BY_ISSUE
    elif result.indicator_progress:
        layout = Report.Layout.MEASURES_PROGRESS
    elif any(measure["indicator"] for measure in result.measures):
        layout = Report.Layout.BY_INDICATOR
    else:
        layout = Report._meta.get_field("layout").get_default()
    # The digits most of the text was typed in (periods' ISO dates aside).
    text = " ".join(
        [measure["title"] for measure in result.measures]
        + [
            item["text"]
            for row in [*result.measures, *result.indicator_progress]
            for key in ("sub_items", "steps", "outputs", "outcomes", "guidelines", "notes")
            for item in row.get(key, [])
        ]
    )
    thai_digits = sum(text.count(digit) for digit in "๐๑๒๓๔๕๖๗๘๙")
    arabic_digits = sum(text.count(digit) for digit in "0123456789")
    return {
        "format": FORMAT,
        "agency": agency_to_data(agency=agency),
        "fiscal_year": year,
        "layout": layout,
        "digits": Report.Digits.ARABIC if arabic_digits > thai_digits else Report.Digits.THAI,
        "title": Report._meta.get_field("title").get_default(),
        "year_style": Report._meta.get_field("year_style").get_default(),
        "issue_groups": result.issue_groups,
        "measures": result.measures,
        "indicator_progress": result.indicator_progress,
    }
