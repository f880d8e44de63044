import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from nhanluc.core.formatting import format_date, format_number, format_percent, round_half_up


def test_vietnamese_number_percent_and_date():
    with translation.override("vi"):
        assert format_number(9262) == "9.262"
        assert format_number(4664124) == "4.664.124"
        assert format_number(-1234.5, 1) == "-1.234,5"
        assert format_percent(46.314) == "46,31%"
        assert format_percent(103.445) == "103,45%"  # half-up, as reports round
        assert format_date(datetime.date(2026, 11, 22)) == "22/11/2026"


def test_english_separators():
    with translation.override("en"):
        assert format_number(9262) == "9,262"
        assert format_percent(46.314) == "46.31%"


def test_half_up_rounding_not_bankers():
    assert round_half_up(2.345, 2) == Decimal("2.35")
    assert round_half_up(0.5) == Decimal("1")
    assert round_half_up(2.5) == Decimal("3")


def test_template_filters():
    template = Template("{% load formatting %}{{ n|number }} · {{ p|percent }} · {{ d|day }}")
    with translation.override("vi"):
        rendered = template.render(Context({"n": 9262, "p": 46.31, "d": datetime.date(2026, 11, 22)}))
    assert rendered == "9.262 · 46,31% · 22/11/2026"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_round_trip(value):
    text = format_number(value, language="vi")
    assert int(text.replace(".", "")) == value


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_decimals_round_trip_to_two_places(value):
    text = format_number(value, 2, language="vi")
    assert Decimal(text.replace(".", "").replace(",", ".")) == round_half_up(value, 2)


def test_not_a_number_renders_empty():
    assert format_number(float("nan")) == ""
    assert format_percent(float("inf")) == ""
