"""Evidence links are web addresses: http or https, nothing that could close an attribute."""

import copy
import html

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from measures.demo import demo_reports
from measures.models import EvidenceLink, Measure, Report
from measures.services import measures_import, report_import
from measures.validators import validate_evidence_url
from tests.staff.test_views import PASSWORD, measure_post

pytestmark = pytest.mark.django_db

PAYLOAD = 'https://x.example/"><svg/onload=alert(1)>'
REFUSED = [
    PAYLOAD,
    "https://x.example/<b>bold</b>",
    "https://x.example/a b",
    "https://x.example/\x00",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)//https://x.example",
    "data:text/html,<script>alert(1)</script>",
    "ftp://x.example/file",
    "//x.example/no-scheme",
    "x.example",
    "https://",
    "https://x.example/" + "a" * 2100,
]
ACCEPTED = [
    "https://www.nonglom.go.th/news/1",
    "http://x.example/a?b=1&c=%22#part",
    "https://www.nonglom.go.th/ข่าว/ประกาศ?ปี=2568",
    "https://เทศบาล.ไทย/ita",
]


@pytest.mark.parametrize("url", REFUSED)
def test_markup_scripts_and_other_schemes_are_refused(url):
    with pytest.raises(ValidationError) as refused:
        validate_evidence_url(url)
    assert refused.value.code == "url"


@pytest.mark.parametrize("url", ACCEPTED)
def test_web_addresses_thai_ones_too_are_accepted(url):
    validate_evidence_url(url)


def with_evidence(url: str) -> dict:
    data = copy.deepcopy(demo_reports()[0])
    data["measures"][1]["evidence"] = [{"title": "ภาพกิจกรรม", "url": "https://x.example/1"}]
    data["measures"][2]["evidence"] = [
        {"title": "ภาพกิจกรรม", "url": "https://x.example/2"},
        {"title": "คำสั่ง", "url": url},
    ]
    return data


def test_a_json_import_refuses_it_saying_where_and_writes_nothing(framework):
    with pytest.raises(ValidationError) as refused:
        report_import(data=with_evidence(PAYLOAD))
    said = " ".join(refused.value.messages)
    assert said.startswith("measures.2.evidence.1.url: ") and "http" in said, said
    assert "Value error" not in said
    assert not Report.objects.exists() and not EvidenceLink.objects.exists()


def test_a_json_import_keeps_good_addresses(framework):
    report = report_import(data=with_evidence(ACCEPTED[2]))
    urls = EvidenceLink.objects.filter(measure__report=report).order_by("measure__position")
    assert [link.url for link in urls][-1] == ACCEPTED[2]


def test_measures_read_from_a_file_are_held_to_the_same_rule(framework):
    report = report_import(data=demo_reports()[0])
    count = report.measures.count()
    measure = {"title": "มาตรการ", "evidence": [{"title": "x", "url": "javascript:alert(1)"}]}
    with pytest.raises(ValidationError, match="evidence.0.url"):
        measures_import(report=report, imported={"measures": [measure]}, replace=False, user=None)
    assert report.measures.count() == count


@pytest.fixture
def editor(client, capsys):
    call_command("load_demo", "--seeds-only", "--no-publish")
    assert client.login(username="nong-lom-editor", password=PASSWORD)
    return client


def test_the_measure_form_refuses_it_beside_the_field_and_keeps_what_was_typed(editor):
    report = Report.objects.get(agency__slug="nong-lom")
    data = measure_post(steps=["ขั้นที่หนึ่ง"])
    data.update(
        {
            "evidence-TOTAL_FORMS": 1,
            "evidence-0-title": "ภาพกิจกรรม",
            "evidence-0-url": PAYLOAD,
        }
    )
    count = Measure.objects.count()
    response = editor.post(f"/staff/reports/{report.pk}/measures/new/", data)
    assert response.status_code == 200
    (errors,) = response.context["form"].evidence.errors
    assert "http://" in " ".join(errors["url"]), errors  # one message, in the reader's language
    assert len(errors["url"]) == 1
    page = response.content.decode()
    assert f'value="{html.escape(PAYLOAD)}"' in page  # typed text back, as text
    assert "<svg" not in page
    assert Measure.objects.count() == count
