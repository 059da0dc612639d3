"""Reminders of the OIT deadline, sent each morning by Celery beat (publication.tasks).

An agency whose report of a fiscal year is not published yet hears, a few days before the
year's OIT deadline (``settings.DEADLINE_REMINDER_DAYS``: 30, 7 and 1 by default), how many days
are left: one e-mail to its editors, those who can finish and publish it. A report published
once (even if a revision is open since) is public: its agency is not reminded.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Membership
from measures.models import Agency, DocumentKind, FiscalYear, Report

from .models import PublishedVersion

log = logging.getLogger(__name__)

# Long enough to outlive the day it is sent: a task run twice (a retry, a message delivered again)
# reminds an agency once a day.
SENT_FOR = 2 * 24 * 3600


@dataclass
class Reminded:
    year: int
    days_left: int
    agencies: int
    emails: int


def deadline_reminders_send(*, today: datetime.date | None = None) -> list[Reminded]:
    """E-mail the editors of every agency whose report is not published, ``days`` before each
    fiscal year's OIT deadline for each of ``settings.DEADLINE_REMINDER_DAYS``."""
    today = today or timezone.localdate()
    days_before = {today + datetime.timedelta(days=days): days for days in _days()}
    sent = []
    for year in FiscalYear.objects.filter(oit_deadline__in=days_before).order_by("year"):
        days_left = days_before[year.oit_deadline]
        agencies, emails = _remind(year=year, days_left=days_left, today=today)
        sent.append(Reminded(year=year.year, days_left=days_left, agencies=agencies, emails=emails))
    return sent


def _days() -> list[int]:
    return sorted({int(days) for days in settings.DEADLINE_REMINDER_DAYS if int(days) >= 0})


def agencies_to_remind(*, year: FiscalYear):
    """The agencies with editors whose report of ``year`` has no published version."""
    published = PublishedVersion.objects.filter(
        report__agency=OuterRef("pk"), report__fiscal_year=year, document=DocumentKind.REPORT
    )
    editors = Membership.objects.filter(agency=OuterRef("pk"), role=Membership.Role.EDITOR)
    return Agency.objects.filter(Exists(editors)).exclude(Exists(published)).order_by("slug")


def _remind(*, year: FiscalYear, days_left: int, today: datetime.date) -> tuple[int, int]:
    reports = dict(Report.objects.filter(fiscal_year=year).values_list("agency_id", "pk"))
    agencies = emails = 0
    for agency in agencies_to_remind(year=year).iterator(chunk_size=500):
        key = f"publication:reminder:{year.year}:{today.isoformat()}:{agency.pk}"
        recipients = sorted(
            Membership.objects.filter(
                agency=agency, role=Membership.Role.EDITOR, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        if not recipients or not cache.add(key, True, timeout=SENT_FOR):
            continue
        try:
            _send(agency, year, days_left, report_pk=reports.get(agency.pk), to=recipients)
        except OSError:  # the mail server is down: said in the log, tried again on the next run
            cache.delete(key)
            log.exception("Could not remind %s of the deadline of %s", recipients, year)
            continue
        agencies += 1
        emails += len(recipients)
    log.info(
        "Reminded %s agencies of the OIT deadline of %s (%s days left)", agencies, year, days_left
    )
    return agencies, emails


def _send(agency, year: FiscalYear, days_left: int, *, report_pk: int | None, to: list[str]):
    path = reverse("staff:report", kwargs={"pk": report_pk}) if report_pk else reverse("staff:home")
    with override(settings.LANGUAGE_CODE):  # Thai first, whatever the worker's language
        subject = _("%(agency)s: %(days)s days left to publish the ITA report of %(year)s") % {
            "agency": agency.name,
            "days": days_left,
            "year": year.year,
        }
        body = render_to_string(
            "publication/email/deadline_reminder.txt",
            {
                "agency": agency,
                "year": year,
                "days_left": days_left,
                "url": settings.PUBLIC_BASE_URL + path,
            },
        )
    send_mail(subject, body, None, to)
