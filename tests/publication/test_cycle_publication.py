"""The year's four documents, each through the same review to its own public addresses."""

import io
import json
import subprocess

import pytest
from django.core.management import call_command

from measures.models import DOCUMENT_TITLES, Report
from publication.models import DocumentState, PublishedVersion
from publication.selectors import version_article
from publication.workflow import actions_for, state_of
from reports.rendering import document_article, document_for
from tests.factories import publish

pytestmark = pytest.mark.django_db
CYCLE = ("analysis", "plan", "progress")


@pytest.fixture
def demo(capsys):
    call_command("load_demo", stdout=io.StringIO())
    return Report.objects.get(agency__slug="nong-lom", fiscal_year__year=2570)


def pdf_text(response, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_demo_publishes_each_agencys_analysis_plan_and_progress(demo, client, tmp_path):
    assert PublishedVersion.all_documents.filter(report__fiscal_year__year=2570).count() == 15
    assert demo.state == Report.State.DRAFT  # the year's report waits for the year's end
    for document in CYCLE:
        assert state_of(demo, document) == Report.State.PUBLISHED
        page = client.get(f"/nong-lom/2570/{document}/")
        assert page.status_code == 200
        assert DOCUMENT_TITLES[document][:40] in page.content.decode()
        pdf = client.get(f"/nong-lom/2570/{document}.pdf")
        assert pdf["Content-Type"] == "application/pdf"
        text = " ".join(pdf_text(pdf, tmp_path).split())
        assert "เทศบาลตำบลหนองหล่ม" in text
    assert client.get("/nong-lom/2570/").status_code == 404  # the report is not published
    listed = json.loads(client.get("/api/v1/documents/?year=2570&agency=nong-lom").content)
    assert [d["document"] for d in listed["results"]] == list(CYCLE)
    assert listed["results"][1]["html"].endswith("/nong-lom/2570/plan/")


def test_a_document_moves_on_its_own_and_keeps_its_versions(demo, client, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    editor = django_user_model.objects.get(username="nong-lom-editor")
    assert [a.name for a in actions_for(editor, demo, "plan")] == ["revise"]
    assert [a.name for a in actions_for(editor, demo, "report")] == ["submit"]
    v1 = version_article(PublishedVersion.all_documents.get(report=demo, document="plan", number=1))
    from publication.services import report_transition

    report_transition(report=demo, user=editor, action="revise", document="plan")
    assert DocumentState.objects.get(report=demo, document="plan").state == "draft"
    measure = demo.measures.get(position=1)
    measure.title = "มาตรการที่แก้ไขแล้ว"
    measure.save()
    v2 = publish(demo, admin, document="plan")
    assert v2.number == 2 and "มาตรการที่แก้ไขแล้ว" in version_article(v2)
    assert v1 in client.get("/nong-lom/2570/plan/v1/").content.decode()  # v1 never changes
    assert "มาตรการที่แก้ไขแล้ว" in client.get("/nong-lom/2570/plan/").content.decode()
    demo.refresh_from_db()
    assert demo.state == Report.State.DRAFT and not demo.versions.exists()
    transitions = demo.transitions.filter(document="plan").values_list("to_state", flat=True)
    assert list(transitions)[:2] == ["published", "approved"]


def test_one_record_the_measure_reads_the_same_in_plan_progress_and_report(demo):
    measure = demo.measures.get(position=1)
    measure.title = "ชื่อใหม่ของมาตรการ"
    measure.save()
    for kind in ("plan", "progress", "report"):
        assert "ชื่อใหม่ของมาตรการ" in document_article(document_for(demo, kind=kind)), kind


def test_loading_the_demo_again_publishes_nothing_twice(demo):
    before = PublishedVersion.all_documents.count()
    call_command("load_demo", stdout=io.StringIO())
    assert PublishedVersion.all_documents.count() == before


def test_staff_move_a_document_from_the_report_page(client, django_user_model):
    call_command("load_demo", "--seeds-only", "--no-publish", stdout=io.StringIO())
    report = Report.objects.get(agency__slug="nong-lom")
    client.force_login(django_user_model.objects.get(username="nong-lom-editor"))
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert 'name="document" value="plan"' in page and "?document=plan" in page
    assert client.get(f"/staff/reports/{report.pk}/preview/?document=plan").status_code == 200
    pdf = client.get(f"/staff/reports/{report.pk}/preview.pdf?document=progress")
    assert (
        pdf["Content-Type"] == "application/pdf"
        and b"-progress.pdf" in pdf["Content-Disposition"].encode()
    )
    client.post(
        f"/staff/reports/{report.pk}/transition/",
        {"action": "submit", "document": "plan", "reason": "ส่งแผนก่อน"},
    )
    report.refresh_from_db()
    assert state_of(report, "plan") == Report.State.SUBMITTED
    assert report.state == Report.State.DRAFT  # the report itself has not moved
    assert report.transitions.get().document == "plan"


def test_the_public_report_page_shows_progress_by_round(framework, client, django_user_model):
    from measures.demo import demo_cycle_reports
    from measures.services import fiscal_year_open, report_import

    fiscal_year_open(year=2570, source=framework[2569])
    report = report_import(data=demo_cycle_reports()[2])
    admin = django_user_model.objects.create_superuser("boss", "boss@example.org", "x")
    publish(report, admin)
    page = client.get("/nong-lom/2570/").content.decode()
    entries = [m["rounds"][0]["percent"] for m in demo_cycle_reports()[2]["measures"]]
    percent = round(sum(entries) / len(entries))
    assert f'<progress class="w-100" id="round-1" max="100" value="{percent}">' in page
