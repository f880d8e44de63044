"""Rows as a commune officer writes them, for the registry tests."""

import datetime

EMPLOYED = dict(
    household_number="1",
    full_name="Nguyễn Văn An",
    birth_date="12/03/1985",
    sex="1",
    cccd="030085001234",
    phone="0912 345 678",
    permanent_address="Xã Cổ Thành, Thành phố Chí Linh, Tỉnh Hải Dương",
    priority_groups="1,4",
    ethnicity="Kinh",
    general_education="4",
    qualification="Trung cấp",
    activity_status="1",
    employment_status="4",
    job_title="Thợ hàn",
    social_insurance_type="1",
    unemployment_insurance="x",
    contract_type="1",
    workplace_name="Công ty TNHH Cơ khí Chí Linh",
    workplace_type="5",
    workplace_address="Phường Chí Linh, Thành phố Hải Phòng",
    relation_to_head="1",
)
UNEMPLOYED = dict(
    full_name="Trần Thị Bình",
    birth_date="1990-05-01",
    sex="2",
    cccd="031190004567",
    general_education="4",
    qualification="1",
    activity_status="2",
    unemployment_type="1",
    unemployment_duration="2",
    relation_to_head="2",
)
INACTIVE = dict(
    household_number="2",
    full_name="Lê Thị Cúc",
    birth_date="02/09/1950",
    sex="2",
    cccd="030150000077",
    general_education="2",
    qualification="1",
    activity_status="3",
    inactive_reason="2",
    relation_to_head="1",
)
PEOPLE = [EMPLOYED, UNEMPLOYED, INACTIVE]
ROUND_DATE = datetime.date(2026, 7, 1)


def person(base: dict, **changes) -> dict:
    row = dict(base)
    row.update(changes)
    return {key: value for key, value in row.items() if value is not None}


def assert_profiles_stored() -> int:
    """Every situation's stored profile is what the database computes from its columns; how many."""
    import importlib

    from django.db.models import F

    from nhanluc.registry.models import LaborSituation

    migration = importlib.import_module("nhanluc.registry.migrations.0009_situation_profile_key")
    situations = LaborSituation.objects.annotate(expected=migration.profile_expression())
    wrong = list(
        situations.exclude(profile_key=F("expected")).values_list("id", "profile_key", "expected")[:5]
    )
    assert not wrong, wrong
    return situations.count()
