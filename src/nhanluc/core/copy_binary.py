"""Rows for PostgreSQL's COPY … FROM STDIN WITH (FORMAT binary), encoded a column at a time.

In a text or CSV COPY the server parses every field of every row (dates and timestamps through the
general date parser): a quarter of its CPU during a survey import. In binary it only checks each
value (UTF-8, length) and stores it: a sixth (docs/import-survey.md §15, session 20). Polars writes no
such format, so each column becomes an Arrow array of its fields (a 4-byte length, then the value's
bytes: UTF-8 text, big-endian integers, days or microseconds since 2000-01-01), and Arrow joins the
fields of each row in C, in about the time Polars' CSV writer took.

The format: https://www.postgresql.org/docs/current/sql-copy.html ("Binary Format").
"""

import datetime

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(4) + bytes(4)  # signature, flags, no header extension
TRAILER = b"\xff\xff"  # a field count of -1
NULL = b"\xff\xff\xff\xff"  # a field length of -1
POSTGRES_EPOCH = datetime.date(2000, 1, 1)
POSTGRES_EPOCH_DAYS = (POSTGRES_EPOCH - datetime.date(1970, 1, 1)).days
POSTGRES_EPOCH_DATETIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)

# What each supported column type is sent as: "text", or the big-endian integer a value becomes.
INTEGER_TYPES = {
    "bigint": ">i8",
    "integer": ">i4",
    "smallint": ">i2",
    "boolean": ">u1",
    "date": ">i4",  # days since 2000-01-01
    "timestamp with time zone": ">i8",  # microseconds since 2000-01-01 00:00 UTC
}


def column_kind(db_type: str) -> str | None:
    """How a column of this PostgreSQL type is encoded: "text", a key of INTEGER_TYPES, or None."""
    if db_type == "text" or db_type.startswith("varchar"):
        return "text"
    return db_type if db_type in INTEGER_TYPES else None


def encode_rows(frame: pl.DataFrame, kinds: dict[str, str], constants: dict[str, object]) -> pa.Buffer:
    """The rows of `frame`, then the `constants` as further columns of every row, in COPY's binary format
    (without HEADER and TRAILER). `kinds`: {column: column_kind(...)} for every column of both."""
    fields = [pa.scalar(np.array(len(frame.columns) + len(constants), ">i2").tobytes(), pa.large_binary())]
    for name in frame.columns:
        fields += _column_fields(frame.get_column(name), kinds[name])
    for name, value in constants.items():
        fields.append(pa.scalar(_value_field(value, kinds[name]), pa.large_binary()))
    rows = pc.binary_join_element_wise(*fields, pa.scalar(b"", pa.large_binary()))
    _validity, offsets, data = rows.buffers()
    end = int(np.frombuffer(offsets, dtype=np.int64)[rows.offset + len(rows)])
    start = int(np.frombuffer(offsets, dtype=np.int64)[rows.offset])
    return data.slice(start, end - start)


def _column_fields(column: pl.Series, kind: str) -> list:
    """The fields of a column: one array of length-prefixed values, or for text a length array and a
    value array (Arrow joins them with the rest of the row)."""
    if kind == "text":
        values = column.cast(pl.Utf8).to_arrow()
        lengths = pc.binary_length(values).fill_null(-1).to_numpy().astype(">i4")
        return [
            _fixed_width(lengths.view(np.uint8).reshape(-1, 4)),
            values.cast(pa.large_binary()).fill_null(b""),
        ]
    numbers = _as_numbers(column, kind)
    width = np.dtype(INTEGER_TYPES[kind]).itemsize
    rows = np.empty((len(column), 4 + width), dtype=np.uint8)
    rows[:, :4] = np.frombuffer(width.to_bytes(4, "big"), dtype=np.uint8)
    rows[:, 4:] = (
        numbers.fill_null(0).to_numpy().astype(INTEGER_TYPES[kind]).view(np.uint8).reshape(-1, width)
    )
    fields = _fixed_width(rows)
    if column.null_count():
        fields = pc.if_else(column.is_not_null().to_arrow(), fields, pa.scalar(NULL, pa.large_binary()))
    return [fields]


def _fixed_width(rows: np.ndarray) -> pa.Array:
    """An (n, width) array of bytes as n binary values."""
    rows = np.ascontiguousarray(rows)
    array = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(rows.shape[1]), rows.shape[0], [None, pa.py_buffer(rows)]
    )
    return array.cast(pa.large_binary())


def _as_numbers(column: pl.Series, kind: str) -> pl.Series:
    """The integers PostgreSQL stores for the column's values."""
    if kind == "date":
        if column.dtype == pl.Utf8:
            column = column.str.to_date("%Y-%m-%d")
        return column.cast(pl.Date).cast(pl.Int32) - POSTGRES_EPOCH_DAYS
    if kind == "timestamp with time zone":
        if column.dtype == pl.Utf8:
            column = column.str.to_datetime(time_zone="UTC")
        since_1970 = column.dt.convert_time_zone("UTC").dt.epoch("us")
        return since_1970 - POSTGRES_EPOCH_DAYS * 86_400 * 1_000_000
    if kind == "boolean":
        return column.cast(pl.UInt8)
    return column.cast(pl.Int64)


def _value_field(value, kind: str) -> bytes:
    """One value as a field (its length, then its bytes)."""
    if value is None:
        return NULL
    if kind == "text":
        encoded = str(value).encode()
        return len(encoded).to_bytes(4, "big") + encoded
    if kind == "date":
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        number = (value - POSTGRES_EPOCH).days
    elif kind == "timestamp with time zone":
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        number = (value - POSTGRES_EPOCH_DATETIME) // datetime.timedelta(microseconds=1)
    else:
        number = int(value)
    encoded = np.array(number, INTEGER_TYPES[kind]).tobytes()
    return len(encoded).to_bytes(4, "big") + encoded
