"""Every URL of the portal, for every role: who gets in, who is sent to log in, who gets 403/404."""

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from measures.models import Change, ImportJob, Report

pytestmark = pytest.mark.django_db

PASSWORD = "ita-demo-2568"
ROLES = {
    "anonymous": None,
    "editor_a": "nong-lom-editor",
    "editor_b": "sai-khao-editor",
    "approver_a": "nong-lom-approver",
    "reviewer_a": "nong-lom-reviewer",
    "admin": "admin",
}
# What each role may do with agency A's (nong-lom) report.
SEE_A = {"editor_a", "approver_a", "reviewer_a", "admin"}
EDIT_A = {"editor_a", "admin"}


@pytest.fixture
def demo(capsys, django_user_model):
    call_command("load_demo", "--seeds-only", "--no-publish")
    report = Report.objects.get(agency__slug="nong-lom")
    measure = report.measures.first()
    deleted = report.measures.last()
    from measures.services import measure_delete

    change = measure_delete(measure=deleted, user=None)
    from publication.models import Comment
    from tests.factories import publish

    comment = Comment.objects.create(report=report, text="แก้ไขขั้นตอน")
    # Agency B's report published, for the public addresses.
    admin = django_user_model.objects.get(username="admin")
    publish(Report.objects.get(agency__slug="sai-khao"), admin)
    # Its plan too, for the addresses of the cycle's other documents.
    publish(Report.objects.get(agency__slug="sai-khao"), admin, document="plan")
    # A large import of agency A's report that ended, for the addresses that follow it.
    job = ImportJob.objects.create(report=report, state=ImportJob.State.DONE, total=1, done=1)
    # A preview PDF of agency A's report made in the background, still queued.
    from publication.previews import preview_job_new

    render_job = preview_job_new(report=report)["token"]
    # A version of agency A's plan whose PDF failed to render, for the button that retries it.
    from django.utils import timezone

    from publication.models import PublishedVersion

    failed = PublishedVersion.all_documents.create(
        report=report, document="plan", number=1, data={}, data_sha256="0" * 64
    )
    PublishedVersion.all_documents.filter(pk=failed.pk).update(
        pdf_error="RuntimeError: test", pdf_failed_at=timezone.now()
    )
    return {
        "report": report,
        "measure": measure,
        "change": change,
        "comment": comment,
        "job": job,
        "render_job": render_job,
        "failed_version": failed,
    }


ROUND = {"label": "รอบ ๖ เดือน", "as_of": "31/3/2568", "entries-TOTAL_FORMS": 0}
ROUND["entries-INITIAL_FORMS"] = 0


def url_table(demo):
    """(url name, method, path, who may, status for those who may not see, data)."""
    r, m, c = demo["report"].pk, demo["measure"].pk, demo["change"].pk
    comment, job, render = demo["comment"].pk, demo["job"].pk, demo["render_job"]
    logged_in = set(ROLES) - {"anonymous"}
    everyone = set(ROLES)
    return [
        ("portal:public-latest", "get", "/sai-khao/2567/", everyone, None),
        ("portal:public-latest-pdf", "get", "/sai-khao/2567.pdf", everyone, None),
        ("portal:public-latest-json", "get", "/sai-khao/2567.json", everyone, None),
        ("portal:public-latest-docx", "get", "/sai-khao/2567.docx", everyone, None),
        ("portal:public-version-docx", "get", "/sai-khao/2567/v1.docx", everyone, None),
        ("portal:document-latest-docx", "get", "/sai-khao/2567/plan.docx", everyone, None),
        ("portal:document-version-docx", "get", "/sai-khao/2567/plan/v1.docx", everyone, None),
        ("portal:public-version", "get", "/sai-khao/2567/v1/", everyone, None),
        ("portal:public-version-pdf", "get", "/sai-khao/2567/v1.pdf", everyone, None),
        ("portal:public-version-json", "get", "/sai-khao/2567/v1.json", everyone, None),
        # Whether a version's PDF is ready: public, as the PDF is (static/js/pdf-status.js).
        (
            "portal:public-version-pdf-status",
            "get",
            "/sai-khao/2567/v1/pdf-status.json",
            everyone,
            None,
        ),
        (
            "portal:document-version-pdf-status",
            "get",
            "/sai-khao/2567/plan/v1/pdf-status.json",
            everyone,
            None,
        ),
        ("portal:compare", "get", "/sai-khao/2567/compare/", everyone, None),
        ("portal:document-latest", "get", "/sai-khao/2567/plan/", everyone, None),
        ("portal:document-latest-pdf", "get", "/sai-khao/2567/plan.pdf", everyone, None),
        ("portal:document-version", "get", "/sai-khao/2567/plan/v1/", everyone, None),
        ("portal:document-version-pdf", "get", "/sai-khao/2567/plan/v1.pdf", everyone, None),
        ("portal:public-latest-csv", "get", "/sai-khao/2567.csv", everyone, None),
        ("portal:public-latest-xlsx", "get", "/sai-khao/2567.xlsx", everyone, None),
        ("portal:public-version-csv", "get", "/sai-khao/2567/v1.csv", everyone, None),
        ("portal:public-version-xlsx", "get", "/sai-khao/2567/v1.xlsx", everyone, None),
        ("portal:browse", "get", "/browse/", everyone, None),
        ("portal:browse-province", "get", "/browse/krabi/", everyone, None),
        ("portal:agency", "get", "/sai-khao/", everyone, None),
        ("portal:overview", "get", "/overview/", everyone, None),
        ("portal:api-docs", "get", "/api/", everyone, None),
        ("portal:verify", "get", "/verify/", everyone, None),
        ("portal:verify", "post", "/verify/", everyone, {"sha256": "0" * 64}),
        ("search", "get", "/search/?q=ร้องเรียน", everyone, None),
        ("api-root", "get", "/api/v1/", everyone, None),
        ("api-reports", "get", "/api/v1/reports/", everyone, None),
        ("api-documents", "get", "/api/v1/documents/", everyone, None),
        ("api-report", "get", "/api/v1/reports/sai-khao/2567/", everyone, None),
        # For the load balancer and the operator, open to all; /metrics only from loopback
        # (the test client's address) or with its token (tests/deploy/test_metrics.py).
        ("health", "get", "/health/", everyone, None),
        ("health-web", "get", "/health/web/", everyone, None),
        ("metrics", "get", "/metrics", everyone, None),
        ("api-report-version", "get", "/api/v1/reports/sai-khao/2567/v1/", everyone, None),
        ("api-search", "get", "/api/v1/search/?q=ร้องเรียน", everyone, None),
        ("api-measures-csv", "get", "/api/v1/measures.csv?year=2567", everyone, None),
        ("api-openapi", "get", "/api/v1/openapi.json", everyone, None),
        ("staff:review-queue", "get", "/staff/review/", logged_in, None),
        (
            "staff:approval-memo",
            "get",
            f"/staff/reports/{r}/approval-memo.pdf",
            SEE_A,
            None,
        ),
        (
            "staff:comment-create",
            "post",
            f"/staff/reports/{r}/comments/",
            SEE_A,
            {"text": "ความเห็น"},
        ),
        (  # who may publish the report: its editors and approvers, administrators
            "staff:version-pdf-retry",
            "post",
            f"/staff/reports/{r}/versions/{demo['failed_version'].pk}/retry-pdf/",
            EDIT_A | {"approver_a"},
            {},
        ),
        (
            "staff:comment-resolve",
            "post",
            f"/staff/reports/{r}/comments/{comment}/resolve/",
            EDIT_A,
            {},
        ),
        ("portal:home", "get", "/", set(ROLES), None),
        ("login", "get", "/accounts/login/", set(ROLES), None),
        ("staff:home", "get", "/staff/", logged_in, None),
        ("staff:report", "get", f"/staff/reports/{r}/", SEE_A, None),
        ("staff:history", "get", f"/staff/reports/{r}/history/", SEE_A, None),
        ("staff:preview", "get", f"/staff/reports/{r}/preview/", SEE_A, None),
        ("staff:preview-pdf", "get", f"/staff/reports/{r}/preview.pdf", SEE_A, None),
        ("staff:render-job", "get", f"/staff/reports/{r}/preview/pdf/{render}/", SEE_A, None),
        (
            "staff:render-job-progress",
            "get",
            f"/staff/reports/{r}/preview/pdf/{render}/progress.json",
            SEE_A,
            None,
        ),
        (
            "staff:render-job-pdf",
            "get",
            f"/staff/reports/{r}/preview/pdf/{render}/download.pdf",
            SEE_A,
            None,
        ),
        ("staff:preview-docx", "get", f"/staff/reports/{r}/preview.docx", SEE_A, None),
        (
            "staff:approval-memo-docx",
            "get",
            f"/staff/reports/{r}/approval-memo.docx",
            SEE_A,
            None,
        ),
        ("staff:report-edit", "get", f"/staff/reports/{r}/edit/", EDIT_A, None),
        ("staff:import", "get", f"/staff/reports/{r}/import/", EDIT_A, None),
        ("staff:import-job", "get", f"/staff/reports/{r}/import/{job}/", EDIT_A, None),
        (
            "staff:import-job-progress",
            "get",
            f"/staff/reports/{r}/import/{job}/progress.json",
            EDIT_A,
            None,
        ),
        ("staff:measure-create", "get", f"/staff/reports/{r}/measures/new/", EDIT_A, None),
        ("staff:measure-edit", "get", f"/staff/reports/{r}/measures/{m}/", EDIT_A, None),
        (
            "staff:measure-delete",
            "get",
            f"/staff/reports/{r}/measures/{m}/delete/",
            EDIT_A,
            None,
        ),
        (
            "staff:measure-preview",
            "post",
            f"/staff/reports/{r}/measures/{m}/preview/",
            EDIT_A,
            {"title": "x"},
        ),
        (
            "staff:measure-preview-new",
            "post",
            f"/staff/reports/{r}/measures/preview/",
            EDIT_A,
            {"title": "x"},
        ),
        (
            "staff:measure-move",
            "post",
            f"/staff/reports/{r}/measures/{m}/move/",
            EDIT_A,
            {"direction": "down"},
        ),
        (
            "staff:change-restore",
            "post",
            f"/staff/reports/{r}/history/{c}/restore/",
            EDIT_A,
            {},
        ),
        (
            "staff:report-create",
            "post",
            "/staff/agencies/nong-lom/reports/new/",
            EDIT_A,
            {"fiscal_year": "", "start": "blank"},
        ),
        # The cycle: a round is created (number 1 for those who may), then edited and deleted.
        ("staff:round-create", "get", f"/staff/reports/{r}/rounds/new/", EDIT_A, None),
        ("staff:round-create", "post", f"/staff/reports/{r}/rounds/new/", EDIT_A, ROUND),
        ("staff:round-edit", "get", f"/staff/reports/{r}/rounds/1/", EDIT_A, None),
        ("staff:round-edit", "post", f"/staff/reports/{r}/rounds/1/", EDIT_A, ROUND),
        ("staff:round-delete", "post", f"/staff/reports/{r}/rounds/1/delete/", EDIT_A, {}),
        ("staff:analysis", "get", f"/staff/reports/{r}/analysis/", EDIT_A, None),
        ("staff:analysis", "post", f"/staff/reports/{r}/analysis/", EDIT_A, {"overall": "90"}),
        ("staff:analysis-import", "post", f"/staff/reports/{r}/analysis/import/", EDIT_A, {}),
        (
            "staff:analysis-issues",
            "post",
            f"/staff/reports/{r}/analysis/issues/",
            EDIT_A,
            {"issues-TOTAL_FORMS": 1, "issues-INITIAL_FORMS": 0, "issues-0-title": "ประเด็น"},
        ),
        # Last: a submission would lock the report for the rows above (without a reason for
        # the gaps the OIT check finds in seed 000, it is refused and the report stays a draft).
        (
            "staff:transition",
            "post",
            f"/staff/reports/{r}/transition/",
            EDIT_A,
            {"action": "submit"},
        ),
    ]


def names_of_all_urls() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return names


# Django's own account pages other than login are covered by Django; set_language is public.
NOT_REPORT_URLS = {
    "api-not-found",  # the API's JSON 404 for any other address
    "set_language",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def test_the_table_covers_every_url_of_the_portal(demo):
    covered = {row[0] for row in url_table(demo)}
    assert names_of_all_urls() - NOT_REPORT_URLS - covered == set()


@pytest.mark.parametrize("role", ROLES)
def test_every_url_for_every_role(client, demo, role):
    if ROLES[role]:
        assert client.login(username=ROLES[role], password=PASSWORD)
    for name, method, path, allowed, data in url_table(demo):
        response = getattr(client, method)(path, data or {})
        status = response.status_code
        if role in allowed:
            assert status in (200, 204, 302), (role, name, status)
            if status == 302:
                assert "/accounts/login/" not in response["Location"], (role, name)
        elif role == "anonymous":
            assert status == 302 and response["Location"].startswith("/accounts/login/"), name
        elif role in SEE_A:
            assert status == 403, (role, name, status)  # may see the report, not change it
        else:
            assert status == 404, (role, name, status)  # does not learn the draft exists


def test_nothing_changed_for_those_refused(client, demo):
    before = (Report.objects.count(), Change.objects.count())
    for role in ("editor_b", "approver_a", "reviewer_a"):
        client.login(username=ROLES[role], password=PASSWORD)
        for _name, method, path, _allowed, data in url_table(demo):
            if method == "post":
                getattr(client, method)(path, data or {})
    assert (Report.objects.count(), Change.objects.count()) == before
