"""A version's PDF survives faults: its render delivered twice, retried or left half written by a
worker that died stores one file; a render that fails for good says why to the staff, who may
render it again. (A real worker killed in the middle: tests/deploy/test_worker_kill.py.)"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from accounts.models import Membership, ReviewScope
from publication import services, tasks
from publication.models import PublishedVersion
from tests.factories import (
    AgencyFactory,
    MeasureFactory,
    ReportFactory,
    UserFactory,
    approved_report,
    publish,
)

pytestmark = pytest.mark.django_db

FOLDER = "published/nong-lom/2568"


@pytest.fixture
def approved():
    return approved_report()


@pytest.fixture
def admin():
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def no_render_at_publication(monkeypatch):
    """Published with its render queued to a worker that never runs it: the test runs it."""
    monkeypatch.setattr(services, "version_pdf_queue", lambda *, version_pk: None)


@pytest.fixture
def published(approved, admin, no_render_at_publication):
    services.report_transition(report=approved, user=admin, action="publish")
    return PublishedVersion.objects.get(report=approved)


def pdfs_stored() -> list[str]:
    return sorted(name for name in default_storage.listdir(FOLDER)[1] if name.endswith(".pdf"))


def failing(monkeypatch, times: int):
    """The renderer fails ``times`` times, then renders."""
    render, calls = services.html_pdf, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise OSError(f"the renderer fell over ({len(calls)})")
        return render(*args, **kwargs)

    monkeypatch.setattr(services, "html_pdf", flaky)
    return calls


def test_a_render_delivered_twice_stores_one_pdf(published):
    tasks.render_version_pdf(published.pk)
    published.refresh_from_db()
    first = (published.pdf.name, published.pdf_sha256)
    tasks.render_version_pdf(published.pk)  # the same message again (a worker died after it)
    published.refresh_from_db()
    assert (published.pdf.name, published.pdf_sha256) == first
    assert pdfs_stored() == ["v1.pdf"]


def test_a_task_retried_twice_stores_one_pdf(published, monkeypatch):
    calls = failing(monkeypatch, times=2)
    result = tasks.render_version_pdf.apply(args=[published.pk])  # as a worker runs it, retries
    assert result.successful() and len(calls) == 3
    published.refresh_from_db()
    assert published.pdf and not published.pdf_error and published.pdf_failed_at is None
    assert pdfs_stored() == ["v1.pdf"]
    with published.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_a_file_left_by_a_write_that_never_committed_is_replaced_not_doubled(published):
    # A worker wrote the PDF and died before its transaction committed: the file is there, the
    # database does not name it.
    default_storage.save(f"{FOLDER}/v1.pdf", ContentFile(b"half a PDF"))
    tasks.render_version_pdf(published.pk)
    published.refresh_from_db()
    assert published.pdf.name == f"{FOLDER}/v1.pdf"
    assert pdfs_stored() == ["v1.pdf"]
    with published.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_a_render_whose_worker_keeps_dying_fails_for_good(published):
    for _ in range(tasks.STARTS_LIMIT):  # started, and its worker died each time
        services.version_pdf_started(version_pk=published.pk)
    tasks.render_version_pdf(published.pk)
    published.refresh_from_db()
    assert not published.pdf and published.pdf_failed_at is not None
    assert "stopped 5 times" in published.pdf_error


# -- Failed for good: the staff see why, and render it again -------------------------------------


@pytest.fixture
def failed(published, monkeypatch):
    failing(monkeypatch, times=4)
    result = tasks.render_version_pdf.apply(args=[published.pk])  # the first try and 3 retries
    assert result.failed()
    published.refresh_from_db()
    monkeypatch.undo()  # the renderer works again
    return published


def test_a_render_that_fails_after_its_retries_records_why(failed):
    assert not failed.pdf and failed.pdf_failed_at is not None
    assert failed.pdf_error == "OSError: the renderer fell over (4)"


def test_the_public_address_of_a_failed_pdf_says_it_is_prepared_and_queues_nothing(
    failed, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks, "task_defer", lambda *args: queued.append(args))
    response = Client().get("/nong-lom/2568/v1.pdf")
    assert response.status_code == 503 and queued == []  # the staff retry it, not each visitor


def staff_page(client: Client, report) -> str:
    client.cookies["django_language"] = "en"
    response = client.get(f"/staff/reports/{report.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def roles(report) -> dict:
    """A user of each role towards the report's agency."""
    users = {"admin": UserFactory(is_superuser=True, is_staff=True)}
    for role in Membership.Role:
        users[role.value] = UserFactory()
        Membership.objects.create(user=users[role.value], agency=report.agency, role=role)
    users["reviewer"] = UserFactory()
    ReviewScope.objects.create(user=users["reviewer"], agency=report.agency)
    users["other agency's editor"] = UserFactory()
    Membership.objects.create(
        user=users["other agency's editor"], agency=AgencyFactory(), role=Membership.Role.EDITOR
    )
    return users


RETRIES = {"admin": 302, "editor": 302, "approver": 302, "reviewer": 403}


@pytest.mark.parametrize("role", [*RETRIES, "other agency's editor", "anonymous"])
def test_who_sees_the_failure_and_who_may_render_it_again(failed, role):
    client = Client()
    user = roles(failed.report).get(role)
    if user:
        client.force_login(user)
    retry = f"/staff/reports/{failed.report.pk}/versions/{failed.pk}/retry-pdf/"
    if role in RETRIES:
        page = staff_page(client, failed.report)
        assert "PDF not rendered" in page and "OSError: the renderer fell over (4)" in page
        assert (f'action="{retry}"' in page) == (RETRIES[role] == 302)
    response = client.post(retry)
    failed.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == RETRIES.get(role, 404)
    if RETRIES.get(role) == 302:  # rendered again (at once in the tests): the PDF is there
        assert failed.pdf and not failed.pdf_error and failed.pdf_failed_at is None
        page = staff_page(client, failed.report)
        assert "PDF not rendered" not in page and 'href="/nong-lom/2568/v1.pdf"' in page
        response = Client().get("/nong-lom/2568/v1.pdf")
        response.close()  # the stored file it streams
        assert response.status_code == 200
    else:
        assert not failed.pdf and failed.pdf_failed_at is not None


def test_render_again_only_what_failed(published, admin):
    client = Client()
    client.force_login(admin)
    retry = f"/staff/reports/{published.report.pk}/versions/{published.pk}/retry-pdf/"
    client.cookies["django_language"] = "en"
    response = client.post(retry, follow=True)  # still being prepared: nothing to retry
    assert "still being prepared" in response.content.decode()
    assert client.get(retry).status_code == 405


def test_a_failed_pdf_of_the_years_other_documents_is_shown_and_rendered_again(admin, monkeypatch):
    report = ReportFactory(agency__slug="nong-lom")
    MeasureFactory.create_batch(2, report=report)
    failing(monkeypatch, times=1)  # without a worker, no retry: it fails at once
    plan = publish(report, admin, document="plan")
    assert not plan.pdf and plan.pdf_error == "OSError: the renderer fell over (1)"
    client = Client()
    client.force_login(admin)
    page = staff_page(client, report)
    retry = f"/staff/reports/{report.pk}/versions/{plan.pk}/retry-pdf/"
    assert "PDF not rendered" in page and f'action="{retry}"' in page
    assert client.post(retry).status_code == 302
    plan.refresh_from_db()
    assert plan.pdf and not plan.pdf_error
