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
