import datetime
import random

import pytest

from measures import fiscal, thai
from measures.models import PeriodStyle
from measures.periods import parse_period, parse_thai_date

D = datetime.date


def periods_of(fiscal_year: int):
    """Every period of every style that a fiscal year's report may hold."""
    start, end = fiscal.fiscal_year_bounds(fiscal_year)
    for style in (PeriodStyle.FISCAL_YEAR, PeriodStyle.FISCAL_YEAR_BE, PeriodStyle.ALL_YEAR):
        yield style, start, end
    for first in range(1, 5):
        for last in range(first, 5):
            yield (PeriodStyle.QUARTERS, *fiscal.quarters_span(fiscal_year, first, last))
    months, day = [], start
    while day <= end + datetime.timedelta(days=100):  # a few months beyond the year too
        months.append(day)
        day = fiscal.month_end(day) + datetime.timedelta(days=1)
    for index, first in enumerate(months):
        for last in months[index:]:
            for style in (
                PeriodStyle.MONTHS,
                PeriodStyle.MONTHS_YEARS,
                PeriodStyle.MONTHS_SHORT_YEARS,
            ):
                yield style, first, fiscal.month_end(last)
    for first, last in ((start, end), (D(2024, 12, 3), D(2025, 2, 28)), (D(2025, 7, 29),) * 2):
        yield PeriodStyle.DATES, first, last
        yield PeriodStyle.DAY, first, first


@pytest.mark.parametrize("digits", [thai.THAI, thai.ARABIC])
@pytest.mark.parametrize("fiscal_year", [2566, 2568])
def test_parse_period_reads_back_every_period_that_period_text_writes(fiscal_year, digits):
    wrong = []
    for style, start, end in periods_of(fiscal_year):
        text = thai.to_digits(thai.period_text(style, start, end, fiscal_year), digits)
        if parse_period(text, fiscal_year) != (style, start, end):
            wrong.append((text, style, parse_period(text, fiscal_year)))
    assert wrong == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # As the seeds write them.
        ("ไตรมาสที่ ๑ - ๒", ("quarters", D(2024, 10, 1), D(2025, 3, 31))),
        ("ไตรมาสที่ ๑-๒", ("quarters", D(2024, 10, 1), D(2025, 3, 31))),
        ("ไตรมาสที่ ๑", ("quarters", D(2024, 10, 1), D(2024, 12, 31))),
        ("ไตรมาสที่ 1 - 4", ("quarters", D(2024, 10, 1), D(2025, 9, 30))),
        ("ต.ค.๒๕๖๗- ธ.ค.๒๕๖๘", ("months_years", D(2024, 10, 1), D(2025, 12, 31))),
        ("ต.ค.๒๕๖๗-ก.ย.๒๕๖๘", ("months_years", D(2024, 10, 1), D(2025, 9, 30))),
        ("ต.ค. ๖๕ – มี.ค. ๖๖", ("months_short_years", D(2022, 10, 1), D(2023, 3, 31))),
        ("ต.ค. ๖๕ - ก.ย. ๖๖", ("months_short_years", D(2022, 10, 1), D(2023, 9, 30))),
        ("ตลอดปี งบประมาณ", ("fiscal_year", D(2024, 10, 1), D(2025, 9, 30))),
        ("ตลอดปีงบประมาณ", ("fiscal_year", D(2024, 10, 1), D(2025, 9, 30))),
        ("ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗", ("fiscal_year_be", D(2023, 10, 1), D(2024, 9, 30))),
        ("ดำเนินการตลอดทั้งปี", ("all_year", D(2024, 10, 1), D(2025, 9, 30))),
        (
            "๑ ตุลาคม ๒๕๖๗ ถึง ๓๐ กันยายน ๒๕๖๘",
            ("dates", D(2024, 10, 1), D(2025, 9, 30)),
        ),
        ("วันที่ ๒๙ กรกฎาคม ๒๕๖๘", ("day", D(2025, 7, 29), D(2025, 7, 29))),
        ("ม.ค.-มี.ค. ๒๕๖๘", ("months", D(2025, 1, 1), D(2025, 3, 31))),
        ("ก.พ.-มี.ค. ๒๕๖๘", ("months", D(2025, 2, 1), D(2025, 3, 31))),
        # Variants agencies type.
        ("มกราคม - มีนาคม ๒๕๖๘", ("months", D(2025, 1, 1), D(2025, 3, 31))),
        ("ตุลาคม ๒๕๖๗ – กันยายน ๒๕๖๘", ("months", D(2024, 10, 1), D(2025, 9, 30))),
        ("มค.-มีค. 2568", ("months", D(2025, 1, 1), D(2025, 3, 31))),
        ("ต.ค.-ธ.ค.", ("months", D(2024, 10, 1), D(2024, 12, 31))),
        ("1/10/2567 - 30/9/2568", ("dates", D(2024, 10, 1), D(2025, 9, 30))),
        ("ตั้งแต่วันที่ 1 ต.ค. 2567 ถึงวันที่ 31 ธ.ค. 2567", ("dates", D(2024, 10, 1), D(2024, 12, 31))),
        ("  ไตรมาสที่\u00a0๒  ", ("quarters", D(2025, 1, 1), D(2025, 3, 31))),
    ],
)
def test_parse_period_reads_the_seeds_and_their_variants(text, expected):
    assert parse_period(text, 2568) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "ไม่ทราบ",
        "ไตรมาสที่ ๕",
        "ไตรมาสที่ ๓ - ๑",  # backwards
        "ก.ย. ๒๕๖๘ - ต.ค. ๒๕๖๗",  # backwards
        "๓๑ กุมภาพันธ์ ๒๕๖๘",  # no such day
        "๑ ตุลาคม ๒๐๒๔",  # a Christian-Era year where the BE one belongs
        "ม.ค.-มี.ค. ๙๙๙๙๙",
        "๑๔/๑๓/๒๕๖๘",
        None,
        12,
    ],
)
def test_parse_period_returns_none_for_what_it_cannot_read(text):
    assert parse_period(text, 2568) is None


@pytest.mark.parametrize(
    "text",
    [
        "๑๔ มกราคม ๒๕๖๘",
        "14 ม.ค. 2568",
        "14/01/2568",
        "๑๔/๐๑/๒๕๖๘",
        "14 มกราคม พ.ศ. 2568",
        "วันที่ ๑๔ มกราคม ๒๕๖๘",
        "14 ม.ค. 68",
    ],
)
def test_parse_thai_date(text):
    assert parse_thai_date(text) == D(2025, 1, 14)


def test_parse_thai_date_with_the_weekday():
    assert parse_thai_date("วันอังคารที่ ๓ ธันวาคม ๒๕๖๗") == D(2024, 12, 3)


@pytest.mark.parametrize(
    "text", ["", "มกราคม", "14/01/2025", "31/04/2568", "๑๔ มกราคม", "14-01", None, object()]
)
def test_parse_thai_date_returns_none_for_what_it_cannot_read(text):
    assert parse_thai_date(text) is None


def test_nothing_raises_on_random_text():
    rng = random.Random(2568)
    alphabet = "๐๑๒๓๔๕๖๗๘๙0123456789 .-–/ถึงไตรมาสที่ต.ค.ม.ค.ก.ย.ตลอดปีงบประมาณพ.ศ.วัน"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        parse_period(text, 2568)
        parse_thai_date(text)
