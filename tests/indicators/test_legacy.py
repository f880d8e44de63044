"""Figures recast to the units before 01/07/2025: complete where the conversion table allows, and the
communes formed across a legacy border named and counted whole, never dropped."""

import pytest
from django.urls import reverse

from nhanluc.geo.models import UnitSuccession
from nhanluc.indicators.catalogue import BY_CODE
from nhanluc.indicators.legacy import legacy_figures
from nhanluc.indicators.periods import parse_period
from nhanluc.indicators.results import commune_values
from nhanluc.registry.generate import generate_population, store_population
from nhanluc.registry.imports import get_or_create_round

pytestmark = pytest.mark.django_db
H1 = parse_period("2026-H1")


@pytest.fixture
def population():
    survey_round = get_or_create_round(code="2026", province_code="31")
    frame = generate_population(
        province_code="31", people=1500, seed=12, reference_date=survey_round.reference_date
    )
    store_population(frame, survey_round=survey_round)


def test_legacy_provinces_add_up_to_the_province(population):
    employed = BY_CODE["employed"]
    by_commune = commune_values(province_code="31", period=H1, indicator=employed)
    provinces = legacy_figures(province_code="31", period=H1, indicator=employed, level="province")
    # Hải Phòng and Hải Dương before the merger (and any commune the table does not place): no commune
    # straddles the old provincial border, so the parts add up exactly.
    assert {figure.name for figure in provinces} >= {"Thành phố Hải Phòng", "Tỉnh Hải Dương"}
    assert not any(figure.partial for figure in provinces)
    assert sum(figure.numerator for figure in provinces) == sum(by_commune.values())


def test_legacy_districts_name_the_communes_formed_across_their_borders(population):
    employed = BY_CODE["employed"]
    by_commune = commune_values(province_code="31", period=H1, indicator=employed)
    districts = legacy_figures(province_code="31", period=H1, indicator=employed)
    straddling = {name for figure in districts for name in figure.partial_communes}
    assert straddling, "the 2025 reform formed communes from several districts"
    for figure in districts:
        if not figure.partial and figure.code:
            codes = set(
                UnitSuccession.objects.filter(
                    old__parent__code=figure.code, old__level="commune"
                ).values_list("new__code", flat=True)
            )
            assert figure.numerator == sum(int(by_commune.get(code, 0)) for code in codes)
    # Counted whole in each district they came from: the district sum exceeds the province's by them.
    assert sum(figure.numerator for figure in districts) >= sum(by_commune.values())


def test_indicator_page_shows_the_legacy_table(client, make_user, population):
    client.force_login(make_user("province_analyst"))
    response = client.get(
        reverse("indicators:indicator", args=["unemployment_rate"]),
        {"period": "2026-H1", "legacy": "province"},
    )
    assert response.status_code == 200
    assert "Tỉnh Hải Dương" in response.content.decode()
