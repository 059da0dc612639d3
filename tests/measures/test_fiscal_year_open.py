"""A new fiscal year in one step, by command or by the admin's action; this year always there."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from measures.demo import demo_reports
from measures.models import FiscalYear, Report
from measures.services import (
    fiscal_year_ensure_current,
    fiscal_year_open,
    report_create,
    report_import,
)

pytestmark = pytest.mark.django_db


def framework_of(year: FiscalYear) -> dict:
    return {
        "tools": list(year.tools.values_list("code", "name", "position")),
        "indicators": list(year.indicators.values_list("number", "name", "tool__code")),
        "items": list(
            year.oit_items.values_list("code", "title", "form", "indicator__number", "position")
        ),
        "bands": list(year.bands.values_list("label", "min_overall", "min_each_tool", "position")),
    }


def test_the_command_copies_the_whole_framework_and_marks_it_provisional(framework):
    out = io.StringIO()
    call_command("open_fiscal_year", "2570", "--from", "2569", "--no-input", stdout=out)
    call_command("open_fiscal_year", "2571", "--oit-deadline", "๓๐ เมษายน ๒๕๗๑", stdout=out)
    new, source = FiscalYear.objects.get(year=2571), FiscalYear.objects.get(year=2569)
    assert framework_of(new) == framework_of(source)
    assert len(framework_of(new)["indicators"]) == 10 and framework_of(new)["items"]
    assert new.provisional and new.oit_deadline == datetime.date(2028, 4, 30)
    assert FiscalYear.objects.get(year=2570).oit_deadline is None  # left open
    assert "2571 opened from 2570" in out.getvalue()


def test_the_command_refuses_an_open_year_or_a_missing_source(framework):
    with pytest.raises(CommandError, match="ปีงบประมาณ 2569 เปิดอยู่แล้ว"):
        call_command("open_fiscal_year", "2569", "--no-input", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No fiscal year 2400"):
        call_command("open_fiscal_year", "2571", "--from", "2400", "--no-input")
    with pytest.raises(CommandError, match="Not a date"):
        call_command("open_fiscal_year", "2571", "--oit-deadline", "soon", "--no-input")
    assert not FiscalYear.objects.filter(year=2571).exists()


def test_an_oit_deadline_outside_the_year_is_refused(framework):
    with pytest.raises(ValidationError):
        fiscal_year_open(
            year=2570,
            source=framework[2569],
            oit_deadline=datetime.date(2030, 1, 1),
        )
    assert not FiscalYear.objects.filter(year=2570).exists()


def test_this_fiscal_year_is_opened_once_from_the_latest(framework):
    opened = fiscal_year_ensure_current(today=datetime.date(2026, 11, 30))
    assert opened.year == 2570 and opened.provisional
    assert fiscal_year_ensure_current(today=datetime.date(2027, 9, 30)) == opened
    assert FiscalYear.objects.filter(year=2570).count() == 1


def test_the_admin_opens_the_next_year_and_confirms_it(framework, admin_client):
    source = framework[2569]
    response = admin_client.post(
        "/admin/measures/fiscalyear/",
        {"action": "open_next_year", "_selected_action": [source.pk]},
        follow=True,
    )
    assert response.status_code == 200
    opened = FiscalYear.objects.get(year=2570)
    assert opened.provisional and opened.indicators.count() == 10
    admin_client.post(
        "/admin/measures/fiscalyear/",
        {"action": "confirm_framework", "_selected_action": [opened.pk]},
    )
    opened.refresh_from_db()
    assert not opened.provisional


def test_rolling_forward_over_a_gap_moves_periods_by_the_years_between(framework, admin_user):
    fiscal_year_open(year=2570, source=framework[2569])
    old = report_import(data=demo_reports()[2])  # nong-lom 2568
    assert old.fiscal_year.year == 2568
    before = {m.position: (m.period_start, m.period_end) for m in old.measures.all()}
    report = report_create(
        agency=old.agency,
        fiscal_year=FiscalYear.objects.get(year=2570),
        user=admin_user,
        roll_forward=True,
    )
    assert report.measures.count() == old.measures.count()
    for measure in report.measures.all():
        start, end = before[measure.position]
        if start:
            assert measure.period_start == start.replace(year=start.year + 2)
            assert measure.period_end == end.replace(year=end.year + 2)


def test_a_missing_framework_says_who_opens_it_and_how(framework):
    data = demo_reports()[0] | {"fiscal_year": 2580}
    with pytest.raises(ValidationError) as refused:
        report_import(data=data)
    assert "open_fiscal_year 2580" in refused.value.messages[0]
    assert not Report.objects.exists()
