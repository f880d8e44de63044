"""Targets and reported figures: validation, the approval lock, audit, and progress against plan."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nhanluc.core.models import AuditEvent
from nhanluc.indicators import services
from nhanluc.indicators.choices import DataValueStatus
from nhanluc.indicators.models import DataValue, Target
from nhanluc.indicators.periods import parse_period
from nhanluc.indicators.results import ProgressQuery

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user("province_analyst")


def _messages(error: ValidationError) -> dict:
    return error.value.message_dict


def test_targets_are_set_with_their_parts_and_audited(analyst):
    target = services.set_target(
        indicator_code="jobs_created", unit_code="31", year=2026, value="30000", actor=analyst
    )
    services.set_target(
        indicator_code="jobs_created",
        unit_code="31",
        year=2026,
        value="1200",
        breakdown="part:overseas",
        actor=analyst,
    )
    services.set_target(
        indicator_code="jobs_created", unit_code="31", year=2026, value="31000", actor=analyst
    )
    target.refresh_from_db()
    assert target.value == Decimal("31000")
    assert Target.objects.count() == 2
    changes = list(
        AuditEvent.objects.filter(object_type="indicators.target").values_list("changes", flat=True)
    )
    assert {"value": ["30000.00", "31000"]} in changes


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"indicator_code": "viec_lam"}, "indicator_code", "không có trong danh mục"),
        ({"unit_code": "01"}, "unit_code", "không phải tỉnh hoặc xã"),
        ({"unit_code": "00004"}, "unit_code", "không phải tỉnh hoặc xã"),
        ({"value": "-5"}, "value", "không được âm"),
        ({"value": "mười"}, "value", "không phải là số"),
        ({"indicator_code": "unemployment_rate", "value": "101"}, "value", "không được lớn hơn 100%"),
        ({"breakdown": "part:robots"}, "breakdown", "không có phân tổ"),
    ],
)
def test_bad_targets_are_refused_on_their_field(analyst, fields, field, message):
    values = {"indicator_code": "jobs_created", "unit_code": "31", "year": 2026, "value": "100"} | fields
    with pytest.raises(ValidationError) as error:
        services.set_target(**values, actor=analyst)
    assert message in " ".join(_messages(error)[field])
    assert not Target.objects.exists()


def test_only_planners_set_targets(make_user):
    with pytest.raises(ValidationError):
        services.set_target(
            indicator_code="jobs_created",
            unit_code="31",
            year=2026,
            value=1,
            actor=make_user("commune_officer"),
        )


def test_reported_values_lock_once_approved(analyst):
    value = services.save_data_value(
        indicator_code="jobs_created", unit_code="31", period_code="2026-H1", value="7245", actor=analyst
    )
    assert value.status == DataValueStatus.ENTERED
    services.approve_data_values(data_values=[value], actor=analyst)
    with pytest.raises(ValidationError) as error:
        services.save_data_value(
            indicator_code="jobs_created", unit_code="31", period_code="2026-H1", value="7300", actor=analyst
        )
    assert "đã được duyệt và khóa" in " ".join(error.value.messages)
    assert DataValue.objects.get().value == Decimal("7245")


def test_reported_values_refuse_computed_indicators_parts_above_total_and_other_communes(analyst, make_user):
    with pytest.raises(ValidationError) as error:
        services.save_data_value(
            indicator_code="employed", unit_code="31", period_code="2026-H1", value="5", actor=analyst
        )
    assert "tính tự động" in " ".join(_messages(error)["indicator_code"])
    services.save_data_value(
        indicator_code="jobs_created", unit_code="31", period_code="2026-H1", value="100", actor=analyst
    )
    with pytest.raises(ValidationError) as error:
        services.save_data_value(
            indicator_code="jobs_created",
            unit_code="31",
            period_code="2026-H1",
            breakdown="part:female",
            value="120",
            actor=analyst,
        )
    assert "lớn hơn tổng số" in " ".join(_messages(error)["value"])
    officer = make_user("commune_officer", commune_code="10546")
    services.save_data_value(
        indicator_code="jobs_created", unit_code="10546", period_code="2026-H1", value="12", actor=officer
    )
    with pytest.raises(ValidationError):
        services.save_data_value(
            indicator_code="jobs_created", unit_code="10529", period_code="2026-H1", value="12", actor=officer
        )
    with pytest.raises(ValidationError) as error:
        services.save_data_value(
            indicator_code="poverty_rate", unit_code="31", period_code="2030", value="3", actor=analyst
        )
    assert "chưa bắt đầu" in " ".join(_messages(error)["period_code"])


def _approved(analyst, period, value, unit="31", code="jobs_created", breakdown=""):
    data_value = services.save_data_value(
        indicator_code=code,
        unit_code=unit,
        period_code=period,
        value=value,
        breakdown=breakdown,
        actor=analyst,
    )
    services.approve_data_values(data_values=[data_value], actor=analyst)


def test_progress_of_a_flow_against_plan_last_year_and_estimate(analyst):
    services.set_target(
        indicator_code="jobs_created", unit_code="31", year=2026, value="15000", actor=analyst
    )
    # 2026 reported by quarter, 2025 by half-year and year: the sums are made from what exists.
    _approved(analyst, "2026-Q1", "3000")
    _approved(analyst, "2026-Q2", "4245")
    _approved(analyst, "2025-H1", "7000")
    _approved(analyst, "2025", "16000")
    entered_only = services.save_data_value(
        indicator_code="jobs_created", unit_code="31", period_code="2024-H1", value="1", actor=analyst
    )
    assert entered_only.status == DataValueStatus.ENTERED  # not approved: does not count
    result = ProgressQuery("31", parse_period("2026-H1"), indicator_codes=("jobs_created",)).run()[0]
    assert result.value == Decimal("7245") and result.year_to_date == Decimal("7245")
    assert result.percent_of_plan == Decimal("48.30")  # 7.245 / 15.000
    assert result.last_year == Decimal("7000")
    assert result.percent_of_same_period == Decimal("103.50")
    # 2025 reached 7.000 of 16.000 (43,75%) by June: 7.245 / 0,4375 = 16.560.
    assert result.estimate.method == "seasonal"
    assert result.estimate.value == Decimal("16560.00")
    assert result.estimate_percent_of_plan == Decimal("110.40")
    assert result.meets_plan is True


def test_progress_of_a_reported_rate_in_points(analyst):
    services.set_target(indicator_code="poverty_rate", unit_code="31", year=2026, value="2.5", actor=analyst)
    _approved(analyst, "2026-H1", "2.24", code="poverty_rate")
    _approved(analyst, "2025-Q2", "3.29", code="poverty_rate")  # the half-year's stock is its last quarter's
    result = ProgressQuery("31", parse_period("2026-H1"), indicator_codes=("poverty_rate",)).run()[0]
    assert result.last_year == Decimal("3.29")
    assert result.change_in_points == Decimal("-1.05")
    assert result.percent_of_same_period is None
    assert result.meets_plan is True  # lower is better
