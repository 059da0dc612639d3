"""The review workflow is one table: the buttons, the moves and the e-mails all follow it."""

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction

from accounts.models import ReviewScope
from accounts.permissions import agencies_reviewed_by, reviewers_of
from measures.models import Report
from publication import services, workflow
from publication.models import Transition
from publication.workflow import ACTIONS, actions_for
from tests.factories import (
    AgencyFactory,
    DistrictFactory,
    ProvinceFactory,
    ReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Report.State
PASSWORD = "ita-demo-2568"
ROLES = [
    "nong-lom-editor",
    "nong-lom-approver",
    "nong-lom-reviewer",
    "admin",
    "sai-khao-editor",
    "sai-khao-reviewer",
]


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    return Report.objects.get(agency__slug="nong-lom")


def names(user, report) -> list[str]:
    return [action.name for action in actions_for(user, report)]


def set_state(report, state):
    Report.objects.filter(pk=report.pk).update(state=state)
    report.refresh_from_db()


def test_who_sees_which_action(demo, django_user_model):
    get = django_user_model.objects.get
    editor, approver = get(username="nong-lom-editor"), get(username="nong-lom-approver")
    reviewer, admin = get(username="nong-lom-reviewer"), get(username="admin")

    assert names(editor, demo) == ["submit"]
    assert names(approver, demo) == names(reviewer, demo) == []
    set_state(demo, S.SUBMITTED)
    assert names(approver, demo) == names(reviewer, demo) == ["approve", "return"]
    assert names(editor, demo) == []
    set_state(demo, S.APPROVED)
    assert names(approver, demo) == ["return", "publish"]
    assert names(editor, demo) == ["publish"]
    set_state(demo, S.PUBLISHED)
    assert names(editor, demo) == names(admin, demo) == ["revise"]
    for state in (S.DRAFT, S.RETURNED, S.SUBMITTED, S.PUBLISHED):
        set_state(demo, state)
        for role in ROLES:
            assert "publish" not in names(get(username=role), demo), (state, role)


def test_the_buttons_shown_are_exactly_the_moves_allowed(demo, django_user_model, monkeypatch):
    """For every state, role and action: offered by actions_for ⇔ the move succeeds."""
    monkeypatch.setattr(services, "version_create", lambda **kwargs: None)  # no PDF to draw
    for state in S.values:
        for role in ROLES:
            who = django_user_model.objects.get(username=role)
            set_state(demo, state)
            offered = set(names(who, demo))
            for name in ACTIONS:
                with transaction.atomic():
                    try:
                        services.report_transition(
                            report=demo, user=who, action=name, reason="เหตุผล"
                        )
                    except (PermissionDenied, ValidationError):
                        done = False
                    else:
                        done = True
                    transaction.set_rollback(True)
                set_state(demo, state)
                assert done == (name in offered), (state, role, name)


def test_changing_the_table_changes_the_buttons_and_the_moves(demo, django_user_model, monkeypatch):
    approver = django_user_model.objects.get(username="nong-lom-approver")
    assert "approve" not in names(approver, demo)
    with pytest.raises(ValidationError):
        services.report_approve(report=demo, user=approver)
    # Say a draft may be approved at once: the button and the move follow, nothing else changes.
    wider = dataclasses.replace(ACTIONS["approve"], sources=frozenset({S.DRAFT, S.SUBMITTED}))
    monkeypatch.setitem(ACTIONS, "approve", wider)
    assert "approve" in names(approver, demo)
    services.report_approve(report=demo, user=approver, reason="ตกลง")
    demo.refresh_from_db()
    assert demo.state == S.APPROVED
    assert Transition.objects.get().reason == "ตกลง"


def test_the_staff_page_draws_the_buttons_of_actions_for(demo, client):
    client.login(username="nong-lom-editor", password=PASSWORD)
    page = client.get(f"/staff/reports/{demo.pk}/")
    assert [a.name for f in page.context["action_forms"] for a in f.actions] == ["submit"]
    html = page.content.decode()
    assert 'value="submit"' in html and 'id="submit-reason"' in html  # seed 000 has gaps
    assert 'value="approve"' not in html and 'value="publish"' not in html

    set_state(demo, S.SUBMITTED)
    client.login(username="nong-lom-approver", password=PASSWORD)
    html = client.get(f"/staff/reports/{demo.pk}/").content.decode()
    assert 'value="approve"' in html and 'value="return"' in html
    assert html.count('name="reason"') == 1  # approve and return share the comment
    assert 'value="submit"' not in html and 'value="publish"' not in html


def test_the_form_posts_any_action_of_the_table_and_nothing_else(demo, client):
    client.login(username="nong-lom-editor", password=PASSWORD)
    url = f"/staff/reports/{demo.pk}/transition/"
    assert client.post(url, {"action": "delete"}).status_code == 404
    assert client.post(url, {"action": "approve"}).status_code == 403
    response = client.post(url, {"action": "submit", "reason": "  ตามต้นฉบับ  "})
    assert response.status_code == 302
    demo.refresh_from_db()
    assert demo.state == S.SUBMITTED
    assert Transition.objects.get().reason == "ตามต้นฉบับ"


def test_an_action_without_a_reason_records_none(demo, django_user_model, monkeypatch):
    monkeypatch.setattr(services, "version_create", lambda **kwargs: None)
    set_state(demo, S.APPROVED)
    admin = django_user_model.objects.get(username="admin")
    services.report_transition(report=demo, user=admin, action="publish", reason="ignored")
    assert Transition.objects.get().reason == ""


def test_action_forms_ask_for_a_reason_only_when_needed():
    submit, approve, ret = ACTIONS["submit"], ACTIONS["approve"], ACTIONS["return"]
    (form,) = workflow.action_forms([submit], gaps=False)
    assert form.key == "submit" and not form.reason_label
    (form,) = workflow.action_forms([submit], gaps=True)
    assert form.reason_label == submit.reason_label
    (form,) = workflow.action_forms([approve, ret], gaps=False)
    assert form.key == "review" and [a.name for a in form.actions] == ["approve", "return"]
    assert form.reason_label
    assert workflow.action_forms([ACTIONS["revise"]], gaps=False)[0].help


# -- Who reviews which agency: one rule for what they see and what they are told -------------------


@pytest.fixture
def places():
    north, south = ProvinceFactory(), ProvinceFactory()
    here, next_door, far = (
        DistrictFactory(province=north),
        DistrictFactory(province=north),
        DistrictFactory(province=south),
    )
    agencies = {
        "here": AgencyFactory(district=here),
        "next door": AgencyFactory(district=next_door),
        "far": AgencyFactory(district=far),
        "no district": AgencyFactory(district=None, province=north),
    }
    scopes = {
        "agency": {"agency": agencies["here"]},
        "other agency": {"agency": agencies["next door"]},
        "district": {"district": here},
        "other district": {"district": next_door},
        "province": {"province": north},
        "other province": {"province": south},
        "country": {},
    }
    users = {}
    for name, place in scopes.items():
        users[name] = UserFactory(username=f"r-{name.replace(' ', '-')}", email=f"{name}@x.org")
        ReviewScope.objects.create(user=users[name], **place)
    users["no scope"] = UserFactory(username="r-none", email="none@x.org")
    return agencies, users


COVERS = {
    "here": {"agency", "district", "province", "country"},
    "next door": {"other agency", "other district", "province", "country"},
    "far": {"other province", "country"},
    "no district": {"province", "country"},
}


def test_reviewers_of_an_agency_and_the_agencies_of_a_reviewer_agree(places):
    agencies, users = places
    for place, agency in agencies.items():
        covering = {name for name, user in users.items() if user in reviewers_of(agency)}
        assert covering == COVERS[place], place
    for name, user in users.items():
        covered = {place for place, a in agencies.items() if a in agencies_reviewed_by(user)}
        assert covered == {place for place, names in COVERS.items() if name in names}, name


def test_a_submission_is_e_mailed_to_exactly_the_reviewers_covering_the_agency(
    places, django_capture_on_commit_callbacks
):
    from django.core import mail

    agencies, users = places
    admin = UserFactory(username="boss", is_superuser=True, email="")
    for place in ("here", "no district", "far"):
        mail.outbox.clear()
        report = ReportFactory(agency=agencies[place])
        with django_capture_on_commit_callbacks(execute=True):
            services.report_submit(report=report, user=admin, reason="ส่ง")
        (message,) = mail.outbox
        assert sorted(message.to) == sorted(f"{name}@x.org" for name in COVERS[place]), place
        # Later moves are for the agency's staff only (there are none here): no e-mail.
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.report_approve(report=report, user=admin)
        assert mail.outbox == []
