from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from accounts.services import (
    membership_grant,
    review_scope_grant,
    user_email_set,
    user_upsert,
)
from measures.demo import demo_cycle_reports, demo_framework, demo_reports
from measures.models import CYCLE_DOCUMENTS, FiscalYear
from measures.services import (
    fiscal_year_ensure_current,
    fiscal_year_open,
    framework_load,
    report_import,
)
from measures.services.places import country_load
from publication.demo import demo_reports_unpublish
from publication.seal import seal_demo_make
from publication.services import (
    report_approve,
    report_publish,
    report_submit,
    report_transition,
)
from publication.workflow import state_of

DEMO_PASSWORD = "ita-demo-2568"
DEMO_EMAIL_DOMAIN = "example.org"  # reserved for examples: mail to it reaches no one


class Command(BaseCommand):
    help = (
        "Load the ITA framework (2565–2569, and the current fiscal year as a provisional copy), "
        "the five seed reports, this year's cycle of each agency (the analysis of last year's "
        "result, the plan with its budgets and a first progress round, published) and demo users. "
        "Running it again restores the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-publish",
            action="store_true",
            help=(
                "leave the demo's reports as drafts (by default each is published as version 1); "
                "on a database where the demo had published them, take them back down"
            ),
        )
        parser.add_argument(
            "--seeds-only",
            action="store_true",
            help=(
                "the five seed reports without this year's cycle, nor the country's "
                "subdistricts (the tests of the seeds use it)"
            ),
        )

    def handle(self, *args, **options):
        usernames = self._load(*args, **options)
        # Addresses only once the demo's own reviews have committed and e-mailed no one, so
        # `make run` prints the logins, not a pile of e-mails; a password reset reaches them.
        for username in usernames:
            user_email_set(username=username, email=f"{username}@{DEMO_EMAIL_DOMAIN}")

    @transaction.atomic
    def _load(self, *args, no_publish=False, seeds_only=False, **options) -> list[str]:
        # The country first, so that the demo agencies are in its districts. The seeds alone
        # (as their tests load them) do without its 7,436 subdistricts, which cost ~0.5 s a load.
        country = country_load(subdistricts=not seeds_only)
        years = framework_load(data=demo_framework())
        # Whatever today's date, its fiscal year is open for staff to start this year's report.
        current = fiscal_year_ensure_current(today=timezone.localdate())
        years += [current] if current not in years else []
        reports = [report_import(data=data) for data in demo_reports()]
        cycle = [] if seeds_only else self._cycle_import()

        logins = [("admin", "site administrator")]
        # The seed reports go through review as the site administrator.
        self.admin = user_upsert(
            username="admin", password=DEMO_PASSWORD, is_staff=True, is_superuser=True
        )
        for report in reports:
            agency = report.agency
            editor = user_upsert(username=f"{agency.slug}-editor", password=DEMO_PASSWORD)
            membership_grant(user=editor, agency=agency, role=Membership.Role.EDITOR)
            approver = user_upsert(username=f"{agency.slug}-approver", password=DEMO_PASSWORD)
            membership_grant(user=approver, agency=agency, role=Membership.Role.APPROVER)
            reviewer = user_upsert(username=f"{agency.slug}-reviewer", password=DEMO_PASSWORD)
            review_scope_grant(user=reviewer, province=agency.province)
            logins += [
                (editor.username, f"editor of {agency.name}"),
                (approver.username, f"approver of {agency.name}"),
                (reviewer.username, f"reviewer of จังหวัด{agency.province.name}"),
            ]
        seal_demo_make()  # the demo's self-signed seal, before anything is published
        if no_publish:
            # Drafts, whatever an earlier load published: the same data again, as promised.
            unpublished = demo_reports_unpublish(reports=[*reports, *cycle])
            if unpublished:
                self.stdout.write(f"{unpublished} published versions of the demo taken down.")
        published = 0 if no_publish else self._publish(reports)
        documents = 0 if no_publish else self._publish_cycle(cycle)

        self.stdout.write(
            f"The country: {country.provinces} provinces, {country.districts} districts and "
            f"{country.subdistricts} subdistricts written (geothai data {country.version})."
        )
        self.stdout.write(
            f"Loaded {len(years)} fiscal years and {len(reports)} reports, "
            f"{published} published now "
            f"({sum(r.measures.count() for r in reports)} measures); "
            f"this year's cycle of {len(cycle)} agencies, {documents} documents published now."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in logins:
            self.stdout.write(f"  {username:<28} {role}")
        return [username for username, _role in logins]

    def _publish(self, reports) -> int:
        """Take each seed report through review to its first public version, once."""

        published = 0
        for report in reports:
            if report.versions.exists():
                continue
            reason = "เอกสารต้นฉบับที่หน่วยงานเผยแพร่แล้ว (ข้อมูลตัวอย่าง)"
            if report.state in (report.State.DRAFT, report.State.RETURNED):
                report_submit(report=report, user=self.admin, reason=reason)
            if report.state == report.State.SUBMITTED:
                report_approve(report=report, user=self.admin, reason=reason)
            report_publish(report=report, user=self.admin)
            published += 1
        return published

    def _cycle_import(self) -> list:
        """This year's report of each demo agency, with its analysis, plan and first round."""
        data = demo_cycle_reports()
        for year in sorted({report["fiscal_year"] for report in data}):
            if not FiscalYear.objects.filter(year=year).exists():  # the demo's year, whatever today
                source = FiscalYear.objects.filter(year__lt=year).order_by("-year").first()
                fiscal_year_open(year=year, source=source)
        return [report_import(data=report) for report in data]

    def _publish_cycle(self, reports) -> int:
        """The analysis, the plan and the progress of each, through review to version 1, once."""
        published = 0
        reason = "ข้อมูลตัวอย่าง: มาตรการของปีนี้ยังไม่มีผลการดำเนินการ"
        for report in reports:
            for document in CYCLE_DOCUMENTS:
                report.refresh_from_db()
                if state_of(report, document) == report.State.PUBLISHED:
                    continue
                for action in ("submit", "approve", "publish"):
                    report_transition(
                        report=report,
                        user=self.admin,
                        action=action,
                        reason=reason,
                        document=document,
                    )
                    report = type(report).objects.get(pk=report.pk)
                published += 1
        return published
