"""Staff data entry through the web forms, as an editor types it."""

import html

import pytest
from django.core.management import call_command

from measures.models import Change, Measure, MeasureItem, Report

pytestmark = pytest.mark.django_db
PASSWORD = "ita-demo-2568"


@pytest.fixture
def editor(client, capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    assert client.login(username="nong-lom-editor", password=PASSWORD)
    return client


@pytest.fixture
def report():
    return Report.objects.get(agency__slug="nong-lom")


def formset(prefix: str, rows: list[tuple[str, str]]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0}
    for i, (label, text) in enumerate(rows):
        data.update({f"{prefix}-{i}-label": label, f"{prefix}-{i}-text": text})
        data[f"{prefix}-{i}-ORDER"] = i + 1
    return data


def measure_post(**fields) -> dict:
    lists = {name: fields.pop(name, []) for name in ("steps", "outputs", "outcomes", "sub_items")}
    data = {
        "title": "จัดอบรมคุณธรรมจริยธรรมให้บุคลากร",
        "period_style": "months",
        "period_start": "๑ มกราคม ๒๕๖๘",
        "period_end": "31/3/2568",
        "main_units": ["สำนักปลัดเทศบาล"],
        "progress": "in_progress",
        **{f"{n}_numbering": "auto" for n in ("sub_items", "steps", "outputs", "outcomes")},
        "responsible_numbering": "plain",
        "evidence-TOTAL_FORMS": 0,
        "evidence-INITIAL_FORMS": 0,
    }
    for name, rows in lists.items():
        data.update(formset(name, [r if isinstance(r, tuple) else ("", r) for r in rows]))
    data.update(fields)
    return data


def test_an_editor_adds_a_whole_measure(editor, report):
    response = editor.post(
        f"/staff/reports/{report.pk}/measures/new/",
        measure_post(
            steps=["ขั้นที่หนึ่ง", "ขั้นที่สอง", "ขั้นที่สาม"],
            outputs=[("สถิติ:", "จัด ๑๒ ครั้ง"), ("ผู้เข้าร่วม:", "๑๐๐ คน")],
            outcomes=["บุคลากรมีความรู้มากขึ้น"],
        ),
    )
    assert response.status_code == 302
    measure = report.measures.order_by("-position").first()
    assert measure.title == "จัดอบรมคุณธรรมจริยธรรมให้บุคลากร"
    assert [i.text for i in measure.items.filter(kind="step")] == [
        "ขั้นที่หนึ่ง",
        "ขั้นที่สอง",
        "ขั้นที่สาม",
    ]
    assert [(i.label, i.text) for i in measure.items.filter(kind="output")] == [
        ("สถิติ:", "จัด ๑๒ ครั้ง"),
        ("ผู้เข้าร่วม:", "๑๐๐ คน"),
    ]
    assert measure.period_text == "ม.ค.-มี.ค. 2568"  # typed with Thai and with Arabic digits
    assert measure.responsibles.get().unit.name == "สำนักปลัดเทศบาล"
    assert Change.objects.filter(
        measure=measure, action="created", user__username="nong-lom-editor"
    )


def test_reordering_lines_with_the_order_numbers(editor, report):
    data = measure_post(steps=["ก", "ข", "ค"])
    data.update({"steps-0-ORDER": 3, "steps-1-ORDER": 1, "steps-2-ORDER": 2, "steps-1-DELETE": ""})
    editor.post(f"/staff/reports/{report.pk}/measures/new/", data)
    measure = report.measures.order_by("-position").first()
    assert [i.text for i in measure.items.filter(kind="step")] == ["ข", "ค", "ก"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "ฟิลด์นี้จำเป็น"),
        ({"period_start": "1 มีนาคม 2568", "period_end": "1 มกราคม 2568"}, "period_end", "ก่อน"),
        ({"period_start": "1/1/2600", "period_end": "31/3/2600"}, "period_end", "ปีงบประมาณ ๒๕๖๘"),
        ({"period_start": "สามสิบกุมภา"}, "period_start", "พุทธศักราช"),
        ({"title": "ก" * 30000}, "title", "๒,๐๐๐"),
        ({"title": "<script>alert(1)</script>"}, "title", "HTML"),
        ({"steps-0-text": "<b>ตัวหนา</b>"}, "steps-0-text", "HTML"),
    ],
)
def test_bad_input_gets_a_thai_message_beside_the_field_and_keeps_what_was_typed(
    editor, report, change, field, message
):
    data = measure_post(steps=["ขั้นที่หนึ่ง"])
    data.update(change)
    count = Measure.objects.count()
    response = editor.post(f"/staff/reports/{report.pk}/measures/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "กรุณาแก้ไขช่องที่ทำเครื่องหมาย" in page
    form = response.context["form"]
    errors = form.errors if "-" not in field else form.prefix_lists["steps"].forms[0].errors
    key = field.split("-")[-1]
    assert message in " ".join(errors[key]), errors
    assert Measure.objects.count() == count
    # What was typed comes back in the form.
    typed = data["steps-0-text"] if field.startswith("steps") else "ขั้นที่หนึ่ง"
    assert html.escape(typed, quote=False).replace(">", "&gt;") in page


def test_two_editors_on_one_measure_the_second_save_is_refused(editor, report, client):
    measure = report.measures.first()
    page = editor.get(f"/staff/reports/{report.pk}/measures/{measure.pk}/")
    version = page.context["form"].initial["version"]
    first = measure_post(title="ฉบับของคนแรก", steps=["ขั้นของคนแรก"], version=version)
    second = measure_post(title="ฉบับของคนที่สอง", steps=["ขั้นของคนที่สอง"], version=version)

    assert (
        editor.post(f"/staff/reports/{report.pk}/measures/{measure.pk}/", first).status_code == 302
    )
    refused = editor.post(f"/staff/reports/{report.pk}/measures/{measure.pk}/", second)

    assert refused.status_code == 409
    html = refused.content.decode()
    assert "มีผู้อื่นบันทึกมาตรการนี้" in html
    assert "ฉบับของคนแรก" in html  # the saved version, to compare
    assert "ฉบับของคนที่สอง" in html  # and what the second typed, not lost
    measure.refresh_from_db()
    assert measure.title == "ฉบับของคนแรก"
    assert [i.text for i in measure.items.filter(kind="step")] == ["ขั้นของคนแรก"]


def test_a_deleted_measure_can_be_restored(editor, report):
    measure = report.measures.get(position=2)
    title, steps = measure.title, [i.text for i in measure.items.filter(kind="step")]
    editor.post(f"/staff/reports/{report.pk}/measures/{measure.pk}/delete/")
    assert not report.measures.filter(title=title).exists()
    change = Change.objects.get(action="deleted")
    history = editor.get(f"/staff/reports/{report.pk}/history/").content.decode()
    assert "ลบ" in history and title[:20] in history
    editor.post(f"/staff/reports/{report.pk}/history/{change.pk}/restore/")
    restored = report.measures.get(title=title)
    assert [i.text for i in restored.items.filter(kind="step")] == steps
    change.refresh_from_db()
    assert change.restored
    # Once only.
    editor.post(f"/staff/reports/{report.pk}/history/{change.pk}/restore/")
    assert report.measures.filter(title=title).count() == 1


def test_moving_a_measure(editor, report):
    first, second = report.measures.order_by("position")[:2]
    editor.post(f"/staff/reports/{report.pk}/measures/{second.pk}/move/", {"direction": "up"})
    assert list(report.measures.order_by("position")[:2]) == [second, first]


def test_rolling_a_report_forward(client, capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    client.login(username="kaset-phatthana-editor", password=PASSWORD)
    previous = Report.objects.get(agency__slug="kaset-phatthana")
    response = client.post(
        "/staff/agencies/kaset-phatthana/reports/new/",
        {
            "fiscal_year": previous.fiscal_year.__class__.objects.get(year=2567).pk,
            "start": "roll_forward",
        },
    )
    new = Report.objects.get(agency__slug="kaset-phatthana", fiscal_year__year=2567)
    assert response["Location"] == f"/staff/reports/{new.pk}/"
    assert [m.title for m in new.measures.all()] == [m.title for m in previous.measures.all()]
    for old, rolled in zip(previous.measures.all(), new.measures.all(), strict=True):
        assert [i.text for i in rolled.items.filter(kind="step")] == [
            i.text for i in old.items.filter(kind="step")
        ]
        assert not rolled.items.filter(kind__in=[MeasureItem.Kind.OUTPUT, MeasureItem.Kind.OUTCOME])
        assert rolled.progress == ""
        assert list(rolled.responsibles.values_list("name", flat=True)) == list(
            old.responsibles.values_list("name", flat=True)
        )
        assert rolled.period_start.year == old.period_start.year + 1
    assert "2567" in new.heading or "๒๕๖๗" in new.heading
