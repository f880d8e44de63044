"""A situation's profile: the frame writer, the one-situation writer and the database agree."""

import datetime
import itertools
from types import SimpleNamespace

import polars as pl
import pytest

from nhanluc.registry import services
from nhanluc.registry.generate import generate_population, store_population
from nhanluc.registry.imports import get_or_create_round
from nhanluc.registry.models import LaborSituation
from nhanluc.registry.profiles import PROFILE_CODES, profile_key_column, profile_key_of
from tests.registry.helpers import EMPLOYED, assert_profiles_stored, person

INDUSTRIES = ["", "0111", "0322", "0510", "4390", "4511", "9900"]


def every_code_frame() -> pl.DataFrame:
    """Rows that between them give each code column every one of its codes and "" (and each sector)."""
    columns = {
        column: ["", *(value for value, _label in LaborSituation._meta.get_field(column).choices)]
        for _name, column in PROFILE_CODES
    }
    height = max(len(INDUSTRIES), *(len(codes) for codes in columns.values())) * 2
    rows = {
        column: list(itertools.islice(itertools.cycle(codes), height)) for column, codes in columns.items()
    }
    rows["unemployment_insurance"] = [index % 2 == 0 for index in range(height)]
    rows["industry_code"] = list(itertools.islice(itertools.cycle(INDUSTRIES), height))
    return pl.DataFrame(rows)


def test_the_frame_writer_and_the_one_situation_writer_agree_on_every_code():
    frame = every_code_frame().with_columns(profile_key_column())
    for row in frame.iter_rows(named=True):
        assert row["profile_key"] == profile_key_of(SimpleNamespace(**row)), row


def test_each_attribute_has_its_digit():
    situation = SimpleNamespace(
        activity_status="1",
        sex="2",
        qualification="5",
        employment_status="4",
        social_insurance_type="1",
        workplace_location="3",
        inactive_reason="",
        unemployment_duration="",
        unemployment_insurance=True,
        industry_code="2599",
    )
    assert profile_key_of(situation) == 1_254_130_012


@pytest.mark.django_db
def test_every_writer_stores_the_profile_the_database_computes(make_user):
    survey_round = get_or_create_round(code="2026", province_code="31")
    store_population(
        generate_population(
            province_code="31", people=400, seed=3, reference_date=survey_round.reference_date
        ),
        survey_round=survey_round,
    )
    officer = make_user("commune_officer", commune_code="10546")
    july = datetime.date(2026, 7, 1)
    # An old 9-digit CMND says nothing of the sex, so the sex can be corrected.
    registered = services.register_person(
        data=person(EMPLOYED, commune_code="10546", cccd="031234567"), actor=officer, valid_from=july
    )
    # A corrected sex rewrites the copy on the situation, and its digit in the profile.
    services.update_person(
        person=registered,
        data=person(EMPLOYED, commune_code="10546", sex="2"),
        actor=officer,
        valid_from=july,
    )
    assert registered.situations.get().profile_key // 10**8 % 10 == 2
    assert assert_profiles_stored() == 401
