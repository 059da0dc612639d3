import copy

import pytest
from django.core.exceptions import ValidationError

from measures.models import Measure, MeasureItem, Report, Responsible, Unit
from measures.report_format import report_to_data
from measures.selectors import report_document
from measures.services import report_import

pytestmark = pytest.mark.django_db

DOCUMENT = {
    "format": "ita-portal/report@1",
    "agency": {
        "slug": "test-town",
        "name": "เทศบาลตำบลทดสอบ",
        "kind": "subdistrict_municipality",
        "district": "เมือง",
        "province": "ทดสอบ",
        "units": ["สำนักปลัด", "กองคลัง"],
    },
    "fiscal_year": 2568,
    "layout": "by_issue",
    "title": "รายงานผล",
    "cited_result": {"fiscal_year": 2567, "overall": "90.68", "label": "ผ่านดี"},
    "issue_groups": [{"number": 1, "title": "ความโปร่งใส"}],
    "measures": [
        {
            "title": "มาตรการที่หนึ่ง",
            "issue_group": 1,
            "steps": [{"label": "", "text": "ขั้นที่หนึ่ง"}, {"label": "", "text": "ขั้นที่สอง"}],
            "outputs": [{"label": "สถิติ:", "text": "๑๒ ครั้ง"}],
            "outcomes": [{"label": "", "text": "ผลดี"}],
            "period": {"style": "quarters", "start": "2024-10-01", "end": "2025-03-31"},
            "responsible": {"main": ["สำนักปลัด"], "supporting": ["ทุกกอง"]},
            "progress": "done",
        },
        {"title": "มาตรการที่สอง", "indicator": {"number": 9, "label": ""}},
    ],
}


def test_import_creates_the_report_with_everything_in_it(framework):
    report = report_import(data=DOCUMENT)
    assert report.agency.province.name == "ทดสอบ"
    assert report.cited_result.official_band is None  # tool scores unknown
    first, second = report.measures.all()
    assert [i.text for i in first.items.filter(kind=MeasureItem.Kind.STEP)] == [
        "ขั้นที่หนึ่ง",
        "ขั้นที่สอง",
    ]
    assert first.items.get(kind=MeasureItem.Kind.OUTPUT).label == "สถิติ:"
    assert first.period_text == "ไตรมาสที่ 1 - 2"
    main = first.responsibles.get(role=Responsible.Role.MAIN)
    assert main.unit == Unit.objects.get(name="สำนักปลัด")  # linked to the agency's unit
    assert first.responsibles.get(role=Responsible.Role.SUPPORTING).unit is None
    assert second.indicator.name == "การเปิดเผยข้อมูล"


def test_import_is_idempotent_and_keeps_ids(framework):
    report = report_import(data=DOCUMENT)
    ids = sorted(MeasureItem.objects.values_list("pk", flat=True))
    again = report_import(data=DOCUMENT)
    assert again.pk == report.pk
    assert Report.objects.count() == 1 and Measure.objects.count() == 2
    assert sorted(MeasureItem.objects.values_list("pk", flat=True)) == ids


def test_import_removes_what_the_document_no_longer_has(framework):
    report_import(data=DOCUMENT)
    shorter = copy.deepcopy(DOCUMENT)
    shorter["measures"] = shorter["measures"][:1]
    shorter["measures"][0]["steps"] = shorter["measures"][0]["steps"][:1]
    shorter["measures"][0]["responsible"]["supporting"] = []
    report = report_import(data=shorter)
    measure = report.measures.get()
    assert measure.items.filter(kind=MeasureItem.Kind.STEP).count() == 1
    assert not measure.responsibles.filter(role=Responsible.Role.SUPPORTING).exists()


def test_export_round_trips_the_import(framework):
    report = report_import(data=DOCUMENT)
    exported = report_to_data(report=report_document(pk=report.pk))
    assert exported["measures"][0]["period"]["text"] == "ไตรมาสที่ ๑ - ๒"
    assert exported["measures"][1]["indicator"]["tool"] == "OIT"
    assert report_import(data=exported).pk == report.pk
    assert report_to_data(report=report_document(pk=report.pk)) == exported


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"fiscal_year": 2590}, "2590"),
        ({"format": "something-else"}, "something-else"),
        ({"measures": [{"title": "x", "indicator": {"number": 11}}]}, "11"),
        ({"measures": [{"title": "x", "issue_group": 7}]}, "7"),
        (
            {
                "measures": [
                    {
                        "title": "x",
                        "period": {"style": "day", "start": "2025-01-01", "end": "2025-01-02"},
                    }
                ]
            },
            "period_end",
        ),
    ],
)
def test_import_refuses_what_does_not_fit_and_writes_nothing(framework, change, message):
    with pytest.raises(ValidationError) as raised:
        report_import(data={**DOCUMENT, **change})
    assert message in str(raised.value)
    assert not Report.objects.exists()
