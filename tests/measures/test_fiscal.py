import datetime

import pytest

from measures import fiscal

D = datetime.date


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (D(2024, 9, 30), 2567),  # last day of FY 2567
        (D(2024, 10, 1), 2568),  # October starts the next fiscal year
        (D(2024, 12, 31), 2568),
        (D(2025, 1, 1), 2568),  # the calendar year changes, the fiscal year does not
        (D(2025, 9, 30), 2568),
        (D(2025, 10, 1), 2569),
    ],
)
def test_fiscal_year_of_turns_on_the_first_of_october(day, year):
    assert fiscal.fiscal_year_of(day) == year


def test_fiscal_year_bounds_are_october_to_september():
    assert fiscal.fiscal_year_bounds(2568) == (D(2024, 10, 1), D(2025, 9, 30))
    assert fiscal.fiscal_year_bounds(2566) == (D(2022, 10, 1), D(2023, 9, 30))


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (D(2024, 10, 1), 1),
        (D(2024, 12, 31), 1),
        (D(2025, 1, 1), 2),
        (D(2025, 3, 31), 2),
        (D(2025, 4, 1), 3),
        (D(2025, 6, 30), 3),
        (D(2025, 7, 1), 4),
        (D(2025, 9, 30), 4),
    ],
)
def test_quarter_of(day, quarter):
    assert fiscal.quarter_of(day) == quarter


def test_quarter_bounds_cross_the_calendar_year():
    assert fiscal.quarter_bounds(2568, 1) == (D(2024, 10, 1), D(2024, 12, 31))
    assert fiscal.quarter_bounds(2568, 2) == (D(2025, 1, 1), D(2025, 3, 31))
    assert fiscal.quarter_bounds(2568, 3) == (D(2025, 4, 1), D(2025, 6, 30))
    assert fiscal.quarter_bounds(2568, 4) == (D(2025, 7, 1), D(2025, 9, 30))


def test_quarter_bounds_of_a_leap_year_february():
    # FY 2567's second quarter holds 29 February 2024.
    assert fiscal.quarter_bounds(2567, 2) == (D(2024, 1, 1), D(2024, 3, 31))
    assert fiscal.month_end(D(2024, 2, 10)) == D(2024, 2, 29)


def test_quarters_span():
    assert fiscal.quarters_span(2567, 1, 2) == (D(2023, 10, 1), D(2024, 3, 31))
    assert fiscal.quarters_span(2567, 1, 4) == fiscal.fiscal_year_bounds(2567)
    with pytest.raises(ValueError):
        fiscal.quarters_span(2567, 3, 2)
    with pytest.raises(ValueError):
        fiscal.quarter_bounds(2567, 5)


def test_every_day_of_a_fiscal_year_is_in_it_and_in_one_of_its_quarters():
    start, end = fiscal.fiscal_year_bounds(2568)
    day = start
    while day <= end:
        assert fiscal.fiscal_year_of(day) == 2568
        first, last = fiscal.quarter_bounds(2568, fiscal.quarter_of(day))
        assert first <= day <= last
        day += datetime.timedelta(days=1)
