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
from collections.abc import Iterator

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


def encode(
    frame: pl.DataFrame, kinds: dict[str, str], constants: dict[str, object], chunk_rows: int
) -> tuple[list[str], Iterator[pa.Buffer]]:
    """The column order, and the rows of `frame` with the `constants` as further columns of every row
    in COPY's binary format (without HEADER and TRAILER), `chunk_rows` rows at a time.

    `kinds`: {column: column_kind(...)} for every column of both. The fixed-width columns without
    NULLs and the constants come first, as one block of bytes per row that NumPy lays out; then the
    other columns, which Arrow joins to the block (every piece it joins is another pass over the rows,
    and one array per column cost more than the encoding itself on a survey file's few thousand rows).
    A text column is fixed-width when all its values have the same length in bytes: codes (CCCD,
    commune, sex), and columns a file leaves blank throughout.
    """
    widths = _text_widths(frame, kinds)
    block = [
        name
        for name in frame.columns
        if (kinds[name] != "text" or name in widths) and not frame.get_column(name).null_count()
    ]
    rest = [name for name in frame.columns if name not in block]
    constant_fields = b"".join(_value_field(value, kinds[name]) for name, value in constants.items())
    count = np.array(len(frame.columns) + len(constants), ">i2").tobytes()

    def chunks() -> Iterator[pa.Buffer]:
        for start in range(0, frame.height, chunk_rows):
            chunk = frame.slice(start, chunk_rows)
            pieces = [_block(chunk, block, kinds, widths, count + constant_fields)]
            for name in rest:
                pieces += _column_fields(chunk.get_column(name), kinds[name])
            rows = pc.binary_join_element_wise(*pieces, pa.scalar(b"", pa.large_binary()))
            _validity, offsets, data = rows.buffers()
            first, last = np.frombuffer(offsets, dtype=np.int64)[[rows.offset, rows.offset + len(rows)]]
            yield data.slice(int(first), int(last - first))

    return [*constants, *block, *rest], chunks()


def _text_widths(frame: pl.DataFrame, kinds: dict[str, str]) -> dict[str, int]:
    """{column: its values' length in bytes} for the text columns without NULLs whose values all have
    one length."""
    text = [
        name for name in frame.columns if kinds[name] == "text" and not frame.get_column(name).null_count()
    ]
    if not text or not frame.height:
        return {}
    lengths = pl.col(text).cast(pl.Utf8).str.len_bytes()
    bounds = frame.select(lengths.min().name.suffix(":min"), lengths.max().name.suffix(":max")).row(
        0, named=True
    )
    return {name: bounds[f"{name}:min"] for name in text if bounds[f"{name}:min"] == bounds[f"{name}:max"]}


def _block(
    frame: pl.DataFrame, columns: list[str], kinds: dict[str, str], widths: dict[str, int], head: bytes
) -> pa.Array:
    """For each row, `head` (the field count and the constants' fields), then the fields of `columns`
    (fixed width, no NULLs; a text column's width in `widths`)."""
    rows = np.concatenate(
        [
            np.broadcast_to(np.frombuffer(head, dtype=np.uint8), (frame.height, len(head))),
            *(
                _fixed_text_fields(frame.get_column(name), widths[name])
                if kinds[name] == "text"
                else _fixed_width_fields(frame.get_column(name), kinds[name])
                for name in columns
            ),
        ],
        axis=1,
    )
    return _rows_of_bytes(rows)


def _column_fields(column: pl.Series, kind: str) -> list[pa.Array]:
    """The fields of a column: for text an array of lengths and one of values, otherwise one array of
    values with their lengths (4 bytes of -1 for a NULL)."""
    if kind == "text":
        values = _large_string(column)
        lengths = pc.binary_length(values)
        values = values.view(pa.large_binary())
        if values.null_count:
            lengths, values = lengths.fill_null(-1), values.fill_null(b"")
        return [_rows_of_bytes(lengths.to_numpy().astype(">i4").view(np.uint8).reshape(-1, 4)), values]
    fields = _rows_of_bytes(_fixed_width_fields(column, kind))
    if column.null_count():
        fields = pc.if_else(column.is_not_null().to_arrow(), fields, pa.scalar(NULL, pa.large_binary()))
    return [fields]


def _fixed_width_fields(column: pl.Series, kind: str) -> np.ndarray:
    """An (n, 4 + width) array of bytes: each value's length, then the value (a NULL as 0, which the
    caller replaces)."""
    width = np.dtype(INTEGER_TYPES[kind]).itemsize
    fields = np.empty((len(column), 4 + width), dtype=np.uint8)
    fields[:, :4] = np.frombuffer(width.to_bytes(4, "big"), dtype=np.uint8)
    fields[:, 4:] = _as_integers(column, kind).astype(INTEGER_TYPES[kind]).view(np.uint8).reshape(-1, width)
    return fields


def _fixed_text_fields(column: pl.Series, width: int) -> np.ndarray:
    """An (n, 4 + width) array of bytes: each value's length, then its bytes (every value of the
    column is `width` bytes long)."""
    fields = np.empty((len(column), 4 + width), dtype=np.uint8)
    fields[:, :4] = np.frombuffer(width.to_bytes(4, "big"), dtype=np.uint8)
    if width:
        values = _large_string(column)
        _validity, offsets, data = values.buffers()
        start = int(np.frombuffer(offsets, dtype=np.int64)[values.offset])
        fields[:, 4:] = np.frombuffer(data, dtype=np.uint8, count=len(column) * width, offset=start).reshape(
            -1, width
        )
    return fields


def _large_string(column: pl.Series) -> pa.LargeStringArray:
    # The oldest Arrow layout is large_string itself: one conversion instead of a view array cast.
    return column.cast(pl.Utf8).to_arrow(compat_level=pl.CompatLevel.oldest())


def _rows_of_bytes(rows: np.ndarray) -> pa.Array:
    """An (n, width) array of bytes as n binary values, without copying them."""
    rows = np.ascontiguousarray(rows)
    count, width = rows.shape
    offsets = np.arange(0, (count + 1) * width, width, dtype=np.int64)
    return pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), count, [None, pa.py_buffer(offsets), pa.py_buffer(rows)]
    )


def _as_integers(column: pl.Series, kind: str) -> np.ndarray:
    """The integers PostgreSQL stores for the column's values (a NULL as 0, which the caller replaces).

    The arithmetic is NumPy's: Polars plans a query for each Series operation, which cost more than
    the operation itself on a survey file's few thousand rows.
    """
    if kind == "timestamp with time zone":
        if column.dtype == pl.Utf8:
            column = column.str.to_datetime(time_zone="UTC")
        column = column.dt.convert_time_zone("UTC").dt.epoch("us")
    elif kind == "date":
        column = column.cast(pl.Date).to_physical()  # days since 1970-01-01
    else:
        column = column.cast(pl.UInt8 if kind == "boolean" else pl.Int64)
    if column.null_count():
        column = column.fill_null(0)
    numbers = column.to_numpy()
    if kind == "date":
        return numbers - POSTGRES_EPOCH_DAYS
    if kind == "timestamp with time zone":
        return numbers - POSTGRES_EPOCH_DAYS * 86_400 * 1_000_000
    return numbers


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
