import datetime

import pytest

from measures import thai

D = datetime.date


@pytest.mark.parametrize(
    ("style", "start", "end", "year", "text"),
    [
        ("months", D(2025, 1, 1), D(2025, 3, 31), 2568, "ม.ค.-มี.ค. ๒๕๖๘"),
        ("months", D(2025, 2, 1), D(2025, 2, 28), 2568, "ก.พ. ๒๕๖๘"),
        ("months", D(2024, 10, 1), D(2025, 9, 30), 2568, "ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๘"),
        ("months_years", D(2024, 10, 1), D(2025, 9, 30), 2568, "ต.ค.๒๕๖๗-ก.ย.๒๕๖๘"),
        ("months_short_years", D(2022, 10, 1), D(2023, 9, 30), 2566, "ต.ค. ๖๕ - ก.ย. ๖๖"),
        ("dates", D(2024, 10, 1), D(2025, 9, 30), 2568, "๑ ตุลาคม ๒๕๖๗ ถึง ๓๐ กันยายน ๒๕๖๘"),
        ("day", D(2025, 7, 29), D(2025, 7, 29), 2568, "วันที่ ๒๙ กรกฎาคม ๒๕๖๘"),
        ("quarters", D(2023, 10, 1), D(2024, 3, 31), 2567, "ไตรมาสที่ ๑ - ๒"),
        ("quarters", D(2023, 10, 1), D(2023, 12, 31), 2567, "ไตรมาสที่ ๑"),
        ("fiscal_year", D(2022, 10, 1), D(2023, 9, 30), 2566, "ตลอดปีงบประมาณ"),
        ("fiscal_year_be", D(2023, 10, 1), D(2024, 9, 30), 2567, "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗"),
        ("all_year", D(2023, 10, 1), D(2024, 9, 30), 2567, "ดำเนินการตลอดทั้งปี"),
    ],
)
def test_period_text_writes_each_style_as_the_seeds_do(style, start, end, year, text):
    assert thai.to_digits(thai.period_text(style, start, end, year)) == text


def test_digits_switch_both_ways():
    assert thai.to_digits("คะแนน 89.72 ปี 2566", thai.THAI) == "คะแนน ๘๙.๗๒ ปี ๒๕๖๖"
    assert thai.to_digits("คะแนน ๘๙.๗๒ ปี ๒๕๖๖", thai.ARABIC) == "คะแนน 89.72 ปี 2566"
    assert thai.to_digits("No Gift Policy", thai.THAI) == "No Gift Policy"


def test_full_date_uses_the_buddhist_era():
    assert thai.to_digits(thai.date_full(D(2025, 1, 14))) == "๑๔ มกราคม ๒๕๖๘"
