"""Bulk writes of Polars frames: COPY on PostgreSQL, batched executemany on SQLite (DESIGN.md §7).

Both run on the caller's connection and inside the caller's transaction, so an import stays
all-or-nothing: a crash or a kill before the commit leaves the tables exactly as they were.
"""

import polars as pl
from django.db import connection

COPY_CHUNK_ROWS = 200_000
EXECUTEMANY_BATCH = 20_000


def allocate_ids(model, count: int) -> list[int]:
    """Primary keys for `count` new rows, reserved before the rows are written (COPY returns no ids)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the connection holds the write lock (transactions start IMMEDIATE), so MAX is stable.
        cursor.execute(f'SELECT COALESCE(MAX("{model._meta.pk.column}"), 0) FROM "{table}"')
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def insert_frame(model, frame: pl.DataFrame) -> int:
    """Insert every row of `frame`, whose column names are the model's database columns."""
    if frame.is_empty():
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
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
    # SQLite stores dates and datetimes as text; booleans as 0/1.
    frame = frame.with_columns(
        pl.col(pl.Date, pl.Datetime).cast(pl.Utf8),
        pl.col(pl.Boolean).cast(pl.Int8),
    )
    placeholders = ", ".join("?" for _ in frame.columns)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for start in range(0, frame.height, EXECUTEMANY_BATCH):
            raw.executemany(sql, frame.slice(start, EXECUTEMANY_BATCH).iter_rows())
    return frame.height
