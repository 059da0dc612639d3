import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership, ReviewScope
from measures.fiscal import fiscal_year_of
from measures.models import FiscalYear, Report

pytestmark = pytest.mark.django_db

MEASURES_PER_REPORT = {
    "nong-lom": 7,
    "kaset-phatthana": 5,
    "non-sung": 5,
    "nong-samet": 2,
    "sai-khao": 10,
}


def database_dump() -> str:
    models = [m for app in ("measures", "accounts") for m in apps.get_app_config(app).get_models()]
    rows = [obj for model in models for obj in model.objects.order_by("pk")]
    users = get_user_model().objects.order_by("pk")
    return serializers.serialize("json", rows) + serializers.serialize(
        "json", users, fields=["username", "is_staff", "is_superuser"]
    )


def test_load_demo_twice_gives_the_same_database(capsys):
    call_command("load_demo", "--seeds-only")
    first = database_dump()
    call_command("load_demo", "--seeds-only")
    assert database_dump() == first


def test_load_demo_loads_the_framework_the_seeds_and_the_users(capsys):
    call_command("load_demo", "--seeds-only")
    out = capsys.readouterr().out
    current = fiscal_year_of(timezone.localdate())
    years = sorted({2565, 2566, 2567, 2568, 2569, current})
    assert [y.year for y in FiscalYear.objects.order_by("year")] == years
    assert FiscalYear.objects.get(year=2569).provisional is False
    if current > 2569:  # opened by load_demo as a copy of the latest year, to be confirmed
        assert FiscalYear.objects.get(year=current).provisional is True
    for year in years[1:]:
        fy = FiscalYear.objects.get(year=year)
        assert fy.indicators.count() == 10 and fy.tools.count() == 3
        assert list(fy.bands.values_list("label", flat=True)) == [
            "ผ่านดีเยี่ยม",
            "ผ่านดี",
            "ผ่าน",
            "ไม่ผ่าน",
        ]
    counts = {r.agency.slug: r.measures.count() for r in Report.objects.all()}
    assert counts == MEASURES_PER_REPORT
    assert Report.objects.get(agency__slug="kaset-phatthana").indicator_progress.count() == 8
    assert Report.objects.get(agency__slug="sai-khao").issue_groups.count() == 7
    cited = {r.agency.slug: r.cited_result for r in Report.objects.all()}
    assert str(cited["nong-samet"].overall) == "99.81"
    assert cited["nong-samet"].published_label == "ผ่านดีเยี่ยม"
    assert cited["nong-lom"] is None

    for slug in MEASURES_PER_REPORT:
        assert Membership.objects.filter(user__username=f"{slug}-editor", role="editor").exists()
        assert Membership.objects.filter(
            user__username=f"{slug}-approver", role="approver"
        ).exists()
        assert ReviewScope.objects.filter(user__username=f"{slug}-reviewer").exists()
        assert f"{slug}-editor" in out
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("ita-demo-2568")
    assert "ita-demo-2568" in out


def test_load_demo_no_publish_takes_an_earlier_loads_publications_down(
    capsys, client, django_capture_on_commit_callbacks
):
    from publication.models import PublishedVersion

    call_command("load_demo", "--seeds-only")
    assert client.get("/sai-khao/2567/").status_code == 200
    stored = [v.json_file for v in PublishedVersion.all_documents.all()]
    assert stored and all(f.storage.exists(f.name) for f in stored)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--seeds-only", "--no-publish")
    assert "5 published versions of the demo taken down" in capsys.readouterr().out
    assert set(Report.objects.values_list("state", flat=True)) == {Report.State.DRAFT}
    assert not PublishedVersion.all_documents.exists()
    assert not any(f.storage.exists(f.name) for f in stored)
    assert client.get("/sai-khao/2567/").status_code == 404
    # A draft again, it goes through review again as any draft does.
    call_command("load_demo", "--seeds-only")
    assert client.get("/sai-khao/2567/").status_code == 200
