"""The arithmetic of progress reports, as provincial reports word it (domain brief §9).

"đạt 103,45% kế hoạch" = actual ÷ target × 100; "bằng 96,20% so với cùng kỳ" = actual ÷ the same
period of last year × 100; for a rate the change is told in percentage points ("giảm 1,05 điểm %");
"ước thực hiện" projects the year from the months elapsed; "lũy kế" sums from 1 January.
Every figure is a Decimal rounded half-up to two places, as the reports print them.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from nhanluc.core.formatting import round_half_up

HUNDRED = Decimal(100)


def percent(numerator: int, denominator: int) -> Decimal:
    """The numerator per hundred of the denominator, cut (not rounded) to the four decimals stored.

    Cut so that rounding it half-up to the two decimals reports print gives what rounding the
    exact share would: 1 of 20.100 is 0,004975%, which rounded to four decimals (0,0050) would
    print as 0,01% instead of 0,00%. No denominator (nobody to count over) gives 0.
    """
    if not denominator:
        return Decimal(0)
    return Decimal(numerator * 1_000_000 // denominator).scaleb(-4)


def figure_value(numerator: int, denominator: int | None) -> Decimal:
    """A computed figure's value: the count itself, or the share when it counts over a denominator."""
    return Decimal(numerator) if denominator is None else percent(numerator, denominator)


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def percent_of_plan(actual, target) -> Decimal | None:
    """103,45 for 15.000 done against 14.500 planned; None without a (non-zero) target."""
    actual, target = _decimal(actual), _decimal(target)
    if actual is None or not target:
        return None
    return round_half_up(actual / target * HUNDRED, 2)


def percent_of_same_period(actual, last_year) -> Decimal | None:
    """96,20 when this period is 96,20% of the same period last year; None without last year's figure."""
    actual, last_year = _decimal(actual), _decimal(last_year)
    if actual is None or not last_year:
        return None
    return round_half_up(actual / last_year * HUNDRED, 2)


def change_in_points(rate, last_year_rate) -> Decimal | None:
    """−1,05 when a rate fell from 3,29% to 2,24%."""
    rate, last_year_rate = _decimal(rate), _decimal(last_year_rate)
    if rate is None or last_year_rate is None:
        return None
    return round_half_up(rate - last_year_rate, 2)


@dataclass(frozen=True)
class Estimate:
    value: Decimal
    # "run_rate": the months so far, scaled to the year; "seasonal": divided by the share earlier
    # years had reached by the same month.
    method: str
    years_used: int = 0

    @property
    def method_label(self) -> str:
        if self.method == "seasonal":
            return _("theo tỷ trọng cùng kỳ của %(years)s năm trước") % {"years": self.years_used}
        return _("theo tốc độ bình quân các tháng đã qua")


def estimate_year(year_to_date, months_elapsed: int, history: list[tuple] | None = None) -> Estimate | None:
    """Estimate a flow's full-year figure (ước thực hiện cả năm) from January to `months_elapsed`.

    `history` holds (same months of an earlier year, that year's total) pairs; when any is usable the
    estimate follows their average share (jobs are not created evenly: Tết slows the first quarter),
    otherwise the run-rate.
    """
    value = _decimal(year_to_date)
    if value is None or not 1 <= months_elapsed <= 12:
        return None
    if months_elapsed == 12:
        return Estimate(round_half_up(value, 2), "run_rate")
    shares = [
        Decimal(str(part)) / Decimal(str(total))
        for part, total in history or []
        if part is not None and total and Decimal(str(part)) > 0
    ]
    if shares:
        share = sum(shares) / len(shares)
        return Estimate(round_half_up(value / share, 2), "seasonal", len(shares))
    return Estimate(round_half_up(value * 12 / months_elapsed, 2), "run_rate")


def cumulative(values) -> Decimal | None:
    """Lũy kế: the sum of the periods given, None when none has a figure."""
    present = [_decimal(value) for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None
