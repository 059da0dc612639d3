"""The seed report's contents by indicator name each indicator once, as the framework spells it."""

import io

import pytest
from django.core.management import call_command

from measures.models import Indicator, Report
from reports.rendering import document_for

pytestmark = pytest.mark.django_db


def test_an_indicator_is_spelled_as_the_framework_spells_it():
    call_command("load_demo", "--seeds-only", stdout=io.StringIO())
    report = Report.objects.get(agency__slug="nong-lom", fiscal_year__year=2568)
    names = {
        indicator.number: indicator.name
        for indicator in Indicator.objects.filter(fiscal_year=report.fiscal_year)
    }
    titles = {}
    for measure in report.measures.select_related("indicator"):
        if measure.indicator_id:
            titles.setdefault(measure.indicator.number, set()).add(measure.indicator_name)
    assert titles[5] == {"การแก้ไขปัญหาการทุจริต"} == {names[5]}
    groups = [group.title for group in document_for(report).indicator_groups]
    assert "การแก้ไขปัญหาการทุจริต" in groups
    assert "การแก้ไข ปัญหาการ ทุจริต" not in groups
