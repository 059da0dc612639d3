from decimal import Decimal

import pytest

from measures.models import AssessmentResult
from tests.factories import AgencyFactory

D = Decimal


def band(framework, year, overall, iit=None, eit=None, oit=None):
    tools = {"IIT": iit, "EIT": eit, "OIT": oit}
    return framework[year].band_for(D(overall), {k: v and D(v) for k, v in tools.items()})


@pytest.mark.parametrize(
    ("overall", "label"),
    [
        ("100", "AA"),
        ("95", "AA"),
        ("94.99", "A"),
        ("85", "A"),
        ("84.99", "B"),
        ("75", "B"),
        ("65", "C"),
        ("55", "D"),
        ("54.99", "E"),
        ("50", "E"),
        ("49.99", "F"),
        ("0", "F"),
    ],
)
def test_grades_up_to_2565_depend_on_the_overall_score_only(framework, overall, label):
    assert band(framework, 2565, overall) == label


@pytest.mark.parametrize("year", [2566, 2567, 2568])
def test_pass_levels_from_2566(framework, year):
    # Excellent needs every tool at 95 or more too.
    assert band(framework, year, "97.90", "98", "96", "99") == "ผ่านดีเยี่ยม"
    # 97.90 overall, but one tool under 95: "ผ่านดี", as one agency was in 2568.
    assert band(framework, year, "97.90", "98", "90", "99") == "ผ่านดี"
    assert band(framework, year, "85", "85", "85", "85") == "ผ่านดี"
    # A tool under 85 drops ผ่านดี to ผ่าน (an EIT under 85 did it in 2568).
    assert band(framework, year, "92", "95", "84.99", "96") == "ผ่าน"
    assert band(framework, year, "96", "99", "80", "99") == "ผ่าน"
    # Under 85 overall fails whatever the tools.
    assert band(framework, year, "84.99", "99", "99", "99") == "ไม่ผ่าน"
    assert band(framework, year, "84.99") == "ไม่ผ่าน"


def test_pass_level_is_unknown_without_the_tool_scores(framework):
    assert band(framework, 2568, "97.90") is None
    assert band(framework, 2568, "97.90", "98", None, "99") is None


def test_result_keeps_the_agency_label_and_computes_the_official_band(framework):
    result = AssessmentResult.objects.create(
        agency=AgencyFactory(),
        fiscal_year=framework[2568],
        overall=D("96.04"),
        iit=D("97"),
        eit=D("94"),
        oit=D("98"),
        published_label="96.04 (ผ่าน) ระดับ AA",
    )
    assert result.published_label == "96.04 (ผ่าน) ระดับ AA"
    assert result.official_band == "ผ่านดี"
