"""Staff enter the analysis of last year's result: scores typed or read from ITAS's file, and
the issues found, as an editor types them."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from measures import services
from measures.models import AssessmentResult, Change, IssueGroup, Measure
from tests.staff.test_cycle_entry import demo, editor, issues_post, report, scores_csv

pytestmark = pytest.mark.django_db
__all__ = ["demo", "editor", "report"]  # fixtures


# -- The analysis of last year's result -----------------------------------------------------------


def test_scores_read_from_a_csv_then_saved(editor, report):
    assert report.cited_result is None
    upload = scores_csv(
        "ตัวชี้วัด,คะแนน\n"
        "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่,92.10\n"
        "๒,๘๐.๕๐\n"
        "การใช้อำนาจ,88\n"
        "IIT,90.00\n"
        "คะแนนรวม,89.72\n"
        "หมายเหตุ ไม่ใช่คะแนน,12\n"
    )
    response = editor.post(f"/staff/reports/{report.pk}/analysis/import/", {"file": upload})
    assert response.status_code == 200
    form = response.context["result_form"]
    assert form.initial["indicator_1"] == Decimal("92.10")
    assert form.initial["indicator_2"] == Decimal("80.50")
    assert form.initial["indicator_3"] == Decimal("88.00")
    assert form.initial["overall"] == Decimal("89.72")
    page = response.content.decode()
    assert 'value="92.10"' in page
    assert "หมายเหตุ ไม่ใช่คะแนน" in page  # the row not understood is named
    assert not AssessmentResult.objects.filter(agency=report.agency).exists()  # only read

    data = {"overall": "89.72", "iit": "90.00", "label": "ผ่าน", "indicator_1": "92.10"}
    data.update({"indicator_2": "๘๐.๕๐", "indicator_3": "88.00"})
    response = editor.post(f"/staff/reports/{report.pk}/analysis/", data)
    assert response.status_code == 302
    report.refresh_from_db()
    result = report.cited_result
    assert (result.fiscal_year.year, result.overall, result.iit) == (
        2567,
        Decimal("89.72"),
        Decimal("90.00"),
    )
    scores = {s.indicator.number: s.score for s in result.indicator_scores.all()}
    assert scores == {1: Decimal("92.10"), 2: Decimal("80.50"), 3: Decimal("88.00")}
    assert Change.objects.filter(report=report, summary__contains="2567").exists()
    detail = editor.get(f"/staff/reports/{report.pk}/").content.decode()
    assert "๙๒.๑๐" in detail and "๘๐.๕๐" in detail  # in the Thai page's digits


def test_scores_read_from_an_xlsx(editor, report):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [("ตัวชี้วัด", "คะแนน"), ("1", 92.1), ("ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต", 75)]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("itas.xlsx", buffer.getvalue())
    response = editor.post(f"/staff/reports/{report.pk}/analysis/import/", {"file": upload})
    assert response.status_code == 200
    initial = response.context["result_form"].initial
    assert (initial["indicator_1"], initial["indicator_10"]) == (Decimal("92.10"), Decimal("75.00"))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("scores.pdf", b"%PDF-1.4"), "อ่านได้เฉพาะไฟล์ .csv และ .xlsx"),
        (SimpleUploadedFile("scores.xlsx", b"not a zip at all"), "ไม่ใช่ไฟล์ Excel"),
        (scores_csv("ชื่อ,ที่อยู่\nสมชาย,กรุงเทพ\n"), "ไม่พบคะแนน"),
        (scores_csv("   \n"), "ไฟล์ว่างเปล่า"),
    ],
)
def test_a_bad_file_of_scores_is_refused_in_thai(editor, report, upload, message):
    response = editor.post(f"/staff/reports/{report.pk}/analysis/import/", {"file": upload})
    assert response.status_code == 200
    assert message in response.context["file_form"].errors["file"][0]
    assert message in response.content.decode()
    assert not AssessmentResult.objects.filter(agency=report.agency).exists()


def test_a_wrong_score_is_refused_in_thai_and_kept(editor, report):
    response = editor.post(
        f"/staff/reports/{report.pk}/analysis/", {"overall": "๑๒๐", "indicator_1": "เก้าสิบ"}
    )
    assert response.status_code == 200
    assert "คะแนนตั้งแต่ ๐ ถึง ๑๐๐" in response.context["result_form"].errors["overall"][0]
    page = response.content.decode()
    assert 'value="๑๒๐"' in page and 'value="เก้าสิบ"' in page
    assert not AssessmentResult.objects.filter(agency=report.agency).exists()


def test_issues_are_entered_with_their_kind_reordered_and_deleted(editor, report):
    path = f"/staff/reports/{report.pk}/analysis/issues/"
    response = editor.post(
        path,
        issues_post(
            [
                ("", 1, "urgent", "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล ต่ำกว่าร้อยละ ๘๕"),
                ("", 2, "develop", "ตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร"),
                ("", "", "", ""),  # an empty new row is no issue
            ]
        ),
    )
    assert response.status_code == 302
    groups = list(report.issue_groups.order_by("number"))
    assert [(g.number, g.kind) for g in groups] == [(1, "urgent"), (2, "develop")]

    # A measure hangs off the second; the order is swapped, the first deleted.
    first, second = groups
    Measure.objects.filter(pk=report.measures.first().pk).update(indicator=None, issue_group=second)
    response = editor.post(
        path,
        issues_post(
            [(first.pk, 2, "urgent", first.title, "delete"), (second.pk, 1, "urgent", "ใหม่")],
            initial=2,
        ),
    )
    assert response.status_code == 302
    assert [(g.pk, g.number, g.kind, g.title) for g in report.issue_groups.all()] == [
        (second.pk, 1, "urgent", "ใหม่")
    ]
    assert report.measures.first().issue_group_id == second.pk

    # An issue that measures hang off is not deleted.
    response = editor.post(
        path, issues_post([(second.pk, 1, "urgent", "ใหม่", "delete")], initial=1)
    )
    assert response.status_code == 200
    assert "ยังมีมาตรการ" in response.content.decode()
    assert IssueGroup.objects.filter(pk=second.pk).exists()


def test_markup_in_an_issue_is_refused(editor, report):
    response = editor.post(
        f"/staff/reports/{report.pk}/analysis/issues/",
        issues_post([("", 1, "urgent", "<script>alert(1)</script>")]),
    )
    assert response.status_code == 200
    assert not report.issue_groups.exists()


def test_the_agencys_result_of_the_year_is_offered_when_the_report_cites_none(editor, report):
    services.assessment_result_upsert(
        agency=report.agency,
        data={
            "fiscal_year": 2567,
            "overall": "91.50",
            "indicators": [{"number": 9, "score": "80"}],
        },
    )
    form = editor.get(f"/staff/reports/{report.pk}/analysis/").context["result_form"]
    assert (form.initial["overall"], form.initial["indicator_9"]) == (
        Decimal("91.50"),
        Decimal("80.00"),
    )


def test_the_front_matter_form_takes_the_analysis_obstacles_and_suggestions(editor, report):
    page = editor.get(f"/staff/reports/{report.pk}/edit/").content.decode()
    assert all(f'name="{name}"' in page for name in ("analysis", "obstacles", "suggestions"))
