"""A labour situation's profile: every attribute the indicators count by, as one integer.

Every attribute is a one-digit code ("" when not recorded, counted as 0), so a situation's attributes
travel as one integer, a digit each in the order of PROFILE_CODES, then one digit for unemployment
insurance and a last one for the sector of the industry. `LaborSituation.profile_key` stores it and the
point-in-time index holds it, so that SQLite reads the indicators' count of a province from that index
alone, grouped in the index's own order: no table read and no sort (docs/indicators.md §13).

Two writers compute it: `profile_key_of` for one situation (the model's `save`) and
`profile_key_column` for the frames the imports and the generator write in bulk. The database does
not compute it: SQLite spent 1,5–2 µs a row on the expression as a generated column or a check,
inside the import's write turn (about 3 s more for 1 M people in bench/import_survey.py), and a
generated column is never read from an index (SQLite 3.40 reads the table for it). Tests hold the
two writers to the same result.
"""

import functools

import polars as pl

PROFILE_CODES = (
    ("status", "activity_status"),
    ("sex", "sex"),
    ("qualification", "qualification"),
    ("employment_status", "employment_status"),
    ("insurance", "social_insurance_type"),
    ("workplace", "workplace_location"),
    ("reason", "inactive_reason"),
    ("duration", "unemployment_duration"),
)
# VSIC divisions 01–03 are agriculture, 05–43 industry and construction, 45–99 services.
SECTORS = ("unknown", "agriculture", "industry", "services")
PROFILE_WIDTH = len(PROFILE_CODES) + 2


def place_value(place: int) -> int:
    """What a 1 at `place` of a profile is worth (place 1 is the leading digit)."""
    return 10 ** (PROFILE_WIDTH - place)


def _sector(industry_code: str) -> int:
    if not industry_code:
        return 0
    if industry_code < "04":
        return 1
    return 2 if industry_code < "44" else 3


def profile_key_of(situation) -> int:
    """The profile of one situation (any object with the situation's attributes)."""
    key = 0
    for place, (_name, column) in enumerate(PROFILE_CODES, start=1):
        code = getattr(situation, column)
        key += (int(code) if code else 0) * place_value(place)
    key += (1 if situation.unemployment_insurance else 0) * place_value(PROFILE_WIDTH - 1)
    return key + _sector(situation.industry_code)


@functools.cache  # an expression of some thirty parts, built once (they cannot be changed)
def profile_key_column() -> pl.Expr:
    """The profile of every row of a frame holding the situation's columns, as `profile_key`."""
    key = pl.lit(0, dtype=pl.Int64)
    for place, (_name, column) in enumerate(PROFILE_CODES, start=1):
        key = key + pl.col(column).str.to_integer(strict=False).fill_null(0) * place_value(place)
    key = key + pl.col("unemployment_insurance").fill_null(False).cast(pl.Int64) * place_value(
        PROFILE_WIDTH - 1
    )
    industry = pl.col("industry_code").fill_null("")
    sector = (
        pl.when(industry == "")
        .then(0)
        .when(industry < "04")
        .then(1)
        .when(industry < "44")
        .then(2)
        .otherwise(3)
    )
    return (key + sector).alias("profile_key")
