"""Forecasts carry their backtest error, short series are labelled, communes add up to the province."""

import datetime

import numpy as np
import pytest

from nhanluc.employers.choices import VacancySource, VacancyStatus
from nhanluc.employers.models import Vacancy
from nhanluc.indicators import services
from nhanluc.indicators.catalogue import BY_CODE
from nhanluc.indicators.forecasts import (
    MODEL_NAMES,
    demand_series,
    forecast_indicator,
    forecast_values,
    periods_after,
    periods_before,
    reconcile,
)
from nhanluc.indicators.periods import parse_period


def seasonal_series(months: int, seed: int = 1) -> list[float]:
    rng = np.random.default_rng(seed)
    steps = np.arange(months)
    # Jobs created: a slow first quarter (Tết), growth over the years, noise.
    return list(1000 + 8 * steps + 250 * np.sin(2 * np.pi * (steps - 2) / 12) + rng.normal(0, 30, months))


def test_every_model_and_the_combination_carry_their_mase_beside_the_naive_forecast():
    values = seasonal_series(72)
    labels = [period.code for period in periods_before(parse_period("2026-M06"), 72)]
    horizon = [period.code for period in periods_after(parse_period("2026-M06"), 6)]
    forecast = forecast_values(values, labels, horizon, kind="M")
    assert not forecast.short and forecast.season_length == 12
    assert {model.name for model in forecast.models} == set(MODEL_NAMES)
    assert forecast.combined.name == "Trung bình 3 mô hình" and len(forecast.combined.mean) == 6
    for model in [*forecast.models, forecast.combined]:
        assert model.mase is not None and 0 < model.mase < 10
        assert all(
            low <= mid <= high
            for low, mid, high in zip(model.lower_95, model.mean, model.upper_95, strict=True)
        )
        assert all(a <= b for a, b in zip(model.lower_95, model.lower_80, strict=True))
    assert forecast.naive_mase is not None
    # Six years of a trending seasonal series: the combination beats the seasonal naive forecast
    # (with two years of training at the first origin it does not, and the MASE shows it).
    assert forecast.combined.mase < forecast.naive_mase
    assert forecast.best is not None


def test_short_series_are_labelled_not_hidden():
    short = forecast_values([10.0, 12.0, 11.0, 13.0, 12.0], list("abcde"), ["f", "g"], kind="H")
    assert short.short and "Chuỗi ngắn (5 kỳ)" in short.note
    assert short.combined is not None and short.combined.mase is None
    too_short = forecast_values([10.0, 12.0], ["a", "b"], ["c"], kind="Y")
    assert too_short.short and too_short.combined is None and "quá ngắn" in too_short.note


def test_commune_forecasts_are_reconciled_to_the_province():
    communes = {"10546": [100.0, 110.0], "10529": [300.0, 290.0]}
    reconciled = reconcile([500.0, 480.0], communes)
    for step, total in enumerate([500.0, 480.0]):
        assert sum(values[step] for values in reconciled.values()) == pytest.approx(total)
    assert reconciled["10546"][0] == pytest.approx(125.0)


@pytest.mark.django_db
def test_reported_monthly_series_is_forecast_from_approved_values(make_user):
    analyst = make_user("province_analyst")
    values = seasonal_series(30, seed=3)
    for period, value in zip(periods_before(parse_period("2026-M06"), 30), values, strict=True):
        data_value = services.save_data_value(
            indicator_code="jobs_created",
            unit_code="31",
            period_code=period.code,
            value=round(value),
            actor=analyst,
        )
        services.approve_data_values(data_values=[data_value], actor=analyst)
    forecast = forecast_indicator(
        province_code="31",
        indicator=BY_CODE["jobs_created"],
        period=parse_period("2026-M06"),
        history=36,
        horizon=6,
    )
    assert len(forecast.history) == 30 and forecast.history_labels[0] == "2024-M01"
    assert forecast.horizon_labels == ["2026-M07", "2026-M08", "2026-M09", "2026-M10", "2026-M11", "2026-M12"]
    assert forecast.combined.mase is not None


@pytest.mark.django_db
def test_recruitment_demand_series_by_occupation_group():
    for day, code, quantity in (
        (datetime.date(2026, 4, 3), "72121", 5),
        (datetime.date(2026, 5, 9), "72121", 3),
        (datetime.date(2026, 5, 20), "41101", 2),
    ):
        Vacancy.objects.create(
            title="Thợ hàn",
            occupation_code=code,
            quantity=quantity,
            province_code="31",
            posted_on=day,
            status=VacancyStatus.PUBLISHED,
            source=VacancySource.PORTAL,
        )
    series = demand_series(province_code="31", last_month=datetime.date(2026, 6, 30), months=4)
    assert series["7"] == ([0.0, 5.0, 3.0, 0.0], ["2026-M03", "2026-M04", "2026-M05", "2026-M06"])
    assert series["4"][0] == [0.0, 0.0, 2.0, 0.0]
    # One commune's: the vacancies whose workplace is in it, not those of elsewhere or of no commune.
    Vacancy.objects.filter(quantity=3).update(commune_code="10546")
    Vacancy.objects.filter(quantity=2).update(commune_code="10507")
    commune = demand_series(
        province_code="31", last_month=datetime.date(2026, 6, 30), months=4, commune_code="10546"
    )
    assert commune == {"7": ([0.0, 0.0, 3.0, 0.0], ["2026-M03", "2026-M04", "2026-M05", "2026-M06"])}


def commune_history(periods, communes):
    """Stored figures of two register counts, a steady trend with a half-year rhythm per commune.

    `communes`: (code, base) pairs; employed = base + 20 a period (+ 30 in second halves).
    """
    from django.utils import timezone

    from nhanluc.indicators.models import IndicatorValue

    now = timezone.now()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator_code=code,
            breakdown="",
            unit_code=commune,
            province_code="31",
            period_code=period.code,
            numerator=value,
            value=value,
            computed_at=now,
        )
        for step, period in enumerate(periods)
        for commune, base in communes
        for code, value in (
            ("employed", base + 20 * step + (30 if period.number == 2 else 0)),
            ("population_15", 2 * base),
        )
    )


@pytest.mark.django_db
def test_commune_forecasts_of_a_register_count_add_up_to_the_province_forecast_and_carry_their_mase():
    from nhanluc.indicators.register import province_communes

    first, second = province_communes("31")[:2]
    end = parse_period("2026-H1")
    history = periods_before(end, 12)  # long enough for two backtest origins of a half-year series
    commune_history(history, ((first, 1000), (second, 400)))
    from nhanluc.indicators.forecasts import commune_forecasts

    province = forecast_indicator(
        province_code="31", indicator=BY_CODE["employed"], period=end, history=12, horizon=2
    )
    assert province.history[-1] == 1000 + 400 + 2 * 20 * 11
    communes = commune_forecasts(
        province_code="31",
        indicator=BY_CODE["employed"],
        period=end,
        history=12,
        horizon=2,
        province=province,
    )
    assert set(communes) >= {first, second}
    for step in range(2):
        assert sum(commune.values[step] for commune in communes.values()) == pytest.approx(
            province.combined.mean[step]
        )
    for code in (first, second):
        commune = communes[code]
        assert not commune.short
        # A steady trend with a half-year rhythm: the models forecast it better than repeating last year.
        assert commune.mase is not None and commune.naive_mase is not None
        assert commune.mase < commune.naive_mase


def test_a_short_series_is_forecast_untested_by_the_models_that_fit_it():
    from nhanluc.indicators.forecasts import MODEL_NAMES, forecast_values

    # Five half-years: too short for a backtest (8 points plus the horizon), long enough for every
    # model but AutoETS, which needs more points than it has parameters.
    forecast = forecast_values([100.0, 104.0, 111.0, 115.0, 120.0], [], ["2026-H2", "2027-H1"], kind="H")
    assert forecast.short and forecast.combined.mase is None and forecast.naive_mase is None
    fitted = [model.name for model in forecast.models]
    assert set(fitted) < set(MODEL_NAMES) and len(fitted) == 2
    assert forecast.combined.name == "Trung bình 2 mô hình"
    single = forecast_values(
        [100.0, 104.0, 111.0, 115.0, 120.0], [], ["2026-H2"], kind="H", models=("Theta",)
    )
    assert single.combined.name == "Theta"
