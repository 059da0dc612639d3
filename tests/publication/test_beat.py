"""The periodic jobs Celery beat runs (settings.CELERY_BEAT_SCHEDULE): each names a task that
exists, and each task, run as a worker runs it, does its job: reminders of the OIT deadline to
the agencies not published yet, a backup archive that restores, a search index made whole."""

import datetime
import json
import tarfile

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.utils import timezone

from accounts.models import Membership
from ita_portal.celery import app
from publication import tasks
from publication.models import PublishedVersion, SearchEntry
from publication.search import search_measures
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    MeasureFactory,
    ReportFactory,
    UserFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def test_the_schedule_names_tasks_that_exist():
    app.loader.import_default_modules()  # what a worker imports: every app's tasks.py
    assert set(settings.CELERY_BEAT_SCHEDULE) == {
        "deadline-reminders",
        "nightly-backup",
        "search-reindex",
        "pack-closed-reports",
    }
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
        assert isinstance(entry["schedule"], crontab), name


# -- Deadline reminders ----------------------------------------------------------------------------


def editor_of(agency, email: str):
    user = UserFactory(email=email)
    Membership.objects.create(user=user, agency=agency, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def year_due_in_7_days(settings):
    settings.DEADLINE_REMINDER_DAYS = [30, 7, 1]
    today = timezone.localdate()
    # Fiscal year of the deadline (BE): October onwards belongs to the next year.
    deadline = today + datetime.timedelta(days=7)
    be = deadline.year + 543 + (1 if deadline.month >= 10 else 0)
    return FiscalYearFactory(year=be, oit_deadline=deadline)


def test_agencies_not_published_are_reminded_once_a_day(year_due_in_7_days):
    late = AgencyFactory(name="อบต.ยังไม่เผยแพร่")
    editor_of(late, "late@example.org")
    approver = UserFactory(email="head@example.org")
    Membership.objects.create(user=approver, agency=late, role=Membership.Role.APPROVER)
    report = ReportFactory(agency=late, fiscal_year=year_due_in_7_days)
    published = AgencyFactory()
    editor_of(published, "done@example.org")
    done = ReportFactory(agency=published, fiscal_year=year_due_in_7_days)
    MeasureFactory(report=done)
    publish(done, UserFactory(is_superuser=True))
    mail.outbox.clear()
    AgencyFactory()  # no editor: no one to remind

    assert tasks.send_deadline_reminders.apply().get() == 1
    assert tasks.send_deadline_reminders.apply().get() == 0  # run twice: one e-mail
    [sent] = mail.outbox
    assert sent.to == ["late@example.org"]  # its editors, who publish
    assert "อบต.ยังไม่เผยแพร่" in sent.subject and "7" in sent.subject
    assert f"/staff/reports/{report.pk}/" in sent.body


def test_no_reminder_on_the_other_days(year_due_in_7_days, settings):
    editor_of(AgencyFactory(), "late@example.org")
    settings.DEADLINE_REMINDER_DAYS = [30, 1]
    assert tasks.send_deadline_reminders.apply().get() == 0
    assert mail.outbox == []


# -- Nightly backup --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the backup reads one snapshot: its own transaction
def test_the_nightly_backup_writes_an_archive_and_keeps_the_newest(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEEP = 1
    AgencyFactory(name="อบต.สำรอง")
    first = tasks.backup_nightly.apply().get()
    second = tasks.backup_nightly.apply().get()
    assert sorted(settings.BACKUP_DIR.iterdir()) == [settings.BACKUP_DIR / second.rsplit("/")[-1]]
    assert first != second
    with tarfile.open(second) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        dump = archive.extractfile("database.jsonl").read().decode()
    assert manifest["format"] == "ita-portal-backup" and "อบต.สำรอง" in dump


# -- Re-indexing -----------------------------------------------------------------------------------


def test_reindexing_indexes_a_latest_version_the_index_lost(settings):
    report = ReportFactory()
    MeasureFactory(report=report, title="ช่องทางการร้องเรียนการทุจริต")
    version = publish(report, UserFactory(is_superuser=True))
    SearchEntry.objects.all().delete()  # lost (a restore older than the index, say)
    assert search_measures(query="ร้องเรียน") == ([], 0)

    tasks.search_reindex.apply().get()
    assert SearchEntry.objects.filter(version=version).count() == 1
    hits, _count = search_measures(query="ร้องเรียน")
    assert [hit.title for hit in hits] == ["ช่องทางการร้องเรียนการทุจริต"]
    assert PublishedVersion.objects.count() == 1
