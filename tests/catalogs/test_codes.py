import pytest

from nhanluc.catalogs.choices import PERSON_CODE_LISTS, ActivityStatus, Ethnicity, Qualification
from nhanluc.catalogs.services import UnknownCode, resolve_code


def test_code_or_label_with_or_without_diacritics():
    assert resolve_code(ActivityStatus, "1") == "1"
    assert resolve_code(ActivityStatus, 2) == "2"
    assert resolve_code(ActivityStatus, "3.0") == "3"
    assert resolve_code(ActivityStatus, "Có việc làm") == "1"
    assert resolve_code(ActivityStatus, "that nghiep") == "2"
    assert resolve_code(Ethnicity, "1") == "01"
    assert resolve_code(Ethnicity, "Kinh") == "01"


def test_unknown_code_lists_what_it_was_checked_against():
    with pytest.raises(UnknownCode) as error:
        resolve_code(Qualification, "9", "Trình độ CMKT")
    message = str(error.value)
    assert "Trình độ CMKT" in message and "'9'" in message
    assert "1 = Chưa qua đào tạo" in message and "8 = Trên đại học" in message


def test_the_code_lists_of_the_person_record():
    assert len(Ethnicity.values) == 54 == len(set(Ethnicity.values))
    assert Ethnicity.values == [f"{n:02d}" for n in range(1, 55)]
    assert len(Qualification.values) == 8
    keys = {key for key, _title, _choices in PERSON_CODE_LISTS}
    assert {
        "general_education",
        "qualification",
        "activity_status",
        "employment_status",
        "workplace_type",
        "contract_type",
        "unemployment_type",
        "unemployment_duration",
        "inactive_reason",
        "priority_group",
        "relation_to_head",
        "ethnicity",
        "social_insurance_type",
    } <= keys


def test_labels_resolve_in_vietnamese_whatever_the_ui_language():
    from django.utils import translation

    with translation.override("en"):
        assert resolve_code(ActivityStatus, "Có việc làm") == "1"
        assert resolve_code(ActivityStatus, "that nghiep") == "2"
    with pytest.raises(UnknownCode):
        resolve_code(ActivityStatus, "²")
