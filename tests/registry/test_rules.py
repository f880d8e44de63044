"""Every validation rule of a person record, through the one implementation forms and imports share."""

import polars as pl
import pytest

from nhanluc.core.choices import AuditAction
from nhanluc.registry.fields import FIELDS
from nhanluc.registry.imports import rule_context
from nhanluc.registry.phones import normalise_phone
from nhanluc.registry.rules import validate
from tests.registry.helpers import EMPLOYED, INACTIVE, PEOPLE, ROUND_DATE, UNEMPLOYED, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def check():
    context = rule_context(reference_date=ROUND_DATE, province_code="31", commune_code="10546")

    def run(*rows):
        keys = [spec.key for spec in FIELDS]
        frame = pl.DataFrame(
            [{key: row.get(key) for key in keys} for row in rows], schema={k: pl.Utf8 for k in keys}
        )
        return validate(frame, context)

    return run


def problems(result, severity="error"):
    return {
        (p["row"], p["field"], p["category"])
        for p in result.problems.iter_rows(named=True)
        if p["severity"] == severity
    }


def test_good_rows_pass_and_are_cleaned(check):
    result = check(*PEOPLE)
    assert problems(result) == set()
    rows = result.rows.sort("_row").to_dicts()
    employed = rows[0]
    assert employed["phone_e164"] == "+84912345678"
    assert employed["priority_groups"] == "14"
    assert employed["ethnicity"] == "01"
    assert employed["qualification"] == "5"
    assert employed["occupation_code"] == "7212"  # "Thợ hàn" → welders
    assert employed["workplace_location"] == "1"
    assert employed["permanent_commune_code"] == "10546"  # Cổ Thành (Hải Dương) → Phường Chí Linh
    assert employed["age"] == 41


@pytest.mark.parametrize(
    ("cccd", "message_part"),
    [
        (None, "Thiếu số CCCD"),
        ("30085001234", None),  # typed as a number in Excel: the leading zero is restored
        ("12345", "12 chữ số"),
        ("999085001234", "mã tỉnh"),
        ("030185001234", "thứ 4"),  # century/sex digit says a woman
        ("030084001234", "5–6"),  # birth year 84 but born 1985
    ],
)
def test_cccd_structure(check, cccd, message_part):
    result = check(
        person(EMPLOYED, cccd=cccd) if cccd else {k: v for k, v in EMPLOYED.items() if k != "cccd"}
    )
    messages = [p["message_vi"] for p in result.errors.iter_rows(named=True) if p["field"] == "cccd"]
    if message_part is None:
        assert messages == []
        assert result.rows["cccd"][0] == "030085001234"
    else:
        assert any(message_part in message for message in messages), messages
        assert all(p["category"] == "cccd" for p in result.errors.iter_rows(named=True))


def test_nine_digit_cmnd_is_accepted_with_a_warning(check):
    result = check(person(EMPLOYED, cccd="012345678"))
    assert problems(result) == set()
    assert (1, "cccd", "cccd") in problems(result, "warning")


def test_women_born_after_2000_use_digit_3(check):
    assert problems(check(person(UNEMPLOYED, birth_date="01/05/2004", cccd="031304004567"))) == set()
    assert (1, "cccd", "cccd") in problems(
        check(person(UNEMPLOYED, birth_date="01/05/2004", cccd="031204004567"))
    )


@pytest.mark.parametrize(
    "birth_date",
    ["01/01/2015", "31/12/2040", "abc", "30/02/1990", None],
    ids=["under-15", "future", "unreadable", "no-such-day", "missing"],
)
def test_date_of_birth_rules(check, birth_date):
    result = check(person(INACTIVE, birth_date=birth_date, cccd="030150000077"))
    assert (1, "birth_date", "birth_date") in problems(result)


def test_dates_as_excel_serials_and_iso(check):
    result = check(person(EMPLOYED, birth_date="31118"), person(UNEMPLOYED, birth_date="1990-05-01"))
    assert problems(result) == set()
    assert str(result.rows.sort("_row")["birth_date_parsed"][0]) == "1985-03-12"


def test_dates_all_written_day_first_read_as_when_mixed_with_other_forms(check):
    # A file whose dates are all dd/mm/yyyy is parsed in one step; one other form sends every date
    # through each pattern. Both readings agree, and a day that does not exist is refused in both.
    day_first = ["29/02/1996", "01/07/1961", "31/02/1990", "15/10/2008"]
    alone = check(*(person(INACTIVE, birth_date=day, cccd="") for day in day_first))
    mixed = check(*(person(INACTIVE, birth_date=day, cccd="") for day in [*day_first, "1/7/1961"]))
    # A two-digit year parses in that format as the year 61: it is refused, as the patterns do.
    short_year = check(person(INACTIVE, birth_date="01/07/61", cccd=""))
    assert short_year.rows["birth_date_parsed"].to_list() == [None]
    for result in (alone, mixed):
        parsed = result.rows.sort("_row")["birth_date_parsed"].to_list()
        assert [str(day) if day else None for day in parsed[:4]] == [
            "1996-02-29",
            "1961-07-01",
            None,
            "2008-10-15",
        ]
        assert (3, "birth_date", "birth_date") in problems(result)
    assert str(mixed.rows.sort("_row")["birth_date_parsed"][4]) == "1961-07-01"


def test_a_cell_as_long_as_its_field_in_characters_is_kept_however_many_bytes(check):
    # Only a column with more bytes than its field's length has its characters counted.
    result = check(
        person(EMPLOYED, workplace_name="Ấ" * 255),
        person(EMPLOYED, workplace_name="Ấ" * 256, full_name="Nguyễn Văn Ân", cccd="030190000078"),
    )
    assert ("workplace_name", "file") not in {
        (field, category) for row, field, category in problems(result) if row == 1
    }
    assert (2, "workplace_name", "file") in problems(result)


def test_name_rules(check):
    result = check(person(EMPLOYED, full_name="Nguyen 2"), person(UNEMPLOYED, full_name="Bình"))
    assert {(1, "full_name", "name"), (2, "full_name", "name")} <= problems(result)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"employment_status": None}, "employment_status"),
        ({"job_title": None}, "job_title"),
        ({"inactive_reason": "1"}, "inactive_reason"),
        ({"unemployment_duration": "1"}, "unemployment_duration"),
    ],
)
def test_employed_needs_employment_fields_and_nothing_else(check, changes, field):
    assert (1, field, "status") in problems(check(person(EMPLOYED, **changes)))


def test_unemployed_has_a_duration_and_no_job(check):
    assert (1, "unemployment_duration", "status") in problems(
        check(person(UNEMPLOYED, unemployment_duration=None))
    )
    assert (1, "workplace_name", "status") in problems(check(person(UNEMPLOYED, workplace_name="Chợ")))


def test_inactive_has_a_reason_and_nothing_else(check):
    assert (1, "inactive_reason", "status") in problems(check(person(INACTIVE, inactive_reason=None)))
    assert (1, "job_title", "status") in problems(check(person(INACTIVE, job_title="Nội trợ")))


def test_codes_or_labels_with_or_without_diacritics(check):
    result = check(
        person(EMPLOYED, qualification="trung cap", activity_status="Có việc làm", contract_type="KXĐTH")
    )
    assert problems(result) == set()
    row = result.rows.to_dicts()[0]
    assert (row["qualification"], row["activity_status"], row["contract_type"]) == ("5", "1", "1")


def test_unknown_code_names_the_allowed_values(check):
    result = check(person(EMPLOYED, qualification="9"))
    [problem] = [p for p in result.errors.iter_rows(named=True) if p["field"] == "qualification"]
    assert problem["category"] == "code"
    assert "8 = Trên đại học" in problem["message_vi"]
    assert "not in the code list" in problem["message_en"]


def test_two_ticks_in_one_question(check):
    assert (1, "qualification", "code") in problems(check(person(EMPLOYED, qualification="5|6")))


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("0912345678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("912345678", "+84912345678"),
        ("0225 3841 234", "+842253841234"),
        ("12345", None),
        ("+1 202 555 0100", None),
        ("+84 (0) 912 345 678", None),
        ("0912 345 67²", None),
        ("８４912345678", None),
    ],
)
def test_phone_to_e164(written, e164):
    assert normalise_phone(written) == e164


def test_bad_phone_and_insurance_number(check):
    result = check(person(EMPLOYED, phone="12345", bhxh_number="12ab"))
    assert {(1, "phone", "contact"), (1, "bhxh_number", "contact")} <= problems(result)


def test_a_name_typed_with_combining_accents_is_composed_and_its_spaces_collapsed(check):
    import unicodedata

    typed = unicodedata.normalize("NFD", "Trần  Thị Ánh")
    result = check(person(EMPLOYED, full_name=typed), person(INACTIVE, full_name="Lê Văn  Tám"))
    assert problems(result) == set()
    assert result.rows.sort("_row").get_column("full_name").to_list() == ["Trần Thị Ánh", "Lê Văn Tám"]


def test_duplicate_cccd_within_the_file(check):
    result = check(EMPLOYED, person(EMPLOYED, full_name="Nguyễn Văn Ân"))
    assert (2, "cccd", "duplicate") in problems(result)
    assert (1, "cccd", "duplicate") not in problems(result)


def test_fifty_megabyte_cell_is_refused_not_stored(check):
    result = check(person(EMPLOYED, workplace_name="x" * 5000))
    assert (1, "workplace_name", "file") in problems(result)
    assert result.valid_rows.is_empty()


def test_workplace_in_another_province_and_abroad(check):
    result = check(
        person(EMPLOYED, workplace_address="Khu công nghiệp VSIP, Tỉnh Bắc Ninh"),
        person(UNEMPLOYED, cccd="031190004568"),
        person(EMPLOYED, cccd="030085001235", workplace_address="Nhật Bản"),
    )
    rows = result.rows.sort("_row").to_dicts()
    assert rows[0]["workplace_location"] == "2"
    assert rows[1]["workplace_location"] is None
    assert rows[2]["workplace_location"] == "3"


def test_code_lists_are_kept_until_reference_data_is_loaded_added_to_or_edited_in_the_admin(make_user):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from nhanluc.catalogs.choices import TRAINING_FIELD_VERSION, VSCO_VERSION
    from nhanluc.catalogs.models import Occupation, TrainingField
    from nhanluc.core.services import record_event
    from nhanluc.core.text import fold
    from nhanluc.registry.imports import register_lookups

    first = register_lookups("31")
    assert register_lookups("31") is first  # nothing changed: read once
    record_event(
        actor=None,
        source="test",
        action=AuditAction.LOAD,
        object_type="registry.importbatch",
        object_id=7,
        object_repr="x",
    )
    assert register_lookups("31") is first  # an import loads people, not reference data

    # A reload renames a training field in place: the load it records makes the lists be read again.
    field = TrainingField.objects.filter(version=TRAINING_FIELD_VERSION).first()
    TrainingField.objects.filter(pk=field.pk).update(name="Ngành đổi tên")
    record_event(
        actor=None, source="test", action=AuditAction.LOAD, object_type="catalogs", object_repr="test"
    )
    assert register_lookups("31").training_fields[fold("Ngành đổi tên")] == field.code

    # A code added, however it was added.
    parent = Occupation.objects.filter(version=VSCO_VERSION, level=3).first()
    Occupation.objects.create(version=VSCO_VERSION, level=4, code="9999", name="Nghề thử", parent=parent)
    assert "9999" in register_lookups("31").occupation_codes

    # An edit in the admin, which logs it.
    TrainingField.objects.filter(pk=field.pk).update(name="Ngành sửa trong trang quản trị")
    LogEntry.objects.create(
        user=make_user(),
        content_type=ContentType.objects.get_for_model(TrainingField),
        object_id=str(field.pk),
        object_repr=field.code,
        action_flag=CHANGE,
    )
    assert fold("Ngành sửa trong trang quản trị") in register_lookups("31").training_fields
