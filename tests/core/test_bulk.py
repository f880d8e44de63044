"""Bulk writes: on SQLite a large frame is staged in its own file and copied in one INSERT … SELECT."""

import datetime
import fcntl
import os
import threading
import time
from pathlib import Path

import polars as pl
import pytest
from django.db import DataError, connection, transaction
from django.utils import timezone

from nhanluc.core import bulk
from nhanluc.core.bulk import (
    KEY_SEPARATOR,
    SQLITE_BULK_CACHE_KIB,
    StagedFrame,
    WriterBusy,
    allocate_ids,
    insert_frame,
    prepare_rows,
    select_in,
    staged_writes,
    staging_area,
    writer_turn,
)
from nhanluc.indicators.models import IndicatorValue
from nhanluc.registry.generate import generate_population, store_population
from nhanluc.registry.import_writes import PERSON_FIELDS, SITUATION_FIELDS
from nhanluc.registry.imports import get_or_create_round
from nhanluc.registry.models import Household, LaborSituation, Person


def _households(count: int, prefix: str = "H") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": allocate_ids(Household, count),
            "province_code": ["31"] * count,
            "commune_code": ["10546"] * count,
            "number": [f"{prefix}{n}" for n in range(count)],
            "poverty_status": [""] * count,
        }
    )


def _figures(count: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator_code": [f"test_{n}" for n in range(count)],
            "breakdown": [""] * count,
            "unit_code": ["31"] * count,
            "province_code": ["31"] * count,
            "period_code": ["2026"] * count,
            "numerator": list(range(count)),
            "denominator": [None] * count,
            "value": ["1.5"] * count,
            "computed_at": [str(connection.ops.adapt_datetimefield_value(timezone.now()))] * count,
        }
    )


def _attached() -> list[str]:
    """The databases attached to the connection (SQLite; none to look at on PostgreSQL)."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        return [row[1] for row in cursor.fetchall()]


def _pragma(name: str) -> int | None:
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


# SQLite's defaults, which a bulk write changes for its own transaction only.
DEFAULT_SETTINGS = {"wal_autocheckpoint": (None, 1000), "cache_size": (None, -2000)}


def _settings_are_defaults() -> bool:
    return all(_pragma(name) in values for name, values in DEFAULT_SETTINGS.items())


@pytest.mark.django_db(transaction=True)
def test_staged_writes_insert_every_row_and_detach():
    with staged_writes() as stage, transaction.atomic():
        assert (stage is not None) == (connection.vendor == "sqlite")
        # One large page cache for the whole transaction: shrunk between two writes, it would spill
        # the first write's pages to the log, to be written there again by the next.
        assert _pragma("cache_size") in (None, SQLITE_BULK_CACHE_KIB)
        insert_frame(Household, _households(3000), stage=stage)
        assert _pragma("cache_size") in (None, SQLITE_BULK_CACHE_KIB)
        # A column of nothing but nulls (no Arrow type of its own) is written too.
        insert_frame(IndicatorValue, _figures(5), stage=stage)
        insert_frame(Household, _households(2, prefix="K"), stage=stage)
    assert Household.objects.count() == 3002
    assert IndicatorValue.objects.filter(denominator__isnull=True).count() == 5
    assert Household.objects.get(number="H2999").commune_code == "10546"
    assert not [name for name in _attached() if name.startswith("nhanluc_stage")]
    assert _settings_are_defaults()


@pytest.mark.django_db(transaction=True)
def test_staged_writes_roll_back_whole():
    with pytest.raises(RuntimeError), staged_writes() as stage, transaction.atomic():
        insert_frame(Household, _households(500), stage=stage)
        raise RuntimeError("crash inside the transaction")
    assert Household.objects.count() == 0
    assert not [name for name in _attached() if name.startswith("nhanluc_stage")]
    assert _settings_are_defaults()  # SQLite's defaults again after the bulk write


@pytest.mark.django_db
def test_no_stage_inside_a_transaction_already_open():
    # A test's own transaction (or a caller's) could not detach the files: the rows are bound instead.
    with staged_writes() as stage:
        assert stage is None
        insert_frame(Household, _households(10), stage=stage)
    assert Household.objects.count() == 10


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("staged", [True, False], ids=["staged", "bound"])
def test_constants_are_written_into_every_row(staged):
    # A staged write gives them in its INSERT … SELECT, the others add them to the frame: the same rows.
    now = timezone.now().replace(microsecond=0)
    constants = {"province_code": "31", "period_code": "2026-H1", "denominator": None, "computed_at": now}
    frame = _figures(3).drop(*constants)
    with staged_writes() as stage, transaction.atomic():
        insert_frame(IndicatorValue, frame, stage=stage if staged else None, constants=constants)
    rows = IndicatorValue.objects.order_by("numerator")
    assert [(row.indicator_code, row.numerator) for row in rows] == [(f"test_{n}", n) for n in range(3)]
    assert {(row.province_code, row.period_code, row.denominator, row.computed_at) for row in rows} == {
        ("31", "2026-H1", None, now)
    }


@pytest.mark.django_db(transaction=True)
def test_staged_rows_read_back_as_the_orm_writes_them(reference_data):
    # Dates as ISO text, booleans as 0/1, datetimes as Django stores them: what the point-in-time
    # query and every filter compare against.
    survey_round = get_or_create_round(code="2026", province_code="31")
    frame = generate_population(
        province_code="31", people=300, seed=5, reference_date=survey_round.reference_date
    )
    store_population(frame, survey_round=survey_round)
    situation = LaborSituation.objects.select_related("person").order_by("pk").first()
    assert situation.valid_from == survey_round.reference_date and situation.valid_to is None
    assert situation.birth_date == situation.person.birth_date
    assert situation.person.created_at.year >= 2026
    insured = frame.filter(pl.col("unemployment_insurance") == "x").height
    assert LaborSituation.objects.filter(unemployment_insurance=True).count() == insured
    assert LaborSituation.objects.as_of(survey_round.reference_date).count() == 300
    assert LaborSituation.objects.as_of(survey_round.reference_date - datetime.timedelta(days=1)).count() == 0
    assert Person.objects.filter(birth_date__lt=datetime.date(1900, 1, 1)).count() == 0


@pytest.mark.django_db(transaction=True)
def test_staged_files_live_beside_the_database_and_a_killed_writers_are_removed():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL stages nothing")
    database = Path(connection.settings_dict["NAME"])
    left_behind = database.parent / f".{database.name}-stage-killed"
    left_behind.mkdir()
    (left_behind / "nhanluc_stage_0.sqlite3").write_bytes(b"personal data")
    with staged_writes() as stage, transaction.atomic():
        assert stage.folder.parent == database.parent
        insert_frame(Household, _households(10), stage=stage)
    assert not left_behind.exists()
    assert not list(database.parent.glob(f".{database.name}-stage-*"))
    assert Household.objects.count() == 10


@pytest.mark.django_db
def test_allocated_ids_are_consecutive_and_follow_the_rows_written():
    Household.objects.create(province_code="31", commune_code="10546", number="Z")
    first = allocate_ids(Household, 5)
    assert list(first) == list(range(first[0], first[0] + 5)) and first[0] > Household.objects.get().pk
    # On SQLite the ids follow the table's largest: a second allocation comes after the rows written.
    insert_frame(Household, _households(5).with_columns(pl.Series("id", first, dtype=pl.Int64)))
    second = allocate_ids(Household, 3)
    assert list(second) == list(range(second[0], second[0] + 3)) and second[0] > first[-1]
    assert list(allocate_ids(Household, 0)) == []


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL sequence")
def test_ids_drawn_between_another_sessions_are_given_one_by_one():
    # Another session drawing from the sequence at the same time leaves gaps among this draw's ids;
    # a sequence that steps by 2 leaves the same gaps, every time.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('registry_household', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 2")
        ids = allocate_ids(Household, 4)
        cursor.execute(f"SELECT last_value FROM {sequence}")
        last = cursor.fetchone()[0]
    assert list(ids) == [last - 6, last - 4, last - 2, last]
    insert_frame(
        Household,
        pl.DataFrame(
            {
                "id": list(ids),
                "province_code": ["31"] * 4,
                "commune_code": ["10546"] * 4,
                "number": list("ABCD"),
            }
        ).with_columns(poverty_status=pl.lit("")),
    )
    assert sorted(Household.objects.values_list("id", flat=True)) == list(ids)


@pytest.mark.django_db
def test_select_in_finds_text_and_integer_keys_even_with_the_separator_in_a_key():
    households = _households(4).with_columns(
        pl.Series("number", ["7", f"7{KEY_SEPARATOR}2", "8,1", ""]),
    )
    with transaction.atomic():
        insert_frame(Household, households)
    wanted = ["7", f"7{KEY_SEPARATOR}2", "8,1", "missing"]
    found = select_in(Household, ["number"], "number", wanted, where="commune_code = %s", params=["10546"])
    assert sorted(number for (number,) in found) == sorted(wanted[:3])
    plain = select_in(Household, ["number"], "number", ["7", "8,1", "9"])
    assert sorted(number for (number,) in plain) == ["7", "8,1"]
    # A lone blank key is a key; None matches nothing.
    assert select_in(Household, ["number"], "number", ["", None]) == [("",)]
    ids = households.get_column("id").to_list()
    assert sorted(pk for (pk,) in select_in(Household, ["id"], "id", [*ids[:2], 10**9])) == sorted(ids[:2])


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_select_in_leaves_the_planner_settings_as_they_were():
    with transaction.atomic(), connection.cursor() as cursor:
        select_in(Household, ["number"], "number", ["1", "2"])
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "on"
    select_in(Household, ["number"], "number", ["1", "2"])  # outside any transaction
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
    # Nor does a lookup that fails (inside a caller's transaction, which stays usable).
    with transaction.atomic(), connection.cursor() as cursor:
        with pytest.raises(DataError):
            select_in(Household, ["id"], "id", ["not a number"])
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


def _bulk_lock_path() -> Path:
    return Path(f"{connection.settings_dict['NAME']}.bulk-lock")


@pytest.mark.django_db(transaction=True)
def test_a_bulk_write_waits_for_the_one_before_then_gives_up_writing_nothing(settings):
    if connection.vendor != "sqlite":
        pytest.skip("the writers' turn is SQLite's (PostgreSQL lets them write together)")
    settings.NHANLUC_BULK_WRITE_WAIT_SECONDS = 0.3
    with _bulk_lock_path().open("a") as other_writer:
        fcntl.flock(other_writer, fcntl.LOCK_EX)  # another import in its commit
        started = time.monotonic()
        with pytest.raises(WriterBusy) as busy, staged_writes() as stage, transaction.atomic():
            insert_frame(Household, _households(50), stage=stage)
        assert time.monotonic() - started >= 0.3
        assert "thử lại sau" in str(busy.value) and "try again later" in str(busy.value)
        assert Household.objects.count() == 0
        # The other writer finishes while this one waits: this one goes on at once.
        settings.NHANLUC_BULK_WRITE_WAIT_SECONDS = 30
        threading.Timer(0.2, fcntl.flock, [other_writer, fcntl.LOCK_UN]).start()
        started = time.monotonic()
        with staged_writes() as stage, transaction.atomic():
            insert_frame(Household, _households(50), stage=stage)
        assert 0.2 <= time.monotonic() - started < 5
    assert Household.objects.count() == 50


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_writers_turn_take_their_ids_in_it():
    # An import writes its new people's rows ahead, numbered 1…n; the ids come only in the turn. A
    # numbered column that the frame already holds keeps its value where it has one.
    frame = pl.DataFrame(
        {
            "position": [1, 2, 3],
            "id": [None, 10**6, None],
            "province_code": ["31"] * 3,
            "commune_code": ["10546"] * 3,
            "number": ["A", "B", "C"],
            "poverty_status": [""] * 3,
        },
        schema_overrides={"id": pl.Int64},
    )
    with staging_area() as stage:
        prepared = prepare_rows(frame, stage)
        assert isinstance(prepared, StagedFrame) == (connection.vendor == "sqlite")
        with writer_turn(stage), transaction.atomic():
            ids = allocate_ids(Household, 3)
            insert_frame(Household, prepared, stage=stage, numbering={"id": ("position", ids)})
    assert dict(Household.objects.values_list("number", "id")) == {"A": ids[0], "B": 10**6, "C": ids[2]}
    assert not list(Path(str(connection.settings_dict["NAME"])).parent.glob("*-stage-*"))


@pytest.mark.django_db(transaction=True)
def test_a_stage_folder_still_in_use_is_not_deleted_by_the_next_writer():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL stages nothing")
    # One import has written its rows and waits for its turn; another takes its turn meanwhile and
    # deletes only the folders that no live process holds.
    with staging_area() as waiting:
        frame = _households(20).drop("id").with_row_index("position", offset=1)
        prepared = prepare_rows(frame.with_columns(pl.col("position").cast(pl.Int64)), waiting)
        with staged_writes() as other, transaction.atomic():
            insert_frame(Household, _households(5, prefix="K"), stage=other)
        assert prepared.path.exists()
        with writer_turn(waiting), transaction.atomic():
            ids = allocate_ids(Household, 20)
            insert_frame(Household, prepared, stage=waiting, numbering={"id": ("position", ids)})
    assert Household.objects.count() == 25


@pytest.mark.django_db(transaction=True)
def test_staged_rows_are_numbered_from_consecutive_ids_only():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL numbers the rows in the frame, from any ids")
    frame = _households(2).drop("id").with_columns(pl.Series("position", [1, 2]))
    with pytest.raises(ValueError, match="consecutive"), staged_writes() as stage, transaction.atomic():
        insert_frame(Household, frame, stage=stage, numbering={"id": ("position", [5, 7])})
    assert Household.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_killed_writers_unlocked_new_folder_is_removed_once_old():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL stages nothing")
    database = Path(connection.settings_dict["NAME"])
    old, young = (database.parent / f".{database.name}-new-stage-{name}" for name in ("old", "young"))
    for folder in (old, young):
        folder.mkdir()
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    with staged_writes() as stage, transaction.atomic():
        insert_frame(Household, _households(3), stage=stage)
    assert not old.exists()
    assert young.exists()  # perhaps a folder another import has just made, about to lock it
    young.rmdir()


@pytest.mark.django_db
def test_numbering_refuses_positions_beyond_the_ids():
    frame = _households(2).drop("id").with_columns(pl.Series("position", [1, 3]))
    with pytest.raises(ValueError, match="positions from 1 to 2"), transaction.atomic():
        insert_frame(Household, frame, numbering={"id": ("position", [7, 8])})
    assert Household.objects.count() == 0


@pytest.mark.django_db
def test_select_in_gives_each_row_once_for_repeated_keys():
    with transaction.atomic():
        insert_frame(Household, _households(3))
    found = select_in(Household, ["number"], "number", ["H1", "H1", None, "H2", "H1"])
    assert sorted(number for (number,) in found) == ["H1", "H2"]


@pytest.mark.django_db(transaction=True)
def test_columns_with_one_value_or_the_row_numbers_are_not_staged_but_written_to_every_row():
    # A commune's code, a blank field, a column counting the rows: given by the INSERT … SELECT
    # rather than written to the file row by row. A column that only starts and ends alike is staged.
    count = 5
    frame = pl.DataFrame(
        {
            "id": [None] * count,
            "position": list(range(1, count + 1)),
            "province_code": ["31"] * count,
            "commune_code": ["10546", "10549", "10546", "10549", "10546"],
            "number": [str(n) for n in range(1, count + 1)],
            "poverty_status": [""] * count,
        },
        schema_overrides={"id": pl.Int64},
    )
    with staging_area() as stage:
        prepared = prepare_rows(frame, stage)
        if connection.vendor == "sqlite":
            assert prepared.repeated == {"id": None, "province_code": "31", "poverty_status": ""}
            assert prepared.counting == ("position",)
            assert _staged_columns(prepared.path) == ["commune_code", "number"]
        with writer_turn(stage), transaction.atomic():
            ids = allocate_ids(Household, count)
            insert_frame(Household, prepared, stage=stage, numbering={"id": ("position", ids)})
    rows = Household.objects.order_by("id").values_list(
        "id", "province_code", "commune_code", "number", "poverty_status"
    )
    assert list(rows) == [
        (ids[n], "31", commune, str(n + 1), "") for n, commune in enumerate(frame.get_column("commune_code"))
    ]


@pytest.mark.django_db(transaction=True)
def test_a_row_alone_is_staged_with_one_column_and_written_whole():
    # Every column of one row holds one value: the file still needs a column for its row.
    frame = _households(1).drop("id")
    with staged_writes() as stage, transaction.atomic():
        prepared = prepare_rows(frame, stage)
        if connection.vendor == "sqlite":
            assert _staged_columns(prepared.path) == ["province_code"]
        assert insert_frame(Household, prepared, stage=stage) == 1
    assert list(
        Household.objects.values_list("province_code", "commune_code", "number", "poverty_status")
    ) == [("31", "10546", "H0", "")]


def _staged_columns(path: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(path) as staged:
        return [row[1] for row in staged.execute("PRAGMA table_info(rows)")]


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_column_reads_back_as_written(reference_data, monkeypatch):
    # On PostgreSQL the rows go in COPY's binary format, which the server stores without parsing:
    # text (diacritics, empty), integers, booleans, dates either side of 2000, timestamps, NULLs.
    # Text whose values all have one length in bytes (a code, a blank column, "Ấp Ơ" and "Ấp 12")
    # is laid out with the fixed-width columns; a row per chunk puts each one at an offset.
    monkeypatch.setattr(bulk, "COPY_CHUNK_ROWS", 1)
    stamp = timezone.now()
    survey_round = get_or_create_round(code="2026", province_code="31")
    household_ids = list(allocate_ids(Household, 1))
    insert_frame(Household, _households(1).with_columns(pl.Series("id", household_ids)))
    person_ids = list(allocate_ids(Person, 2))
    people = pl.DataFrame(
        {
            "id": person_ids,
            "cccd": ["031096000001", "031200000002"],
            "full_name": ["Nguyễn Thị Ánh Tuyết", "Đỗ Văn Ơn"],
            "search_name": ["nguyen thi anh tuyet", "do van on"],
            "birth_date": [datetime.date(1996, 2, 29), datetime.date(2000, 1, 1)],
            "sex": ["2", "1"],
            "household_id": [household_ids[0], None],
            "hamlet": ["", "Thôn Đông"],
            "current_address": ["Ấp Ơ", "Ấp 12"],
            "phone": ["", ""],
            "left_on": [None, datetime.date(2026, 7, 2)],
            "created_at": [stamp, stamp - datetime.timedelta(days=9000)],
        },
        schema_overrides={"household_id": pl.Int64},
    )
    # The Person fields the frame leaves out are blank, but for the commune, given below.
    text_constants = {
        name: "" for name in [*PERSON_FIELDS, "left_reason"] if name not in {*people.columns, "commune_code"}
    }
    with transaction.atomic():
        insert_frame(
            Person,
            people,
            constants={
                **text_constants,
                "province_code": "31",
                "commune_code": "10546",
                "updated_at": str(connection.ops.adapt_datetimefield_value(stamp)),
            },
        )
        insert_frame(
            LaborSituation,
            pl.DataFrame(
                {
                    "id": list(allocate_ids(LaborSituation, 2)),
                    "person_id": person_ids,
                    "unemployment_insurance": [True, False],
                    "birth_date": [datetime.date(1959, 12, 31), None],
                    "profile_key": [-(2**40), 2**40 + 7],
                }
            ),
            constants={
                **{name: "" for name in SITUATION_FIELDS if name not in ("unemployment_insurance",)},
                "province_code": "31",
                "commune_code": "10546",
                "sex": "1",
                "valid_from": survey_round.reference_date,
                "valid_to": None,
                "source": "survey",
                "change_kind": "increase",
                "survey_round_id": survey_round.pk,
                "batch_id": None,
                "workplace_in_industrial_zone": True,
                "recorded_at": stamp,
            },
        )
    first, second = Person.objects.order_by("id")
    assert [(p.cccd, p.sex, p.current_address, p.phone) for p in (first, second)] == [
        ("031096000001", "2", "Ấp Ơ", ""),
        ("031200000002", "1", "Ấp 12", ""),
    ]
    assert (first.full_name, first.birth_date, first.household_id, first.hamlet, first.left_on) == (
        "Nguyễn Thị Ánh Tuyết",
        datetime.date(1996, 2, 29),
        household_ids[0],
        "",
        None,
    )
    assert (second.full_name, second.birth_date, second.household_id, second.hamlet, second.left_on) == (
        "Đỗ Văn Ơn",
        datetime.date(2000, 1, 1),
        None,
        "Thôn Đông",
        datetime.date(2026, 7, 2),
    )
    assert (first.created_at, second.created_at) == (stamp, stamp - datetime.timedelta(days=9000))
    assert first.updated_at == second.updated_at == stamp
    situations = LaborSituation.objects.order_by("id")
    assert [
        (s.person_id, s.unemployment_insurance, s.birth_date, s.profile_key, s.valid_to) for s in situations
    ] == [
        (person_ids[0], True, datetime.date(1959, 12, 31), -(2**40), None),
        (person_ids[1], False, None, 2**40 + 7, None),
    ]
    assert {(s.workplace_in_industrial_zone, s.recorded_at, s.valid_from) for s in situations} == {
        (True, stamp, survey_round.reference_date)
    }


@pytest.mark.django_db
def test_a_constant_replaces_the_column_of_its_name():
    with transaction.atomic():
        insert_frame(
            Household,
            _households(2).with_columns(pl.lit("99").alias("province_code")),
            constants={"province_code": "31"},
        )
    assert list(Household.objects.values_list("province_code", flat=True)) == ["31", "31"]
