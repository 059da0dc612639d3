import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from measures.models import AssessmentResult, Measure, PeriodStyle, Report
from tests.factories import (
    AgencyFactory,
    DistrictFactory,
    IssueGroupFactory,
    MeasureFactory,
    MeasureItemFactory,
    ProvinceFactory,
    ReportFactory,
    fiscal_year_with_framework,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def errors_of(obj) -> dict:
    with pytest.raises(ValidationError) as raised:
        obj.full_clean()
    return raised.value.message_dict


def test_fiscal_year_knows_its_bounds_and_quarters():
    fy = fiscal_year_with_framework(2568)
    assert (fy.start, fy.end) == (D(2024, 10, 1), D(2025, 9, 30))
    assert fy.quarter_bounds(2) == (D(2025, 1, 1), D(2025, 3, 31))
    assert fy.contains(D(2024, 10, 1)) and not fy.contains(D(2024, 9, 30))


def test_oit_deadline_must_be_inside_the_fiscal_year():
    fy = fiscal_year_with_framework(2568)
    fy.oit_deadline = D(2025, 10, 1)
    assert "oit_deadline" in errors_of(fy)


def test_one_report_per_agency_and_year():
    report = ReportFactory()
    duplicate = Report(agency=report.agency, fiscal_year=report.fiscal_year)
    assert "__all__" in errors_of(duplicate)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_same_agency_may_report_every_year():
    report = ReportFactory()
    ReportFactory(agency=report.agency, fiscal_year=fiscal_year_with_framework(2567))
    assert report.agency.reports.count() == 2


def test_measure_order_is_unique_within_a_report():
    measure = MeasureFactory(position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureFactory(report=measure.report, position=1)


def test_item_order_is_unique_within_a_list():
    item = MeasureItemFactory(position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureItemFactory(measure=item.measure, kind=item.kind, position=1)
    # The same position in another list is fine.
    MeasureItemFactory(measure=item.measure, kind="output", position=1)


def measure_with_period(style, start, end):
    return MeasureFactory.build(
        report=ReportFactory(), position=1, period_style=style, period_start=start, period_end=end
    )


def test_a_period_cannot_end_before_it_starts():
    measure = measure_with_period(PeriodStyle.DATES, D(2025, 3, 1), D(2025, 1, 1))
    assert "period_end" in errors_of(measure)
    with pytest.raises(IntegrityError), transaction.atomic():
        measure.save()


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (D(2024, 10, 1), D(2025, 9, 30), True),
        (D(2024, 10, 1), D(2025, 12, 31), True),  # seed 000: runs past its year
        (D(2023, 10, 1), D(2024, 3, 31), True),  # the year before
        (D(2115, 10, 1), D(2116, 9, 30), False),  # 2658 typed for 2568
        (D(2020, 1, 1), D(2020, 1, 31), False),
    ],
)
def test_a_period_stays_within_a_year_of_its_fiscal_year(start, end, ok):
    measure = measure_with_period(PeriodStyle.DATES, start, end)
    if ok:
        measure.full_clean()
    else:
        assert "ปีงบประมาณ ๒๕๖๘" in str(errors_of(measure))


def test_period_styles_need_their_shape():
    cases = [
        (PeriodStyle.DAY, D(2025, 7, 29), D(2025, 7, 30), "period_end"),
        (PeriodStyle.QUARTERS, D(2024, 10, 2), D(2024, 12, 31), "period_style"),
        (PeriodStyle.FISCAL_YEAR, D(2024, 10, 1), D(2025, 3, 31), "period_style"),
        (PeriodStyle.MONTHS, D(2025, 1, 15), D(2025, 3, 31), "period_style"),
        (PeriodStyle.DATES, None, D(2025, 3, 31), "period_start"),
        ("", D(2025, 1, 1), None, "period_style"),
    ]
    for style, start, end, field in cases:
        assert field in errors_of(measure_with_period(style, start, end)), style


def test_period_text_follows_the_report_fiscal_year():
    measure = measure_with_period(PeriodStyle.FISCAL_YEAR_BE, D(2024, 10, 1), D(2025, 9, 30))
    measure.full_clean()
    assert measure.period_text == "ตลอดปีงบประมาณ พ.ศ. 2568"


def test_scores_are_between_0_and_100():
    result = AssessmentResult(
        agency=AgencyFactory(),
        fiscal_year=fiscal_year_with_framework(2567),
        overall=Decimal("100.01"),
    )
    assert "overall" in errors_of(result)
    result.overall, result.eit = Decimal("90"), Decimal("-1")
    assert "eit" in errors_of(result)
    with pytest.raises(IntegrityError), transaction.atomic():
        result.save()
    result.eit = Decimal("99.5")
    result.full_clean()
    result.save()


def test_a_measure_hangs_off_an_indicator_or_an_issue_not_both():
    report = ReportFactory()
    measure = MeasureFactory.build(
        report=report,
        position=1,
        indicator=report.fiscal_year.indicators.get(number=1),
        issue_group=IssueGroupFactory(report=report),
    )
    assert "issue_group" in errors_of(measure)
    with pytest.raises(IntegrityError), transaction.atomic():
        measure.save()


def test_a_measure_indicator_comes_from_the_report_year():
    report = ReportFactory()
    other_year = fiscal_year_with_framework(2566)
    measure = MeasureFactory.build(
        report=report, position=1, indicator=other_year.indicators.get(number=1)
    )
    assert "indicator" in errors_of(measure)


def test_an_issue_group_belongs_to_the_measure_report():
    measure = MeasureFactory.build(
        report=ReportFactory(), position=1, issue_group=IssueGroupFactory()
    )
    assert "issue_group" in errors_of(measure)


def test_an_agency_district_lies_in_its_province():
    agency = AgencyFactory.build(district=DistrictFactory(), province=ProvinceFactory())
    assert "district" in errors_of(agency)


def test_a_report_cites_its_own_agency_result_of_that_year_or_before():
    report = ReportFactory()
    other = AssessmentResult.objects.create(
        agency=AgencyFactory(), fiscal_year=report.fiscal_year, overall=Decimal("90")
    )
    report.cited_result = other
    assert "cited_result" in errors_of(report)
    later = AssessmentResult.objects.create(
        agency=report.agency, fiscal_year=fiscal_year_with_framework(2569), overall=Decimal("90")
    )
    report.cited_result = later
    assert "cited_result" in errors_of(report)


def test_year_caption_styles():
    report = ReportFactory(year_style=Report.YearStyle.FY)
    assert report.year_caption == "ปีงบประมาณ 2568"
    report.year_style = Report.YearStyle.ANNUAL_BE
    assert report.year_caption == "ประจำปีงบประมาณ พ.ศ. 2568"


def test_deleting_a_report_deletes_its_measures():
    measure = MeasureFactory()
    MeasureItemFactory(measure=measure)
    measure.report.delete()
    assert not Measure.objects.exists()
