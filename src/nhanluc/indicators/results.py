"""Progress against plan as query objects: what the dashboard, the reports and the API all show.

`ProgressQuery(province_code, period).run()` gives, for every indicator, the period's figure, the
year's target, % of plan, the same period last year, the change in points for rates, the estimate
for the year and the cumulative figure for flows. Computed figures come from the cache (filled on
demand); reported ones are the approved `DataValue`s, summed from shorter periods when the period
itself was not reported (a half-year from its two quarters or six months).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from nhanluc.indicators import measures
from nhanluc.indicators.catalogue import BY_CODE, INDICATORS, Indicator
from nhanluc.indicators.choices import DataValueStatus, Direction, TimeAggregation
from nhanluc.indicators.models import DataValue, IndicatorValue, Target
from nhanluc.indicators.periods import Period, first_months
from nhanluc.indicators.register import DEMAND_CODES
from nhanluc.indicators.services import SENTINEL, ensure_figures

# Earlier years whose seasonal shape an estimate may follow.
HISTORY_YEARS = 3


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    unit_code: str
    period: Period
    breakdown: str
    value: Decimal | None  # a stock at the period's end, or a flow within the period
    year_to_date: Decimal | None  # flows: lũy kế from 1 January to the period's end
    target: Decimal | None  # the year's plan
    percent_of_plan: Decimal | None
    last_year: Decimal | None  # the same period (for flows: the same months) last year
    percent_of_same_period: Decimal | None
    change_in_points: Decimal | None  # rates only
    estimate: measures.Estimate | None  # flows, before the year is over
    estimate_percent_of_plan: Decimal | None

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def compared(self) -> Decimal | None:
        """What the plan is measured against: the cumulative figure of a flow, a stock's value."""
        return self.year_to_date if self.indicator.time == TimeAggregation.FLOW else self.value

    @property
    def meets_plan(self) -> bool | None:
        if self.target is None or self.compared is None:
            return None
        if self.indicator.direction == Direction.DOWN:
            return self.compared <= self.target
        figure = self.estimate.value if self.estimate is not None else self.compared
        return figure >= self.target


class ReportedValues:
    """The approved reported figures of some units over some years, read in one query."""

    def __init__(self, *, unit_codes: list[str], years: range, codes: list[str]):
        self.values: dict[tuple, Decimal] = {}
        rows = DataValue.objects.filter(
            unit_code__in=unit_codes,
            indicator_code__in=codes,
            status=DataValueStatus.APPROVED,
            period_code__regex=r"^(" + "|".join(str(year) for year in years) + r")",
        ).values_list("indicator_code", "breakdown", "unit_code", "period_code", "value")
        for code, breakdown, unit, period_code, value in rows:
            self.values[(code, breakdown, unit, period_code)] = value

    def get(self, indicator: Indicator, breakdown: str, unit: str, period: Period) -> Decimal | None:
        direct = self.values.get((indicator.code, breakdown, unit, period.code))
        if direct is not None:
            return direct
        for kind in ("H", "Q", "M"):
            parts = period.sub_periods(kind)
            if not parts:
                continue
            if indicator.time == TimeAggregation.STOCK:
                # A stock at the period's end is the figure of its last sub-period.
                last = self.get(indicator, breakdown, unit, parts[-1])
                if last is not None:
                    return last
                continue
            figures = [self.get(indicator, breakdown, unit, part) for part in parts]
            if all(figure is not None for figure in figures):
                return measures.cumulative(figures)
        return None


def has_begun(period: Period) -> bool:
    """A period that has not started has no figures yet (the register would give today's state)."""
    return period.start <= timezone.localdate()


def _computed_values(province_code: str, periods: list[Period], codes: list[str], units: list[str]) -> dict:
    periods = [period for period in periods if has_begun(period)]
    for period in periods:
        ensure_figures(province_code=province_code, period=period)
    rows = IndicatorValue.objects.filter(
        province_code=province_code,
        period_code__in=[period.code for period in periods],
        indicator_code__in=[*codes, SENTINEL],
        unit_code__in=units,
    ).values_list("indicator_code", "breakdown", "unit_code", "period_code", "value", "numerator")
    values = {}
    empty = set()  # (unit, period) with nobody in the register: no data, not zeros
    for code, breakdown, unit, period_code, value, numerator in rows:
        values[(code, breakdown, unit, period_code)] = value
        if code == SENTINEL and breakdown == "" and numerator == 0:
            empty.add((unit, period_code))
    return values, empty


@dataclass(frozen=True)
class ProgressQuery:
    province_code: str
    period: Period
    unit_code: str | None = None  # the province when None
    indicator_codes: tuple[str, ...] | None = None
    breakdown: str = ""

    def run(self) -> list[IndicatorResult]:
        unit = self.unit_code or self.province_code
        indicators = (
            [BY_CODE[code] for code in self.indicator_codes] if self.indicator_codes else list(INDICATORS)
        )
        period, last_period = self.period, self.period.same_period_last_year()
        computed = [indicator.code for indicator in indicators if indicator.is_computed]
        reported = [indicator.code for indicator in indicators if not indicator.is_computed]
        computed_values, empty = (
            _computed_values(self.province_code, [period, last_period], computed, [unit])
            if computed
            else ({}, set())
        )
        history = ReportedValues(
            unit_codes=[unit], years=range(period.year - HISTORY_YEARS, period.year + 1), codes=reported
        )
        targets = dict(
            Target.objects.filter(unit_code=unit, year=period.year, breakdown=self.breakdown).values_list(
                "indicator_code", "value"
            )
        )
        results = []
        for indicator in indicators:
            if indicator.is_computed:

                def figure(at: Period, code=indicator.code):
                    if not has_begun(at):
                        return None
                    if code not in DEMAND_CODES and (unit, at.code) in empty:
                        return None  # nobody in the register then: no data, not zeros
                    return computed_values.get((code, self.breakdown, unit, at.code), Decimal(0))

            else:

                def figure(at: Period, indicator=indicator):
                    return history.get(indicator, self.breakdown, unit, at)

            results.append(self._result(indicator, unit, figure, targets.get(indicator.code)))
        return results

    def _result(self, indicator: Indicator, unit: str, figure, target) -> IndicatorResult:
        period = self.period
        value = figure(period)
        last_year = figure(period.same_period_last_year())
        year_to_date = estimate = None
        if indicator.time == TimeAggregation.FLOW and not indicator.is_computed:
            year_to_date = figure(period.year_to_date())
            last_year = figure(period.year_to_date().same_period_last_year())
            if period.last_month < 12 and year_to_date is not None:
                earlier = [
                    (figure(first_months(year, period.last_month)), figure(Period(year, "Y", 1)))
                    for year in range(period.year - HISTORY_YEARS, period.year)
                ]
                estimate = measures.estimate_year(year_to_date, period.last_month, earlier)
        compared = (
            year_to_date if indicator.time == TimeAggregation.FLOW and not indicator.is_computed else value
        )
        return IndicatorResult(
            indicator=indicator,
            unit_code=unit,
            period=period,
            breakdown=self.breakdown,
            value=value,
            year_to_date=year_to_date,
            target=target,
            percent_of_plan=measures.percent_of_plan(compared, target),
            last_year=last_year,
            percent_of_same_period=None
            if indicator.is_rate
            else measures.percent_of_same_period(compared, last_year),
            change_in_points=measures.change_in_points(value, last_year) if indicator.is_rate else None,
            estimate=estimate,
            estimate_percent_of_plan=measures.percent_of_plan(estimate.value, target) if estimate else None,
        )


def commune_values(
    *, province_code: str, period: Period, indicator: Indicator, breakdown: str = ""
) -> dict[str, Decimal]:
    """A computed indicator in every commune of the province (the dashboard's ranking and drill-down)."""
    ensure_figures(province_code=province_code, period=period)
    rows = IndicatorValue.objects.filter(
        province_code=province_code,
        period_code=period.code,
        indicator_code=indicator.code,
        breakdown=breakdown,
    ).exclude(unit_code=province_code)
    return dict(rows.values_list("unit_code", "value"))


def unit_values(
    *, province_code: str, period: Period, codes: list[str], unit_code: str
) -> dict[tuple[str, str], Decimal]:
    """Every breakdown of several computed indicators in one unit, by (indicator, breakdown)."""
    ensure_figures(province_code=province_code, period=period)
    rows = IndicatorValue.objects.filter(
        province_code=province_code, period_code=period.code, indicator_code__in=codes, unit_code=unit_code
    )
    return {
        (code, breakdown): value
        for code, breakdown, value in rows.values_list("indicator_code", "breakdown", "value")
    }


def breakdown_values(
    *, province_code: str, period: Period, indicator: Indicator, unit_code: str
) -> dict[str, Decimal]:
    """Every breakdown of a computed indicator in one unit ("" is the total)."""
    values = unit_values(
        province_code=province_code, period=period, codes=[indicator.code], unit_code=unit_code
    )
    return {breakdown: value for (_code, breakdown), value in values.items()}


def recent_periods(period: Period, count: int) -> list[Period]:
    """`count` periods of the same kind ending with `period` (the same half-year of earlier years for H)."""
    return [Period(period.year - offset, period.kind, period.number) for offset in range(count - 1, -1, -1)]
