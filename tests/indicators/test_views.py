"""The indicator pages: who sees what, and the figures they print."""

import pytest
from django.urls import reverse

from nhanluc.core.models import AccessLog
from nhanluc.indicators import services
from nhanluc.indicators.models import DataValue, Target
from nhanluc.registry.generate import generate_population, store_population
from nhanluc.registry.imports import get_or_create_round
from tests.indicators.test_forecasts import commune_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def population():
    survey_round = get_or_create_round(code="2026", province_code="31")
    frame = generate_population(
        province_code="31", people=1500, seed=5, reference_date=survey_round.reference_date
    )
    store_population(frame, survey_round=survey_round)


def test_dashboard_shows_register_figures_and_progress(client, make_user, population):
    analyst = make_user("province_analyst")
    services.set_target(indicator_code="employed", unit_code="31", year=2026, value="2000", actor=analyst)
    client.force_login(analyst)
    response = client.get(reverse("indicators:dashboard"), {"period": "2026-H1"})
    assert response.status_code == 200
    html = response.content.decode()
    result = {item.indicator.code: item for item in response.context["results"]}
    employed = result["employed"].value
    assert f"đạt {result['employed'].percent_of_plan}".replace(".", ",") in html
    assert result["employed"].percent_of_plan == (employed * 100 / 2000).quantize(
        result["employed"].percent_of_plan
    )
    assert "chưa có số liệu" in html  # jobs created: nothing reported yet


def test_commune_officer_sees_own_commune_only(client, make_user, population):
    officer = make_user("commune_officer", commune_code="10546")
    client.force_login(officer)
    response = client.get(reverse("indicators:dashboard"), {"period": "2026-H1"})
    assert response.status_code == 200
    assert all(result.unit_code == "10546" for result in response.context["results"])
    # No ranking of the other communes for a commune officer.
    assert response.context["chart_data"]["ranking"]["units"] == []
    other = client.get(
        reverse("indicators:indicator", args=["employed"]), {"period": "2026-H1", "unit": "10529"}
    )
    assert other.status_code == 403
    assert client.get(reverse("indicators:dashboard")).status_code == 200


def test_roles_outside_the_province_staff_are_refused(client, make_user):
    client.force_login(make_user("employer"))
    assert client.get(reverse("indicators:dashboard")).status_code == 403
    client.logout()
    assert client.get(reverse("indicators:dashboard")).status_code == 302


def test_indicator_page_drills_down_to_logged_records(client, make_user, population):
    analyst = make_user("province_analyst")
    client.force_login(analyst)
    response = client.get(reverse("indicators:indicator", args=["unemployed"]), {"period": "2026-H1"})
    assert response.status_code == 200
    communes = response.context["communes"]
    top = communes[0]
    assert sum(row["value"] for row in communes) == response.context["result"].value
    people = client.get(top["records"])
    assert people.status_code == 200
    assert len(people.context["rows"]) == min(int(top["value"]), 50)
    log = AccessLog.objects.get(actor=analyst)
    assert log.kind == "view" and "unemployed" in log.purpose


def test_target_and_reported_value_forms(client, make_user):
    analyst = make_user("province_analyst")
    client.force_login(analyst)
    response = client.post(
        reverse("indicators:targets") + "?year=2026",
        {
            "indicator_code": "jobs_created",
            "unit_code": "31",
            "breakdown": "",
            "value": "15.000",
            "note": "NQ HĐND",
        },
    )
    assert response.status_code == 302
    assert Target.objects.get().value == 15000
    refused = client.post(
        reverse("indicators:targets") + "?year=2026",
        {"indicator_code": "unemployment_rate", "unit_code": "31", "breakdown": "", "value": "120"},
    )
    assert refused.status_code == 400 and "Tỷ lệ không được lớn hơn 100%" in refused.content.decode()
    client.post(
        reverse("indicators:data_values"),
        {
            "indicator_code": "jobs_created",
            "unit_code": "31",
            "period_code": "2026-H1",
            "breakdown": "",
            "value": "7.245",
        },
    )
    value = DataValue.objects.get()
    assert value.value == 7245 and not value.is_locked
    client.post(reverse("indicators:data_values"), {"approve": "1", "selected": [value.pk]})
    value.refresh_from_db()
    assert value.is_locked
    officer = make_user("commune_officer", commune_code="10546")
    client.force_login(officer)
    assert (
        client.post(reverse("indicators:data_values"), {"approve": "1", "selected": [value.pk]}).status_code
        == 403
    )
    assert client.post(reverse("indicators:targets"), {"indicator_code": "jobs_created"}).status_code == 403


def test_forecast_page_shows_each_model_with_its_backtest_error(client, make_user):
    from django.utils import timezone

    from nhanluc.indicators.forecasts import periods_after, periods_before
    from nhanluc.indicators.views import _last_ended_month
    from tests.indicators.test_forecasts import seasonal_series

    analyst = make_user("province_analyst")
    # The page forecasts from the last month that has ended (October 2026 on 22/11/2026).
    end = _last_ended_month(timezone.localdate())
    for period, value in zip(periods_before(end, 40), seasonal_series(40), strict=True):
        data_value = services.save_data_value(
            indicator_code="jobs_created",
            unit_code="31",
            period_code=period.code,
            value=round(value),
            actor=analyst,
        )
        services.approve_data_values(data_values=[data_value], actor=analyst)
    client.force_login(analyst)
    response = client.get(reverse("indicators:forecast"), {"series": "jobs_created"})
    assert response.status_code == 200
    forecast = response.context["forecast"]
    assert forecast.horizon_labels[0] == periods_after(end, 1)[0].code
    assert len(forecast.history) == 36  # three years are read
    html = response.content.decode()
    assert "AutoETS" in html and "AutoARIMA" in html and "Theta" in html
    assert f"{forecast.combined.mase:.3f}".replace(".", ",") in html
    short = client.get(reverse("indicators:forecast"), {"series": "demand:7"})
    assert short.status_code == 200 and "quá ngắn" in short.content.decode()


def test_forecast_by_commune_carries_each_communes_backtest_error(client, make_user):
    from django.utils import timezone

    from nhanluc.indicators.catalogue import BY_CODE
    from nhanluc.indicators.forecasts import commune_forecasts, forecast_indicator, periods_before
    from nhanluc.indicators.forms import unit_choices
    from nhanluc.indicators.register import province_communes
    from nhanluc.indicators.views import default_period

    first, second = province_communes("31")[:2]
    end = default_period(timezone.localdate())
    commune_history(periods_before(end, 10), ((first, 1000), (second, 400)))
    client.force_login(make_user("province_analyst"))
    url = reverse("indicators:forecast")
    page = client.get(url, {"series": "employed", "unit": "31", "communes": "1"})
    assert page.status_code == 200
    province = forecast_indicator(
        province_code="31", indicator=BY_CODE["employed"], period=end, history=10, horizon=2
    )
    expected = commune_forecasts(
        province_code="31",
        indicator=BY_CODE["employed"],
        period=end,
        history=10,
        horizon=2,
        province=province,
    )
    shown = dict(page.context["communes"])
    names = dict(unit_choices())
    for code in (first, second):
        commune = shown[names[code]]
        assert commune.mase == expected[code].mase is not None
        assert commune.naive_mase == expected[code].naive_mase is not None
    html = page.content.decode()
    table = html[html.index('data-testid="commune-forecasts"') :]
    assert f"{shown[names[first]].mase:.3f}".replace(".", ",") in table

    # One commune's own series, forecast and tested on its own.
    alone = client.get(url, {"series": "employed", "unit": second})
    assert alone.status_code == 200
    forecast = alone.context["forecast"]
    assert forecast.history[-1] == 400 + 20 * 9
    assert forecast.combined.mase is not None and not alone.context["can_split"]
    assert names[second] in alone.context["title"]
    assert client.get(url, {"series": "employed", "unit": "99999"}).status_code == 404


def test_a_commune_officer_forecasts_their_commune_or_the_province_only(client, make_user):
    from django.utils import timezone

    from nhanluc.indicators.forecasts import periods_before
    from nhanluc.indicators.register import province_communes
    from nhanluc.indicators.views import default_period

    first, second = province_communes("31")[:2]
    commune_history(periods_before(default_period(timezone.localdate()), 10), ((first, 1000), (second, 400)))
    officer = make_user("commune_officer", commune_code=first)
    client.force_login(officer)
    url = reverse("indicators:forecast")
    own = client.get(url, {"series": "employed"})
    assert own.status_code == 200 and own.context["unit"] == first
    assert own.context["forecast"].history[-1] == 1000 + 20 * 9
    assert [code for code, _name in own.context["units"]] == [first, "31"]
    assert client.get(url, {"series": "employed", "unit": "31"}).status_code == 200
    assert client.get(url, {"series": "employed", "unit": second}).status_code == 403
    assert client.get(url, {"series": "demand:7"}).context["unit"] == first
    # Not how the other communes' forecasts compare.
    split = client.get(url, {"series": "employed", "unit": "31", "communes": "1"})
    assert split.context["communes"] == [] and 'data-testid="commune-forecasts"' not in split.content.decode()


def test_a_commune_officer_without_a_current_commune_forecasts_nothing(client, make_user):
    client.force_login(make_user("commune_officer", commune_code=""))
    assert client.get(reverse("indicators:forecast"), {"series": "employed"}).status_code == 403
    assert client.get(reverse("indicators:forecast"), {"series": "employed", "unit": "31"}).status_code == 403
