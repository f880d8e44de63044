"""The survey import end to end: both Mẫu 01 shapes and the flat template, on a real database."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.db.models import F

from nhanluc.core.choices import AuditAction
from nhanluc.core.models import AuditEvent
from nhanluc.registry.choices import BatchStatus, ImportLayout, ImportMode
from nhanluc.registry.generate import generate_population, store_population
from nhanluc.registry.imports import ImportRefused, get_or_create_round, import_survey_file
from nhanluc.registry.models import AddressReview, Household, LaborSituation, Person
from nhanluc.registry.workbook import read_survey_file, write_flat_template, write_survey_workbook
from tests.registry.helpers import EMPLOYED, INACTIVE, PEOPLE, UNEMPLOYED, assert_profiles_stored, person

pytestmark = pytest.mark.django_db


def workbook(tmp_path, people, shape=ImportLayout.SURVEY_CODES, name="xa.xlsx", commune="10546"):
    path = tmp_path / name
    write_survey_workbook(
        path,
        people,
        shape=shape,
        province_name="Thành phố Hải Phòng",
        commune_name="Phường Chí Linh",
        commune_code=commune,
        round_code="2026",
    )
    return path


@pytest.fixture
def round_2026():
    return get_or_create_round(code="2026", province_code="31")


@pytest.mark.parametrize("shape", [ImportLayout.SURVEY_CODES, ImportLayout.SURVEY_TICKS])
def test_both_survey_shapes_are_recognised_and_read_alike(tmp_path, shape):
    survey = read_survey_file(workbook(tmp_path, PEOPLE, shape=shape))
    assert survey.layout == shape
    assert survey.commune_code == "10546"
    rows = survey.frame.sort("_row").to_dicts()
    assert [row["sex"] for row in rows] == ["1", "2", "2"]  # from the Nam / Nữ date columns
    assert rows[0]["_row"] == 8  # title rows, a two-row header and the column numbers come first
    assert rows[1]["household_number"] == "1"  # filled down from the household's first member
    assert rows[2]["household_number"] == "2"
    if shape == ImportLayout.SURVEY_TICKS:
        assert rows[0]["priority_groups"] == "1|4"
        assert rows[0]["activity_status"] == "1"


def test_import_creates_people_households_and_situations(tmp_path, round_2026):
    batch = import_survey_file(
        path=workbook(tmp_path, PEOPLE, shape=ImportLayout.SURVEY_TICKS), survey_round=round_2026
    )
    assert batch.status == BatchStatus.COMMITTED
    assert batch.summary["rows"] == 3 and batch.summary["households"] == 2
    assert batch.summary["people_created"] == 3
    assert Person.objects.in_commune("10546").count() == 3
    an = Person.objects.get(cccd=EMPLOYED["cccd"])
    assert an.phone == "+84912345678" and an.priority_groups == "14"
    assert an.household.poverty_status == "poor"
    assert Household.objects.filter(commune_code="10546").count() == 2
    situation = an.situations.get()
    assert (situation.valid_from, situation.valid_to) == (datetime.date(2026, 7, 1), None)
    assert situation.occupation_code == "7212" and situation.unemployment_insurance
    assert AuditEvent.objects.filter(action=AuditAction.LOAD, object_type="registry.importbatch").exists()


def test_the_same_file_again_changes_nothing(tmp_path, round_2026):
    path = workbook(tmp_path, PEOPLE)
    import_survey_file(path=path, survey_round=round_2026)
    before = (Person.objects.count(), LaborSituation.objects.count(), Household.objects.count())
    again = import_survey_file(path=path, survey_round=round_2026)
    assert again.summary["unchanged"] == 3
    assert (
        again.summary["people_created"]
        == again.summary["people_updated"]
        == again.summary["situations_opened"]
        == 0
    )
    assert (Person.objects.count(), LaborSituation.objects.count(), Household.objects.count()) == before


def test_a_correction_in_the_same_round_updates_in_place_with_audit(tmp_path, round_2026):
    import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    fixed = [person(EMPLOYED, qualification="6"), UNEMPLOYED, INACTIVE]
    batch = import_survey_file(path=workbook(tmp_path, fixed, name="sua.xlsx"), survey_round=round_2026)
    assert batch.summary["situations_updated"] == 1
    situation = Person.objects.get(cccd=EMPLOYED["cccd"]).situations.get()
    assert situation.qualification == "6"
    assert situation.profile_key // 10**7 % 10 == 6  # the qualification's digit
    assert assert_profiles_stored() == 3
    event = AuditEvent.objects.get(object_type="registry.laborsituation", object_id=str(situation.pk))
    assert event.changes["qualification"] == ["5", "6"]


def test_situations_carry_the_persons_sex_and_birth_date_also_after_a_correction(tmp_path, round_2026):
    # The indicators count by sex and age from the situations alone (see LaborSituation.sex).
    import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    assert not LaborSituation.objects.exclude(sex=F("person__sex")).exists()
    assert not LaborSituation.objects.exclude(birth_date=F("person__birth_date")).exists()
    fixed = [person(EMPLOYED, birth_date="13/03/1985"), UNEMPLOYED, INACTIVE]
    import_survey_file(path=workbook(tmp_path, fixed, name="sua-ngay-sinh.xlsx"), survey_round=round_2026)
    situation = Person.objects.get(cccd=EMPLOYED["cccd"]).situations.get()
    assert situation.birth_date == datetime.date(1985, 3, 13)


def test_a_new_round_closes_the_previous_situation_and_the_point_in_time_query(tmp_path, round_2026):
    import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026)
    round_2027 = get_or_create_round(code="2027", province_code="31")
    found_job = [
        person(
            UNEMPLOYED,
            activity_status="1",
            unemployment_type=None,
            unemployment_duration=None,
            employment_status="2",
            job_title="Bán hàng",
        ),
        EMPLOYED,
        INACTIVE,
    ]
    import_survey_file(path=workbook(tmp_path, found_job, name="2027.xlsx"), survey_round=round_2027)
    binh = Person.objects.get(cccd=UNEMPLOYED["cccd"])
    history = list(
        binh.situations.order_by("valid_from").values_list("activity_status", "valid_from", "valid_to")
    )
    assert history == [
        ("2", datetime.date(2026, 7, 1), datetime.date(2027, 7, 1)),
        ("1", datetime.date(2027, 7, 1), None),
    ]
    on_30_june_2027 = LaborSituation.objects.as_of(datetime.date(2027, 6, 30)).in_commune("10546")
    assert set(on_30_june_2027.employed().values_list("person__cccd", flat=True)) == {EMPLOYED["cccd"]}
    on_1_july_2027 = LaborSituation.objects.as_of(datetime.date(2027, 7, 1)).in_commune("10546").employed()
    assert on_1_july_2027.count() == 2
    assert LaborSituation.objects.as_of(datetime.date(2026, 6, 30)).count() == 0


def test_point_in_time_query_uses_the_index():
    # A register to plan against, with its statistics: on a table the planner believes nearly empty,
    # whatever earlier tests left, any index looks as cheap as another.
    survey_round = get_or_create_round(code="2026", province_code="31")
    store_population(
        generate_population(
            province_code="31", people=3000, seed=8, reference_date=survey_round.reference_date
        ),
        survey_round=survey_round,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_laborsituation")
    # Without the model's default ordering: the planner may otherwise prefer the (person, valid_from)
    # index for the sort.
    query = (
        LaborSituation.objects.as_of(datetime.date(2026, 6, 30))
        .in_commune("10546")
        .employed()
        .order_by()
        .values("id")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "registry_situation_asof" in plan, plan


def test_all_or_nothing_refuses_the_whole_file_and_returns_an_error_workbook(tmp_path, round_2026):
    bad = [
        EMPLOYED,
        person(UNEMPLOYED, cccd="031090004567"),
        person(INACTIVE, birth_date="01/01/2015", cccd="030315000077"),
    ]
    with pytest.raises(ImportRefused) as refused:
        import_survey_file(path=workbook(tmp_path, bad), survey_round=round_2026)
    assert Person.objects.count() == 0 and LaborSituation.objects.count() == 0
    batch = refused.value.batch
    assert batch.status == BatchStatus.REFUSED
    assert batch.summary["rows_with_errors"] == 2
    assert batch.summary["errors_by_category"]["cccd"] == 1
    assert batch.summary["errors_by_category"]["birth_date"] == 1
    sheet = openpyxl.load_workbook(io.BytesIO(batch.error_file.read()))["Lỗi"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Trang", "Dòng", "Cột")
    cells = {(row[1], row[2].split(" · ")[0]) for row in rows[1:]}
    assert (9, "F") in cells  # the CCCD of the second person, as the officer sees it in Excel
    assert (10, "D–E") in cells  # the date of birth, written under Nam or Nữ
    assert any(row[1] == 10 and "15 tuổi" in row[6] for row in rows[1:])


def test_valid_rows_mode_commits_the_good_rows_and_a_fixed_file_completes_it(tmp_path, round_2026):
    bad = [EMPLOYED, person(UNEMPLOYED, cccd="031090004567"), INACTIVE]
    batch = import_survey_file(
        path=workbook(tmp_path, bad), survey_round=round_2026, mode=ImportMode.VALID_ROWS
    )
    assert batch.status == BatchStatus.PARTIAL and Person.objects.count() == 2
    fixed = import_survey_file(path=workbook(tmp_path, PEOPLE, name="fixed.xlsx"), survey_round=round_2026)
    assert fixed.summary["people_created"] == 1 and fixed.summary["unchanged"] == 2
    assert Person.objects.count() == 3


def test_flat_template_csv_and_xlsx(tmp_path, round_2026):
    rows = [person(p, commune_code="10546") for p in PEOPLE]
    write_flat_template(tmp_path / "phang.csv", rows)
    write_flat_template(tmp_path / "phang.xlsx", rows)
    assert read_survey_file(tmp_path / "phang.xlsx").layout == ImportLayout.FLAT
    batch = import_survey_file(path=tmp_path / "phang.csv", survey_round=round_2026)
    assert batch.summary["people_created"] == 3
    again = import_survey_file(path=tmp_path / "phang.xlsx", survey_round=round_2026)
    assert again.summary["unchanged"] == 3


def test_csv_cells_are_read_as_the_workbook_reader_reads_them(tmp_path, round_2026):
    # Spaces around a value, a quoted empty cell, a blank household number under the first member: as
    # in a workbook, stripped, blank, and the household of the row above.
    rows = [person(p, commune_code="10546", household_number="7") for p in PEOPLE]
    write_flat_template(tmp_path / "phang.csv", rows)
    header, *lines = (tmp_path / "phang.csv").read_text(encoding="utf-8").splitlines()
    padded = [
        line.replace(",7,", ',"  7 ",', 1) if number == 0 else line.replace(",7,", ',"",', 1)
        for number, line in enumerate(lines)
    ]
    padded = [line.replace("10546", " 10546\t", 1) for line in padded]
    (tmp_path / "phang.csv").write_text("\n".join([header, *padded]) + "\n", encoding="utf-8")
    frame = read_survey_file(tmp_path / "phang.csv").frame
    assert frame.get_column("household_number").to_list() == ["7", "7", "7"]
    assert set(frame.get_column("commune_code")) == {"10546"}
    batch = import_survey_file(path=tmp_path / "phang.csv", survey_round=round_2026)
    assert batch.summary["people_created"] == 3
    assert Household.objects.get().members.count() == 3


def test_duplicate_against_the_register_in_another_commune(tmp_path, round_2026):
    import_survey_file(path=workbook(tmp_path, [EMPLOYED]), survey_round=round_2026)
    with pytest.raises(ImportRefused) as refused:
        import_survey_file(
            path=workbook(tmp_path, [EMPLOYED], name="khac.xlsx", commune="10549"), survey_round=round_2026
        )
    assert refused.value.batch.summary["errors_by_category"]["duplicate"] == 1


def test_split_legacy_ward_goes_to_the_review_queue(tmp_path, round_2026):
    from nhanluc.geo.models import UnitSuccession

    split = (
        UnitSuccession.objects.filter(partial=True, old__province_code="30", old__level="commune")
        .select_related("old", "old__parent")
        .first()
    )
    address = f"{split.old.name}, {split.old.parent.name}, Tỉnh Hải Dương"
    import_survey_file(
        path=workbook(tmp_path, [person(EMPLOYED, permanent_address=address)]), survey_round=round_2026
    )
    review = AddressReview.objects.get()
    assert review.legacy_commune_code == split.old.code and review.candidates
    assert Person.objects.get().permanent_commune_code == ""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "mật khẩu"),
        (b"PK\x03\x04 not really a zip", "hỏng"),
        (b"this is text", "hỏng"),
    ],
    ids=["password-protected", "corrupt-zip", "not-a-workbook"],
)
def test_unreadable_files_are_refused_with_a_reason(tmp_path, round_2026, content, expected):
    path = tmp_path / "xa.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportRefused) as refused:
        import_survey_file(path=path, survey_round=round_2026)
    assert expected in str(refused.value)


def test_wrong_layout_names_the_column_it_expected(tmp_path, round_2026):
    book = openpyxl.Workbook()
    book.active.append(["STT", "Tên", "Tuổi"])
    book.active.append([1, "An", 40])
    book.save(tmp_path / "sai.xlsx")
    with pytest.raises(ImportRefused) as refused:
        import_survey_file(path=tmp_path / "sai.xlsx", survey_round=round_2026)
    assert "Họ và tên" in str(refused.value) and "1–2" in str(refused.value)


def test_formulas_without_values_are_refused(tmp_path, round_2026):
    book = openpyxl.Workbook()
    book.active.append(["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Tình trạng hoạt động kinh tế"])
    book.active.append(["Nguyễn Văn An", "12/03/1985", "Nam", "=A1&B1", "1"])
    book.save(tmp_path / "congthuc.xlsx")
    with pytest.raises(ImportRefused) as refused:
        import_survey_file(path=tmp_path / "congthuc.xlsx", survey_round=round_2026)
    assert "D2" in str(refused.value) and "công thức" in str(refused.value)


def test_blank_rows_are_skipped(tmp_path, round_2026):
    path = workbook(tmp_path, PEOPLE)
    book = openpyxl.load_workbook(path)
    book.active.cell(row=60000, column=3, value=" ")
    book.save(path)
    batch = import_survey_file(path=path, survey_round=round_2026)
    assert batch.summary["rows"] == 3


def test_commune_in_title_must_match_the_chosen_commune(tmp_path, round_2026):
    with pytest.raises(ImportRefused) as refused:
        import_survey_file(path=workbook(tmp_path, PEOPLE), survey_round=round_2026, commune_code="10549")
    assert "10546" in str(refused.value)


def test_commune_officer_cannot_import_for_another_commune(tmp_path, round_2026, make_user):
    officer = make_user("commune_officer", commune_code="10549")
    with pytest.raises(PermissionError):
        import_survey_file(
            path=workbook(tmp_path, PEOPLE), survey_round=round_2026, actor=officer, commune_code="10546"
        )


def test_error_workbook_is_a_real_xlsx(tmp_path, round_2026):
    with pytest.raises(ImportRefused) as refused:
        import_survey_file(path=workbook(tmp_path, [person(EMPLOYED, cccd="1")]), survey_round=round_2026)
    assert zipfile.is_zipfile(io.BytesIO(refused.value.batch.error_file.read()))
