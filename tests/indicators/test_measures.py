"""Progress arithmetic against cases worked by hand, in the words provincial reports use."""

import datetime
from decimal import Decimal

import pytest

from nhanluc.core.formatting import round_half_up
from nhanluc.indicators import measures
from nhanluc.indicators.periods import Period, PeriodInvalid, parse_period


def test_percent_of_plan_is_actual_over_target_rounded_half_up():
    # Lào Cai 2024: 15.000 jobs against a plan of 14.500 → "đạt 103,45% kế hoạch".
    assert measures.percent_of_plan(15000, 14500) == Decimal("103.45")
    # 2/3 = 66,666… → 66,67; 1/8 = 12,5 exactly and 0,125 → 0,13 (half-up, not banker's 0,12).
    assert measures.percent_of_plan(2, 3) == Decimal("66.67")
    assert measures.percent_of_plan(Decimal("0.125"), 100) == Decimal("0.13")
    assert measures.percent_of_plan(10, 0) is None
    assert measures.percent_of_plan(None, 10) is None


def test_a_share_is_stored_cut_to_four_decimals_so_that_it_prints_as_the_exact_share_would():
    # 51 unemployed in a labour force of 2.100: 2,428571…% → 2,4285 stored, 2,43 printed.
    assert measures.percent(51, 2100) == Decimal("2.4285")
    assert round_half_up(measures.percent(51, 2100), 2) == Decimal("2.43")
    # 1 of 20.100 is 0,004975…%: rounded to four decimals it would be 0,0050 and print 0,01.
    assert measures.percent(1, 20100) == Decimal("0.0049")
    assert round_half_up(measures.percent(1, 20100), 2) == Decimal("0.00")
    # 2 of 3 = 66,6666…% prints 66,67; exact shares stay exact.
    assert round_half_up(measures.percent(2, 3), 2) == Decimal("66.67")
    assert measures.percent(4631, 10000) == Decimal("46.3100")
    assert measures.percent(7, 0) == Decimal(0)


def test_same_period_and_points():
    # Vĩnh Long H1-2023: 12.900 jobs against 12.286 a year earlier → "bằng 105,00% so với cùng kỳ".
    assert measures.percent_of_same_period(12900, 12286) == Decimal("105.00")
    assert measures.percent_of_same_period(962, 1000) == Decimal("96.20")
    assert measures.percent_of_same_period(5, None) is None
    # A rate from 3,29% to 2,24% "giảm 1,05 điểm %".
    assert measures.change_in_points(Decimal("2.24"), Decimal("3.29")) == Decimal("-1.05")


def test_estimate_uses_the_run_rate_without_history_and_the_seasonal_share_with_it():
    run_rate = measures.estimate_year(7245, 6)
    assert run_rate.value == Decimal("14490.00") and run_rate.method == "run_rate"
    # Earlier years reached 40% and 45% of their total by June: average 42,5% → 7.245 / 0,425.
    seasonal = measures.estimate_year(7245, 6, [(4000, 10000), (4500, 10000)])
    assert seasonal.method == "seasonal" and seasonal.years_used == 2
    assert seasonal.value == Decimal("17047.06")
    assert measures.estimate_year(100, 12).value == Decimal("100.00")
    assert measures.estimate_year(None, 6) is None


def test_cumulative_sums_what_was_reported():
    assert measures.cumulative([1200, None, Decimal("300.5")]) == Decimal("1500.5")
    assert measures.cumulative([None, None]) is None


def test_periods_parse_and_know_their_dates():
    half = parse_period("2026-h1")
    assert half == Period(2026, "H", 1) and half.code == "2026-H1"
    assert (half.start, half.end, half.stock_date) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 6, 30),
        datetime.date(2026, 7, 1),
    )
    assert half.same_period_last_year().code == "2025-H1"
    assert [part.code for part in half.sub_periods("Q")] == ["2026-Q1", "2026-Q2"]
    assert parse_period("2026-Q3").year_to_date().code == "2026-T09"
    assert parse_period("2026-Q2").year_to_date().code == "2026-H1"
    # "The first six months" is the first half under one name, so values entered either way meet.
    assert parse_period("2026-T06") == Period(2026, "H", 1) and parse_period("2026-T12").code == "2026"
    assert [part.code for part in parse_period("2026-T09").sub_periods("Q")] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
    ]
    assert parse_period("2026").end == datetime.date(2026, 12, 31)
    assert parse_period("2026-M02").end == datetime.date(2026, 2, 28)
    for wrong in ("2026-H3", "26", "2026-Q0", "năm 2026", ""):
        with pytest.raises(PeriodInvalid):
            parse_period(wrong)
