"""The life of a report: submit, return, approve, publish fixed versions, revise."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction

from measures.models import Report
from publication import services
from publication.models import PublishedVersion, Transition
from tests.factories import publish

pytestmark = pytest.mark.django_db
S = Report.State


@pytest.fixture
def demo(capsys, django_user_model):
    call_command("load_demo", "--seeds-only", "--no-publish")
    return Report.objects.get(agency__slug="nong-lom")


def user(django_user_model, name):
    return django_user_model.objects.get(username=name)


MOVES = {
    # action: (from states, to state, roles allowed)
    "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED, {"nong-lom-editor", "admin"}),
    "return": (
        {S.SUBMITTED, S.APPROVED},
        S.RETURNED,
        {"nong-lom-approver", "nong-lom-reviewer", "admin"},
    ),
    "approve": ({S.SUBMITTED}, S.APPROVED, {"nong-lom-approver", "nong-lom-reviewer", "admin"}),
    "publish": ({S.APPROVED}, S.PUBLISHED, {"nong-lom-editor", "nong-lom-approver", "admin"}),
    "revise": ({S.PUBLISHED}, S.DRAFT, {"nong-lom-editor", "admin"}),
}
ROLES = [
    "nong-lom-editor",
    "nong-lom-approver",
    "nong-lom-reviewer",
    "admin",
    "sai-khao-editor",
    "sai-khao-reviewer",
]


def act(action, report, who):
    function = {
        "submit": lambda: services.report_submit(report=report, user=who, reason="ทดสอบ"),
        "return": lambda: services.report_return(report=report, user=who, comment="แก้ไขขั้นตอน"),
        "approve": lambda: services.report_approve(report=report, user=who),
        "publish": lambda: services.report_publish(report=report, user=who),
        "revise": lambda: services.report_open_revision(report=report, user=who),
    }[action]
    return function()


@pytest.mark.parametrize("action", MOVES)
def test_every_move_by_every_role_from_every_state(demo, django_user_model, action):
    from_states, to_state, allowed = MOVES[action]
    for state in S.values:
        for role in ROLES:
            with transaction.atomic():
                Report.objects.filter(pk=demo.pk).update(state=state)
                demo.refresh_from_db()
                who = user(django_user_model, role)
                before = Transition.objects.count()
                if role in allowed and state in from_states:
                    act(action, demo, who)
                    transition = Transition.objects.order_by("-pk").first()
                    demo.refresh_from_db()
                    assert demo.state == to_state, (state, role)
                    assert (transition.from_state, transition.to_state, transition.user) == (
                        state,
                        to_state,
                        who,
                    )
                    assert Transition.objects.count() == before + 1
                else:
                    with pytest.raises((PermissionDenied, ValidationError)):
                        act(action, demo, who)
                    demo.refresh_from_db()
                    assert demo.state == state and Transition.objects.count() == before, (
                        state,
                        role,
                    )
                transaction.set_rollback(True)


def test_submitting_with_gaps_needs_a_reason(demo, django_user_model):
    editor = user(django_user_model, "nong-lom-editor")
    with pytest.raises(ValidationError, match="OIT"):
        services.report_submit(report=demo, user=editor)  # 000 has a period past its year
    services.report_submit(report=demo, user=editor, reason="ระยะเวลาตามเอกสารต้นฉบับ")
    assert Transition.objects.get().reason == "ระยะเวลาตามเอกสารต้นฉบับ"


def test_returning_needs_a_comment_that_the_editors_see(demo, django_user_model):
    services.report_submit(report=demo, user=user(django_user_model, "admin"), reason="x")
    reviewer = user(django_user_model, "nong-lom-reviewer")
    with pytest.raises(ValidationError):
        services.report_return(report=demo, user=reviewer, comment=" ")
    services.report_return(report=demo, user=reviewer, comment="ระบุผลลัพธ์ให้ครบ")
    assert demo.comments.get().text == "ระบุผลลัพธ์ให้ครบ"


def body(response) -> bytes:
    """What a download or a page holds (the page's document only: its frame has a CSRF token)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    content = response.content
    if b"<article" in content:
        return content[content.index(b"<article") : content.rindex(b"</article>")]
    return content


def test_published_versions_are_fixed_and_the_revision_becomes_v2(demo, django_user_model, client):
    admin = user(django_user_model, "admin")
    v1 = publish(demo, admin)
    base = "/nong-lom/2568"
    first = {
        path: body(client.get(path))
        for path in (f"{base}/", f"{base}.pdf", f"{base}.json", f"{base}/v1.pdf")
    }
    assert (
        first[f"{base}.pdf"].startswith(b"%PDF") and first[f"{base}.pdf"] == first[f"{base}/v1.pdf"]
    )

    # A revision: the editors change the draft; the public addresses do not move.
    act("revise", demo, user(django_user_model, "nong-lom-editor"))
    measure = demo.measures.first()
    measure.title = "มาตรการที่แก้ไขในฉบับปรับปรุง"
    measure.save()
    for path, content in first.items():
        assert body(client.get(path)) == content, path
    assert "มาตรการที่แก้ไขในฉบับปรับปรุง" not in client.get(f"{base}/").content.decode()

    v2 = publish(demo, admin)
    assert v2.number == 2
    assert "มาตรการที่แก้ไขในฉบับปรับปรุง" in client.get(f"{base}/").content.decode()
    assert body(client.get(f"{base}/v1.pdf")) == first[f"{base}/v1.pdf"]  # byte-identical
    assert client.get(f"{base}/v1/").status_code == 200
    assert (
        client.get(f"{base}/v2.json").json()["report"]["measures"][0]["title"]
        == "มาตรการที่แก้ไขในฉบับปรับปรุง"
    )
    v1.refresh_from_db()
    v1.html_file.name = v1.html_file.name.replace(".html.gz", "-changed.html.gz")
    with pytest.raises(ValidationError):
        v1.save()
    compare = client.get(f"{base}/compare/?a=1&b=2").content.decode()
    assert "มาตรการที่แก้ไขในฉบับปรับปรุง" in compare and "<del>" in compare


def test_the_public_pdf_is_served_without_rendering(demo, django_user_model, client, monkeypatch):
    publish(demo, user(django_user_model, "admin"))
    import weasyprint

    def no_rendering(*args, **kwargs):
        raise AssertionError("WeasyPrint was called on download")

    monkeypatch.setattr(weasyprint, "HTML", no_rendering)
    for path in ("/nong-lom/2568.pdf", "/nong-lom/2568/v1.pdf"):
        response = client.get(path)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(
            b"%PDF"
        )
        assert response["ETag"] and "public" in response["Cache-Control"]
    assert "immutable" in client.get("/nong-lom/2568/v1.pdf")["Cache-Control"]
    version = PublishedVersion.objects.get()
    again = client.get("/nong-lom/2568/v1.pdf", HTTP_IF_NONE_MATCH=f'"{version.pdf_sha256}"')
    assert again.status_code == 304


def test_unknown_addresses_are_404(client, demo):
    for path in (
        "/nong-lom/2568/",
        "/nong-lom/2568/v9/",
        "/nowhere/2568.pdf",
        "/nong-lom/2568.json",
    ):
        assert client.get(path).status_code == 404, path


def test_approval_memo_is_a_pdf_filled_from_the_report(demo, client, tmp_path):
    from tests.pdftools import pdf_text

    client.login(username="nong-lom-editor", password="ita-demo-2568")
    response = client.get(f"/staff/reports/{demo.pk}/approval-memo.pdf")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "memo.pdf"
    path.write_bytes(response.content)
    text = " ".join(pdf_text(path).split())
    assert "บันทึกข้อความ" in text and "ขออนุญาตเผยแพร่" in text
    assert "นายกเทศมนตรีตำบลหนองหล่ม" in text and "/nong-lom/2568/" in text.replace(" ", "")


def test_moves_are_e_mailed_to_the_agency_staff_and_submissions_to_its_reviewers(
    demo, django_user_model, django_capture_on_commit_callbacks
):
    from django.core import mail

    django_user_model.objects.update(email="")  # of the demo's addresses, only these three
    for name in ("nong-lom-editor", "nong-lom-reviewer", "sai-khao-reviewer"):
        django_user_model.objects.filter(username=name).update(email=f"{name}@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=demo, user=user(django_user_model, "admin"), reason="x")
    (message,) = mail.outbox
    assert sorted(message.to) == ["nong-lom-editor@example.org", "nong-lom-reviewer@example.org"]
    assert "เทศบาลตำบลหนองหล่ม" in message.subject and "ส่งตรวจแล้ว" in message.subject
    assert f"/staff/reports/{demo.pk}/" in message.body
