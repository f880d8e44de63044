"""The indicator pages: who sees what, and the figures they print."""

import pytest
from django.urls import reverse

from nhanluc.core.models import AccessLog
from nhanluc.indicators import services
from nhanluc.indicators.models import DataValue, Target
from nhanluc.registry.generate import generate_population, store_population
from nhanluc.registry.imports import get_or_create_round

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
