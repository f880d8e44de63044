import datetime

import pytest
from django.core.exceptions import ValidationError

from nhanluc.employers.rules import (
    check_report_totals,
    check_vacancy,
    compare_with_declared,
    normalise_tax_code,
    size_band_for,
    tax_code_check_digit,
)

TODAY = datetime.date(2026, 11, 22)


@pytest.mark.parametrize("code", ["0100109106", "0301442379", "0301448243", "0309532909"])
def test_real_tax_codes_pass_the_check_digit(code):
    assert tax_code_check_digit(code[:9]) == int(code[9])
    assert normalise_tax_code(code) == code


def test_tax_code_is_normalised():
    assert normalise_tax_code(" 0100 109 106 ") == "0100109106"
    assert normalise_tax_code("0100109106-001") == "0100109106-001"
    assert normalise_tax_code("0100109106001") == "0100109106-001"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("0100109107", "tax_code_check_digit"),
        ("0100109160", "tax_code_check_digit"),
        ("010010910", "tax_code_format"),
        ("01001091O6", "tax_code_format"),
        ("", "tax_code_format"),
        ("0100109106-000", "tax_code_branch"),
    ],
)
def test_wrong_tax_codes_are_refused_with_a_reason(code, error):
    with pytest.raises(ValidationError) as raised:
        normalise_tax_code(code)
    assert raised.value.code == error
    assert "mã số thuế" in raised.value.messages[0].lower()


def test_size_band():
    assert size_band_for(0) == "1"
    assert size_band_for(10) == "2"
    assert size_band_for(500) == "5"
    assert size_band_for(501) == "6"
    assert size_band_for(20_000) == "9"


def totals(**changes):
    values = {
        "headcount": 10,
        "female": 4,
        "over_35": 3,
        "compulsory_insurance": 9,
        "managers": 1,
        "high_technical": 2,
        "mid_technical": 3,
        "other_positions": 4,
        "indefinite_contracts": 5,
        "fixed_term_contracts": 4,
        "other_contracts": 1,
        "hires": 2,
        "separations": 1,
        "start_headcount": 9,
    }
    return values | changes


def test_consistent_totals_pass():
    check_report_totals(totals())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"female": 11}, "female"),
        ({"female": -1}, "female"),
        ({"managers": 2}, "managers"),
        ({"other_contracts": 0}, "indefinite_contracts"),
        ({"hires": 5}, "hires"),
        ({"over_35": None}, "over_35"),
    ],
)
def test_inconsistent_totals_are_refused_on_their_field(changes, field):
    with pytest.raises(ValidationError) as raised:
        check_report_totals(totals(**changes))
    assert field in raised.value.message_dict


def test_list_contradicting_the_aggregate_form():
    computed = totals()
    compare_with_declared(computed, {"headcount": 10, "female": None})
    with pytest.raises(ValidationError) as raised:
        compare_with_declared(computed, {"headcount": 12})
    assert "Mẫu 02 ghi 12 nhưng danh sách từng người cho 10" in raised.value.message_dict["headcount"][0]


def vacancy(**changes):
    values = {
        "quantity": 5,
        "female_quantity": 2,
        "age_min": 18,
        "age_max": 35,
        "wage_min": 8_000_000,
        "wage_max": 12_000_000,
        "deadline": TODAY + datetime.timedelta(days=30),
        "today": TODAY,
        "for_publication": True,
    }
    return values | changes


def test_a_good_vacancy_passes():
    check_vacancy(**vacancy())


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"wage_min": 15_000_000}, "wage_max", "Khoảng lương bị đảo ngược: từ 15.000.000 đến 12.000.000"),
        ({"deadline": TODAY - datetime.timedelta(days=1)}, "deadline", "Hạn nộp hồ sơ 21/11/2026 đã qua"),
        ({"female_quantity": 6}, "female_quantity", "lớn hơn số lượng cần tuyển"),
        ({"quantity": 0}, "quantity", "từ 1 trở lên"),
        ({"age_min": 40}, "age_max", "Độ tuổi bị đảo ngược"),
        ({"age_min": 14}, "age_min", "dưới 15 tuổi"),
    ],
)
def test_bad_vacancies_are_refused_with_a_vietnamese_message(changes, field, words):
    with pytest.raises(ValidationError) as raised:
        check_vacancy(**vacancy(**changes))
    assert words in raised.value.message_dict[field][0]


def test_a_draft_may_keep_a_past_deadline():
    check_vacancy(**vacancy(deadline=TODAY - datetime.timedelta(days=1), for_publication=False))
