"""Issue 15.8: in a layout that sets out a table per indicator, a measure without an indicator is
flagged before submission; and an indicator spelt two ways is one heading in the contents."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils.translation import gettext

from measures import thai
from measures.models import Indicator, Report
from measures.selectors import report_documents
from publication.checks import report_check
from reports.rendering import document_for
from tests.factories import publish

pytestmark = pytest.mark.django_db
WRAPPED = "การแก้ไข ปัญหาการ ทุจริต"  # indicator 5 as a PDF's line wraps left it


@pytest.fixture
def nong_lom():
    """Seed 000 (a table per indicator), not yet published."""
    call_command("load_demo", "--seeds-only", "--no-publish", stdout=io.StringIO())
    cache.clear()
    return Report.objects.get(agency__slug="nong-lom")


def check(report: Report):
    return report_check(report_documents(Report.objects.filter(pk=report.pk)).get())


def test_a_measure_without_an_indicator_is_flagged_with_a_link_to_it(nong_lom):
    assert check(nong_lom) != [] and all(f.measure != 3 for f in check(nong_lom))
    measure = nong_lom.measures.order_by("position")[2]
    measure.indicator, measure.indicator_label = None, ""
    measure.save()
    (finding,) = [f for f in check(nong_lom) if f.measure == 3]
    assert finding.url == f"/staff/reports/{nong_lom.pk}/measures/{measure.pk}/"
    expected = gettext(
        "Measure %(number)s has no indicator, and the report's layout sets out its "
        "measures in a table per indicator."
    ) % {"number": thai.ui_digits(3)}
    assert finding.message == expected


def test_other_layouts_need_no_indicator(nong_lom):
    nong_lom.measures.update(indicator=None, indicator_label="")
    assert len([f for f in check(nong_lom) if "indicator" in f.message or "ตัวชี้วัด" in f.message])
    for layout in ("narrative", "by_issue", "memo_table", "measures_progress"):
        Report.objects.filter(pk=nong_lom.pk).update(layout=layout)
        nong_lom.refresh_from_db()
        found = [f.message for f in check(nong_lom)]
        assert not [m for m in found if "indicator" in m or "ตัวชี้วัด" in m], layout


def test_an_indicator_spelt_two_ways_is_one_heading_in_the_framework_spelling(
    nong_lom, client, django_user_model
):
    declared = Indicator.objects.get(fiscal_year=nong_lom.fiscal_year, number=5).name
    first, second = nong_lom.measures.order_by("position")[:2]
    assert first.indicator.number == 5 and first.indicator_label == ""
    # The second measure, under indicator 5 too, in the wrapped spelling.
    second.indicator, second.indicator_label = first.indicator, WRAPPED
    second.save()

    groups = document_for(nong_lom).indicator_groups
    titles = [group.title for group in groups]
    assert titles.count(declared) == 1 and WRAPPED not in titles
    assert [len(g.measures) for g in groups if g.title == declared] == [2]

    publish(nong_lom, django_user_model.objects.get(username="admin"))
    page = client.get("/nong-lom/2568/")
    headings = [group["heading"] for group in page.context["contents"]]
    assert headings.count(f"ตัวชี้วัดที่ 5 {declared}") == 1
    assert not [h for h in headings if WRAPPED in h]
    (five,) = [g for g in page.context["contents"] if g["heading"].startswith("ตัวชี้วัดที่ 5 ")]
    assert [m["number"] for m in five["measures"]] == [1, 2]
    assert len(headings) == len({h.split()[1] for h in headings})  # a heading per number
