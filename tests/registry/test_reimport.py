"""Imports meeting what officers did in between: resolved addresses, decreases, older rounds, crashes."""

import datetime
import io

import openpyxl
import polars as pl
import pytest
from django.db.models import ProtectedError

from nhanluc.registry import import_writes, imports, services
from nhanluc.registry.choices import BatchStatus, ErrorCategory, ImportMode, PovertyStatus
from nhanluc.registry.imports import ImportRefused, get_or_create_round, import_survey_file
from nhanluc.registry.models import AddressReview, Household, ImportBatch, LaborSituation, Person
from nhanluc.registry.workbook import write_flat_template
from tests.registry.helpers import EMPLOYED, INACTIVE, PEOPLE, UNEMPLOYED, person
from tests.registry.test_import import workbook
from tests.registry.test_services import split_ward_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2026():
    return get_or_create_round(code="2026", province_code="31")


def test_reimport_keeps_the_commune_an_officer_chose_for_a_split_address(tmp_path, round_2026, admin_user):
    path = workbook(tmp_path, [person(EMPLOYED, permanent_address=split_ward_address()), UNEMPLOYED])
    import_survey_file(path=path, survey_round=round_2026)
    review = AddressReview.objects.get()
    services.resolve_address_review(review=review, commune_code=review.candidates[0], actor=admin_user)
    again = import_survey_file(path=path, survey_round=round_2026)
    assert again.summary["people_updated"] == 0 and again.summary["unchanged"] == 2
    assert Person.objects.get(cccd=EMPLOYED["cccd"]).permanent_commune_code == review.candidates[0]


def test_a_person_who_left_and_is_surveyed_again_is_present(tmp_path, round_2026, admin_user):
    import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    an = Person.objects.get(cccd=EMPLOYED["cccd"])
    services.record_decrease(person=an, reason="moved", on=datetime.date(2026, 9, 1), actor=admin_user)
    round_2027 = get_or_create_round(code="2027", province_code="31")
    import_survey_file(
        path=workbook(tmp_path, [EMPLOYED], name="2027.xlsx", commune="10507"), survey_round=round_2027
    )
    an.refresh_from_db()
    assert an.left_on is None and an.left_reason == "" and an.commune_code == "10507"
    assert Person.objects.present().filter(pk=an.pk).exists()
    assert an.situations.filter(valid_to__isnull=True).get().valid_from == datetime.date(2027, 7, 1)


def test_an_older_round_does_not_overwrite_newer_personal_data(tmp_path, round_2026):
    round_2027 = get_or_create_round(code="2027", province_code="31")
    import_survey_file(
        path=workbook(
            tmp_path, [person(EMPLOYED, phone="0987 654 321", priority_groups="4")], name="2027.xlsx"
        ),
        survey_round=round_2027,
    )
    older = import_survey_file(path=workbook(tmp_path, [EMPLOYED]), survey_round=round_2026)
    assert older.summary["newer_round_kept"] == 1 and older.summary["people_updated"] == 0
    an = Person.objects.get(cccd=EMPLOYED["cccd"])
    assert an.phone == "+84987654321" and an.priority_groups == "4"
    assert an.household.poverty_status == ""  # not poor in 2027, whatever the 2026 form said


def test_a_crash_marks_the_batch_failed(tmp_path, round_2026, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("ổ đĩa đầy")

    monkeypatch.setattr("nhanluc.registry.imports.commit_rows", broken)
    with pytest.raises(RuntimeError):
        import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and batch.finished_at is not None
    assert not Person.objects.exists()


def test_a_crash_inside_the_commit_leaves_a_failed_batch_and_no_rows(tmp_path, round_2026, monkeypatch):
    # The batch's own row is written inside the commit's transaction, so it is rolled back with the
    # rows; the failure is then recorded on a batch written again.
    def broken(*args, **kwargs):
        raise RuntimeError("mất kết nối")

    monkeypatch.setattr("nhanluc.registry.import_writes.record_events", broken)
    with pytest.raises(RuntimeError):
        import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and batch.finished_at is not None
    assert not Person.objects.exists() and not LaborSituation.objects.exists()


def test_a_failed_commit_does_not_record_its_failure_over_the_next_batch(tmp_path, round_2026, monkeypatch):
    # SQLite hands the id of a batch rolled back to the next batch written: another import that
    # finishes before this one records its failure must keep its batch.
    def broken(*args, **kwargs):
        raise RuntimeError("mất kết nối")

    def other_import_first(batch, status, summary):
        monkeypatch.undo()
        other = import_survey_file(
            path=workbook(tmp_path, [EMPLOYED], name="khac.xlsx"), survey_round=round_2026
        )
        assert other.status == BatchStatus.COMMITTED
        finish(batch, status, summary)

    from nhanluc.registry import imports

    finish = imports._finish
    monkeypatch.setattr("nhanluc.registry.import_writes.record_events", broken)
    monkeypatch.setattr("nhanluc.registry.imports._finish", other_import_first)
    with pytest.raises(RuntimeError):
        import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    statuses = dict(ImportBatch.objects.values_list("file_name", "status"))
    assert statuses == {"khac.xlsx": BatchStatus.COMMITTED, "xa.xlsx": BatchStatus.FAILED}
    committed = ImportBatch.objects.get(status=BatchStatus.COMMITTED)
    assert LaborSituation.objects.filter(batch=committed).count() == 1


def test_a_round_with_situations_cannot_be_deleted_and_a_deleted_batch_is_cleared(tmp_path, round_2026):
    # No database constraint on a situation's round and batch (import speed): Django keeps the rules.
    batch = import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    batch.delete()
    assert LaborSituation.objects.count() == len(PEOPLE)
    assert not LaborSituation.objects.filter(batch__isnull=False).exists()
    with pytest.raises(ProtectedError):  # no batch left to protect it: its situations do
        round_2026.delete()


def test_people_registered_after_the_check_are_updated_not_refused(tmp_path, round_2026, monkeypatch):
    # Another import registers the file's people between its check and its commit: the commit, told
    # by the check that nobody was registered, runs again and updates them.
    path = workbook(tmp_path, PEOPLE)
    import_survey_file(path=path, survey_round=round_2026)
    monkeypatch.setattr("nhanluc.registry.imports.registered_people", lambda cccds: [])
    corrected = [{**PEOPLE[0], "full_name": "Nguyễn Văn Sửa"}, *PEOPLE[1:]]
    batch = import_survey_file(path=workbook(tmp_path, corrected, name="lan2.xlsx"), survey_round=round_2026)
    assert batch.status == BatchStatus.COMMITTED
    assert batch.summary["people_created"] == 0 and batch.summary["people_updated"] == 1
    assert Person.objects.count() == len(PEOPLE)
    assert ImportBatch.objects.filter(status=BatchStatus.COMMITTED).count() == 2


def test_people_registered_in_another_commune_after_the_check_are_not_moved(
    tmp_path, round_2026, monkeypatch
):
    # Another import registers the file's people in commune 10546 between this file's check and its
    # commit: the checks would have refused the rows, so the commit refuses the file, changing nothing.
    import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    monkeypatch.setattr("nhanluc.registry.imports.registered_people", lambda cccds: [])
    other = workbook(tmp_path, PEOPLE, name="xa-khac.xlsx", commune="10507")
    with pytest.raises(ImportRefused, match="xã khác") as refused:
        import_survey_file(path=other, survey_round=round_2026)
    assert refused.value.batch.status == BatchStatus.REFUSED
    assert "3 người" in refused.value.batch.summary["file_error"]
    assert set(Person.objects.values_list("commune_code", flat=True)) == {"10546"}
    assert LaborSituation.objects.count() == len(PEOPLE)


def test_a_communes_first_survey_is_checked_without_looking_each_cccd_up(tmp_path, round_2026, monkeypatch):
    looked_up = []
    look_up = imports.registered_people

    def counted(cccds):
        looked_up.append(len(cccds))
        return look_up(cccds)

    monkeypatch.setattr(imports, "registered_people", counted)
    first = import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    assert first.status == BatchStatus.COMMITTED and first.summary["people_created"] == len(PEOPLE)
    assert looked_up == []  # nobody was registered in commune 10546
    again = import_survey_file(path=workbook(tmp_path, PEOPLE, name="lan2.xlsx"), survey_round=round_2026)
    assert looked_up == [len(PEOPLE)]
    assert again.summary["unchanged"] == len(PEOPLE) and Person.objects.count() == len(PEOPLE)


@pytest.mark.parametrize("mode", [ImportMode.ALL_OR_NOTHING, ImportMode.VALID_ROWS])
def test_a_communes_first_survey_naming_someone_registered_elsewhere_reports_the_row(
    tmp_path, round_2026, mode
):
    # The first survey of commune 10507 is checked without the lookups; the CCCD's unique index finds
    # the person registered in 10546 when the rows are written, and the file is checked again.
    import_survey_file(path=workbook(tmp_path, [EMPLOYED]), survey_round=round_2026)
    newcomer = person(INACTIVE, cccd="030150009993", full_name="Vũ Thị Lan")
    path = workbook(tmp_path, [newcomer, EMPLOYED], name="xa-khac.xlsx", commune="10507")
    if mode == ImportMode.ALL_OR_NOTHING:
        with pytest.raises(ImportRefused) as refused:
            import_survey_file(path=path, survey_round=round_2026, mode=mode)
        batch = refused.value.batch
        assert batch.status == BatchStatus.REFUSED
        assert not Person.objects.filter(cccd=newcomer["cccd"]).exists()
    else:
        batch = import_survey_file(path=path, survey_round=round_2026, mode=mode)
        assert batch.status == BatchStatus.PARTIAL and batch.summary["people_created"] == 1
        assert Person.objects.get(cccd=newcomer["cccd"]).commune_code == "10507"
    assert batch.summary["rows_with_errors"] == 1
    assert batch.summary["errors_by_category"][ErrorCategory.DUPLICATE] == 1
    sheet = openpyxl.load_workbook(io.BytesIO(batch.error_file.read()))["Lỗi"]
    messages = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(messages) == 1 and "ở xã khác" in messages[0]
    assert Person.objects.get(cccd=EMPLOYED["cccd"]).commune_code == "10546"


def test_without_database_constraints_people_households_and_situations_stay_linked(tmp_path, round_2026):
    # No database constraint on a situation's person or a person's household (import speed).
    import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    people = Person.objects.filter(pk__in=LaborSituation.objects.values("person_id"))
    assert people.count() == Person.objects.count() == len(PEOPLE)
    assert Household.objects.filter(pk__in=Person.objects.values("household_id")).count() == (
        Household.objects.count()
    )
    first = Person.objects.filter(household__isnull=False).first()
    household = first.household
    first.delete()
    assert not LaborSituation.objects.filter(person_id=first.pk).exists()
    assert LaborSituation.objects.count() == len(PEOPLE) - 1
    household_id = household.pk
    assert Person.objects.filter(household_id=household_id).exists()  # the rest of the household
    household.delete()
    assert not Person.objects.filter(household_id=household_id).exists()
    assert Person.objects.count() == len(PEOPLE) - 1


def test_a_commune_officer_file_with_another_commune_leaves_no_pending_batch(tmp_path, round_2026, make_user):
    officer = make_user("commune_officer", commune_code="10546")
    path = tmp_path / "phang.csv"
    write_flat_template(
        path, [person(EMPLOYED, commune_code="10507"), person(INACTIVE, commune_code="10546")]
    )
    with pytest.raises(PermissionError):
        import_survey_file(path=path, survey_round=round_2026, actor=officer)
    assert not ImportBatch.objects.filter(status=BatchStatus.VALIDATING).exists()
    assert not Person.objects.exists()


def test_two_digit_years_and_root_sign_ticks(tmp_path, round_2026):
    from nhanluc.registry.imports import rule_context
    from nhanluc.registry.rules import validate

    frame = pl.DataFrame(
        [
            {**person(EMPLOYED, unemployment_insurance="√")},
            {**person(INACTIVE, birth_date="02/09/50")},
        ]
    )
    context = rule_context(reference_date=round_2026.reference_date, province_code="31", commune_code="10546")
    result = validate(frame.cast(pl.Utf8), context)
    assert result.rows.get_column("unemployment_insurance_flag").to_list()[0] == "1"
    errors = result.errors.to_dicts()
    assert [(error["row"], error["field"]) for error in errors] == [(2, "birth_date")]
    assert "dd/mm/yyyy" in errors[0]["message_vi"]


@pytest.mark.django_db(transaction=True)
def test_a_household_registered_while_the_file_waited_for_its_turn_is_joined_not_doubled(
    tmp_path, reference_data, round_2026, monkeypatch
):
    # The rows of new people are prepared before the commit's turn at the write lock; another import
    # registers one of their households meanwhile. The commit runs again and joins that household.
    prepare = import_writes._new_people
    registered = []

    def prepare_then_other_import(*args, **kwargs):
        planned = prepare(*args, **kwargs)
        if not registered:
            registered.append(Household.objects.create(province_code="31", commune_code="10546", number="1"))
        return planned

    monkeypatch.setattr(import_writes, "_new_people", prepare_then_other_import)
    batch = import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    assert batch.status == BatchStatus.COMMITTED and batch.summary["people_created"] == len(PEOPLE)
    assert Household.objects.count() == 2
    members = Person.objects.filter(household=registered[0]).values_list("cccd", flat=True)
    assert sorted(members) == sorted([EMPLOYED["cccd"], UNEMPLOYED["cccd"]])
    registered[0].refresh_from_db()
    assert registered[0].poverty_status == PovertyStatus.POOR  # EMPLOYED is poor


@pytest.mark.django_db(transaction=True)
def test_a_household_changed_while_the_file_waited_for_its_turn_gets_the_files_status(
    tmp_path, reference_data, round_2026, monkeypatch
):
    import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    household = Household.objects.get(number="1")
    assert household.poverty_status == PovertyStatus.POOR
    prepare = import_writes._new_people

    def prepare_then_an_officer_edits(*args, **kwargs):
        planned = prepare(*args, **kwargs)
        Household.objects.filter(pk=household.pk).update(poverty_status=PovertyStatus.NEAR_POOR)
        return planned

    monkeypatch.setattr(import_writes, "_new_people", prepare_then_an_officer_edits)
    import_survey_file(path=workbook(tmp_path, PEOPLE, name="lan2.xlsx"), survey_round=round_2026)
    household.refresh_from_db()
    assert household.poverty_status == PovertyStatus.POOR


@pytest.mark.django_db(transaction=True)
def test_someone_deleted_after_the_check_is_registered_again(
    tmp_path, reference_data, round_2026, monkeypatch
):
    import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    look_up = imports.registered_people

    def look_up_then_an_officer_deletes(cccds):
        found = look_up(cccds)
        Person.objects.filter(cccd=INACTIVE["cccd"]).delete()
        return found

    monkeypatch.setattr(imports, "registered_people", look_up_then_an_officer_deletes)
    batch = import_survey_file(path=workbook(tmp_path, PEOPLE, name="lan2.xlsx"), survey_round=round_2026)
    assert batch.status == BatchStatus.COMMITTED and batch.summary["people_created"] == 1
    assert Person.objects.count() == len(PEOPLE)
    assert LaborSituation.objects.filter(person__cccd=INACTIVE["cccd"], valid_to__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("read_whole_commune_from", [1, 10_000], ids=["commune-read", "numbers-probed"])
def test_new_people_staged_before_the_turn_join_blank_registered_and_new_households(
    tmp_path, reference_data, round_2026, monkeypatch, read_whole_commune_from
):
    monkeypatch.setattr(import_writes, "READ_WHOLE_COMMUNE_FROM", read_whole_commune_from)
    import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    # A household of the same commune that the file does not name, and one of another commune with
    # the same number as the file's new household: neither is joined.
    Household.objects.create(province_code="31", commune_code="10546", number="9")
    Household.objects.create(province_code="31", commune_code="10507", number="3")
    first = Household.objects.get(number="1")
    no_household = person(EMPLOYED, household_number=None, cccd="030085009991", full_name="Phạm Văn Dũng")
    joins_first = person(UNEMPLOYED, cccd="031190009992", full_name="Đỗ Thị Hà")
    new_household = person(INACTIVE, household_number="3", cccd="030150009993", full_name="Vũ Thị Lan")
    rows = [no_household, EMPLOYED, joins_first, INACTIVE, new_household]
    batch = import_survey_file(path=workbook(tmp_path, rows, name="lan2.xlsx"), survey_round=round_2026)
    assert batch.summary["people_created"] == 3 and batch.summary["situations_opened"] == 3
    household_of = dict(Person.objects.values_list("cccd", "household__number"))
    assert household_of["030085009991"] is None
    assert household_of["031190009992"] == "1"
    assert household_of["030150009993"] == "3"
    assert Person.objects.get(cccd="031190009992").household_id == first.pk
    assert Household.objects.count() == 5
    assert Person.objects.get(cccd="030150009993").household.commune_code == "10546"
    opened = LaborSituation.objects.filter(batch=batch).values_list("person__cccd", "change_kind")
    assert sorted(opened) == [
        ("030085009991", "increase"),
        ("030150009993", "increase"),
        ("031190009992", "increase"),
    ]
