import datetime
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from measures.models import FiscalYear
from measures.periods import parse_thai_date
from measures.services import fiscal_year_open


class Command(BaseCommand):
    help = (
        "Open a fiscal year as a copy of another's ITA framework (tools, indicators, OIT items, "
        "score bands), marked provisional until an administrator confirms it."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="the new fiscal year, Buddhist Era (2571)")
        parser.add_argument(
            "--from",
            dest="source",
            type=int,
            help="the year to copy (default: the latest year before it)",
        )
        parser.add_argument(
            "--oit-deadline",
            help="the last day of the OIT answers: 2028-04-30 or ๓๐ เมษายน ๒๕๗๑ (default: asked, "
            "or left open)",
        )
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="never ask; the deadline stays open unless given",
        )

    def handle(self, *args, year, source, oit_deadline, no_input, **options):
        sources = FiscalYear.objects.filter(year__lt=year) if source is None else None
        base = (
            sources.order_by("-year").first()
            if sources is not None
            else FiscalYear.objects.filter(year=source).first()
        )
        if base is None:
            raise CommandError(
                f"No fiscal year {source or 'before ' + str(year)} to copy: load the framework "
                "first (python manage.py load_demo, or the admin's Fiscal years)."
            )
        if oit_deadline is None and not no_input and sys.stdin.isatty():
            oit_deadline = input(
                f"OIT deadline of {year} (such as {year - 543}-04-30; empty leaves it open): "
            ).strip()
        try:
            opened = fiscal_year_open(year=year, source=base, oit_deadline=self._date(oit_deadline))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Fiscal year {opened.year} opened from {base.year}: {opened.tools.count()} tools, "
            f"{opened.indicators.count()} indicators, {opened.oit_items.count()} OIT items, "
            f"{opened.bands.count()} score bands; OIT deadline "
            f"{opened.oit_deadline or 'open'}. Provisional until an administrator confirms it."
        )

    @staticmethod
    def _date(text: str | None) -> datetime.date | None:
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            day = parse_thai_date(text)
        if day is None:
            raise CommandError(f"Not a date: {text!r} (write 2028-04-30 or ๓๐ เมษายน ๒๕๗๑).")
        return day
