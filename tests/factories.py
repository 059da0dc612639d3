import contextlib
import datetime
import io
import sys

import factory
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from measures import fiscal
from measures.models import (
    Agency,
    AssessmentResult,
    District,
    FiscalYear,
    Indicator,
    IssueGroup,
    Measure,
    MeasureItem,
    Province,
    Report,
    Responsible,
    ScoreBand,
    Tool,
    Unit,
)
from publication import services
from publication.models import PublishedVersion


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"จังหวัดทดสอบ{n}")
    slug = factory.Sequence(lambda n: f"province-{n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    province = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: f"อำเภอทดสอบ{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"เทศบาลตำบลทดสอบ{n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    kind = Agency.Kind.SUBDISTRICT_MUNICIPALITY
    district = factory.SubFactory(DistrictFactory)
    province = factory.SelfAttribute("district.province")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"กองที่ {n}")


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ["year"]

    year = 2568
    oit_deadline = factory.LazyAttribute(lambda o: datetime.date(fiscal.ce_year(o.year), 4, 30))


PASS_LEVELS = [("ผ่านดีเยี่ยม", 95, 95), ("ผ่านดี", 85, 85), ("ผ่าน", 85, None), ("ไม่ผ่าน", 0, None)]
GRADES = [("AA", 95, None), ("A", 85, None), ("B", 75, None), ("C", 65, None), ("D", 55, None)]
GRADES += [("E", 50, None), ("F", 0, None)]


def fiscal_year_with_framework(year: int = 2568) -> FiscalYear:
    """A fiscal year with its three tools, ten indicators and the band rule of that era."""
    fy = FiscalYearFactory(year=year)
    tools = {
        code: Tool.objects.get_or_create(fiscal_year=fy, code=code, defaults={"name": code})[0]
        for code in ("IIT", "EIT", "OIT")
    }
    for number in range(1, 11):
        code = "IIT" if number <= 5 else "EIT" if number <= 8 else "OIT"
        Indicator.objects.get_or_create(
            fiscal_year=fy, number=number, defaults={"tool": tools[code], "name": f"ตัวชี้วัด {number}"}
        )
    bands = GRADES if year <= 2565 else PASS_LEVELS
    for position, (label, overall, each) in enumerate(bands, start=1):
        ScoreBand.objects.get_or_create(
            fiscal_year=fy,
            label=label,
            defaults={"min_overall": overall, "min_each_tool": each, "position": position},
        )
    return fy


class AssessmentResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentResult

    agency = factory.SubFactory(AgencyFactory)
    fiscal_year = factory.LazyFunction(lambda: fiscal_year_with_framework(2567))
    overall = "90.68"


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    agency = factory.SubFactory(AgencyFactory)
    fiscal_year = factory.LazyFunction(fiscal_year_with_framework)


class IssueGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueGroup

    report = factory.SubFactory(ReportFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "ประเด็นทดสอบ"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    report = factory.SubFactory(ReportFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"มาตรการทดสอบที่ {n}")


class MeasureItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureItem

    measure = factory.SubFactory(MeasureFactory)
    kind = MeasureItem.Kind.STEP
    position = factory.Sequence(lambda n: n + 1)
    text = "ดำเนินการ"


class ResponsibleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsible

    measure = factory.SubFactory(MeasureFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = "สำนักปลัด"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-1")


def publish(report: Report, user, reason: str = "ทดสอบ", document: str = "report"):
    """Take ``report`` (or another ``document`` of its year) through submit, approve and publish
    as ``user`` (an administrator, say) and return the version it becomes."""
    for action in ("submit", "approve", "publish"):
        report.refresh_from_db()
        services.report_transition(
            report=report, user=user, action=action, reason=reason, document=document
        )
    versions = PublishedVersion.all_documents.filter(report=report, document=document)
    return versions.order_by("-number").first()


def approved_report(*, slug: str = "nong-lom", measures: int = 3) -> Report:
    """A report of ``measures`` measures, approved and waiting to be published."""
    report = ReportFactory(agency__slug=slug)
    MeasureFactory.create_batch(measures, report=report)
    Report.objects.filter(pk=report.pk).update(state=Report.State.APPROVED)
    return report


def stored_bytes(file) -> bytes:
    """A stored file's content, its handle closed again (FieldFile.read() leaves it open)."""
    with file.open("rb") as handle:
        return handle.read()


@contextlib.contextmanager
def demo_for_module(django_db_blocker, media, *arguments, then=None):
    """``load_demo *arguments`` (then ``then()``) once for a test module, rolled back after it.

    Its stored files go to ``media``: a module fixture named ``demo_media`` makes every test of
    the module read them (tests/conftest.py). PDFs are left to a background task that never
    runs; the tests in between see the demo but run in their own transactions."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            TASKS_INLINE=False,
            MEDIA_ROOT=media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", *arguments, stdout=io.StringIO())
            if then:
                then()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
