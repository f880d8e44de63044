"""Computed indicators as query objects: typed parameters in, a table of figures out.

`SupplyCube` counts the register's people in force on a date, grouped by every attribute an
indicator splits by — one scan of the situations valid that day, with the person's sex and age.
The supply indicators are then sums over that small table, so the whole catalogue costs one query,
not one per indicator. `DemandFigures` counts vacancies and employers' reports the same way.
Both feed the cache (`services.refresh_figures`), the dashboard, the reports and the API.
"""

import datetime
from dataclasses import dataclass, replace

import polars as pl
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from nhanluc.catalogs.choices import ActivityStatus, Sex
from nhanluc.core.expressions import StoredDate
from nhanluc.employers.choices import ReportPeriod, ReportStatus, VacancyStatus
from nhanluc.employers.models import Vacancy, WorkforceReport
from nhanluc.geo.models import AdminUnit
from nhanluc.indicators.catalogue import BY_CODE
from nhanluc.registry.choices import PovertyStatus
from nhanluc.registry.models import Household, LaborSituation
from nhanluc.registry.profiles import PROFILE_CODES, PROFILE_WIDTH, SECTORS, place_value

# A row of the query: the group, how many people it holds, and how many of them are of working age
# (a count, not a grouping, which would double the groups).
# The commune and every attribute decoded from the profile are categorical: the figures' groupings
# then compare small integers (a fourth less time than text).
ROW_SCHEMA = {
    "commune": pl.Categorical,
    "activity_status": pl.Utf8,
    "profile": pl.Int64,
    "n": pl.Int64,
    "n_working_age": pl.Int64,
}

# A breakdown by one of these splits the population too: the participation rate of women is women
# in the labour force over women aged 15+. Any other breakdown (qualification, reason, …) splits
# only the numerator: of the labour force, the share with compulsory insurance.
POPULATION_DIMENSIONS = frozenset({"sex", "area"})


def _status(code: str) -> pl.Expr:
    return pl.col("status") == code


_ALL = pl.lit(True)
_LABOUR_FORCE = pl.col("status").is_in([ActivityStatus.EMPLOYED.value, ActivityStatus.UNEMPLOYED.value])
_EMPLOYED = _status(ActivityStatus.EMPLOYED)
_UNEMPLOYED = _status(ActivityStatus.UNEMPLOYED)


def _people(condition: pl.Expr) -> pl.Expr:
    """For each group of the cube: how many of its people meet `condition` (all or none)."""
    return pl.when(condition).then(pl.col("n")).otherwise(0)


def _working_age(condition: pl.Expr) -> pl.Expr:
    """For each group of the cube: how many of its people of working age meet `condition`."""
    return pl.when(condition).then(pl.col("n_working_age")).otherwise(0)


# Indicator code → (who is counted, over whom); no denominator for a count.
SUPPLY_FORMULAS: dict[str, tuple[pl.Expr, pl.Expr | None]] = {
    "population_15": (_people(_ALL), None),
    "labour_force": (_people(_LABOUR_FORCE), None),
    "participation_rate": (_people(_LABOUR_FORCE), _people(_ALL)),
    "employed": (_people(_EMPLOYED), None),
    "employment_to_population": (_people(_EMPLOYED), _people(_ALL)),
    "unemployed": (_people(_UNEMPLOYED), None),
    "unemployment_rate": (_people(_UNEMPLOYED), _people(_LABOUR_FORCE)),
    "unemployment_rate_working_age": (_working_age(_UNEMPLOYED), _working_age(_LABOUR_FORCE)),
    "inactive": (_people(_status(ActivityStatus.INACTIVE)), None),
    # Sơ cấp and above hold a degree or certificate (GSO's measure).
    "trained_certificate_rate": (
        _people(_LABOUR_FORCE & pl.col("qualification").is_in(list("45678"))),
        _people(_LABOUR_FORCE),
    ),
    # The broad measure adds skilled workers without a certificate and courses under 3 months.
    "trained_rate": (
        _people(_LABOUR_FORCE & pl.col("qualification").is_in(list("2345678"))),
        _people(_LABOUR_FORCE),
    ),
    "social_insurance_rate": (
        _working_age(_LABOUR_FORCE & pl.col("insurance").is_in(["1", "2"])),
        _working_age(_LABOUR_FORCE),
    ),
    "unemployment_insurance_rate": (
        _working_age(_LABOUR_FORCE & (pl.col("bhtn") == 1)),
        _working_age(_LABOUR_FORCE),
    ),
    "working_other_province": (_people(_EMPLOYED & (pl.col("workplace") == "2")), None),
    "working_abroad": (_people(_EMPLOYED & (pl.col("workplace") == "3")), None),
}
DEMAND_CODES = ("open_vacancies", "recruitment_demand", "employers_reporting", "workers_from_other_provinces")
HOUSEHOLD_CODES = ("poor_households_with_worker",)
# Everything that changes when the register does.
REGISTER_CODES = (*SUPPLY_FORMULAS, *HOUSEHOLD_CODES)


@dataclass(frozen=True)
class Figure:
    """One computed figure: numerator over denominator (None for a count) for a unit."""

    indicator_code: str
    breakdown: str
    unit_code: str
    numerator: int
    denominator: int | None


def _months_before(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    last_day = (
        datetime.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - datetime.timedelta(days=1)
    ).day
    return datetime.date(year, month + 1, min(day.day, last_day))


def retirement_age_months(year: int, sex: str) -> int:
    """Statutory retirement age in months (NĐ 135/2020/NĐ-CP Điều 4, normal working conditions).

    From 2021 men 60 years 3 months, rising 3 months a year to 62; women 55 years 4 months, rising
    4 months a year to 60.
    """
    steps = max(0, year - 2020)
    if sex == Sex.MALE:
        return min(62 * 12, 60 * 12 + 3 * steps)
    return min(60 * 12, 55 * 12 + 4 * steps)


def _retirement_birth_date(day: datetime.date, sex: str) -> datetime.date:
    """The date of birth of those of `sex` who reach its retirement age on `day`."""
    return _months_before(day, retirement_age_months(day.year, sex))


def working_age_condition(day: datetime.date) -> Q:
    """People aged 15 to below the retirement age of their sex on `day`."""
    below_retirement_age = Q()
    for sex in (Sex.MALE, Sex.FEMALE):
        below_retirement_age |= Q(
            GreaterThan(StoredDate("birth_date"), _retirement_birth_date(day, sex)), sex=sex
        )
    return below_retirement_age & Q(LessThanOrEqual(StoredDate("birth_date"), _months_before(day, 15 * 12)))


def _born_on_reaching_retirement_age(day: datetime.date) -> Case:
    """The date of birth of those who reach the retirement age of their sex on `day`, by sex."""
    return Case(
        *(When(sex=sex, then=Value(_retirement_birth_date(day, sex))) for sex in (Sex.MALE, Sex.FEMALE)),
        output_field=DateField(),
    )


def urban_communes(province_code: str) -> set[str]:
    """Wards (phường) are urban; communes (xã) and special zones (đặc khu) are counted as rural."""
    return set(
        AdminUnit.objects.current()
        .filter(level="commune", province_code=province_code, division_type="phường")
        .values_list("code", flat=True)
    )


def province_communes(province_code: str) -> list[str]:
    return list(
        AdminUnit.objects.current()
        .filter(level="commune", province_code=province_code)
        .order_by("code")
        .values_list("code", flat=True)
    )


def plan_count_in_memory(cursor) -> None:
    """PostgreSQL planner settings for the count of a province, for the current transaction only."""
    # The planner guesses ~200 k groups where there are ~60 k and sorts on disk; with room
    # for a hash table it aggregates in memory, several times faster. 64 MB was enough for
    # 1 M people, not for 4,7 M (bench/indicators.py).
    cursor.execute("SET LOCAL work_mem = '256MB'")
    # Compiling the scan's expressions (JIT, past the default cost threshold) took longer than
    # it saved: a fifth of the query at 1 M people.
    cursor.execute("SET LOCAL jit = off")
    # One process reads the covering point-in-time index in the order of its communes as fast as
    # two workers and a leader scan the table (1 M people: 0,21 s against 0,25 s), and leaves the
    # other core to the rest of the refresh; the refresh shares the work itself (`SupplyCube.parts`).
    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")


@dataclass(frozen=True)
class SupplyCube:
    """The register's people aged 15+ in force on `day`, counted by every attribute indicators use."""

    province_code: str
    day: datetime.date
    communes: tuple[str, ...] | None = None

    def named_communes(self) -> tuple[str, ...]:
        """The communes counted, named: those given, or every commune of the province."""
        return self.communes if self.communes is not None else tuple(province_communes(self.province_code))

    def parts(self, count: int) -> list["SupplyCube"]:
        """The same count cut by commune into at most `count` counts, one for each connection."""
        communes = self.named_communes()
        # Every count-th commune: communes of one district, often alike in size, land in different parts.
        return [replace(self, communes=communes[start::count]) for start in range(min(count, len(communes)))]

    def groups(self) -> pl.DataFrame:
        """The groups as the database counts them (ROW_SCHEMA), the attributes still in one profile."""
        if self.communes == ():
            return pl.DataFrame(schema=ROW_SCHEMA)
        sql, params = self._rows().query.sql_with_params()
        if connection.vendor != "postgresql":
            # The groups come back as one text of CSV lines, which Polars reads: Python builds no
            # tuple per group, and the thread counting the households meanwhile is not held up
            # waiting for the interpreter lock after every group (docs/indicators.md §13).
            line = " || ',' || ".join(ROW_SCHEMA)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT group_concat({line}, char(10)) FROM ({sql})", params)
                (text,) = cursor.fetchone()
            if text is None:
                return pl.DataFrame(schema=ROW_SCHEMA)
            return pl.read_csv(text.encode(), has_header=False, schema=ROW_SCHEMA)
        with transaction.atomic(), connection.cursor() as cursor:
            plan_count_in_memory(cursor)
            # Tens of thousands of groups come faster as CSV through COPY, read by Polars, than as
            # Python tuples.
            raw = cursor.cursor  # psycopg 3: COPY is on the driver's cursor
            data = bytearray()
            with raw.copy(f"COPY ({raw.mogrify(sql, params)}) TO STDOUT WITH (FORMAT csv)") as copy:
                for chunk in copy:
                    data += chunk
        return pl.read_csv(bytes(data), has_header=False, schema=ROW_SCHEMA)

    def _rows(self):
        situations = LaborSituation.objects.as_of(self.day).filter(province_code=self.province_code)
        if connection.vendor == "postgresql":
            # Named, the communes lead PostgreSQL's planner to the covering index (1 M people:
            # 0,33 s) rather than to a scan of the table (0,44 s).
            situations = situations.filter(commune_code__in=self.named_communes())
        elif self.communes is not None:
            situations = situations.filter(commune_code__in=self.communes)
        return (
            situations.filter(LessThanOrEqual(StoredDate("birth_date"), _months_before(self.day, 15 * 12)))
            # The status leads the profile, so grouping by it too changes no group; it puts the
            # grouping in the order of the point-in-time index, which SQLite then reads alone.
            .annotate(commune=F("commune_code"), profile=F("profile_key"))
            .values_list("commune", "activity_status", "profile")
            .annotate(
                n=Count("*"),
                # Everyone counted is 15 or over (above): of working age is then born after the date of
                # birth that reaches one's retirement age. Without repeating the bound of 15 SQLite's
                # query is a tenth faster; one comparison against a date chosen by sex, a twentieth.
                n_working_age=Count(
                    "profile_key",
                    filter=Q(
                        GreaterThan(StoredDate("birth_date"), _born_on_reaching_retirement_age(self.day))
                    ),
                ),
            )
            .order_by()
        )

    def frame(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The groups (`groups`) with their attributes in columns of their own, and the commune's area."""

        def digit(place: int) -> pl.Expr:
            return pl.col("profile") // place_value(place) % 10

        codes = [
            pl.when(digit(place) == 0)
            .then(pl.lit(""))
            .otherwise(digit(place).cast(pl.Utf8))
            .cast(pl.Categorical)
            .alias(name)
            for place, (name, _column) in enumerate(PROFILE_CODES, start=1)
        ]
        frame = rows.with_columns(
            *codes,
            digit(PROFILE_WIDTH - 1).cast(pl.Int8).alias("bhtn"),
            digit(PROFILE_WIDTH)
            .replace_strict(dict(enumerate(SECTORS)), return_dtype=pl.Categorical)
            .alias("sector"),
        ).drop("activity_status", "profile")
        urban = urban_communes(self.province_code)
        return frame.with_columns(
            pl.when(pl.col("commune").is_in(list(urban)))
            .then(pl.lit("urban"))
            .otherwise(pl.lit("rural"))
            .cast(pl.Categorical)
            .alias("area")
        )


FIGURE_SCHEMA = {
    "indicator_code": pl.Utf8,
    "breakdown": pl.Utf8,
    "unit_code": pl.Utf8,
    "numerator": pl.Int64,
    "denominator": pl.Int64,
}


def figures_frame(figures: list[Figure]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            (figure.indicator_code, figure.breakdown, figure.unit_code, figure.numerator, figure.denominator)
            for figure in figures
        ],
        schema=FIGURE_SCHEMA,
        orient="row",
    )


def supply_figures(cube: pl.DataFrame, communes: list[str]) -> pl.DataFrame:
    """Every supply indicator and its breakdowns for each commune; communes with nobody get zeros.

    Each group of the cube first gets, for every indicator, how many of its people the indicator
    counts and counts over; every split is then one sum by (commune, dimension) of those columns.
    Returns a frame of FIGURE_SCHEMA, one row per figure.
    """
    # One lazy plan for every split: Polars computes the shared columns once and the sums side by side.
    counted = cube.lazy().with_columns(
        *(counted.alias(f"{code}|n") for code, (counted, _over) in SUPPLY_FORMULAS.items()),
        *(over.alias(f"{code}|d") for code, (_counted, over) in SUPPLY_FORMULAS.items() if over is not None),
    )
    with_denominator = [code for code, (_counted, over) in SUPPLY_FORMULAS.items() if over is not None]
    pieces = []
    totals = None  # (commune, indicator_code) → the denominator of the commune's total
    dimensions = ["", *dict.fromkeys(d for code in SUPPLY_FORMULAS for d in BY_CODE[code].breakdowns)]
    for dimension in dimensions:
        codes = [code for code in SUPPLY_FORMULAS if not dimension or dimension in BY_CODE[code].breakdowns]
        keys = ["commune", dimension] if dimension else ["commune"]
        # A breakdown of the population (sex, area) splits the denominator too; any other is taken
        # over the total's denominator (of the labour force, those with compulsory insurance).
        split_denominator = not dimension or dimension in POPULATION_DIMENSIONS
        over = [code for code in codes if code in with_denominator and split_denominator]
        sums = counted.group_by(keys).agg(
            pl.col([f"{code}|n" for code in codes] + [f"{code}|d" for code in over]).sum()
        )
        if dimension:
            # An attribute not recorded (no qualification written) is no breakdown.
            sums = sums.filter(pl.col(dimension) != "")
        breakdown = pl.concat_str(pl.lit(f"{dimension}:"), pl.col(dimension)) if dimension else pl.lit("")
        long = _one_row_per_indicator(sums, codes, "n", breakdown).rename({"value": "numerator"})
        if over:
            long = long.join(
                _one_row_per_indicator(sums, over, "d", breakdown).rename({"value": "denominator"}),
                on=["unit_code", "breakdown", "indicator_code"],
                how="left",
            )
        else:
            long = long.join(totals, on=["unit_code", "indicator_code"], how="left")
        if not dimension:
            totals = long.filter(pl.col("indicator_code").is_in(with_denominator)).select(
                "unit_code", "indicator_code", "denominator"
            )
        pieces.append(long.select(pl.col(name).cast(dtype) for name, dtype in FIGURE_SCHEMA.items()))
    present = set(cube["commune"].unique().to_list()) if cube.height else set()
    absent = [
        Figure(code, "", commune, 0, None if over is None else 0)
        for commune in communes
        if commune not in present
        for code, (_counted, over) in SUPPLY_FORMULAS.items()
    ]
    pieces.append(figures_frame(absent).lazy())
    # Only indicators without a denominator have none: a split missing from the total counts 0 over 0.
    return (
        pl.concat(pieces)
        .with_columns(
            pl.when(pl.col("indicator_code").is_in(with_denominator))
            .then(pl.col("denominator").fill_null(0))
            .alias("denominator")
        )
        .collect()
    )


def _one_row_per_indicator(
    sums: pl.DataFrame, codes: list[str], part: str, breakdown: pl.Expr
) -> pl.DataFrame:
    """(unit_code, breakdown, indicator_code, value) from the columns "<code>|<part>" of `sums`."""
    return (
        sums.select(
            pl.col("commune").alias("unit_code"),
            breakdown.alias("breakdown"),
            *(f"{code}|{part}" for code in codes),
        )
        .unpivot(index=["unit_code", "breakdown"], variable_name="indicator_code", value_name="value")
        .with_columns(pl.col("indicator_code").str.head(-(len(part) + 1)), pl.col("value").cast(pl.Int64))
    )


def household_figures(
    province_code: str, day: datetime.date, communes: tuple[str, ...] | None
) -> list[Figure]:
    """Poor and near-poor households with at least one member of working age in work on `day`."""
    working_member = LaborSituation.objects.as_of(day).filter(
        Q(person__household=OuterRef("pk")),
        working_age_condition(day),
        activity_status=ActivityStatus.EMPLOYED,
    )
    households = Household.objects.filter(
        province_code=province_code, poverty_status__in=[PovertyStatus.POOR, PovertyStatus.NEAR_POOR]
    )
    if communes is not None:
        households = households.filter(commune_code__in=communes)
    rows = (
        households.filter(Exists(working_member))
        .values_list("commune_code", "poverty_status")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals: dict[str, int] = {}
    figures = []
    for commune, poverty, count in rows:
        figures.append(Figure("poor_households_with_worker", f"poverty:{poverty}", commune, count, None))
        totals[commune] = totals.get(commune, 0) + count
    for commune in communes if communes is not None else province_communes(province_code):
        figures.append(Figure("poor_households_with_worker", "", commune, totals.get(commune, 0), None))
    return figures


@dataclass(frozen=True)
class DemandFigures:
    """Vacancies open at the end of a period and employers' reports for it, by commune and province."""

    province_code: str
    period_end: datetime.date
    report: tuple[int, str] | None  # (year, ReportPeriod) of NĐ 145 covering the period, if any

    def run(self) -> list[Figure]:
        figures = []
        # Open at the period's end whatever has happened since: a vacancy stored as expired was open
        # until its deadline, one filled since then was open until the day it was marked filled.
        vacancies = (
            Vacancy.objects.filter(province_code=self.province_code)
            .filter(
                Q(status=VacancyStatus.PUBLISHED)
                | Q(status=VacancyStatus.EXPIRED, deadline__isnull=False)
                | Q(status=VacancyStatus.FILLED, filled_on__gt=self.period_end)
            )
            .filter(Q(deadline__isnull=True) | Q(deadline__gte=self.period_end))
            .filter(
                Q(posted_on__lte=self.period_end)
                | Q(posted_on__isnull=True, created_at__date__lte=self.period_end)
            )
            .annotate(group=Coalesce(Substr("occupation_code", 1, 1), Value("")))
        )
        for unit_field in ("commune_code", None):
            keys = [unit_field, "group"] if unit_field else ["group"]
            rows = (
                vacancies.values_list(*keys).annotate(count=Count("id"), positions=Sum("quantity")).order_by()
            )
            totals: dict[str, list[int]] = {}
            for row in rows:
                unit = row[0] if unit_field else self.province_code
                group, count, positions = row[-3], row[-2], row[-1] or 0
                if not unit:
                    continue  # a vacancy without a commune counts in the province only
                key = f"occupation_group:{group or 'unknown'}"
                figures.append(Figure("open_vacancies", key, unit, count, None))
                figures.append(Figure("recruitment_demand", key, unit, positions, None))
                total = totals.setdefault(unit, [0, 0])
                total[0] += count
                total[1] += positions
            if not unit_field:
                totals.setdefault(self.province_code, [0, 0])
            for unit, (count, positions) in totals.items():
                figures.append(Figure("open_vacancies", "", unit, count, None))
                figures.append(Figure("recruitment_demand", "", unit, positions, None))
        reports = WorkforceReport.objects.none()
        if self.report:
            year, period = self.report
            reports = WorkforceReport.objects.filter(
                employer__province_code=self.province_code,
                year=year,
                period=period,
                status=ReportStatus.FILED,
            )
        out_of_province = Sum(Coalesce("out_of_province", "out_of_province_derived", Value(0)))
        by_commune = (
            reports.values_list("employer__commune_code")
            .annotate(count=Count("id"), out_of_province=out_of_province)
            .order_by()
        )
        province = reports.aggregate(count=Count("id"), out_of_province=out_of_province)
        rows = [*by_commune, (self.province_code, province["count"], province["out_of_province"])]
        for unit, count, workers in rows:
            if unit:
                figures.append(Figure("employers_reporting", "", unit, count, None))
                figures.append(Figure("workers_from_other_provinces", "", unit, workers or 0, None))
        return figures


def report_period_for(last_month: int, year: int) -> tuple[int, str] | None:
    """The NĐ 145 report covering a period ending in `last_month`: the year's, or the half-year's."""
    if last_month == 12:
        return (year, ReportPeriod.YEAR)
    if last_month >= 6:
        return (year, ReportPeriod.HALF_YEAR)
    return None
