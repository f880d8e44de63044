"""Forecasts of indicators and of recruitment demand, each shown with its backtest error.

Three statsforecast models — AutoETS, AutoARIMA and Theta — and their mean. Each is tested by a
rolling-origin backtest: refitted at several past origins, its forecasts over the horizon compared with
what happened, the error scaled by the in-sample error of the (seasonal) naive forecast (MASE: below 1
beats the naive forecast). The naive forecast's own MASE is shown beside. A series too short to test is
forecast and labelled as such; one too short to forecast says so.
"""

import datetime
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Sum
from django.db.models.functions import Coalesce, Substr, TruncDate, TruncMonth
from django.utils.translation import gettext as _

from nhanluc.employers.choices import VacancyStatus
from nhanluc.employers.models import Vacancy
from nhanluc.indicators.catalogue import Indicator
from nhanluc.indicators.periods import Period
from nhanluc.indicators.results import ProgressQuery

SEASONS = {"M": 12, "Q": 4, "H": 2, "Y": 1}
MODEL_NAMES = ("AutoETS", "AutoARIMA", "Theta")
COMBINED = "combined"  # the backtest's key for the mean of the models
NAIVE = "Naive"
# Fewer points than this cannot be forecast at all.
MINIMUM_POINTS = 3
BACKTEST_FOLDS = 4


@dataclass
class ModelResult:
    name: str
    mean: list[float]
    lower_80: list[float]
    upper_80: list[float]
    lower_95: list[float]
    upper_95: list[float]
    mase: float | None = None


@dataclass
class Forecast:
    history: list[float]
    history_labels: list[str]
    horizon_labels: list[str]
    models: list[ModelResult] = field(default_factory=list)
    combined: ModelResult | None = None
    naive_mase: float | None = None
    season_length: int = 1
    short: bool = False
    note: str = ""

    @property
    def best(self) -> ModelResult | None:
        tested = [model for model in [*self.models, self.combined] if model and model.mase is not None]
        return min(tested, key=lambda model: model.mase) if tested else self.combined


def _model(name: str, season_length: int):
    from statsforecast.models import AutoARIMA, AutoETS, Theta

    if name == "AutoETS":
        return AutoETS(season_length=season_length)
    if name == "AutoARIMA":
        return AutoARIMA(season_length=season_length)
    return Theta(season_length=season_length)


def _fit(name: str, y: np.ndarray, horizon: int, season_length: int) -> dict | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = _model(name, season_length).forecast(y=y, h=horizon, level=[80, 95])
    except Exception:  # a model that cannot fit this series (too short, constant) is left out
        return None
    values = {
        key: [float(value) for value in np.asarray(result[key])]
        for key in ("mean", "lo-80", "hi-80", "lo-95", "hi-95")
    }
    if not all(math.isfinite(value) for value in values["mean"]):
        return None
    return values


def _naive(y: np.ndarray, horizon: int, season_length: int) -> np.ndarray:
    if season_length > 1 and len(y) >= season_length:
        last_season = y[-season_length:]
        return np.array([last_season[step % season_length] for step in range(horizon)], dtype=float)
    return np.repeat(y[-1], horizon).astype(float)


def _scale(y: np.ndarray, season_length: int) -> float:
    lag = season_length if season_length > 1 and len(y) > season_length else 1
    differences = np.abs(y[lag:] - y[:-lag])
    return float(differences.mean()) if differences.size else 0.0


def backtest(
    y: np.ndarray,
    *,
    horizon: int,
    season_length: int,
    minimum_train: int,
    models: tuple[str, ...] = MODEL_NAMES,
) -> dict[str, float] | None:
    """MASE of each model, their mean and the naive forecast over rolling origins; None if too short."""
    origins = [len(y) - horizon * fold for fold in range(BACKTEST_FOLDS, 0, -1)]
    origins = [origin for origin in origins if origin >= minimum_train]
    if not origins:
        return None
    errors: dict[str, list[float]] = {name: [] for name in (*models, COMBINED, NAIVE)}
    for origin in origins:
        train, actual = y[:origin], y[origin : origin + horizon]
        scale = _scale(train, season_length)
        if not scale:
            continue
        fitted = {name: _fit(name, train, len(actual), season_length) for name in models}
        usable = [np.array(result["mean"]) for result in fitted.values() if result]
        for name, result in fitted.items():
            if result:
                errors[name].append(float(np.abs(actual - np.array(result["mean"])).mean() / scale))
        if usable:
            errors[COMBINED].append(float(np.abs(actual - np.mean(usable, axis=0)).mean() / scale))
        errors[NAIVE].append(float(np.abs(actual - _naive(train, len(actual), season_length)).mean() / scale))
    return {name: round(float(np.mean(values)), 3) for name, values in errors.items() if values}


def forecast_values(
    values: list[float],
    labels: list[str],
    horizon_labels: list[str],
    *,
    kind: str,
    models: tuple[str, ...] = MODEL_NAMES,
) -> Forecast:
    """Forecast a series of one period kind (M, Q, H or Y) over the horizon's periods."""
    y = np.asarray(values, dtype=float)
    horizon = len(horizon_labels)
    season_length = SEASONS[kind] if len(y) >= 2 * SEASONS[kind] + horizon else 1
    forecast = Forecast(list(values), labels, horizon_labels, season_length=season_length)
    if len(y) < MINIMUM_POINTS:
        forecast.short = True
        forecast.note = _("Chuỗi quá ngắn (%(count)s kỳ): chưa dự báo được.") % {"count": len(y)}
        return forecast
    minimum_train = max(2 * season_length, 8)
    scores = backtest(
        y, horizon=horizon, season_length=season_length, minimum_train=minimum_train, models=models
    )
    if scores is None:
        forecast.short = True
        forecast.note = _(
            "Chuỗi ngắn (%(count)s kỳ): dự báo chỉ để tham khảo, chưa kiểm định ngược được (cần ít nhất %(needed)s kỳ)."
        ) % {"count": len(y), "needed": minimum_train + horizon}
    for name in models:
        result = _fit(name, y, horizon, season_length)
        if result:
            forecast.models.append(
                ModelResult(
                    name,
                    result["mean"],
                    result["lo-80"],
                    result["hi-80"],
                    result["lo-95"],
                    result["hi-95"],
                    (scores or {}).get(name),
                )
            )
    if forecast.models:
        # The mean of the models' bounds: an approximation of the combination's interval, not a derivation.
        def mean_of(attribute):
            return [
                float(value)
                for value in np.mean([getattr(model, attribute) for model in forecast.models], axis=0)
            ]

        count = len(forecast.models)
        forecast.combined = ModelResult(
            _("Trung bình %(count)s mô hình") % {"count": count} if count > 1 else forecast.models[0].name,
            mean_of("mean"),
            mean_of("lower_80"),
            mean_of("upper_80"),
            mean_of("lower_95"),
            mean_of("upper_95"),
            (scores or {}).get(COMBINED),
        )
    forecast.naive_mase = (scores or {}).get(NAIVE)
    return forecast


def reconcile(province: list[float], communes: dict[str, list[float]]) -> dict[str, list[float]]:
    """Scale the communes' forecasts so that, step by step, they add up to the province's."""
    reconciled = {code: list(values) for code, values in communes.items()}
    for step, total in enumerate(province):
        parts = sum(values[step] for values in communes.values())
        if parts <= 0:
            continue
        factor = total / parts
        for code in reconciled:
            reconciled[code][step] = communes[code][step] * factor
    return reconciled


# The communes' many series take the two fast models. AutoARIMA fits a noisy series of ten
# half-years in about 0,5 s, against 0,02 s for AutoETS and 0,005 s for Theta: with it, the split of
# 114 communes took 100 s instead of about 5.
COMMUNE_MODELS = ("AutoETS", "Theta")


@dataclass
class CommuneForecast:
    """A commune's forecast scaled to the province's, with the backtest error of its own models."""

    code: str
    values: list[float]
    mase: float | None
    naive_mase: float | None
    short: bool


def commune_forecasts(
    *,
    province_code: str,
    indicator: Indicator,
    period: Period,
    history: int,
    horizon: int,
    province: Forecast,
) -> dict[str, CommuneForecast]:
    """Each commune's forecast by the two fast models, backtested, then scaled to add up to the
    province's.

    The backtest error is that of the commune's own forecast before scaling: the scaling moves every
    commune by the province's factor, which the province's own backtest error already speaks for.
    """
    from nhanluc.indicators.results import commune_values

    series: dict[str, list[float]] = {}
    # Only the periods the province's series has data for: earlier ones hold zeros, not figures.
    for earlier in periods_before(period, history):
        if earlier.code not in province.history_labels:
            continue
        for commune, value in commune_values(
            province_code=province_code, period=earlier, indicator=indicator
        ).items():
            series.setdefault(commune, []).append(float(value))
    horizon_labels = [item.code for item in periods_after(period, horizon)]
    forecasts = {
        commune: forecast_values(values, [], horizon_labels, kind=period.kind, models=COMMUNE_MODELS)
        for commune, values in series.items()
    }
    forecasts = {
        commune: forecast for commune, forecast in forecasts.items() if forecast.combined is not None
    }
    if province.combined is None or not forecasts:
        return {}
    reconciled = reconcile(
        province.combined.mean, {commune: forecast.combined.mean for commune, forecast in forecasts.items()}
    )
    return {
        commune: CommuneForecast(
            code=commune,
            values=reconciled[commune],
            mase=forecast.combined.mase,
            naive_mase=forecast.naive_mase,
            short=forecast.short,
        )
        for commune, forecast in forecasts.items()
    }


def periods_before(period: Period, count: int) -> list[Period]:
    """`count` consecutive periods of the same kind ending with `period`."""
    per_year = {"M": 12, "Q": 4, "H": 2, "Y": 1}[period.kind]
    index = period.year * per_year + period.number - 1
    return [
        Period(position // per_year, period.kind, position % per_year + 1)
        for position in range(index - count + 1, index + 1)
    ]


def periods_after(period: Period, count: int) -> list[Period]:
    per_year = {"M": 12, "Q": 4, "H": 2, "Y": 1}[period.kind]
    index = period.year * per_year + period.number - 1
    return [
        Period(position // per_year, period.kind, position % per_year + 1)
        for position in range(index + 1, index + count + 1)
    ]


def indicator_series(
    *, province_code: str, indicator: Indicator, period: Period, count: int, unit_code: str | None = None
) -> tuple[list[float], list[str]]:
    """The indicator's figures for `count` periods up to `period`, trimmed to the latest unbroken run."""
    values: list[tuple[str, float | None]] = []
    for earlier in periods_before(period, count):
        result = ProgressQuery(province_code, earlier, unit_code, (indicator.code,)).run()[0]
        value = result.value
        values.append((earlier.code, None if value is None else float(value)))
    run: list[tuple[str, float]] = []
    for label, value in reversed(values):
        if value is None:
            break
        run.append((label, value))
    run.reverse()
    return [value for _label, value in run], [label for label, _value in run]


def forecast_indicator(
    *,
    province_code: str,
    indicator: Indicator,
    period: Period,
    history: int,
    horizon: int,
    unit_code: str | None = None,
) -> Forecast:
    values, labels = indicator_series(
        province_code=province_code, indicator=indicator, period=period, count=history, unit_code=unit_code
    )
    return forecast_values(
        values, labels, [item.code for item in periods_after(period, horizon)], kind=period.kind
    )


def demand_series(
    *, province_code: str, last_month: datetime.date, months: int, commune_code: str | None = None
) -> dict[str, tuple[list[float], list[str]]]:
    """Positions posted per month and VSCO level-1 group, `months` months up to `last_month`, in the
    province or, given `commune_code`, in the vacancies whose workplace is that commune."""
    first = Period(last_month.year, "M", last_month.month)
    calendar = periods_before(first, months)
    start = calendar[0].start
    vacancies = Vacancy.objects.filter(province_code=province_code)
    if commune_code:
        vacancies = vacancies.filter(commune_code=commune_code)
    rows = (
        vacancies.exclude(status=VacancyStatus.DRAFT)
        .annotate(day=Coalesce("posted_on", TruncDate("created_at")))
        .filter(day__gte=start, day__lte=first.end)
        .annotate(month=TruncMonth("day"), group=Substr("occupation_code", 1, 1))
        .values_list("group", "month")
        .annotate(positions=Sum("quantity"))
        .order_by()
    )
    series: dict[str, dict[str, float]] = {}
    for group, month, positions in rows:
        key = f"{month:%Y}-M{month:%m}"
        series.setdefault(group or "unknown", {})[key] = float(positions or 0)
    labels = [item.code for item in calendar]
    return {
        group: ([by_month.get(label, 0.0) for label in labels], labels) for group, by_month in series.items()
    }
