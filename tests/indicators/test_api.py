"""The indicators API: catalogue, progress, figures with scoping and small-cell suppression, targets
and reported values through the same rules as the pages."""

import pytest
from rest_framework.test import APIClient

from nhanluc.indicators.models import DataValue, Target
from nhanluc.registry.generate import generate_population, store_population
from nhanluc.registry.imports import get_or_create_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def population():
    survey_round = get_or_create_round(code="2026", province_code="31")
    frame = generate_population(
        province_code="31", people=600, seed=8, reference_date=survey_round.reference_date
    )
    store_population(frame, survey_round=survey_round)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_catalogue_and_progress(make_user, population):
    client = api(make_user("province_analyst"))
    catalogue = client.get("/api/v1/indicators/").json()
    assert {"employed", "jobs_created", "trained_certificate_rate"} <= {item["code"] for item in catalogue}
    employed = client.get("/api/v1/indicators/employed/").json()
    assert "sex:2" in employed["breakdowns"]
    progress = client.get("/api/v1/indicators/employed/progress/", {"period": "2026-H1"}).json()
    assert progress["unit_code"] == "31" and float(progress["value"]) > 0 and progress["target"] is None
    assert client.get("/api/v1/indicators/employed/progress/", {"period": "2026-H7"}).status_code == 400
    assert client.get("/api/v1/indicators/nothing/").status_code == 404


def test_figures_are_scoped_and_small_cells_withheld_from_agencies(make_user, population):
    officer = api(make_user("commune_officer", commune_code="10546"))
    rows = officer.get(
        "/api/v1/indicator-values/", {"period": "2026-H1", "indicator": "employed", "page_size": 1000}
    ).json()["results"]
    assert {row["unit_code"] for row in rows} <= {"10546", "31"} and rows
    agency = api(make_user("agency"))
    rows = agency.get(
        "/api/v1/indicator-values/", {"period": "2026-H1", "indicator": "unemployed", "page_size": 1000}
    ).json()["results"]
    small = [row for row in rows if row["suppressed"]]
    assert small, "600 people over 114 communes leave communes with under 5 unemployed"
    assert all(row["value"] is None and row["numerator"] is None for row in small)
    assert all(
        int(row["numerator"]) >= 5 or int(row["numerator"]) == 0 for row in rows if not row["suppressed"]
    )
    rates = agency.get(
        "/api/v1/indicator-values/",
        {"period": "2026-H1", "indicator": "unemployment_rate", "page_size": 1000},
    ).json()["results"]
    assert any(row["suppressed"] for row in rates)
    for row in rates:
        if not row["suppressed"]:
            assert row["numerator"] == 0 or row["numerator"] >= 5
            assert row["denominator"] == 0 or row["denominator"] >= 5
    commune_progress = agency.get(
        "/api/v1/indicators/employed/progress/", {"period": "2026-H1", "unit": "10546"}
    )
    assert commune_progress.status_code == 403
    assert (
        api(make_user("employer")).get("/api/v1/indicator-values/", {"period": "2026-H1"}).json()["results"]
        == []
    )


def test_targets_and_reported_values_through_the_services(make_user):
    analyst = api(make_user("province_analyst"))
    created = analyst.post(
        "/api/v1/targets/",
        {"indicator_code": "jobs_created", "unit_code": "31", "year": 2026, "value": "15000"},
        format="json",
    )
    assert created.status_code == 201 and Target.objects.get().value == 15000
    refused = analyst.post(
        "/api/v1/targets/",
        {"indicator_code": "unemployment_rate", "unit_code": "31", "year": 2026, "value": "150"},
        format="json",
    )
    assert refused.status_code == 400 and "value" in refused.json()
    entered = analyst.post(
        "/api/v1/data-values/",
        {"indicator_code": "jobs_created", "unit_code": "31", "period_code": "2026-H1", "value": "7245"},
        format="json",
    )
    assert entered.status_code == 201 and entered.json()["status"] == "entered"
    assert DataValue.objects.get().value == 7245
    officer = api(make_user("commune_officer", commune_code="10546"))
    assert (
        officer.post(
            "/api/v1/targets/",
            {"indicator_code": "jobs_created", "unit_code": "31", "year": 2026, "value": "1"},
            format="json",
        ).status_code
        == 400
    )
    # A commune officer reads the province's figures beside their own commune's, and no other commune's.
    analyst.post(
        "/api/v1/data-values/",
        {"indicator_code": "jobs_created", "unit_code": "10529", "period_code": "2026-H1", "value": "12"},
        format="json",
    )
    assert {row["unit_code"] for row in officer.get("/api/v1/data-values/").json()["results"]} == {"31"}
