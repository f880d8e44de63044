"""Bulk writes of Polars frames: COPY on PostgreSQL; on SQLite a staged file copied with one
INSERT … SELECT (`staged_writes`), or batched executemany inside a transaction already open (DESIGN.md §7).

All run on the caller's connection and inside the caller's transaction, so an import stays
all-or-nothing: a crash or a kill before the commit leaves the tables exactly as they were.
"""

import datetime
import fcntl
import functools
import json
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import adbc_driver_sqlite.dbapi as adbc_sqlite
import polars as pl
from django.conf import settings
from django.db import connection, transaction

from nhanluc.core import copy_binary

COPY_CHUNK_ROWS = 200_000
EXECUTEMANY_BATCH = 20_000
# Values per array parameter on PostgreSQL. Given thousands of keys at once, the planner reads the whole
# table rather than probe the index for each (a 13 000-key lookup: 0,14 s at 230 000 people, growing with
# the table); a thousand at a time it probes the index, whatever the table's size.
ARRAY_CHUNK = 1_000
KEY_SEPARATOR = "|"  # between the keys that select_in sends PostgreSQL as one string
SQLITE_BULK_CACHE_KIB = -262_144  # PRAGMA cache_size: negative means KiB, so 256 MiB
# A large write's commit copies the log back into the database once the log passes this size (SQLite's
# default is 1 000 pages, 8 MB with our pages). A commune's file logs more than that, so each commit
# also copied the log back, and rewrote the same index pages each time; 80 MB lets files imported one
# after the other share one copy (the summed commit of the 1 M-row import: 27-28 s instead of
# 30-33 s). The copy is not saved, only deferred: the next commit of any connection with the default
# threshold makes it (a fraction of a second for 80 MB).
BULK_WAL_AUTOCHECKPOINT_BYTES = 80 * 1024 * 1024  # set as pages (PRAGMA wal_autocheckpoint)
# SQLite refuses an eleventh attached database (SQLITE_MAX_ATTACHED); one transaction stages a few tables.
MAX_STAGED_TABLES = 8
STAGE_INFIX = "-stage-"  # in the names of the stage folders, beside the database
NEW_STAGE_INFIX = "-new-stage-"  # … before their owner has locked them
STAGE_LOCK_NAME = ".in-use"  # the file in a stage folder that its owner holds a lock on


class WriterBusy(Exception):
    """Another large write held the SQLite database longer than NHANLUC_BULK_WRITE_WAIT_SECONDS."""


@dataclass(frozen=True)
class StagedFrame:
    """A frame written to its own SQLite file by `SqliteStage.write`, waiting to be inserted."""

    path: Path
    columns: tuple[str, ...]  # every column of the frame, in its order
    height: int
    # Columns left out of the file: one value in every row (written as SQLite stores it), given once in
    # the INSERT … SELECT; and columns counting the rows 1, 2, 3…, which the file's rowid gives.
    repeated: dict[str, object] = field(default_factory=dict)
    counting: tuple[str, ...] = ()


class SqliteStage:
    """Frames written to their own SQLite files, attached to the connection to be copied from.

    Python's sqlite3 binds every value of every row one at a time: 14 µs for a row of 37 columns,
    most of an import's commit. The ADBC driver writes a whole Arrow frame to a separate file in C
    (a sixth of that); the transaction then attaches the file and copies it with one INSERT … SELECT.
    The file is written and closed before it is attached, so the two SQLite libraries in this process
    never hold the same file open together (https://sqlite.org/howtocorrupt.html §2.2.1).

    Writing a file takes no turn at the database: a caller that knows its rows early writes them
    before `writer_turn`, so that the turn holds only the INSERT … SELECT.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.aliases: list[str] = []
        self.written = 0

    def write(self, frame: pl.DataFrame) -> StagedFrame:
        """Write `frame`, as SQLite stores its values, to a new file of the stage."""
        path = self.folder / f"nhanluc_stage_file_{self.written}.sqlite3"
        self.written += 1
        frame = _as_sqlite_stores(frame).with_columns(
            # A column of nothing but nulls has no Arrow type the driver can write.
            pl.col(pl.Null).cast(pl.Utf8)
        )
        # The driver binds every value on its own: a column the INSERT … SELECT can give without the
        # file (a commune's code, a blank field of the survey, the row's position) is not written.
        repeated, counting = _repeated_columns(frame)
        stored = frame.drop(*repeated, *counting)
        if stored.width == 0:  # a table needs a column
            stored = frame.select(pl.first())
            repeated.pop(stored.columns[0], None)
            counting = tuple(name for name in counting if name != stored.columns[0])
        # A scratch file needs no journal and no flush to disk: a crash leaves it to be deleted.
        with adbc_sqlite.connect(str(path), autocommit=True) as staging, staging.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.adbc_ingest("rows", stored, mode="create")
        return StagedFrame(
            path=path, columns=tuple(frame.columns), height=frame.height, repeated=repeated, counting=counting
        )

    def attach(self, staged: StagedFrame) -> str:
        """Attach a written file (in the writer's turn); return the name of its table to select from."""
        if len(self.aliases) >= MAX_STAGED_TABLES:
            raise RuntimeError(f"at most {MAX_STAGED_TABLES} staged tables per transaction")
        alias = f"nhanluc_stage_{len(self.aliases)}"
        with connection.cursor() as cursor:
            cursor.execute(f"ATTACH DATABASE %s AS {alias}", [str(staged.path)])
        self.aliases.append(alias)
        return f"{alias}.rows"


def _repeated_columns(frame: pl.DataFrame) -> tuple[dict[str, object], tuple[str, ...]]:
    """The columns of `frame` holding one value in every row ({name: value}), and those holding the
    row numbers 1, 2, 3… (an integer column). Only columns whose first and last rows fit are read."""
    if frame.height == 0:
        return {}, ()
    first, last = frame.row(0), frame.row(-1)
    # Values the connection can bind as they are (dates are text by now, booleans 0 and 1).
    same = [
        name
        for name, a, b in zip(frame.columns, first, last, strict=True)
        if a == b and (a is None or isinstance(a, int | float | str))
    ]
    counting = [
        name
        for name, a, b in zip(frame.columns, first, last, strict=True)
        if a == 1 and b == frame.height and frame.schema[name].is_integer()
    ]
    if not same and not counting:
        return {}, ()
    found = frame.select(
        *(pl.col(name).eq_missing(pl.col(name).first()).all().alias(f"same {name}") for name in same),
        *(
            (pl.col(name) == pl.int_range(1, pl.len() + 1, dtype=pl.Int64)).all().alias(f"counting {name}")
            for name in counting
        ),
    ).row(0)
    repeated = {name: first[frame.columns.index(name)] for name, yes in zip(same, found, strict=False) if yes}
    counted = tuple(name for name, yes in zip(counting, found[len(same) :], strict=True) if yes)
    return repeated, counted


def prepare_rows(frame: pl.DataFrame, stage: SqliteStage | None) -> pl.DataFrame | StagedFrame:
    """Rows for `insert_frame`, written ahead into the stage where there is one (SQLite)."""
    if stage is None or frame.is_empty():
        return frame
    return stage.write(frame)


@contextmanager
def staged_writes() -> Iterator[SqliteStage | None]:
    """Wrap a transaction of large `insert_frame` calls in this, outside it, and pass what it yields.

        with staged_writes() as stage, transaction.atomic():
            insert_frame(Person, frame, stage=stage)

    The same as `staging_area()` then `writer_turn()`, for a caller with nothing to write ahead.
    """
    with staging_area() as stage, writer_turn(stage):
        yield stage


@contextmanager
def staging_area() -> Iterator[SqliteStage | None]:
    """A folder for the staged files of one transaction, deleted with them at the end.

    On SQLite it yields a stage. It yields None on PostgreSQL (COPY needs no stage), for a database
    in memory, and inside a transaction already open (a caller's, or a test's), where the files could
    not be detached: `insert_frame` then binds the rows itself.

    The files go beside the database, on its disk rather than in a temporary folder that may be small
    or in memory (a million people are hundreds of MB). They hold personal data, so the folders that a
    killed process left behind are deleted by the next writer (`writer_turn`): a folder's owner holds
    a lock on it, which the system releases when the process ends, however it ends.
    """
    database = Path(str(connection.settings_dict["NAME"]))
    in_memory = str(database) == ":memory:" or str(database).startswith("file:")
    if connection.vendor != "sqlite" or in_memory or connection.in_atomic_block:
        yield None
        return
    # Made under another name and renamed once locked: a writer cleaning up never sees it unlocked.
    folder = Path(tempfile.mkdtemp(prefix=f".{database.name}{NEW_STAGE_INFIX}", dir=database.parent))
    try:
        with open(folder / STAGE_LOCK_NAME, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            staged = folder.with_name(folder.name.replace(NEW_STAGE_INFIX, STAGE_INFIX, 1))
            folder.rename(staged)
            folder = staged
            yield SqliteStage(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def writer_turn(stage: SqliteStage | None) -> Iterator[None]:
    """The turn at the SQLite database for a transaction that inserts from `stage` (from
    `staging_area()`): wrap the transaction in this, outside it. Nothing to wait for without a stage.

    The stage's files are detached when the transaction has ended (SQLite refuses to detach a
    database a transaction has read).
    """
    if stage is None:
        yield
        return
    with _bulk_writer_turn(stage.folder):
        checkpoint_pages = _set_pragma(
            "wal_autocheckpoint", BULK_WAL_AUTOCHECKPOINT_BYTES // _pragma("page_size")
        )
        cache_size = _set_pragma("cache_size", SQLITE_BULK_CACHE_KIB)
        try:
            yield
        finally:
            _detach(stage.aliases)
            if connection.connection is not None:  # a failed rollback closed it (see _detach)
                _set_pragma("wal_autocheckpoint", checkpoint_pages)
                _set_pragma("cache_size", cache_size)


def _pragma(name: str) -> int:
    """One of the connection's numeric settings."""
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def _set_pragma(name: str, value: int) -> int:
    """Set one of the connection's numeric settings; return the value it had."""
    previous = _pragma(name)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name} = {int(value)}")
    return previous


def _detach(aliases: list[str]) -> None:
    # A failed rollback closes the connection, and the next cursor opens a new one without the stage:
    # detach only what is still attached, so that the error that ended the transaction is the one seen.
    if connection.connection is None:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        attached = {row[1] for row in cursor.fetchall()}
        for alias in aliases:
            if alias in attached:
                cursor.execute(f"DETACH DATABASE {alias}")


@contextmanager
def _bulk_writer_turn(own_folder: Path) -> Iterator[None]:
    """Large SQLite writes take turns on a lock file beside the database.

    SQLite lets one transaction write at a time and makes the others poll, sleeping up to 100 ms
    between tries, and give up after the connection's timeout: two imports committing together
    would idle between turns or fail with "database is locked". A file lock queues them instead: the
    next one starts within 20 ms of the lock being free, and gives up (WriterBusy) only after
    NHANLUC_BULK_WRITE_WAIT_SECONDS.

    In its turn a writer deletes the stage folders that no process holds (a killed writer's).
    """
    database = Path(str(connection.settings_dict["NAME"]))
    with open(f"{database}.bulk-lock", "a") as handle:
        _wait_for_turn(handle, settings.NHANLUC_BULK_WRITE_WAIT_SECONDS)  # released when the file is closed
        for folder in database.parent.glob(f".{database.name}{STAGE_INFIX}*"):
            if folder != own_folder and not _held(folder / STAGE_LOCK_NAME):
                shutil.rmtree(folder, ignore_errors=True)
        # A folder not yet renamed is unlocked for an instant after it is made: only old ones are a
        # killed process's.
        for folder in database.parent.glob(f".{database.name}{NEW_STAGE_INFIX}*"):
            if time.time() - folder.stat().st_mtime > 60 and not _held(folder / STAGE_LOCK_NAME):
                shutil.rmtree(folder, ignore_errors=True)
        yield


def _held(lock_path: Path) -> bool:
    """Whether a live process holds the lock of a stage folder."""
    try:
        with open(lock_path) as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except FileNotFoundError:
        return False
    return False


def _wait_for_turn(handle, seconds: float) -> None:
    """Take the lock on `handle`, or raise WriterBusy after `seconds`.

    A blocking flock cannot be given a timeout, and a writer stuck in its transaction would keep the
    next in the queue forever: the lock is tried again after a pause that grows to 20 ms, so that the
    next writer still starts within 20 ms of the previous one's end.
    """
    deadline = time.monotonic() + seconds
    pause = 0.001
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                minutes = max(1, round(seconds / 60))
                raise WriterBusy(
                    f"Một lần ghi lớn khác (nhập tệp, sinh dữ liệu) đã giữ cơ sở dữ liệu hơn {minutes} phút; "
                    f"chưa ghi gì, hãy thử lại sau. / Another large write (an import, the generator) has "
                    f"held the database for over {minutes} minute(s); nothing was written, try again later."
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.02)


# (database, table) → the sequence of its primary key: looked up once per process, not once a file.
_ID_SEQUENCES: dict[tuple[str, str], str] = {}


def _id_sequence(cursor, table: str, column: str) -> str:
    # Resolved once, not in the nextval query: resolving it on every row costs five times the nextval.
    key = (connection.settings_dict["NAME"], table)
    if key not in _ID_SEQUENCES:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        _ID_SEQUENCES[key] = cursor.fetchone()[0]
    return _ID_SEQUENCES[key]


def allocate_ids(model, count: int) -> Sequence[int]:
    """Primary keys for `count` new rows, reserved before the rows are written (COPY returns no ids).

    In increasing order; a range when they are consecutive, as they are on SQLite and almost always on
    PostgreSQL.
    """
    if count == 0:
        return range(0)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sequence = _id_sequence(cursor, table, model._meta.pk.column)
            # Only the first and the last come back: a commune's 9 000 ids fetched one row each took
            # 6 ms, this 2,7 ms. They are consecutive unless another session drew from the sequence
            # meanwhile; then which ids in between are ours is unknown, and the ids are drawn again
            # one row each (the first draw is left unused: a sequence may have gaps).
            cursor.execute(
                "SELECT MIN(id), MAX(id) "
                "FROM (SELECT nextval(%s::regclass) AS id FROM generate_series(1, %s)) AS drawn",
                [sequence, count],
            )
            first, last = cursor.fetchone()
            if last - first + 1 == count:
                return range(first, last + 1)
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the connection holds the write lock (transactions start IMMEDIATE), so MAX is stable.
        cursor.execute(f'SELECT COALESCE(MAX("{model._meta.pk.column}"), 0) FROM "{table}"')
        start = cursor.fetchone()[0] + 1
        return range(start, start + count)


def insert_frame(
    model,
    frame: pl.DataFrame | StagedFrame,
    *,
    stage: SqliteStage | None = None,
    constants: dict | None = None,
    numbering: dict[str, tuple[str, Sequence[int]]] | None = None,
) -> int:
    """Insert every row of `frame`, whose column names are the model's database columns.

    `frame`: a frame, or rows that `prepare_rows` wrote ahead into `stage`.
    `stage`: from `staged_writes()` (or `staging_area()`), for a large frame on SQLite.
    `constants`: {column: value} the same for every row (a date, a batch's id). A staged write gives
    them in its INSERT … SELECT instead of writing them into the stage once per row.
    `numbering`: {column: (position column, ids)} for ids known only in the writer's turn (rows
    prepared before it): where the column is null or absent, the row at position p (from 1) gets
    ids[p - 1]. The position columns themselves are not inserted.
    """
    if frame.height == 0:
        return 0
    constants = constants or {}
    numbering = numbering or {}
    table = connection.ops.quote_name(model._meta.db_table)
    if isinstance(frame, StagedFrame):
        return _insert_staged(table, frame, stage, constants, numbering)
    if stage is not None and connection.vendor == "sqlite":
        return _insert_staged(table, stage.write(frame), stage, constants, numbering)
    for name, (position, ids) in numbering.items():
        frame = number_rows(frame, name, position, ids)
    if numbering:
        frame = frame.drop({position for position, _ids in numbering.values()})
    if connection.vendor == "postgresql":
        kinds = _binary_kinds(model, [*frame.columns, *constants])
        if kinds is not None:
            # A constant replaces a column of the same name, as it does below.
            replaced = [name for name in constants if name in frame.columns]
            return _copy_binary(table, frame.drop(replaced) if replaced else frame, kinds, constants)
    frame = frame.with_columns(_literal(value).alias(name) for name, value in constants.items())
    columns = ", ".join(connection.ops.quote_name(name) for name in frame.columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3: COPY is on the driver's cursor
            for start in range(0, frame.height, COPY_CHUNK_ROWS):
                chunk = frame.slice(start, COPY_CHUNK_ROWS)
                # Quoted empty strings stay '' (NOT NULL text), unquoted empties become NULL.
                data = chunk.write_csv(include_header=False, quote_style="non_numeric", null_value="")
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                    copy.write(data)
        return frame.height
    frame = _as_sqlite_stores(frame)
    placeholders = ", ".join("?" for _ in frame.columns)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    # SQLite's default page cache is 2 MB: once a table's indexes outgrow it, every row inserted
    # reads index pages back from the OS. A larger cache for the write (a quarter faster at 1 M
    # people), then the usual one again, so that a long-lived connection does not keep it.
    cache_size = _set_pragma("cache_size", SQLITE_BULK_CACHE_KIB)
    try:
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for start in range(0, frame.height, EXECUTEMANY_BATCH):
                raw.executemany(sql, frame.slice(start, EXECUTEMANY_BATCH).iter_rows())
    finally:
        _set_pragma("cache_size", cache_size)
    return frame.height


def _binary_kinds(model, columns: list[str]) -> dict[str, str] | None:
    """{column: how COPY's binary format encodes it}, or None when a column's type is not supported."""
    types = _column_types(model)
    kinds = {name: copy_binary.column_kind(types[name]) for name in columns}
    return None if None in kinds.values() else kinds


@functools.cache
def _column_types(model) -> dict[str, str]:
    # Once per process: Django works each field's type out afresh on every call (a millisecond a file).
    return {field.column: field.db_type(connection) for field in model._meta.concrete_fields}


def _copy_binary(table: str, frame: pl.DataFrame, kinds: dict[str, str], constants: dict) -> int:
    order, chunks = copy_binary.encode(frame, kinds, constants, COPY_CHUNK_ROWS)
    columns = ", ".join(connection.ops.quote_name(name) for name in order)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3: COPY is on the driver's cursor
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT binary)") as copy:
            copy.write(copy_binary.HEADER)
            for chunk in chunks:
                copy.write(chunk)
            copy.write(copy_binary.TRAILER)
    return frame.height


def number_rows(frame: pl.DataFrame, column: str, position: str, ids: Sequence[int]) -> pl.DataFrame:
    """`frame` with `column` set, where it is null or absent, to ids[p - 1] for the row at position p."""
    positions = frame.get_column(position)
    first, last = positions.min(), positions.max()
    if first is not None and (first < 1 or last > len(ids)):
        raise ValueError(f"{position}: positions from 1 to {len(ids)} only")
    if isinstance(ids, range) and ids.step == 1:
        # Consecutive ids (as allocate_ids almost always gives): a sum, not a Series built from Python ints.
        numbered = positions.cast(pl.Int64) + (ids.start - 1)
    else:
        numbered = pl.Series(ids, dtype=pl.Int64).gather(positions - 1)
    if column in frame.columns:
        numbered = frame.get_column(column).fill_null(numbered)
    return frame.with_columns(numbered.alias(column))


def _insert_staged(table: str, staged: StagedFrame, stage, constants: dict, numbering: dict) -> int:
    """One INSERT … SELECT from a staged file (writer_turn holds the large page cache meanwhile)."""
    quote = connection.ops.quote_name

    def stored(name: str) -> tuple[str, list]:
        """What the SELECT reads for a column of the staged frame, and its parameters."""
        if name in staged.repeated:
            return "%s", [staged.repeated[name]]
        if name in staged.counting:
            return "rowid", []
        return quote(name), []

    positions = {position for position, _ids in numbering.values()}
    # column → (what the SELECT gives it, its parameters), in the order of the columns
    selected = {name: stored(name) for name in staged.columns if name not in positions}
    for name, (position, ids) in numbering.items():
        # SQLite's ids (allocate_ids) are consecutive: the row at position p gets ids[0] - 1 + p.
        if ids and ids[-1] - ids[0] != len(ids) - 1:
            raise ValueError("staged rows are numbered from consecutive ids only")
        position_sql, position_params = stored(position)
        numbered, params = f"{position_sql} + %s", [*position_params, ids[0] - 1 if ids else 0]
        if name in selected:
            name_sql, name_params = selected[name]
            numbered, params = f"COALESCE({name_sql}, {numbered})", [*name_params, *params]
        selected[name] = (numbered, params)
    for name, value in constants.items():
        selected[name] = ("%s", [_sqlite_value(value)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(quote(name) for name in selected)}) "
            f"SELECT {', '.join(sql for sql, _params in selected.values())} FROM {stage.attach(staged)}",
            [param for _sql, params in selected.values() for param in params],
        )
    return staged.height


def _as_sqlite_stores(frame: pl.DataFrame) -> pl.DataFrame:
    """SQLite stores dates and datetimes as text; booleans as 0/1."""
    return frame.with_columns(pl.col(pl.Date, pl.Datetime).cast(pl.Utf8), pl.col(pl.Boolean).cast(pl.Int8))


def _literal(value) -> pl.Expr:
    # A bare null has no column type to write; as text it is NULL in a column of any type.
    return pl.lit(value) if value is not None else pl.lit(None, dtype=pl.Utf8)


def _sqlite_value(value):
    """A constant as SQLite stores the column: dates as ISO text, booleans as 0/1."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def select_in(
    model, columns: list[str], key: str, values: list, *, where: str = "", params=()
) -> list[tuple]:
    """The `columns` of the rows of `model` whose `key` is one of `values` (database column names).

    For looking up thousands of keys at once without the ORM's work per value: on PostgreSQL a
    thousand keys per query, sent as one delimited string; on SQLite all of them as one JSON array.
    `where` adds a condition on the table's columns (with its `params`). Values come back as the
    driver returns them, so ask only for text and integer columns; `values` are all of one type. `key`
    must be indexed: on PostgreSQL the lookup is told never to read the whole table.
    """
    if not values:
        return []
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        sql = f"SELECT {', '.join(quote(column) for column in columns)} FROM {quote(model._meta.db_table)} WHERE "
        sql += f"({where}) AND " if where else ""
        # NULL matches nothing, as in the SQLite query.
        return _select_in_postgres(
            sql, model, key, [str(value) for value in values if value is not None], params
        )
    # Each key probes the index once, in sorted order, so that neighbouring keys read the same index
    # pages (which another process's commit has often just dropped from this connection's cache).
    # One JSON parameter instead of an IN list: SQLite compiled a statement of 5 000 placeholders, and
    # Django rewrote it, in about the time it took to run. A file's 17 000 CCCDs: 40% less time.
    keys = set(values)
    keys.discard(None)
    sql = (
        "WITH wanted(nhanluc_key) AS (SELECT value FROM json_each(%s)) "
        f"SELECT {', '.join(f't.{quote(column)}' for column in columns)} "
        f"FROM wanted CROSS JOIN {quote(model._meta.db_table)} AS t WHERE t.{quote(key)} = wanted.nhanluc_key"
    )
    sql += f" AND ({where})" if where else ""
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(sorted(keys)), *params])
        return cursor.fetchall()


def _select_in_postgres(sql: str, model, key: str, texts: list[str], params) -> list[tuple]:
    quote = connection.ops.quote_name
    array_type = f"{model._meta.get_field(key).db_type(connection)}[]"
    # In order, so that the keys of one query sit in one part of the index, and its probes read the
    # same pages (the server's CPU for 9 000 CCCDs looked up in a 1 M-person register: 24 → 18 ms).
    texts = sorted(texts)
    found: list[tuple] = []
    # The keys are indexed, and the lookup must probe the index whatever the planner believes. Its
    # statistics lag behind a bulk load (autovacuum samples a table about once a minute): during the
    # first import of a province it took the growing person table for a small one and read all of it
    # for every thousand keys (16 ms at 110 000 people, growing with the table, instead of 1 ms).
    # Where no index serves the query the scan stays, priced so high that the planner would compile it
    # (JIT, a tenth of a second a query): JIT is off too. The settings last until the end of the
    # transaction: inside the caller's, they are put back at the end of this block (or rolled back
    # with its savepoint on an error, the caller's transaction staying usable).
    inside_transaction = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('jit'), "
            "set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)"
        )
        previous_seqscan, previous_jit, *_set = cursor.fetchone()
        for start in range(0, len(texts), ARRAY_CHUNK):
            chunk = texts[start : start + ARRAY_CHUNK]
            joined = KEY_SEPARATOR.join(chunk)
            # A key holding the delimiter would be split, and a lone '' would split into no key at all.
            if joined.count(KEY_SEPARATOR) != len(chunk) - 1 or "" in chunk:
                array, argument = f"%s::{array_type}", chunk
            else:
                # One string the server splits: quoting a thousand values into an array literal, and
                # the server parsing it, cost twice the lookup itself.
                array, argument = f"string_to_array(%s, '{KEY_SEPARATOR}')::{array_type}", joined
            # Given the array itself, the planner estimated the selectivity of each of its thousand
            # keys (0,7 ms a query, about 5% of the server's CPU during an import); given the result
            # of a subquery it plans without looking at them (0,2 ms), and the scan is the same.
            # (The cast after the parentheses makes it an array, not a subquery ANY would compare with.)
            cursor.execute(f"{sql}{quote(key)} = ANY((SELECT {array})::{array_type})", [*params, argument])
            found += cursor.fetchall()
        if inside_transaction:
            cursor.execute(
                "SELECT set_config('enable_seqscan', %s, true), set_config('jit', %s, true)",
                [previous_seqscan, previous_jit],
            )
    return found
