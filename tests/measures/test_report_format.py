"""The report data format is declared once: what comes in is held to it, what goes out obeys it."""

import copy

import jsonschema
import pytest
from django.core.exceptions import ValidationError

from measures.demo import demo_reports
from measures.models import Report
from measures.report_format import (
    FORMAT,
    measure_data_validate,
    report_data_validate,
    report_schema,
    report_to_data,
)
from measures.selectors import report_documents
from measures.services import report_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(framework):
    return [report_import(data=data) for data in demo_reports()]


def test_every_seed_exports_data_that_the_published_schema_accepts(seeds):
    schema = report_schema()
    reports = report_documents(Report.objects.all())
    assert reports.count() == 5
    for report in reports:
        data = report_to_data(report=report)
        assert data["format"] == FORMAT
        jsonschema.validate(data, schema)  # the schema the API publishes
        report_data_validate(data)  # and the check every import runs


def test_the_demo_files_are_in_the_format():
    for data in demo_reports():
        report_data_validate(data)


def test_a_report_out_of_format_is_refused_before_anything_is_written(framework):
    data = copy.deepcopy(demo_reports()[0])
    data["measures"][0]["progress"] = "finished"
    data["measures"][1]["steps"] = [{"label": "", "txt": "typo"}]
    with pytest.raises(ValidationError) as refused:
        report_import(data=data)
    said = " ".join(refused.value.messages)
    assert "measures.0.progress" in said and "measures.1.steps.0.text" in said
    assert not Report.objects.exists()


def test_an_unknown_format_is_named():
    with pytest.raises(ValidationError, match="ita-portal/report@9"):
        report_data_validate({"format": "ita-portal/report@9"})


def test_a_measure_needs_a_title_and_plain_values():
    measure_data_validate({"title": "มาตรการ", "steps": [{"text": "ขั้นตอน"}]})
    for bad in ({"steps": []}, {"title": "x", "period": {"style": "weekly"}}, {"title": ["x"]}):
        with pytest.raises(ValidationError):
            measure_data_validate(bad)
