from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from accounts.services import membership_grant, review_scope_grant, user_upsert
from measures.demo import demo_framework, demo_reports
from measures.services import fiscal_year_ensure_current, framework_load, report_import
from publication.services import report_approve, report_publish, report_submit

DEMO_PASSWORD = "ita-demo-2568"


class Command(BaseCommand):
    help = (
        "Load the ITA framework (2565–2569, and the current fiscal year as a provisional copy), "
        "the five seed reports and demo users. "
        "Running it again restores the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-publish",
            action="store_true",
            help="leave the seed reports as drafts (by default each is published as version 1)",
        )

    @transaction.atomic
    def handle(self, *args, no_publish=False, **options):
        years = framework_load(data=demo_framework())
        # Whatever today's date, its fiscal year is open for staff to start this year's report.
        current = fiscal_year_ensure_current(today=timezone.localdate())
        years += [current] if current not in years else []
        reports = [report_import(data=data) for data in demo_reports()]

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
        published = 0 if no_publish else self._publish(reports)

        self.stdout.write(
            f"Loaded {len(years)} fiscal years and {len(reports)} reports, "
            f"{published} published now "
            f"({sum(r.measures.count() for r in reports)} measures)."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in logins:
            self.stdout.write(f"  {username:<28} {role}")

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
