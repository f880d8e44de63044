import pytest
from django.core.management import CommandError, call_command

from nhanluc.indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


def test_refresh_command_computes_each_period_and_refuses_a_wrong_one(capsys):
    call_command("refresh_indicators", "--period", "2026-H1", "--period", "2025")
    assert set(IndicatorValue.objects.values_list("period_code", flat=True)) == {"2026-H1", "2025"}
    assert "2026-H1:" in capsys.readouterr().out
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("refresh_indicators", "--period", "2026-H3")


def test_demo_indicators_give_earlier_years_to_compare_with(make_user, settings):
    from nhanluc.indicators.periods import parse_period
    from nhanluc.indicators.results import ProgressQuery

    settings.DEMO = True
    make_user("province_analyst", username="phantich")
    call_command("create_demo_indicators")
    result = ProgressQuery("31", parse_period("2025"), indicator_codes=("jobs_created",)).run()[0]
    assert 2700 < result.value < 3100 and result.last_year is not None
    from nhanluc.indicators.models import DataValue

    count = DataValue.objects.count()
    assert count == 3 * 12 * 5 + 3 and not DataValue.objects.filter(status="entered").exists()
    call_command("create_demo_indicators")  # a second run adds nothing
    assert DataValue.objects.count() == count
