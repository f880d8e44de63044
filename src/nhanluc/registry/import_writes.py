"""The commit phase of the survey import: validated rows into the register in one transaction.

People, households, labour situations, address reviews and their audit rows, written in bulk (COPY on
PostgreSQL, executemany on SQLite); the generator writes its population with the same column shapes.
`registry.imports` reads and checks a file, then calls `commit_rows`.
"""

import datetime
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from nhanluc.core.bulk import (
    ARRAY_CHUNK,
    StagedFrame,
    allocate_ids,
    insert_frame,
    number_rows,
    prepare_rows,
    select_in,
    staging_area,
    writer_turn,
)
from nhanluc.core.choices import AuditAction
from nhanluc.core.services import Change, note_data_change, record_event, record_events
from nhanluc.core.text import fold_repeated
from nhanluc.registry.cell_values import LAZY_ENGINE
from nhanluc.registry.choices import (
    ChangeKind,
    PovertyStatus,
    SourceKind,
)
from nhanluc.registry.models import (
    AddressReview,
    Household,
    ImportBatch,
    LaborSituation,
    Person,
    SurveyRound,
)
from nhanluc.registry.profiles import profile_key_column, profile_key_of

# The fields of a labour situation that a survey row or an officer's edit sets.
SITUATION_FIELDS = (
    "general_education",
    "qualification",
    "training_field_code",
    "activity_status",
    "employment_status",
    "job_title",
    "occupation_code",
    "industry_code",
    "social_insurance_type",
    "unemployment_insurance",
    "contract_type",
    "workplace_name",
    "workplace_type",
    "enterprise_ownership",
    "workplace_address",
    "workplace_location",
    "workplace_province_code",
    "workplace_in_industrial_zone",
    "unemployment_type",
    "unemployment_duration",
    "inactive_reason",
    "training_need",
    "job_need",
)
PERSON_FIELDS = (
    "full_name",
    "birth_date",
    "sex",
    "ethnicity",
    "household_id",
    "relation_to_head",
    "commune_code",
    "hamlet",
    "current_address",
    "permanent_address",
    "permanent_province_code",
    "permanent_commune_code",
    "phone",
    "bhxh_number",
    "priority_groups",
)


def _text(name: str, alias: str = "") -> pl.Expr:
    return pl.col(name).fill_null("").alias(alias or name)


# The columns of a validated row that its person and its situation take as they are, blanks as ''
# (the text columns are NOT NULL). Built once: building a query's expressions cost as much as running
# it on a small file.
_PERSON_CELLS = (
    pl.col("_sheet"),
    pl.col("_row"),
    pl.col("cccd"),
    _text("full_name"),
    pl.col("birth_date_parsed").alias("birth_date"),
    _text("sex"),
    _text("ethnicity"),
    _text("household_number"),
    _text("relation_to_head"),
    _text("commune_code"),
    _text("hamlet"),
    _text("current_address"),
    _text("permanent_address"),
    _text("permanent_province_code"),
    _text("permanent_commune_code"),
    _text("phone_e164", "phone"),
    _text("bhxh_number"),
    _text("priority_groups"),
    _text("review_legacy_code"),
    _text("review_candidates"),
)
_SITUATION_CELLS = (
    *(
        _text(name)
        for name in SITUATION_FIELDS
        if name not in ("unemployment_insurance", "workplace_in_industrial_zone")
    ),
    (pl.col("unemployment_insurance_flag") == "1").alias("unemployment_insurance"),
    ((pl.col("industrial_zone_flag") == "1") & (pl.col("activity_status") == "1")).alias(
        "workplace_in_industrial_zone"
    ),
)


def _search_name(rows: pl.DataFrame) -> pl.Expr:
    return (
        fold_repeated("full_name", rows.get_column("full_name"))
        .fill_null("")
        .str.slice(0, 100)
        .alias("search_name")
    )


def person_columns(rows: pl.DataFrame, province_code: str) -> pl.DataFrame:
    """The Person columns of the validated rows."""
    return rows.select(*_PERSON_CELLS, _search_name(rows), pl.lit(province_code).alias("province_code"))


def situation_columns(rows: pl.DataFrame) -> pl.DataFrame:
    """The LaborSituation columns of the validated rows, with the person's CCCD."""
    return rows.select(pl.col("cccd"), _text("commune_code"), *_SITUATION_CELLS)


def _file_columns(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per person of the validated rows: the columns of their Person and of their situation."""
    return rows.select(*_PERSON_CELLS, _search_name(rows), *_SITUATION_CELLS)


class RegisteredElsewhere(Exception):
    """Rows name people present in the register in another commune, which the checks did not see
    (registered in between by another import): the rules would have refused those rows."""

    def __init__(self, cccds: list[str]):
        super().__init__(f"{len(cccds)} people registered in another commune since the file was checked")
        self.cccds = cccds


class _RegisterChanged(Exception):
    """Someone the checks found in the register is gone from it: the commit looks every row up again."""


def commit_rows(
    rows: pl.DataFrame,
    *,
    batch: ImportBatch,
    survey_round: SurveyRound,
    actor,
    source: str,
    finish: Callable[[dict], None],
    registered: frozenset[str] | None = None,
) -> dict:
    """Write validated rows: households, people, situations, address reviews and audit, in one transaction.

    `finish(counts)` closes the batch inside the same transaction: the batch says "committed" exactly
    when its rows are there, and on SQLite it needs no second turn at the write lock.

    `registered`: the CCCDs of the rows that the checks found in the register (also those recorded as
    having left), so that the commit looks up only those (a fresh commune: none) instead of every row
    again, and prepares the rows of the others before its turn at the SQLite write lock. Someone
    registered since then (another import) makes the insert fail on the CCCD's uniqueness; the commit
    then runs again and looks every row up.
    """
    arguments = {
        "batch": batch,
        "survey_round": survey_round,
        "actor": actor,
        "source": source,
        "finish": finish,
    }
    if registered is not None:
        try:
            return _commit_rows(rows, registered=registered, **arguments)
        except (IntegrityError, connection.Database.IntegrityError, _RegisterChanged):
            pass  # the register changed since the checks: look every row up
    return _commit_rows(rows, registered=None, **arguments)


@dataclass
class _NewPeople:
    """The rows a commit writes for people new to the register, numbered before their ids are known.

    Worked out, and on SQLite written to the stage, before the commit's turn at the write lock when
    the checks said who is registered (the turn then holds little more than the INSERT … SELECTs);
    in the turn otherwise. The ids come in the turn: the person at `position` p gets the p-th person
    id allocated, and their situation the p-th situation id.
    """

    # Every household the file names: household_id and old_status where registered; for the others
    # household_position, 1 to n.
    households: pl.DataFrame
    people: pl.DataFrame  # cccd, position
    people_rows: pl.DataFrame | StagedFrame  # their Person columns
    situation_rows: pl.DataFrame | StagedFrame  # their situations (position, person_position)


def _commit_rows(
    rows: pl.DataFrame,
    *,
    batch: ImportBatch,
    survey_round: SurveyRound,
    actor,
    source: str,
    finish: Callable[[dict], None],
    registered: frozenset[str] | None,
) -> dict:
    counts = {
        "people_created": 0,
        "people_updated": 0,
        "situations_opened": 0,
        "situations_closed": 0,
        "situations_updated": 0,
        "unchanged": 0,
        "newer_round_kept": 0,
        "addresses_to_review": 0,
    }
    if rows.is_empty():
        finish(counts)
        return counts
    province_code = survey_round.province_code
    stamp = str(connection.ops.adapt_datetimefield_value(timezone.now()))  # as each backend stores it
    people = _file_columns(rows)
    with staging_area() as stage:
        # On SQLite one transaction writes at a time, and another import waits for it: what can be
        # done before the turn is done before it (staging the rows was a quarter of the turn).
        planned = None if registered is None else _new_people(people, registered, stage)
        with writer_turn(stage), _forgotten_on_rollback(batch), transaction.atomic():
            batch.save()  # its first write: the situations name it
            existing = _registered(people, registered)
            registered_ids = {cccd: row[1] for cccd, row in existing.items()}
            _refuse_moves(people, existing)
            # A file older than what the register knows of a person (a later round or update, or a
            # decrease after this round's date) changes nothing of theirs.
            newer = _known_later(existing, survey_round)
            counts["newer_round_kept"] = len(newer)
            if newer:
                people = people.filter(~pl.col("cccd").is_in(newer))
            if planned is None or newer or not _households_unchanged(planned.households):
                planned = _new_people(people, existing, stage)
            household_ids = _write_households(planned.households, stage)
            person_ids = allocate_ids(Person, planned.people.height)
            insert_frame(
                Person,
                planned.people_rows,
                stage=stage,
                constants={
                    "province_code": province_code,
                    "left_reason": "",
                    "created_at": stamp,
                    "updated_at": stamp,
                },
                numbering={
                    "id": ("position", person_ids),
                    "household_id": ("household_position", household_ids),
                },
            )
            counts["people_created"] = planned.people.height
            insert_frame(
                LaborSituation,
                planned.situation_rows,
                stage=stage,
                constants={
                    **_situation_constants(survey_round, batch, stamp),
                    "change_kind": ChangeKind.INCREASE.value,
                },
                numbering={
                    "id": ("position", allocate_ids(LaborSituation, planned.situation_rows.height)),
                    "person_id": ("person_position", person_ids),
                },
            )
            counts["situations_opened"] = planned.situation_rows.height
            changes: list[Change] = []
            if existing:
                registered_people = people.filter(pl.col("cccd").is_in(list(existing))).join(
                    number_rows(
                        planned.households, "household_id", "household_position", household_ids
                    ).select(*HOUSEHOLD_KEY, "household_id"),
                    on=HOUSEHOLD_KEY,
                    how="left",
                    maintain_order="left",
                )
                counts["people_updated"] = _update_people(registered_people, existing, changes, province_code)
                _situations(
                    registered_people.with_columns(
                        pl.col("cccd")
                        .replace_strict(registered_ids, return_dtype=pl.Int64)
                        .alias("person_id")
                    ),
                    batch,
                    survey_round,
                    stamp,
                    changes,
                    counts,
                    province_code,
                    stage,
                )
            pending = people.filter(pl.col("review_legacy_code") != "")
            if not pending.is_empty():
                new_ids = number_rows(planned.people, "person_id", "position", person_ids)
                counts["addresses_to_review"] = _address_reviews(
                    pending,
                    {**dict(new_ids.select("cccd", "person_id").iter_rows()), **registered_ids},
                    batch,
                    province_code,
                )
            note_data_change(
                domain="register",
                province_code=province_code,
                units=people.get_column("commune_code").unique().to_list(),
            )
            record_events(actor=actor, source=source, changes=changes)
            record_event(
                actor=actor,
                action=AuditAction.LOAD,
                object_type="registry.importbatch",
                object_id=batch.pk,
                object_repr=batch.file_name,
                changes=counts,
                source=source,
                province_code=province_code,
                commune_code=batch.commune_code,
            )
            finish(counts)
    return counts


def _registered(people: pl.DataFrame, registered: frozenset[str] | None) -> dict[str, tuple]:
    """CCCD → (cccd, id, *PERSON_FIELDS, left_on) of the people of the file in the register, locked.

    `registered`: the CCCDs the checks found (see commit_rows), or None to look every row up.
    """
    if registered is not None and not registered:
        return {}  # the checks found no one (a commune's first survey): nothing to look up or lock
    file_cccds = people.get_column("cccd").to_list()
    if registered is None:
        cccds = [cccd for (cccd,) in select_in(Person, ["cccd"], "cccd", file_cccds)]
    else:
        cccds = [cccd for cccd in file_cccds if cccd in registered]
    existing_rows = []
    for start in range(0, len(cccds), ARRAY_CHUNK):
        existing_rows += list(
            # Locked against a concurrent delete until the commit (no database constraint would
            # refuse a situation of a person deleted meanwhile); SQLite's write lock does this.
            Person.objects.filter(cccd__in=cccds[start : start + ARRAY_CHUNK])
            .select_for_update(no_key=True)
            .values_list("cccd", "id", *PERSON_FIELDS, "left_on")
        )
    if registered is not None and len(existing_rows) != len(cccds):
        raise _RegisterChanged  # the rows prepared before the turn took them for registered
    return {row[0]: row for row in existing_rows}


def _new_people(people: pl.DataFrame, registered: Collection[str], stage) -> _NewPeople:
    """The households of the file, and the rows of its people not in `registered` (see _NewPeople)."""
    households = _file_households(people)
    new_people = people.lazy()
    if registered:
        new_people = new_people.filter(~pl.col("cccd").is_in(list(registered)))
    new_people = (
        new_people.join(
            households.lazy().select(*HOUSEHOLD_KEY, "household_id", "household_position"),
            on=HOUSEHOLD_KEY,
            how="left",
            maintain_order="left",
        )
        # A person has one situation in a file, so one position numbers both.
        .with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("position"))
        .collect(engine=LAZY_ENGINE)
    )
    return _NewPeople(
        households=households,
        people=new_people.select("cccd", "position"),
        people_rows=prepare_rows(
            new_people.select("position", "household_position", "cccd", "search_name", *PERSON_FIELDS), stage
        ),
        situation_rows=prepare_rows(
            new_people.select(
                "position",
                pl.col("position").alias("person_position"),
                "commune_code",
                "sex",
                "birth_date",
                *SITUATION_FIELDS,
                profile_key_column(),
            ),
            stage,
        ),
    )


def _situation_constants(survey_round: SurveyRound, batch: ImportBatch, stamp: str) -> dict:
    """The columns the same on every situation a survey file opens."""
    return {
        "province_code": survey_round.province_code,
        "valid_from": survey_round.reference_date,
        "valid_to": None,
        "source": SourceKind.SURVEY.value,
        "survey_round_id": survey_round.pk,
        "batch_id": batch.pk,
        "recorded_at": stamp,
    }


COMMUNE_AT = 2 + PERSON_FIELDS.index("commune_code")  # in a row of `existing`


def _refuse_moves(people: pl.DataFrame, existing: dict) -> None:
    """A row may not take a person present in another commune: that commune records the decrease
    first (the rules refuse such rows; this catches people registered after the checks ran)."""
    present = {cccd: row[COMMUNE_AT] for cccd, row in existing.items() if row[-1] is None}
    if not present:
        return
    registered_in = pl.col("cccd").replace_strict(present, default=None, return_dtype=pl.Utf8)
    moved = people.filter(registered_in != pl.col("commune_code")).get_column("cccd").to_list()
    if moved:
        raise RegisteredElsewhere(moved)


@contextmanager
def _forgotten_on_rollback(batch: ImportBatch) -> Iterator[None]:
    """When the transaction inside rolls back, the batch's row goes with it: forget its id, which SQLite
    gives again to the next batch written, so that recording the failure inserts a row of its own."""
    try:
        yield
    except BaseException:
        batch.pk = None
        raise


def _known_later(existing: dict, survey_round: SurveyRound) -> list[str]:
    """CCCDs of registered people whose record is newer than the round's reference date."""
    reference_date = survey_round.reference_date
    later = {cccd for cccd, row in existing.items() if row[-1] is not None and row[-1] > reference_date}
    ids = {row[1]: cccd for cccd, row in existing.items()}
    person_ids = list(ids)
    for start in range(0, len(person_ids), ARRAY_CHUNK):
        open_later = (
            LaborSituation.objects.filter(
                person_id__in=person_ids[start : start + ARRAY_CHUNK],
                valid_to__isnull=True,
                valid_from__gte=reference_date,
            )
            .exclude(survey_round=survey_round)
            .values_list("person_id", flat=True)
        )
        later.update(ids[pk] for pk in open_later)
    return sorted(later)


HOUSEHOLD_KEY = ["commune_code", "household_number"]


# Households named in one commune from which reading all of the commune's is cheaper than probing each.
READ_WHOLE_COMMUNE_FROM = 500


def _file_households(people: pl.DataFrame) -> pl.DataFrame:
    """The households the file names, with the poverty status their members' priority groups give,
    as the register has them (household_id, old_status) or numbered for insertion (household_position)."""
    households = (
        people.lazy()
        .filter(pl.col("household_number") != "")
        .group_by(HOUSEHOLD_KEY, maintain_order=True)
        .agg(
            poor=pl.col("priority_groups").str.contains("1", literal=True).any(),
            near_poor=pl.col("priority_groups").str.contains("2", literal=True).any(),
        )
        .select(
            *HOUSEHOLD_KEY,
            pl.when(pl.col("poor"))
            .then(pl.lit(PovertyStatus.POOR.value))
            .when(pl.col("near_poor"))
            .then(pl.lit(PovertyStatus.NEAR_POOR.value))
            .otherwise(pl.lit(PovertyStatus.NONE.value))
            .alias("poverty_status"),
        )
        .collect(engine=LAZY_ENGINE)
    )
    registered = _registered_households(households)
    if registered.is_empty():  # a commune surveyed for the first time
        return households.with_columns(
            pl.lit(None, dtype=pl.Int64).alias("household_id"),
            pl.lit(None, dtype=pl.Utf8).alias("old_status"),
            pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("household_position"),
        )
    is_new = pl.col("household_id").is_null()
    return households.join(registered, on=HOUSEHOLD_KEY, how="left", maintain_order="left").with_columns(
        pl.when(is_new).then(is_new.cast(pl.Int64).cum_sum()).alias("household_position")
    )


def _registered_households(households: pl.DataFrame) -> pl.DataFrame:
    """The households of `households` (HOUSEHOLD_KEY) in the register: household_id, old_status.

    A file naming many households of a commune (a commune's survey) reads all of that commune's
    households, one range of the (commune, number) index: on PostgreSQL, 6 500 households read this
    way took 2 ms, against 25 ms when each number was probed. A file naming few households of a
    commune probes their numbers, so that a province-wide correction file does not read every
    household of the province.
    """
    columns = ["commune_code", "number", "id", "poverty_status"]
    found = []
    communes = households.get_column("commune_code")
    for commune in communes.unique().to_list():
        numbers = households.get_column("household_number")
        if communes.n_unique() > 1:
            numbers = numbers.filter(communes == commune)
        if numbers.len() >= READ_WHOLE_COMMUNE_FROM:
            found += Household.objects.filter(commune_code=commune).values_list(*columns)
        else:
            found += select_in(
                Household, columns, "number", numbers.to_list(), where="commune_code = %s", params=[commune]
            )
    schema = {
        "commune_code": pl.Utf8,
        "household_number": pl.Utf8,
        "household_id": pl.Int64,
        "old_status": pl.Utf8,
    }
    return pl.DataFrame(found, schema=schema, orient="row")


def _households_unchanged(households: pl.DataFrame) -> bool:
    """Whether the households found in the register before the writer's turn are still as they were.

    (One registered meanwhile makes the insert of the same household fail on its uniqueness.)
    """
    if households.get_column("household_id").null_count() == households.height:
        return True
    columns = ["household_id", *HOUSEHOLD_KEY, "old_status"]
    before = households.filter(pl.col("household_id").is_not_null()).select(columns)
    now = select_in(
        Household,
        ["id", "commune_code", "number", "poverty_status"],
        "id",
        before.get_column("household_id").to_list(),
    )
    return sorted(now) == sorted(before.iter_rows())


def _write_households(households: pl.DataFrame, stage) -> Sequence[int]:
    """Set the poverty status of the registered households; insert the others. Returns their ids."""
    new = households
    if households.get_column("household_id").null_count() < households.height:
        changed = households.filter(
            pl.col("household_id").is_not_null() & (pl.col("old_status") != pl.col("poverty_status"))
        )
        Household.objects.bulk_update(
            [
                Household(pk=pk, poverty_status=status)
                for pk, status in changed.select("household_id", "poverty_status").iter_rows()
            ],
            ["poverty_status"],
            batch_size=2000,
        )
        new = households.filter(pl.col("household_id").is_null())
    ids = allocate_ids(Household, new.height)
    insert_frame(
        Household,
        new.select(
            "household_position", "commune_code", pl.col("household_number").alias("number"), "poverty_status"
        ),
        stage=stage,
        constants={"province_code": settings.NHANLUC_PROVINCE},
        numbering={"id": ("household_position", ids)},
    )
    return ids


def _update_people(people: pl.DataFrame, existing: dict, changes: list[Change], province_code: str) -> int:
    """Update the registered people of the file (`people`, with their household_id) where they changed."""
    updates = []
    corrected_identity = []
    for record in people.iter_rows(named=True):
        old = existing[record["cccd"]]
        person = Person(pk=old[1], cccd=record["cccd"])
        differences = {}
        old_values = dict(zip(PERSON_FIELDS, old[2:], strict=False))
        for name in PERSON_FIELDS:
            new_value = record.get(name)
            if (
                name in ("permanent_commune_code", "permanent_province_code")
                and not new_value
                and record["permanent_address"] == old_values["permanent_address"]
            ):
                # The officer already placed this address (a split ward); the same text keeps their choice.
                new_value = old_values[name]
            setattr(person, name, new_value)
            if old_values[name] != new_value:
                differences[name] = [_plain(old_values[name]), _plain(new_value)]
        if old[-1] is not None:
            # Recorded as left, surveyed again afterwards: they live here now.
            differences["left_on"] = [_plain(old[-1]), None]
        if "sex" in differences or "birth_date" in differences:
            corrected_identity.append(person)
        if differences:
            person.search_name = record["search_name"]
            person.province_code = province_code
            person.updated_at = timezone.now()
            updates.append(person)
            changes.append(
                Change(
                    action=AuditAction.UPDATE,
                    object_type="registry.person",
                    object_id=person.pk,
                    object_repr=record["full_name"],
                    changes=differences,
                    province_code=province_code,
                    commune_code=record["commune_code"],
                )
            )
    Person.objects.bulk_update(
        updates,
        [*PERSON_FIELDS, "left_on", "left_reason", "search_name", "province_code", "updated_at"],
        batch_size=1000,
    )
    # A corrected sex or date of birth also corrects the copies on the person's situations (rare).
    for person in corrected_identity:
        person.copy_identity_to_situations()
    return len(updates)


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _situations(situations, batch, survey_round, stamp, changes, counts, province_code, stage) -> None:
    """The situations of the registered people of the file (those of new people are `_NewPeople`'s)."""
    if situations.is_empty():
        return
    reference_date = survey_round.reference_date
    person_ids = situations.get_column("person_id").to_list()
    open_rows = []
    for start in range(0, len(person_ids), ARRAY_CHUNK):
        open_rows += list(
            LaborSituation.objects.filter(
                person_id__in=person_ids[start : start + ARRAY_CHUNK], valid_to__isnull=True
            ).values_list("person_id", "id", "survey_round_id", "valid_from")
        )
    current = pl.DataFrame(
        open_rows,
        schema={"person_id": pl.Int64, "open_id": pl.Int64, "open_round_id": pl.Int64, "open_from": pl.Date},
        orient="row",
    )
    # Each person's open situation: none (insert), this round's (unchanged or replaced in place), an
    # older round's (closed on this round's date, then a new one) or a newer round's (kept).
    found = pl.col("open_id").is_not_null()
    same_round = found & (pl.col("open_round_id") == survey_round.pk)
    newer = found & ~same_round & (pl.col("open_from") >= reference_date)
    older = found & ~same_round & ~newer
    frame = situations.join(current, on="person_id", how="left", maintain_order="left").with_columns(
        same_round.alias("_same_round"), newer.alias("_newer"), older.alias("_older"), found.alias("_found")
    )
    # This round's situations are compared field by field with the rows: read only for them.
    same_round_ids = frame.filter(pl.col("_same_round")).get_column("open_id").to_list()
    recorded = []
    for start in range(0, len(same_round_ids), ARRAY_CHUNK):
        recorded += list(
            LaborSituation.objects.filter(pk__in=same_round_ids[start : start + ARRAY_CHUNK]).values_list(
                "id", *SITUATION_FIELDS
            )
        )
    recorded = pl.DataFrame(
        recorded,
        schema={
            "open_id": pl.Int64,
            **{f"open_{name}": situations.schema[name] for name in SITUATION_FIELDS},
        },
        orient="row",
    )
    frame = frame.join(recorded, on="open_id", how="left", maintain_order="left")
    unchanged = pl.col("_same_round") & pl.all_horizontal(
        pl.col(name).eq_missing(pl.col(f"open_{name}")) for name in SITUATION_FIELDS
    )
    counts["unchanged"] += frame.filter(unchanged).height
    counts["newer_round_kept"] += frame.filter(pl.col("_newer")).height
    to_close = frame.filter(pl.col("_older")).get_column("open_id").to_list()
    to_replace = frame.filter(pl.col("_same_round") & ~unchanged).iter_rows(named=True)
    to_insert = frame.filter(~pl.col("_found") | pl.col("_older"))
    for start in range(0, len(to_close), ARRAY_CHUNK):
        LaborSituation.objects.filter(pk__in=to_close[start : start + ARRAY_CHUNK]).update(
            valid_to=reference_date
        )
    counts["situations_closed"] = len(to_close)
    replaced = []
    for record in to_replace:
        situation = LaborSituation(pk=record["open_id"], batch_id=batch.pk, sex=record["sex"])
        differences = {}
        for name in SITUATION_FIELDS:
            setattr(situation, name, record[name])
            if record[f"open_{name}"] != record[name]:
                differences[name] = [record[f"open_{name}"], record[name]]
        situation.profile_key = profile_key_of(situation)
        replaced.append(situation)
        changes.append(
            Change(
                action=AuditAction.UPDATE,
                object_type="registry.laborsituation",
                object_id=situation.pk,
                changes=differences,
                province_code=province_code,
                commune_code=record["commune_code"],
            )
        )
    LaborSituation.objects.bulk_update(
        replaced, [*SITUATION_FIELDS, "profile_key", "batch_id"], batch_size=1000
    )
    counts["situations_updated"] = len(replaced)
    if not to_insert.is_empty():
        insert_frame(
            LaborSituation,
            to_insert.select(
                pl.Series("id", allocate_ids(LaborSituation, to_insert.height), dtype=pl.Int64),
                "person_id",
                "commune_code",
                "sex",
                "birth_date",
                *SITUATION_FIELDS,
                profile_key_column(),
            ),
            stage=stage,
            constants={
                **_situation_constants(survey_round, batch, stamp),
                "change_kind": ChangeKind.UPDATE.value,
            },
        )
    counts["situations_opened"] += to_insert.height


def _address_reviews(
    pending: pl.DataFrame, person_ids: dict[str, int], batch: ImportBatch, province_code: str
) -> int:
    """Queue the rows whose permanent address names a split legacy ward (`person_ids`: CCCD → id)."""
    ids = [person_ids[cccd] for cccd in pending.get_column("cccd").to_list()]
    already = set(
        AddressReview.objects.filter(person_id__in=ids, field="permanent_address").values_list(
            "person_id", flat=True
        )
    )
    reviews = [
        AddressReview(
            person_id=person_ids[record["cccd"]],
            batch=batch,
            province_code=province_code,
            commune_code=record["commune_code"],
            field="permanent_address",
            address_text=record["permanent_address"][:255],
            legacy_commune_code=record["review_legacy_code"],
            candidates=[code for code in record["review_candidates"].split(",") if code],
        )
        for record in pending.iter_rows(named=True)
        if person_ids[record["cccd"]] not in already
    ]
    AddressReview.objects.bulk_create(reviews, batch_size=2000)
    return len(reviews)
