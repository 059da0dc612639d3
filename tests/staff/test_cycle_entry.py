"""Staff enter the year's cycle once, as an editor types it: the plan's fields of a measure,
progress rounds with every measure on one page, and who may post to the cycle's pages (last
year's scores and issues: test_cycle_analysis.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures import services
from measures.models import (
    AssessmentResult,
    Change,
    FiscalYear,
    MeasureRound,
    ProgressRound,
    Report,
)
from tests.factories import MeasureFactory
from tests.staff.test_views import measure_post

pytestmark = pytest.mark.django_db
PASSWORD = "ita-demo-2568"


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")


@pytest.fixture
def report(demo):
    return Report.objects.get(agency__slug="nong-lom", fiscal_year__year=2568)


@pytest.fixture
def editor(client, demo):
    assert client.login(username="nong-lom-editor", password=PASSWORD)
    return client


@pytest.fixture
def three_measures(report):
    """A new report of nong-lom for 2569 with three measures."""
    fresh = services.report_create(
        agency=report.agency,
        fiscal_year=FiscalYear.objects.get(year=2569),
        user=None,
        roll_forward=False,
    )
    for position in (1, 2, 3):
        MeasureFactory(report=fresh, position=position)
    return fresh


# -- The plan's fields of a measure ---------------------------------------------------------------


def test_a_budget_typed_in_thai_digits_is_saved_and_shown_back(editor, report):
    response = editor.post(
        f"/staff/reports/{report.pk}/measures/new/",
        measure_post(
            objective="เพื่อให้บุคลากรรู้จักการป้องกันการทุจริต",
            target="บุคลากรร้อยละ ๘๐ ผ่านการอบรม",
            budget_planned="๒๕,๐๐๐",
            budget_spent="12,500.50",
        ),
    )
    assert response.status_code == 302
    measure = report.measures.order_by("-position").first()
    assert measure.budget_planned == Decimal("25000")
    assert measure.budget_spent == Decimal("12500.50")
    assert not measure.budget_none
    assert measure.objective == "เพื่อให้บุคลากรรู้จักการป้องกันการทุจริต"
    assert measure.target == "บุคลากรร้อยละ ๘๐ ผ่านการอบรม"

    page = editor.get(f"/staff/reports/{report.pk}/measures/{measure.pk}/").content.decode()
    assert 'value="๒๕,๐๐๐"' in page
    assert 'value="๑๒,๕๐๐.๕๐"' in page
    assert "เพื่อให้บุคลากรรู้จักการป้องกันการทุจริต" in page

    # Saved again as shown, the amounts stay; ticking "no budget" with them cleared clears them.
    response = editor.post(
        f"/staff/reports/{report.pk}/measures/{measure.pk}/",
        measure_post(budget_planned="", budget_spent="", budget_none="on", version=measure.version),
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.budget_planned, measure.budget_spent, measure.budget_none) == (None, None, True)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"budget_planned": "สองหมื่นบาท"}, "budget_planned", "กรอกจำนวนเงินเป็นบาท"),
        ({"budget_spent": "25,00,0"}, "budget_spent", "กรอกจำนวนเงินเป็นบาท"),
        (
            {"budget_planned": "25000", "budget_none": "on"},
            "budget_none",
            "มาตรการที่ไม่ใช้งบประมาณต้องไม่มีจำนวนเงิน",
        ),
    ],
)
def test_a_wrong_budget_is_refused_in_thai_beside_the_field(editor, report, fields, field, message):
    count = report.measures.count()
    response = editor.post(
        f"/staff/reports/{report.pk}/measures/new/",
        measure_post(objective="วัตถุประสงค์ที่พิมพ์ไว้", **fields),
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    page = response.content.decode()
    assert message in page
    for value in fields.values():
        if value != "on":
            assert f'value="{value}"' in page  # nothing typed is lost
    assert "วัตถุประสงค์ที่พิมพ์ไว้" in page
    assert report.measures.count() == count


def test_the_measure_preview_draws_a_measure_with_a_budget(editor, report):
    measure = report.measures.first()
    response = editor.post(
        f"/staff/reports/{report.pk}/measures/{measure.pk}/preview/",
        measure_post(budget_planned="๒๕,๐๐๐"),
    )
    assert response.status_code == 200
    assert "จัดอบรมคุณธรรมจริยธรรมให้บุคลากร" in response.content.decode()
    measure.refresh_from_db()
    assert measure.budget_planned is None  # a preview writes nothing


# -- Progress rounds ------------------------------------------------------------------------------


def round_post(measures, rows, label="รอบ ๖ เดือน", as_of="๓๑ มีนาคม ๒๕๖๙") -> dict:
    data = {
        "label": label,
        "as_of": as_of,
        "entries-TOTAL_FORMS": len(measures),
        "entries-INITIAL_FORMS": len(measures),
    }
    for i, measure in enumerate(measures):
        progress, percent, note = rows[i] if i < len(rows) else ("", "", "")
        data.update(
            {
                f"entries-{i}-measure": measure.pk,
                f"entries-{i}-progress": progress,
                f"entries-{i}-percent": percent,
                f"entries-{i}-note": note,
            }
        )
    return data


def test_an_editor_adds_a_round_with_three_measures_and_sees_the_rollup(editor, three_measures):
    report = three_measures
    measures = list(report.measures.order_by("position"))
    page = editor.get(f"/staff/reports/{report.pk}/rounds/new/")
    assert page.status_code == 200
    assert page.context["form"].initial["label"] == "รอบ ๖ เดือน"

    response = editor.post(
        f"/staff/reports/{report.pk}/rounds/new/",
        round_post(
            measures,
            [
                ("done", "", "เสร็จแล้ว"),  # done: 100 %
                ("in_progress", "๕๐", ""),  # Thai digits
                ("in_progress", "20 %", "เริ่มแล้ว"),
            ],
            as_of="2026-03-31",  # ISO, as a date input sends it: 31 มี.ค. 2569
        ),
    )
    assert response.status_code == 302
    progress_round = ProgressRound.objects.get(report=report)
    assert (progress_round.number, progress_round.label) == (1, "รอบ ๖ เดือน")
    assert str(progress_round.as_of) == "2026-03-31"
    entries = {e.measure_id: e for e in MeasureRound.objects.filter(round=progress_round)}
    assert [(entries[m.pk].progress, entries[m.pk].percent) for m in measures] == [
        ("done", 100),
        ("in_progress", 50),
        ("in_progress", 20),
    ]
    change = Change.objects.filter(report=report).latest("pk")
    assert change.user.username == "nong-lom-editor"
    assert change.after["label"] == "รอบ ๖ เดือน"

    detail = editor.get(f"/staff/reports/{report.pk}/")
    assert detail.context["rollup"][0]["percent"] == 57  # (100 + 50 + 20) / 3
    html = detail.content.decode()
    assert 'aria-valuenow="57"' in html and "๕๗%" in html  # the text in the page's digits
    home = editor.get("/staff/").content.decode()
    assert 'aria-valuenow="57"' in home and "๕๗%" in home

    # The round opens with what was saved; a change is saved over it.
    page = editor.get(f"/staff/reports/{report.pk}/rounds/1/")
    assert page.context["formset"].initial[1]["percent"] == 50
    response = editor.post(
        f"/staff/reports/{report.pk}/rounds/1/",
        round_post(
            measures,
            [("done", "100", ""), ("done", "", ""), ("in_progress", "40", "")],
            label="รอบ ๖ เดือน (แก้ไข)",
        ),
    )
    assert response.status_code == 302
    assert editor.get(f"/staff/reports/{report.pk}/").context["rollup"][0]["percent"] == 80


def test_a_new_round_starts_from_the_last_one(editor, three_measures):
    report = three_measures
    measures = list(report.measures.order_by("position"))
    editor.post(
        f"/staff/reports/{report.pk}/rounds/new/",
        round_post(measures, [("done", "", ""), ("in_progress", "30", "")]),
    )
    page = editor.get(f"/staff/reports/{report.pk}/rounds/new/")
    assert page.context["form"].initial["label"] == "รอบ ๑๒ เดือน"
    assert [row.get("percent") for row in page.context["formset"].initial] == [100, 30, None]


@pytest.mark.parametrize(
    ("row", "as_of", "field", "message"),
    [
        (("done", "80", ""), "๓๑ มีนาคม ๒๕๖๙", "percent", "ร้อยละ ๑๐๐"),
        (("not_started", "10", ""), "๓๑ มีนาคม ๒๕๖๙", "percent", "ร้อยละ ๐"),
        (("in_progress", "101", ""), "๓๑ มีนาคม ๒๕๖๙", "percent", "๐ ถึง ๑๐๐"),
        (("in_progress", "50", "<b>ดี</b>"), "๓๑ มีนาคม ๒๕๖๙", "note", "HTML"),
        (("in_progress", "50", ""), "๓๑ มีนาคม ๒๕๖๐", "as_of", "ปีงบประมาณ ๒๕๖๙"),
        (("in_progress", "50", ""), "เดือนหน้า", "as_of", "พุทธศักราช"),
    ],
)
def test_a_wrong_round_is_refused_in_thai_and_kept(
    editor, three_measures, row, as_of, field, message
):
    report = three_measures
    measures = list(report.measures.order_by("position"))
    response = editor.post(
        f"/staff/reports/{report.pk}/rounds/new/", round_post(measures, [row], as_of=as_of)
    )
    assert response.status_code == 200
    if field == "as_of":
        errors = response.context["form"].errors[field]
    else:
        errors = response.context["formset"].forms[0].errors[field]
    assert message in " ".join(errors)
    page = response.content.decode()
    assert as_of in page  # nothing typed is lost
    assert not ProgressRound.objects.filter(report=report).exists()


def test_a_round_of_a_report_under_review_is_refused(editor, three_measures):
    report = three_measures
    Report.objects.filter(pk=report.pk).update(state=Report.State.SUBMITTED)
    measures = list(report.measures.order_by("position"))
    response = editor.post(
        f"/staff/reports/{report.pk}/rounds/new/", round_post(measures, [("done", "", "")])
    )
    assert response.status_code == 403
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="ส่งตรวจ|submitted"):  # the service refuses too
        services.round_save(
            report=report,
            number=None,
            label="รอบ",
            as_of=report.fiscal_year.end,
            entries=[],
            user=None,
        )
    assert not ProgressRound.objects.filter(report=report).exists()


def test_deleting_a_round_keeps_it_in_the_history(editor, three_measures):
    report = three_measures
    measures = list(report.measures.order_by("position"))
    editor.post(f"/staff/reports/{report.pk}/rounds/new/", round_post(measures, [("done", "", "")]))
    response = editor.post(f"/staff/reports/{report.pk}/rounds/1/delete/")
    assert response.status_code == 302
    assert not ProgressRound.objects.filter(report=report).exists()
    change = Change.objects.filter(report=report).latest("pk")
    assert change.before["measures"][0]["percent"] == 100
    assert change.action == Change.Action.UPDATED  # not a measure to restore
    assert "round-delete" not in editor.get(f"/staff/reports/{report.pk}/").content.decode()


def _queries(client, method, path, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(queries)


def test_the_round_page_takes_as_many_queries_for_3_measures_as_for_30(editor, three_measures):
    report = three_measures
    path = f"/staff/reports/{report.pk}/rounds/new/"
    few_get = _queries(editor, "get", path)
    rows = [("in_progress", "50", "ทำอยู่")] * 40
    few_post = _queries(editor, "post", path, round_post(list(report.measures.all()), rows))
    few_edit = _queries(editor, "get", f"/staff/reports/{report.pk}/rounds/1/")
    few_page = _queries(editor, "get", f"/staff/reports/{report.pk}/")

    for position in range(4, 31):
        MeasureFactory(report=report, position=position)
    ProgressRound.objects.filter(report=report).delete()
    assert _queries(editor, "get", path) == few_get
    assert _queries(editor, "post", path, round_post(list(report.measures.all()), rows)) == few_post
    assert _queries(editor, "get", f"/staff/reports/{report.pk}/rounds/1/") == few_edit
    assert _queries(editor, "get", f"/staff/reports/{report.pk}/") == few_page
    assert max(few_get, few_edit) <= 15
    assert MeasureRound.objects.filter(round__report=report).count() == 30


# -- Helpers the analysis tests share ----------------------------------------------------------


def scores_csv(text: str, name="scores.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def issues_post(rows: list[tuple], initial: int = 0) -> dict:
    data = {"issues-TOTAL_FORMS": len(rows), "issues-INITIAL_FORMS": initial}
    for i, (pk, order, kind, title, *delete) in enumerate(rows):
        data.update(
            {
                f"issues-{i}-id": pk or "",
                f"issues-{i}-ORDER": order,
                f"issues-{i}-kind": kind,
                f"issues-{i}-title": title,
            }
        )
        if delete:
            data[f"issues-{i}-DELETE"] = "on"
    return data


# -- Who may -------------------------------------------------------------------------------------


def cycle_posts(report, measure) -> list[tuple[str, dict]]:
    return [
        (f"/staff/reports/{report.pk}/rounds/new/", round_post([measure], [("done", "", "")])),
        (f"/staff/reports/{report.pk}/rounds/1/", round_post([measure], [("done", "", "")])),
        (f"/staff/reports/{report.pk}/rounds/1/delete/", {}),
        (f"/staff/reports/{report.pk}/analysis/", {"overall": "90"}),
        (f"/staff/reports/{report.pk}/analysis/import/", {"file": scores_csv("1,90\n")}),
        (f"/staff/reports/{report.pk}/analysis/issues/", issues_post([("", 1, "urgent", "x")])),
    ]


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("nong-lom-approver", 403),  # sees the report, does not change it
        ("nong-lom-reviewer", 403),
        ("sai-khao-editor", 404),  # another agency's editor does not learn it exists
        (None, 302),  # a citizen is sent to log in
    ],
)
def test_only_the_agencys_editors_post_to_the_cycle(client, three_measures, username, status):
    report = three_measures
    measure = report.measures.first()
    services.round_save(
        report=report,
        number=None,
        label="รอบ ๖ เดือน",
        as_of=report.fiscal_year.end,
        entries=[{"measure": measure.pk, "progress": "in_progress", "percent": 10}],
        user=None,
    )
    if username:
        assert client.login(username=username, password=PASSWORD)
    before = (Change.objects.count(), MeasureRound.objects.get().percent)
    for path, data in cycle_posts(report, measure):
        response = client.post(path, data)
        assert response.status_code == status, path
        if status == 302:
            assert response["Location"].startswith("/accounts/login/")
    assert (Change.objects.count(), MeasureRound.objects.get().percent) == before
    assert not AssessmentResult.objects.filter(agency=report.agency, fiscal_year__year=2568)
    assert not report.issue_groups.exists()
