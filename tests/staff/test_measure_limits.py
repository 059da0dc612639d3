"""A long measure: the form's own limit on lines answers first, with everything typed kept."""

import pytest
from django.conf import settings
from django.test import Client

from measures.models import Measure
from staff.measure_form import LINES_LIMIT, MEASURE_FORM_MAX_FIELDS
from tests.factories import MeasureFactory, ReportFactory, UserFactory
from tests.staff.test_views import formset, measure_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_and_report(client):
    report = ReportFactory()
    MeasureFactory(report=report, position=1)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    return client, report


def _lines(count: int) -> list[str]:
    return [f"ขั้นตอนที่ {n} ของมาตรการที่ยาวมาก" for n in range(1, count + 1)]


def test_more_lines_than_the_form_takes_come_back_as_typed_with_a_message(editor_and_report):
    client, report = editor_and_report
    count = LINES_LIMIT + 200  # well over the 1,000 fields Django took by default
    data = measure_post(main_units=[], title="มาตรการที่มีขั้นตอนมากเกินไป")
    data.update(formset("steps", [("", text) for text in _lines(count)]))
    assert len(data) > 1000
    before = Measure.objects.count()

    response = client.post(f"/staff/reports/{report.pk}/measures/new/", data)

    assert response.status_code == 200
    steps = response.context["form"].prefix_lists["steps"]
    assert [e.code for e in steps.non_form_errors().as_data()] == ["too_many_forms"]
    page = response.content.decode()
    # The message beside the list names the limit; every line typed is on the page again.
    assert str(LINES_LIMIT) in str(steps.non_form_errors())
    assert page.index("alert-danger") < page.index(f"ขั้นตอนที่ {count} ของมาตรการ")
    assert all(f">{text}</textarea>" in page for text in _lines(count))
    assert "มาตรการที่มีขั้นตอนมากเกินไป" in page
    assert Measure.objects.count() == before


def test_a_list_at_the_limit_is_saved(editor_and_report):
    client, report = editor_and_report
    data = measure_post(main_units=[], title="มาตรการที่มีขั้นตอนครบจำนวน")
    data.update(formset("steps", [("", text) for text in _lines(LINES_LIMIT)]))

    response = client.post(f"/staff/reports/{report.pk}/measures/new/", data)

    assert response.status_code == 302
    saved = Measure.objects.get(title="มาตรการที่มีขั้นตอนครบจำนวน")
    assert saved.items.filter(kind="step").count() == LINES_LIMIT


def test_django_takes_every_field_a_form_at_its_limits_can_send():
    # Every list full, every line with all its inputs: still well under Django's own limit.
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS >= 2 * MEASURE_FORM_MAX_FIELDS


def test_a_post_beyond_django_s_limit_is_a_plain_400_not_a_server_error(editor_and_report):
    client, report = editor_and_report
    client.raise_request_exception = False
    too_many = {f"x{n}": "ก" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(f"/staff/reports/{report.pk}/measures/new/", too_many)
    assert response.status_code == 400
    anonymous = Client(raise_request_exception=False)
    assert anonymous.post("/accounts/login/", too_many).status_code == 400
