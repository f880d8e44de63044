"""The synthetic province: calibrated, reproducible, and importable through the real import."""

import polars as pl
import pytest

from nhanluc.catalogs.choices import VSIC_VERSION
from nhanluc.catalogs.models import Industry
from nhanluc.registry.generate import (
    generate_population,
    inject_errors,
    section_shares,
    store_population,
    write_workbooks,
)
from nhanluc.registry.imports import ImportRefused, get_or_create_round, import_survey_file
from nhanluc.registry.models import LaborSituation, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2026():
    return get_or_create_round(code="2026", province_code="31")


def test_generated_population_matches_the_published_rates(round_2026):
    frame = generate_population(
        province_code="31", people=20000, seed=7, reference_date=round_2026.reference_date
    )
    assert frame["cccd"].n_unique() == 20000
    assert frame["commune_code"].n_unique() == 114
    active = frame.filter(pl.col("activity_status").is_in(["1", "2"]))
    participation = active.height / frame.height
    unemployment = (active["activity_status"] == "2").mean()
    trained = active["qualification"].is_in(["4", "5", "6", "7", "8"]).mean()
    insured = active["social_insurance_type"].is_in(["1", "2"]).mean()
    assert 0.66 <= participation <= 0.73
    assert 0.015 <= unemployment <= 0.03
    assert 0.23 <= trained <= 0.31
    assert 0.37 <= insured <= 0.47
    # Sector mix of the employed: GSO's structure by kind of economic activity (latest year in the data).
    shares = section_shares()
    employed = frame.filter(pl.col("activity_status") == "1")
    assert employed["industry_code"].null_count() == 0
    assert (
        frame.filter(pl.col("activity_status") != "1")["industry_code"].null_count()
        == frame.height - employed.height
    )
    sector = employed["industry_code"].str.slice(0, 2)
    agriculture = (sector < "04").mean()
    industry = ((sector >= "05") & (sector < "44")).mean()
    assert abs(agriculture - shares["A"]) < 0.02
    assert abs(industry - sum(shares[code] for code in "BCDEF")) < 0.02
    assert (
        employed["industry_code"]
        .is_in(list(Industry.objects.filter(version=VSIC_VERSION, level="4").values_list("code", flat=True)))
        .all()
    )
    again = generate_population(
        province_code="31", people=200, seed=7, reference_date=round_2026.reference_date
    )
    assert (
        again["cccd"].to_list()
        == generate_population(
            province_code="31", people=200, seed=7, reference_date=round_2026.reference_date
        )["cccd"].to_list()
    )


def test_a_tiny_population_without_anyone_employed_is_generated(round_2026):
    for seed in (0, 5):  # one person, not employed
        frame = generate_population(
            province_code="31", people=1, seed=seed, reference_date=round_2026.reference_date
        )
        assert frame.height == 1


def test_store_population_writes_people_and_open_situations(round_2026):
    frame = generate_population(
        province_code="31", people=500, seed=8, reference_date=round_2026.reference_date
    )
    counts = store_population(frame, survey_round=round_2026)
    assert counts["people"] == Person.objects.count() == 500
    assert LaborSituation.objects.current().count() == 500
    employed = LaborSituation.objects.current().employed()
    assert employed.count() and not employed.filter(industry_code="").exists()
    assert (
        not LaborSituation.objects.current().exclude(activity_status="1").exclude(industry_code="").exists()
    )


def test_generated_workbooks_pass_the_import_and_injected_errors_are_caught(tmp_path, round_2026):
    frame = generate_population(
        province_code="31", people=400, seed=9, reference_date=round_2026.reference_date
    )
    clean = write_workbooks(
        frame.filter(pl.col("commune_code") == "10546"),
        tmp_path / "clean",
        province_name="Thành phố Hải Phòng",
        round_code="2026",
    )
    batch = import_survey_file(path=clean[0], survey_round=round_2026)
    assert batch.summary["rows_with_errors"] == 0 and batch.summary["people_created"] == batch.summary["rows"]
    spoiled = inject_errors(frame, rate=0.5, seed=9).filter(pl.col("commune_code") == "10549")
    [path] = write_workbooks(
        spoiled, tmp_path / "spoiled", province_name="Thành phố Hải Phòng", round_code="2026"
    )
    with pytest.raises(ImportRefused) as refused:
        import_survey_file(path=path, survey_round=round_2026)
    assert refused.value.batch.summary["rows_with_errors"] > 0
