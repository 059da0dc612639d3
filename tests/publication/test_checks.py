"""The OIT check: what the ITA evaluators will look for, on a made-up gap and on the seeds."""

import datetime

import pytest
from django.core.management import call_command

from measures.models import Report
from measures.report_format import measure_to_data
from measures.selectors import report_documents
from measures.services import measure_update
from publication.checks import report_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")


def findings(slug: str, today=None) -> list[str]:
    report = report_documents(Report.objects.filter(agency__slug=slug)).get()
    return [f.message for f in report_check(report, today=today)]


def test_a_measure_missing_its_period_and_outcomes_is_listed_with_a_link(demo):
    report = Report.objects.get(agency__slug="non-sung")
    measure = report.measures.get(position=2)
    data = measure_to_data(measure=measure)
    data.update(period=None, outcomes=[])
    measure_update(measure=measure, data=data, expected_version=measure.version, user=None)
    full = report_documents(Report.objects.filter(pk=report.pk)).get()
    (finding,) = report_check(full)
    assert "มาตรการที่ ๒" in finding.message  # in the Thai interface's digits
    assert "ระยะเวลา" in finding.message and "ผลลัพธ์" in finding.message
    assert finding.url == f"/staff/reports/{report.pk}/measures/{measure.pk}/"


def test_on_the_seeds_it_finds_the_originals_real_flaws_and_nothing_else(demo):
    """See docs/oit-check.md for why each finding is a flaw of the original document."""
    assert findings("kaset-phatthana") == []
    assert findings("non-sung") == []
    (nong_lom,) = findings("nong-lom")
    assert "มาตรการที่ ๒" in nong_lom and "ธ.ค.๒๕๖๘" in nong_lom  # runs past its fiscal year
    period, dated = findings("nong-samet")
    assert "มาตรการที่ ๑" in period and "ต.ค. ๖๕ - มี.ค. ๖๖" in period  # periods of fiscal 2566
    assert "๑๔ มกราคม ๒๕๖๘" in dated  # the 2567 report dated in fiscal 2568
    sai_khao = findings("sai-khao")
    assert len(sai_khao) == 10 and all("ขั้นตอน" in f for f in sai_khao)  # no steps column


def test_the_deadline_counts_for_a_report_not_yet_published(demo):
    late = findings("non-sung", today=datetime.date(2025, 5, 1))
    assert len(late) == 1 and "๓๐ เมษายน ๒๕๖๘" in late[0]
    assert findings("non-sung", today=datetime.date(2025, 4, 30)) == []
