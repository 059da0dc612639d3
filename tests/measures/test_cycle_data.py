"""One set of measures through the year: plan (budget, target), progress rounds, report."""

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from measures.demo import demo_reports
from measures.models import Measure, MeasureRound
from measures.report_format import report_to_data
from measures.selectors import progress_rollup, report_document
from measures.services import measure_update, report_import

pytestmark = pytest.mark.django_db


def plan_2568() -> dict:
    """nong-lom 2568 with a plan, two rounds and last year's per-indicator scores."""
    data = copy.deepcopy(demo_reports()[2])
    assert data["agency"]["slug"] == "nong-lom"
    data["rounds"] = [
        {"number": 1, "label": "รอบ ๖ เดือน", "as_of": "2025-03-31"},
        {"number": 2, "label": "รอบ ๑๒ เดือน", "as_of": "2025-09-30"},
    ]
    first, second, third = data["measures"][:3]
    first.update(
        objective="ให้บุคลากรรู้เรื่องผลประโยชน์ทับซ้อน",
        target="บุคลากรร้อยละ ๘๐ ผ่านการอบรม",
        budget_planned=25000,
        budget_spent=24350.5,
        rounds=[
            {"round": 1, "progress": "in_progress", "percent": 40, "note": "อบรมรุ่นแรกแล้ว"},
            {"round": 2, "progress": "done", "percent": 100, "note": ""},
        ],
    )
    second.update(budget_none=True, rounds=[{"round": 1, "progress": "done", "percent": 100}])
    third.update(rounds=[{"round": 2, "progress": "in_progress", "percent": 50}])
    data["cited_result"] = {"fiscal_year": 2567, "overall": "88.40", "label": "ผ่าน"}
    data["cited_result"]["indicators"] = [
        {"number": 1, "score": "92.10"},
        {"number": 9, "score": "78.50"},
    ]
    data.update(obstacles="งบประมาณไม่เพียงพอ", suggestions="")
    return data


def test_the_plan_rounds_and_scores_come_back_out_as_they_went_in(framework):
    data = plan_2568()
    report = report_import(data=data)
    out = report_to_data(report=report_document(pk=report.pk))
    measure = out["measures"][0]
    assert measure["budget_planned"] == 25000 and measure["budget_spent"] == 24350.5
    assert measure["target"] == "บุคลากรร้อยละ ๘๐ ผ่านการอบรม"
    assert [r["percent"] for r in measure["rounds"]] == [40, 100]
    assert out["measures"][1]["budget_none"] is True
    assert out["measures"][1]["budget_planned"] is None
    assert out["rounds"][1] == {"number": 2, "label": "รอบ ๑๒ เดือน", "as_of": "2025-09-30"}
    assert out["cited_result"]["indicators"] == data["cited_result"]["indicators"]
    assert out["obstacles"] == "งบประมาณไม่เพียงพอ"
    report_import(data=out)  # what comes out goes back in, unchanged
    assert report_to_data(report=report_document(pk=report.pk)) == out


def test_a_measure_without_budget_has_no_amount(framework):
    report = report_import(data=plan_2568())
    measure = report.measures.get(position=2)
    measure.budget_planned = Decimal("100")
    with pytest.raises(ValidationError, match="ไม่ใช้งบประมาณ|no amount"):
        measure.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(budget_planned=Decimal("100"))


def test_a_round_must_be_the_reports_own(framework):
    data = plan_2568()
    data["measures"][0]["rounds"].append({"round": 3, "progress": "done", "percent": 100})
    with pytest.raises(ValidationError, match="3"):
        report_import(data=data)


def test_the_rollup_counts_an_unreported_measure_as_not_begun(framework):
    report = report_document(pk=report_import(data=plan_2568()).pk)
    first, second = progress_rollup(report)
    measures = report.measures.count()
    assert first["measures"] == second["measures"] == measures == 7
    assert first["percent"] == round((40 + 100) / measures)
    assert second["percent"] == round((100 + 50) / measures)
    assert (first["done"], second["done"]) == (1, 1)
    by_number = {row["indicator"].number: row["percent"] for row in second["by_indicator"]}
    indicators = [m.indicator.number for m in report.measures.all()[:3]]
    assert by_number[indicators[0]] >= 0 and set(by_number) >= set(indicators)


def test_one_record_an_edit_to_the_title_shows_in_plan_progress_and_report(framework, admin_user):
    report = report_import(data=plan_2568())
    measure = report.measures.get(position=1)
    data = report_to_data(report=report_document(pk=report.pk))["measures"][0]
    # The staff form sends what it shows; the plan and the rounds it does not show stay.
    for key in ("objective", "target", "budget_planned", "budget_spent", "budget_none", "rounds"):
        data.pop(key)
    measure_update(
        measure=measure,
        data={**data, "title": "มาตรการใหม่"},
        expected_version=measure.version,
        user=admin_user,
    )
    out = report_to_data(report=report_document(pk=report.pk))["measures"][0]
    assert out["title"] == "มาตรการใหม่"
    assert out["budget_planned"] == 25000 and len(out["rounds"]) == 2
    assert MeasureRound.objects.filter(measure=measure).count() == 2
