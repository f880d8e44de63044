"""How a column of text cells becomes values: codes (written as a code, a label or a short form)
through a mapping of its distinct values, yes/no words, dates. The validation rules
(`registry.rules`) and the workbook reader use them.
"""

import datetime
from collections.abc import Callable

import polars as pl

from nhanluc.catalogs.services import UnknownCode, resolve_code
from nhanluc.core.text import fold
from nhanluc.registry.fields import SYNONYMS, TICK_SEPARATOR, Field

EXCEL_EPOCH = datetime.date(1899, 12, 30)
TRUE_WORDS = {"x", "1", "co", "yes", "true", "✓", "√", "v", "c"}
FALSE_WORDS = {"0", "khong", "no", "false", "k"}

# For the import's lazy queries. Polars 2 runs `collect()` on its streaming engine by default, which
# takes about 0,6 ms to start each query; a commune file runs over a dozen of them on a frame that fits
# in memory many times over (about 15 ms a small file, the same on a large one: docs/import-survey.md §15).
LAZY_ENGINE = "in-memory"


def distinct_values(frame: pl.DataFrame, columns: list[str]) -> dict[str, list[str]]:
    """The distinct non-blank values of each of `columns`, read in one pass over the frame."""
    if not columns:
        return {}
    lists = frame.select(pl.col(column).drop_nulls().unique().implode() for column in columns).row(0)
    return dict(zip(columns, lists, strict=True))


def map_distinct(column: str, values: list[str], resolve: Callable[[str], str | None]) -> pl.Expr:
    """Resolve each distinct value once in Python, then map the column in one vectorised step."""
    return mapped(column, {value: resolve(value) for value in values})


def is_identity(mapping: dict[str, str | None]) -> bool:
    """Whether `mapping` leaves every value as it is: written in codes already, as a tick grid's
    answers always are."""
    return all(code == value for value, code in mapping.items())


def mapped(column: str, mapping: dict[str, str | None]) -> pl.Expr:
    """The column with each value replaced by its value in `mapping` (null where that is None)."""
    if is_identity(mapping):
        return pl.col(column)
    return pl.col(column).replace_strict(mapping, default=None, return_dtype=pl.Utf8)


def truthy(value: str) -> str | None:
    word = fold(value)
    if word in TRUE_WORDS or value.strip() in ("✓", "√"):
        return "1"
    if word in FALSE_WORDS:
        return "0"
    return None


def parse_dates(column: str) -> pl.Expr:
    text = pl.col(column)
    digits = text.str.contains(r"^\d+$")
    serial = pl.when(digits & (text.str.len_chars() == 5)).then(text.cast(pl.Int64, strict=False))
    year_only = pl.when(digits & (text.str.len_chars() == 4)).then(text.cast(pl.Int32, strict=False))
    spaced = text.str.replace_all(r"[.\-\s]", "/")
    # A two-digit year ("03/12/85") would read as the year 85: ask for the full year instead.
    day_first = pl.when(spaced.str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$")).then(spaced)
    return pl.coalesce(
        day_first.str.to_date("%d/%m/%Y", strict=False),
        text.str.to_date("%Y-%m-%d", strict=False),
        text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
        pl.lit(EXCEL_EPOCH) + pl.duration(days=serial),
        pl.date(year_only, 1, 1),
    )


def parsed_dates(frame: pl.DataFrame, column: str) -> pl.Series:
    """The dates of a column of text, as `parse_dates` reads them.

    Most files write every date as dd/mm/yyyy: when each one parses in that format and reads back as
    written, that one parse is the answer (a third of the time of trying every way of writing one).
    """
    text = frame.get_column(column)
    parsed = text.str.to_date("%d/%m/%Y", strict=False)
    if parsed.null_count() == text.null_count() and (parsed.dt.strftime("%d/%m/%Y") == text).all():
        return parsed
    return frame.lazy().select(parse_dates(column)).collect(engine=LAZY_ENGINE).to_series()


def resolver(spec: Field) -> Callable[[str], str | None]:
    """The code a cell of a coded field names (its code, its label or a usual short form), or None."""
    synonyms = SYNONYMS.get(spec.key, {})

    def resolve(value: str) -> str | None:
        if synonyms.get(fold(value)):
            return synonyms[fold(value)]
        try:
            return resolve_code(spec.choices, value)
        except UnknownCode:
            return None

    return resolve


def multiple_resolver(spec: Field) -> Callable[[str], str | None]:
    """As `resolver`, for a field that takes several answers: their codes joined in order, or None."""
    single = resolver(spec)

    def resolve(value: str) -> str | None:
        parts = [
            part.strip()
            for part in value.replace(";", TICK_SEPARATOR).replace(",", TICK_SEPARATOR).split(TICK_SEPARATOR)
        ]
        if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) > 1:
            parts = list(parts[0])  # "14" written for groups 1 and 4
        found = [single(part) for part in parts if part]
        if any(code is None for code in found):
            return None
        return "".join(sorted(set(found)))

    return resolve


def resolve_coded(
    frame: pl.DataFrame, specs: list[Field], distinct: dict[str, list[str]]
) -> tuple[pl.DataFrame, pl.DataFrame | None, dict[str, dict[str, str | None]]]:
    """Replace each coded column's code or label by its code.

    Returns the frame with the codes, the frame with each code beside the value it was read from
    (`<key>__code`, for `_coded_checks`; None when every column was written in codes already, the
    usual case: then no pass runs at all) and the mapping of each column's distinct values."""
    mappings = {}
    for spec in specs:
        resolve = multiple_resolver(spec) if spec.multiple else resolver(spec)
        mappings[spec.key] = {value: resolve(value) for value in distinct[spec.key]}
    changed = [spec.key for spec in specs if not is_identity(mappings[spec.key])]
    if not changed:
        return frame, None, mappings
    codes = frame.with_columns(mapped(key, mappings[key]).alias(f"{key}__code") for key in changed)
    resolved = frame.with_columns(codes.get_column(f"{key}__code").alias(key) for key in changed)
    return resolved, codes, mappings
