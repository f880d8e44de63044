"""Computed indicators agree with the register counted directly, commune by commune and in total."""

import datetime

import polars as pl
import pytest
from django.db import connection, transaction

from nhanluc.indicators.measures import percent
from nhanluc.indicators.models import IndicatorValue
from nhanluc.indicators.periods import parse_period
from nhanluc.indicators.register import (
    SupplyCube,
    plan_count_in_memory,
    province_communes,
    retirement_age_months,
    working_age_condition,
)
from nhanluc.indicators.results import ProgressQuery, breakdown_values, commune_values
from nhanluc.indicators.services import ensure_figures, refresh_figures
from nhanluc.registry import services as registry
from nhanluc.registry.choices import PovertyStatus
from nhanluc.registry.generate import generate_population, store_population
from nhanluc.registry.imports import get_or_create_round
from nhanluc.registry.models import Household, LaborSituation
from tests.registry.helpers import EMPLOYED, person

pytestmark = pytest.mark.django_db

H1 = parse_period("2026-H1")  # its stock date, 01/07/2026, is the 2026 round's reference date


@pytest.fixture
def population():
    survey_round = get_or_create_round(code="2026", province_code="31")
    frame = generate_population(
        province_code="31", people=3000, seed=11, reference_date=survey_round.reference_date
    )
    store_population(frame, survey_round=survey_round)
    return frame


def _cached(code, unit, breakdown="", period=H1):
    return IndicatorValue.objects.get(
        indicator_code=code, unit_code=unit, breakdown=breakdown, period_code=period.code
    )


def test_register_figures_agree_with_direct_counts(population):
    refresh_figures(province_code="31", period=H1)
    day = H1.stock_date
    in_force = LaborSituation.objects.as_of(day).filter(province_code="31")
    employed = in_force.employed().count()
    unemployed = in_force.unemployed().count()
    assert employed + unemployed + in_force.inactive().count() == 3000
    assert _cached("population_15", "31").value == 3000
    assert _cached("employed", "31").value == employed
    assert _cached("unemployed", "31").value == unemployed
    rate = _cached("unemployment_rate", "31")
    assert (rate.numerator, rate.denominator) == (unemployed, employed + unemployed)
    assert rate.value == percent(unemployed, employed + unemployed)
    # Every commune adds up to the province, also for the breakdowns.
    by_commune = commune_values(province_code="31", period=H1, indicator=_indicator("employed"))
    assert sum(by_commune.values()) == employed
    assert len(by_commune) == 114  # every commune, also those with nobody generated
    one = "10546"
    assert by_commune[one] == in_force.employed().filter(commune_code=one).count()
    women = breakdown_values(province_code="31", period=H1, indicator=_indicator("employed"), unit_code="31")
    assert women["sex:2"] == in_force.employed().filter(person__sex="2").count()
    assert (
        sum(women[f"qualification:{code}"] for code in "12345678" if f"qualification:{code}" in women)
        == employed
    )
    trained = population.filter(
        pl.col("activity_status").is_in(["1", "2"]) & pl.col("qualification").is_in(list("45678"))
    ).height
    assert _cached("trained_certificate_rate", "31").numerator == trained
    # Working age is counted, not grouped by: the rates over it agree with the register.
    working_age = in_force.filter(working_age_condition(day))
    rate = _cached("unemployment_rate_working_age", "31")
    assert (rate.numerator, rate.denominator) == (
        working_age.unemployed().count(),
        working_age.exclude(activity_status="3").count(),
    )
    insured = _cached("social_insurance_rate", "31")
    assert (
        insured.numerator
        == working_age.exclude(activity_status="3").filter(social_insurance_type__in=["1", "2"]).count()
    )
    # The generated employed have industries: employed by sector, from the VSIC divisions.
    sectors = breakdown_values(
        province_code="31", period=H1, indicator=_indicator("employed"), unit_code="31"
    )
    employed_in = in_force.employed()
    assert sectors["sector:agriculture"] == employed_in.filter(industry_code__lt="04").count() > 0
    assert (
        sectors["sector:industry"]
        == employed_in.filter(industry_code__gte="04", industry_code__lt="44").count()
    )
    assert sectors["sector:services"] == employed_in.filter(industry_code__gte="44").count() > 0
    assert sectors.get("sector:unknown", 0) == 0
    # Every attribute packed into the cube's key comes back out as it was recorded.
    for code, dimension in (("employed", "workplace"), ("employed", "employment_status")):
        split = breakdown_values(province_code="31", period=H1, indicator=_indicator(code), unit_code="31")
        field = {"workplace": "workplace_location"}.get(dimension, dimension)
        for value in employed_in.values_list(field, flat=True).distinct():
            expected = employed_in.filter(**{field: value}).count()
            assert split.get(f"{dimension}:{value}", 0) == (expected if value else 0)
    durations = breakdown_values(
        province_code="31", period=H1, indicator=_indicator("unemployed"), unit_code="31"
    )
    assert (
        sum(durations[f"duration:{code}"] for code in "123" if f"duration:{code}" in durations) == unemployed
    )
    reasons = breakdown_values(
        province_code="31", period=H1, indicator=_indicator("inactive"), unit_code="31"
    )
    assert reasons["reason:1"] == in_force.inactive().filter(inactive_reason="1").count() > 0
    bhtn = _cached("unemployment_insurance_rate", "31")
    assert (
        bhtn.numerator == working_age.exclude(activity_status="3").filter(unemployment_insurance=True).count()
    )


def _poor_households_with_worker():
    """By commune, counted directly: poor and near-poor households with an employed member of working age."""
    day = H1.stock_date
    working = set(
        LaborSituation.objects.as_of(day)
        .employed()
        .filter(working_age_condition(day))
        .values_list("person__household_id", flat=True)
    )
    counts = {}
    for household_id, commune in Household.objects.filter(
        province_code="31", poverty_status__in=[PovertyStatus.POOR, PovertyStatus.NEAR_POOR]
    ).values_list("id", "commune_code"):
        if household_id in working:
            counts[commune] = counts.get(commune, 0) + 1
    return counts


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("in_transaction", [False, True], ids=["own-connection", "in-transaction"])
def test_households_are_counted_in_a_second_connection_or_in_the_transaction(
    reference_data, population, in_transaction
):
    # Outside a transaction the households are counted in a worker thread's own connection while
    # two others count the people; inside one, in the same connection (others would not see its writes).
    expected = _poor_households_with_worker()
    assert sum(expected.values()) > 10
    if in_transaction:
        with transaction.atomic():
            refresh_figures(province_code="31", period=H1)
    else:
        refresh_figures(province_code="31", period=H1)
    by_commune = commune_values(
        province_code="31", period=H1, indicator=_indicator("poor_households_with_worker")
    )
    assert {code: value for code, value in by_commune.items() if value} == expected
    assert _cached("poor_households_with_worker", "31").value == sum(expected.values())
    assert _cached("employed", "31").value == LaborSituation.objects.as_of(H1.stock_date).employed().count()


@pytest.mark.django_db(transaction=True)
def test_the_people_counted_in_two_connections_give_the_figures_of_one_count(reference_data, population):
    parts = SupplyCube("31", H1.stock_date).parts(2)
    communes = [code for part in parts for code in part.communes]
    assert len(parts) == 2 and sorted(communes) == province_communes("31")

    def stored():
        return set(
            IndicatorValue.objects.filter(period_code=H1.code).values_list(
                "indicator_code", "breakdown", "unit_code", "numerator", "denominator", "value"
            )
        )

    refresh_figures(province_code="31", period=H1)  # split between connections
    split = stored()
    with transaction.atomic():
        refresh_figures(province_code="31", period=H1)  # one count in this connection
    assert stored() == split
    assert len(split) > 5000


def test_working_age_follows_the_retirement_schedule(make_user):
    assert retirement_age_months(2021, "1") == 60 * 12 + 3
    assert retirement_age_months(2026, "1") == 61 * 12 + 6
    assert retirement_age_months(2026, "2") == 57 * 12
    assert retirement_age_months(2040, "2") == 60 * 12
    officer = make_user("commune_officer", commune_code="10546")
    july = datetime.date(2026, 7, 1)
    # A woman of 58 still works but is past the retirement age (57 in 2026): in the labour force,
    # outside the working-age rate.
    registry.register_person(
        data=person(EMPLOYED, commune_code="10546", sex="2", birth_date="01/01/1968", cccd="030168001234"),
        actor=officer,
        valid_from=july,
    )
    registry.register_person(
        data=person(
            EMPLOYED,
            commune_code="10546",
            household_number="3",
            sex="1",
            birth_date="01/01/1968",
            cccd="030068001235",
        ),
        actor=officer,
        valid_from=july,
    )
    refresh_figures(province_code="31", period=H1)
    assert _cached("labour_force", "10546").value == 2
    insurance = _cached("social_insurance_rate", "10546")
    assert (insurance.numerator, insurance.denominator) == (1, 1)


def test_a_register_change_recomputes_only_the_communes_it_touched(
    population, make_user, django_capture_on_commit_callbacks
):
    refresh_figures(province_code="31", period=H1)
    before = _cached("employed", "31").value
    elsewhere = next(code for code in population["commune_code"].unique().sort() if code != "10546")
    untouched = _cached("employed", elsewhere).computed_at
    assert ensure_figures(province_code="31", period=H1) == 0  # all current: nothing recomputed
    officer = make_user("commune_officer", commune_code="10546")
    # The change is noted when the write commits.
    with django_capture_on_commit_callbacks(execute=True):
        registry.register_person(
            data=person(EMPLOYED, commune_code="10546", cccd="030085009999"),
            actor=officer,
            valid_from=datetime.date(2026, 7, 1),
        )
    assert ensure_figures(province_code="31", period=H1) > 0
    assert _cached("employed", "31").value == before + 1
    assert _cached("employed", elsewhere).computed_at == untouched
    assert ensure_figures(province_code="31", period=H1) == 0


def test_a_period_without_register_data_says_so(population):
    result = {item.indicator.code: item for item in ProgressQuery("31", parse_period("2025-H1")).run()}
    assert result["employed"].value is None and not result["employed"].has_data
    assert result["unemployment_rate"].value is None
    # A period that has not begun has no figures, not today's state of the register.
    future = {item.indicator.code: item for item in ProgressQuery("31", parse_period("2090-H1")).run()}
    assert future["employed"].value is None and future["open_vacancies"].value is None
    this_year = {item.indicator.code: item for item in ProgressQuery("31", H1).run()}
    assert this_year["employed"].has_data and this_year["employed"].last_year is None


def _indicator(code):
    from nhanluc.indicators.catalogue import BY_CODE

    return BY_CODE[code]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the wider point-in-time index is SQLite's")
def test_sqlite_counts_the_province_from_one_index_without_a_sort(population):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_laborsituation")
        sql, params = SupplyCube("31", H1.stock_date)._rows().query.sql_with_params()
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    # Migration 0009 widened the index: a rebuild of the table from Django's state narrows it again.
    assert "COVERING INDEX registry_situation_asof" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's covering index")
def test_postgresql_counts_part_of_the_province_from_the_index_alone_in_memory(population):
    part = SupplyCube("31", H1.stock_date).parts(2)[0]
    sql, params = part._rows().query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_laborsituation")
        # The test's 3.000 people fit in a few pages, which the planner would rather read whole; the
        # index must still hold every column the count reads (migration 0010).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan_count_in_memory(cursor)
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using registry_situation_asof" in plan, plan
    assert "HashAggregate" in plan and "Gather" not in plan and "Sort" not in plan, plan


def test_open_vacancies_at_a_periods_end_count_those_filled_or_expired_since():
    from nhanluc.employers.choices import VacancySource, VacancyStatus
    from nhanluc.employers.models import Vacancy
    from nhanluc.indicators.register import DemandFigures

    day = datetime.date
    # (status, posted, deadline, filled on, positions): the positions tell which ones were counted.
    for status, posted, deadline, filled_on, quantity in (
        (VacancyStatus.PUBLISHED, day(2026, 5, 1), day(2026, 8, 31), None, 1),  # open
        (VacancyStatus.FILLED, day(2026, 5, 1), None, day(2026, 7, 15), 2),  # filled after the end: open
        (VacancyStatus.FILLED, day(2026, 5, 1), None, day(2026, 6, 10), 4),  # filled before the end
        (VacancyStatus.EXPIRED, day(2026, 4, 1), day(2026, 7, 31), None, 8),  # expired after the end: open
        (VacancyStatus.EXPIRED, day(2026, 4, 1), day(2026, 6, 15), None, 16),  # expired before the end
        (VacancyStatus.DRAFT, day(2026, 5, 1), None, None, 32),  # never published
        (VacancyStatus.PUBLISHED, day(2026, 7, 5), None, None, 64),  # posted after the end
    ):
        Vacancy.objects.create(
            title="Thợ hàn",
            occupation_code="72121",
            quantity=quantity,
            province_code="31",
            commune_code="10546",
            posted_on=posted,
            deadline=deadline,
            filled_on=filled_on,
            status=status,
            source=VacancySource.STAFF,
        )
    figures = DemandFigures("31", day(2026, 6, 30), None).run()
    found = {(f.indicator_code, f.breakdown, f.unit_code): f.numerator for f in figures}
    assert found[("open_vacancies", "", "31")] == 3
    assert found[("recruitment_demand", "", "31")] == 1 + 2 + 8
    assert found[("recruitment_demand", "occupation_group:7", "10546")] == 11
