"""The reviewers' dashboard at national scale: per province and agency type, each document's
state, who is late; the same queries for 3 agencies as for 30; each role sees only its scope."""

import pytest

from accounts.models import Membership, ReviewScope
from measures.models import Agency, Report
from tests.factories import AgencyFactory, DistrictFactory, UserFactory
from tests.portal.test_dashboards import empty_cache, world  # noqa: F401 (a fixture)
from tests.querycounts import queries

pytestmark = pytest.mark.django_db


def scoped_user(username: str, **scope):
    user = UserFactory(username=username)
    ReviewScope.objects.create(user=user, **scope)
    return user


@pytest.fixture
def country():
    """30 agencies with a report of 2568 over three provinces, and two without a report."""
    data = world(30)
    for province in data["provinces"][:2]:
        AgencyFactory(district=DistrictFactory(province=province))
    return data


def test_the_dashboard_costs_the_same_queries_for_3_agencies_as_for_30(client):
    data = world(3)
    # The second province's one agency has not published: each page lists someone.
    second, first = data["provinces"][:2]
    district = first.districts.first()
    users = {
        "admin": UserFactory(username="root", is_superuser=True),
        "province": scoped_user("province-reviewer", province=first),
        "country": scoped_user("country-reviewer"),
        "district": scoped_user("district-reviewer", district=district, province=first),
    }
    pages = [
        "/staff/review/?year=2568",
        "/staff/review/?year=2568&state=late&document=plan",
        "/staff/review/?year=2568&state=draft",
        f"/staff/review/?year=2568&province={first.pk}&kind=subdistrict_administration",
        f"/staff/review/?year=2568&province={first.pk}&district={district.pk}",
    ]

    def measure():
        counts = {}
        for name, user in users.items():
            client.force_login(user)
            counts[name] = [queries(client, page) for page in pages]
        return counts

    small = measure()
    world(27, start=3, year=data["year"])
    for province in (first, second):  # more agencies in the district reviewed too
        AgencyFactory(district=district if province == first else DistrictFactory(province=second))
    assert measure() == small


def test_per_province_and_agency_type_with_who_is_late(client, country):
    client.force_login(UserFactory(username="root", is_superuser=True))
    page = client.get("/staff/review/?year=2568").context
    assert page["total"]["agencies"] == 32 and page["total"]["not_started"] == 2
    assert [row["agencies"] for row in page["by_province"]] == [11, 11, 10]
    assert [row["late"] for row in page["by_province"]] == [3, 4, 3]
    assert dict(page["total"]["states"]) == {"published": 22, "draft": 8}
    assert page["page"].paginator.count == 32
    late = client.get("/staff/review/?year=2568&state=late").context["page"]
    assert late.paginator.count == 10 and all(agency.late for agency in late)
    none = client.get("/staff/review/?year=2568&state=not_started").context["page"]
    assert [agency.state for agency in none] == ["not_started", "not_started"]
    drafts = client.get("/staff/review/?year=2568&state=draft").context["page"]
    assert drafts.paginator.count == 8 and {a.state for a in drafts} == {"draft"}
    plan = client.get("/staff/review/?year=2568&document=plan&state=draft").context
    assert plan["page"].paginator.count == 8  # a plan never moved is a draft
    html = client.get("/staff/review/?year=2568").content.decode()
    assert "๒๕๖๘" in html and "<strong>๓๒</strong>" in html
    assert all(f'value="{state}"' in html for state in ("not_started", "submitted", "late"))


def test_a_reviewer_of_one_province_sees_only_that_province(client, country):
    first, second = country["provinces"][:2]
    client.force_login(scoped_user("reviewer", province=first))
    page = client.get("/staff/review/?year=2568").context
    assert [row["key"] for row in page["by_province"]] == [first.pk]
    assert page["total"]["agencies"] == 11 and page["provinces"] == [(first.pk, first.name)]
    assert {agency.province_id for agency in page["page"]} == {first.pk}
    other = client.get(f"/staff/review/?year=2568&province={second.pk}").context
    assert other["total"]["agencies"] == 0 and other["page"].paginator.count == 0
    assert second.name not in client.get("/staff/review/?year=2568").content.decode()


def test_a_reviewer_of_a_district_and_an_agency_s_staff_see_only_theirs(client, country):
    first = country["provinces"][0]
    district = first.districts.first()
    client.force_login(scoped_user("district", district=district, province=first))
    page = client.get("/staff/review/?year=2568").context
    expected = Agency.objects.filter(district=district).count()
    assert page["total"]["agencies"] == expected == page["page"].paginator.count
    editor = UserFactory(username="editor")
    agency = Agency.objects.filter(province=first).first()
    Membership.objects.create(user=editor, agency=agency, role=Membership.Role.EDITOR)
    client.force_login(editor)
    page = client.get("/staff/review/?year=2568").context
    assert [a.pk for a in page["page"]] == [agency.pk] and page["total"]["agencies"] == 1


def test_a_move_changes_the_counts_shown(client, country):
    from publication.services import report_transition

    admin = UserFactory(username="root", is_superuser=True)
    client.force_login(admin)
    before = client.get("/staff/review/?year=2568").context["total"]["states"]
    assert before["submitted"] == 0
    report = Report.objects.filter(state=Report.State.DRAFT).first()
    report_transition(report=report, user=admin, action="submit", reason="ครบแล้ว")
    after = client.get("/staff/review/?year=2568").context["total"]["states"]
    assert (after["submitted"], after["draft"]) == (1, before["draft"] - 1)
    waiting = client.get("/staff/review/?year=2568&state=submitted").context["page"]
    assert [agency.report_pk for agency in waiting] == [report.pk] and waiting[0].waiting
