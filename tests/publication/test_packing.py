"""Closed years' working copies kept in their published versions (publication.packing): the
lines go, every page and count stays, and staff find the report as it was."""

import datetime
import io
import re

import pytest
from django.core.management import call_command

from accounts.models import Membership
from measures.models import EvidenceLink, FiscalYear, Measure, MeasureItem, Report, Responsible
from measures.report_format import report_to_data
from measures.selectors import report_document
from publication import services, tasks
from publication.dashboards import counts_of
from publication.packing import last_closed_year, reports_pack_closed
from publication.search import search_measures
from tests.factories import UnitFactory, UserFactory, demo_for_module, publish

pytestmark = pytest.mark.django_db

IN_2570 = datetime.date(2026, 12, 1)  # fiscal year 2570: 2568 and before are closed
IN_2569 = datetime.date(2025, 12, 1)  # 2567 and before


@pytest.fixture(scope="module", autouse=True)
def published(django_db_setup, django_db_blocker, demo_media):
    """The five seeds (2566–2568) published as v1, once for the module."""
    with demo_for_module(django_db_blocker, demo_media, "--seeds-only"):
        yield


def lines(report: Report) -> dict:
    """Everything packing drops, as staff and documents see it."""
    measures = {"measure__report": report}
    return {
        "items": sorted(
            MeasureItem.objects.filter(**measures).values_list(
                "measure__position", "kind", "position", "label", "text", "new_row"
            )
        ),
        "responsible": sorted(
            Responsible.objects.filter(**measures).values_list(
                "measure__position", "role", "position", "name", "unit_id"
            )
        ),
        "evidence": sorted(
            EvidenceLink.objects.filter(**measures).values_list(
                "measure__position", "position", "title", "url"
            )
        ),
    }


def public_page(client) -> str:
    page = client.get("/sai-khao/2567/").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def sai_khao() -> Report:
    return Report.objects.get(agency__slug="sai-khao", fiscal_year__year=2567)


def editor_of(report: Report):
    user = UserFactory()
    Membership.objects.create(user=user, agency=report.agency, role=Membership.Role.EDITOR)
    return user


def test_closed_years_are_those_before_last_year():
    assert last_closed_year(IN_2570) == 2568
    assert last_closed_year(datetime.date(2026, 9, 30)) == 2567  # still fiscal year 2569
    assert last_closed_year(IN_2569) == 2567


def test_a_packed_report_keeps_its_measures_and_its_public_face(client):
    report = sai_khao()
    before = lines(report)
    assert before["items"] and before["responsible"]
    page = public_page(client)
    found = search_measures(query="ร้องเรียน", limit=100)
    year = report.fiscal_year
    counts = counts_of(year, None)
    measures = list(Measure.objects.filter(report=report).values())

    packed, left = reports_pack_closed(today=IN_2570)

    assert (packed, left) == (Report.objects.filter(state=Report.State.PUBLISHED).count(), 0)
    report.refresh_from_db()
    assert report.packed
    assert lines(report) == {"items": [], "responsible": [], "evidence": []}
    assert list(Measure.objects.filter(report=report).values()) == measures  # titles, progress
    assert public_page(client) == page
    assert search_measures(query="ร้องเรียน", limit=100) == found
    assert counts_of(year, None) == counts
    assert reports_pack_closed(today=IN_2570) == (0, 0)  # nothing left to pack


def test_staff_opening_a_packed_report_find_it_as_it_was(client):
    report = sai_khao()
    before, data = lines(report), report_to_data(report=report_document(pk=report.pk))
    client.force_login(editor_of(report))
    gaps = [
        gaps for _measure, gaps in client.get(f"/staff/reports/{report.pk}/").context["measures"]
    ]
    reports_pack_closed(today=IN_2570)

    home = client.get("/staff/").content.decode()
    assert "๑๐ ตามที่เผยแพร่" in home  # no gaps counted in lines it does not hold

    detail = client.get(f"/staff/reports/{report.pk}/")
    assert detail.status_code == 200
    report.refresh_from_db()
    assert not report.packed
    assert lines(report) == before
    assert report_to_data(report=report_document(pk=report.pk)) == data
    assert [gaps for _measure, gaps in detail.context["measures"]] == gaps


def test_publishing_a_packed_report_again_publishes_its_lines(settings):
    settings.TASKS_INLINE = False
    report = sai_khao()
    first = report.versions.get(number=1)
    reports_pack_closed(today=IN_2570)
    admin = UserFactory(is_superuser=True, is_staff=True)
    services.report_transition(report=report, user=admin, action="revise", reason="แก้ไขคำผิด")
    report.refresh_from_db()
    assert not report.packed and report.state == Report.State.DRAFT
    second = publish(report, admin)
    assert second.number == 2 and second.data == first.data


def test_only_closed_years_and_unchanged_reports_are_packed():
    reports_pack_closed(today=IN_2569)  # 2568 is not closed yet
    packed = set(Report.objects.filter(packed=True).values_list("fiscal_year__year", flat=True))
    assert packed == {2566, 2567}
    assert not Report.objects.filter(fiscal_year__year=2568, packed=True).exists()

    # Changed since publication (as an administrator may, in the admin): left as it is.
    report = Report.objects.get(agency__slug="non-sung", fiscal_year__year=2568)
    item = MeasureItem.objects.filter(measure__report=report).first()
    item.text += " (แก้ไข)"
    item.save()
    assert reports_pack_closed(today=IN_2570) == (
        Report.objects.filter(fiscal_year__year=2568, state=Report.State.PUBLISHED).count() - 1,
        1,
    )
    report.refresh_from_db()
    assert not report.packed and MeasureItem.objects.filter(pk=item.pk).exists()


def test_a_responsible_linked_to_another_unit_than_its_name_is_not_packed():
    # Writing back links a responsible by its name: a different link could not be restored.
    report = sai_khao()
    responsible = Responsible.objects.filter(measure__report=report).first()
    responsible.unit = UnitFactory(agency=report.agency, name="กองช่าง (อีกหน่วย)")
    responsible.save()
    reports_pack_closed(today=IN_2570)
    report.refresh_from_db()
    assert not report.packed


def test_the_nightly_task_packs():
    published = Report.objects.filter(state=Report.State.PUBLISHED).count()
    assert tasks.pack_closed_reports.apply().get() == published  # today: 2568 and before closed
    assert Report.objects.filter(packed=True).count() == published


def test_the_command_says_what_it_did():
    out = io.StringIO()
    call_command("pack_closed_reports", stdout=out)  # today: 2568 and before are closed
    published = Report.objects.filter(state=Report.State.PUBLISHED).count()
    assert out.getvalue().startswith(f"Packed {published} reports of closed years; 0 changed")


def test_the_admin_shows_a_packed_report_and_its_measures_without_changing_them(client):
    report = sai_khao()
    measure = report.measures.first()
    reports_pack_closed(today=IN_2570)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for address in (
        f"/admin/measures/report/{report.pk}/change/",
        f"/admin/measures/measure/{measure.pk}/change/",
    ):
        page = client.get(address)
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode(), address
        assert client.post(address, {"title": "แก้แล้ว"}).status_code == 403, address
    assert client.post(f"/admin/measures/measure/{measure.pk}/delete/").status_code == 403
    assert report.measures.filter(pk=measure.pk, title=measure.title).exists()


def test_a_new_report_rolls_forward_a_packed_one_whole(client):
    report = Report.objects.get(agency__slug="nong-samet", fiscal_year__year=2567)
    kept = ("sub_item", "step")  # rolling forward copies these, not outputs and outcomes
    rolls = set(
        MeasureItem.objects.filter(measure__report=report, kind__in=kept).values_list("text")
    )
    assert rolls
    reports_pack_closed(today=IN_2570)
    client.force_login(editor_of(report))
    later = FiscalYear.objects.get(year=2568)
    response = client.post(
        "/staff/agencies/nong-samet/reports/new/",
        {"fiscal_year": later.pk, "start": "roll_forward"},
    )
    assert response.status_code == 302
    rolled = Report.objects.get(agency=report.agency, fiscal_year=later)
    assert rolled.measures.count() == report.measures.count()
    assert set(MeasureItem.objects.filter(measure__report=rolled).values_list("text")) == rolls


def test_exporting_a_packed_report_points_to_its_published_version(tmp_path):
    reports_pack_closed(today=IN_2570)
    err = io.StringIO()
    call_command("export_reports", "--output-dir", tmp_path, "--agency", "sai-khao", stderr=err)
    assert "sai-khao 2567: a closed year's report kept in its published version" in err.getvalue()
    assert list(tmp_path.iterdir()) == []  # never a document without its measures' lines
