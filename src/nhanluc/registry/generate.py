"""A synthetic province: people over the real communes, calibrated on published figures.

Calibration (domain brief §8, GSO labour force survey 2024): labour-force participation 68,9 %,
working-age unemployment 2,24 %, trained with a degree or certificate 28,3 % (sơ cấp and above; the
broader measure adds short courses and skilled workers without a certificate), BHXH ≈ 42 % and BHTN
≈ 34 % of the labour force, ≈ 30 % of industrial-zone workers from other provinces (Hải Phòng, S16).
The employed are spread over the VSIC sections by the latest structure in GSO's table of the employed
by kind of economic activity (NHANLUC_REFERENCE_DATA/labour-stats, national, preliminary 2016: the only
sector mix in the data), each with a real VSIC 2018 level-4 industry of that section.
The same seed always gives the same province.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from nhanluc.catalogs.choices import TRAINING_FIELD_VERSION, VSCO_VERSION, VSIC_VERSION, IndustryLevel
from nhanluc.catalogs.models import Industry, OccupationTitle, TrainingField
from nhanluc.catalogs.services import ReferenceDataMissing
from nhanluc.core.bulk import allocate_ids, insert_frame, staged_writes
from nhanluc.core.progress import Progress
from nhanluc.core.services import note_data_change
from nhanluc.core.text import fold, fold_column
from nhanluc.geo.models import AdminUnit, UnitSuccession
from nhanluc.registry.choices import ChangeKind, ImportLayout, PovertyStatus, SourceKind
from nhanluc.registry.import_writes import SITUATION_FIELDS
from nhanluc.registry.models import Household, LaborSituation, Person, SurveyRound
from nhanluc.registry.profiles import profile_key_column

# Age bands of the population aged 15+ (GSO 2024 population pyramid, rounded): lower bound, share.
AGE_BANDS = [(15, 0.16), (25, 0.20), (35, 0.20), (45, 0.17), (55, 0.14), (65, 0.13)]
# Share inactive within each band: studying young, retired old; overall ≈ 31 % (participation ≈ 69 %).
INACTIVE_BY_BAND = [0.50, 0.11, 0.09, 0.14, 0.40, 0.76]
UNEMPLOYMENT_RATE = 0.0224
# Technical qualification of the labour force; levels 4–8 (sơ cấp and above) sum to 28,3 %.
QUALIFICATION_SHARES = {
    "1": 0.48,
    "2": 0.12,
    "3": 0.117,
    "4": 0.045,
    "5": 0.045,
    "6": 0.04,
    "7": 0.141,
    "8": 0.012,
}
# VSCO level-1 groups of the employed (GSO 2024, rounded).
OCCUPATION_GROUPS = {
    "1": 0.01,
    "2": 0.08,
    "3": 0.04,
    "4": 0.03,
    "5": 0.18,
    "6": 0.08,
    "7": 0.16,
    "8": 0.14,
    "9": 0.28,
}
EMPLOYMENT_STATUS = {"4": 0.56, "2": 0.33, "3": 0.085, "1": 0.02, "5": 0.005}
FAMILY_NAMES = [
    ("Nguyễn", 0.38),
    ("Trần", 0.11),
    ("Lê", 0.095),
    ("Phạm", 0.07),
    ("Hoàng", 0.05),
    ("Phan", 0.045),
    ("Vũ", 0.04),
    ("Đặng", 0.021),
    ("Bùi", 0.02),
    ("Đỗ", 0.014),
    ("Hồ", 0.013),
    ("Ngô", 0.013),
    ("Dương", 0.01),
    ("Lý", 0.005),
    ("Đinh", 0.009),
    ("Mai", 0.008),
    ("Trịnh", 0.008),
    ("Lương", 0.006),
]
MALE_MIDDLE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Xuân", "Tiến", "Mạnh"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Kim", "Hồng"]
MALE_GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hùng",
    "Hải",
    "Hiếu",
    "Huy",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Đạt",
    "Tùng",
    "Kiên",
    "Hưng",
    "Lâm",
]
FEMALE_GIVEN = [
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
    "Thủy",
]
ABROAD = ["Nhật Bản", "Hàn Quốc", "Đài Loan", "Malaysia", "Đức"]


@dataclass
class Population:
    people: pl.DataFrame  # officer-style text and typed columns, one row per person


SECTOR_TABLE = Path(
    "labour-stats",
    "gso2016_Annual_employed_population_and_annual_employed_population_at_15_years_of_age_and_above"
    "_by_kinds_of_economic_activity.csv",
)
VSIC_SECTIONS = "ABCDEFGHIJKLMNOPQRSTU"  # the order of the table's rows after TOTAL


def section_shares(reference_dir: Path | None = None) -> dict[str, float]:
    """Share of the employed in each VSIC section, from the last column of GSO's table (a percentage).

    Read by line, not as CSV: three names hold a semicolon and an unclosed quote.
    """
    base = reference_dir or settings.NHANLUC_REFERENCE_DATA
    if base is None:
        raise ReferenceDataMissing(
            "Không tìm thấy thư mục dữ liệu tham chiếu: đặt NHANLUC_REFERENCE_DATA (mặc định ../shared/data). / "
            "No reference-data folder: set NHANLUC_REFERENCE_DATA (default ../shared/data)."
        )
    path = Path(base) / SECTOR_TABLE
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    total = next(i for i, line in enumerate(lines) if line.startswith('"TOTAL"'))
    values = [float(line.rsplit(";", 1)[1]) for line in lines[total + 1 :] if line.strip()]
    if len(values) != len(VSIC_SECTIONS):
        raise ValueError(
            f"{path.name}: {len(values)} kinds of economic activity, expected {len(VSIC_SECTIONS)}"
        )
    return {section: value / 100 for section, value in zip(VSIC_SECTIONS, values, strict=True)}


def _industries(rng, section_of: np.ndarray) -> np.ndarray:
    """A level-4 VSIC 2018 industry of each person's section (None where no section)."""
    by_section: dict[str, list[str]] = {}
    for code, section in Industry.objects.filter(version=VSIC_VERSION, level=IndustryLevel.CLASS).values_list(
        "code", "parent__code"
    ):
        by_section.setdefault(section, []).append(code)
    industry = np.full(len(section_of), None, dtype=object)
    pick = rng.random(len(section_of))
    for section, codes in by_section.items():
        mask = section_of == section
        industry[mask] = np.array(sorted(codes), dtype=object)[(pick[mask] * len(codes)).astype(int)]
    return industry


def _sections(rng, employed: np.ndarray, farmer: np.ndarray, factory: np.ndarray) -> np.ndarray:
    """Each employed person's VSIC section: farmers in A, industrial-zone workers in C, the others
    drawn so that the whole matches `section_shares()`."""
    shares = section_shares()
    farm = employed & farmer
    plant = employed & factory & ~farmer
    rest = employed & ~farm & ~plant
    section = np.full(len(employed), None, dtype=object)
    section[farm] = "A"
    section[plant] = "C"
    wanted = {code: share * employed.sum() for code, share in shares.items()}
    wanted["A"] -= farm.sum()
    wanted["C"] -= plant.sum()
    weights = {code: max(count, 0.0) for code, count in wanted.items()}
    if not rest.any():
        return section
    section[rest] = _choice(rng, weights, int(rest.sum()))
    return section


def _choice(rng, table: dict, size: int) -> np.ndarray:
    keys = list(table)
    weights = np.array([table[key] for key in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=weights / weights.sum())]


def _communes(province_code: str) -> list[dict]:
    """Current communes with the legacy province each came from (for CCCDs and legacy addresses)."""
    communes = list(
        AdminUnit.objects.current()
        .communes()
        .filter(province_code=province_code)
        .values("code", "name", "division_type")
    )
    origin = dict(
        UnitSuccession.objects.filter(
            new__province_code=province_code, new__level="commune", old__level="commune"
        ).values_list("new__code", "old__province_code")
    )
    province_names = dict(AdminUnit.objects.legacy().provinces().values_list("code", "name"))
    legacy_names = {}
    for new_code, old_name, district_name, old_province in UnitSuccession.objects.filter(
        new__province_code=province_code, new__level="commune", old__level="commune", partial=False
    ).values_list("new__code", "old__name", "old__parent__name", "old__province_code"):
        legacy_names.setdefault(
            new_code, f"{old_name}, {district_name}, {province_names.get(old_province, '')}"
        )
    for commune in communes:
        commune["legacy_province"] = origin.get(commune["code"], province_code)
        commune["legacy_address"] = legacy_names.get(commune["code"], "")
    return communes


def generate_population(
    *, province_code: str, people: int, seed: int, reference_date: datetime.date
) -> pl.DataFrame:
    """Every person as a frame of the fields an officer writes on the form (codes as text).

    Drawn column by column (a million people in seconds): each random choice is one array.
    """
    rng = np.random.default_rng(seed)
    communes = _communes(province_code)
    province_name = AdminUnit.objects.current().provinces().get(code=province_code).name
    other_provinces = list(
        AdminUnit.objects.current().provinces().exclude(code=province_code).values_list("name", flat=True)
    )
    legacy_codes = list(AdminUnit.objects.legacy().provinces().values_list("code", flat=True))
    training_fields = list(
        TrainingField.objects.filter(version=TRAINING_FIELD_VERSION).values_list("name", flat=True)
    )
    n = people
    # Wards are denser than rural communes.
    weights = np.array([2.2 if c["division_type"] == "phường" else 1.0 for c in communes]) * rng.uniform(
        0.6, 1.4, len(communes)
    )
    commune_index = np.sort(rng.choice(len(communes), size=n, p=weights / weights.sum()))
    sex = np.where(rng.random(n) < 0.495, "1", "2")
    male = sex == "1"
    band = rng.choice(len(AGE_BANDS), size=n, p=[share for _age, share in AGE_BANDS])
    low = np.array([age for age, _share in AGE_BANDS])[band]
    width = np.where(band == len(AGE_BANDS) - 1, 20, 10)
    age = low + (rng.random(n) * width).astype(int)
    birth_year = reference_date.year - age - 1
    # A day of the year 0–364: the birthday stays in `birth_year` even in leap years.
    births = (birth_year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(0, 365, n)
    inactive = rng.random(n) < np.array(INACTIVE_BY_BAND)[band]
    youth = band == 0
    unemployed = ~inactive & (
        rng.random(n) < np.where(youth, UNEMPLOYMENT_RATE * 3.2, UNEMPLOYMENT_RATE * 0.75)
    )
    employed = ~inactive & ~unemployed
    status = np.where(employed, "1", np.where(unemployed, "2", "3"))
    qualification = _choice(rng, QUALIFICATION_SHARES, n)
    qualification = np.where(youth & (qualification > "5"), "1", qualification)
    general_education = np.where(
        qualification >= "5", "4", _choice(rng, {"1": 0.04, "2": 0.16, "3": 0.38, "4": 0.42}, n)
    )
    # Occupation from the real VSCO titles, by level-1 group.
    titles = list(
        OccupationTitle.objects.filter(occupation__version=VSCO_VERSION).values_list(
            "occupation__code", "title"
        )
    )
    by_group: dict[str, list[tuple[str, str]]] = {}
    for code, title in titles:
        by_group.setdefault(code[0], []).append((code, title))
    group = _choice(rng, {g: w for g, w in OCCUPATION_GROUPS.items() if g in by_group}, n)
    pick = rng.random(n)
    occupation = np.empty(n, dtype=object)
    job_title = np.empty(n, dtype=object)
    for g, options in by_group.items():
        mask = group == g
        chosen = (pick[mask] * len(options)).astype(int)
        occupation[mask] = np.array([code for code, _title in options], dtype=object)[chosen]
        job_title[mask] = np.array([title for _code, title in options], dtype=object)[chosen]
    employment_status = _choice(rng, EMPLOYMENT_STATUS, n)
    employee = employed & (employment_status == "4")
    industrial_zone = employee & (rng.random(n) < 0.25) & np.isin(group, ["7", "8", "9", "3", "4"])
    place = rng.random(n)
    workplace_location = np.where(
        ~employed, "", np.where(place < 0.05, "3", np.where(place < 0.13, "2", "1"))
    )
    compulsory = employee & (rng.random(n) < 0.72)
    voluntary = employed & ~compulsory & (rng.random(n) < 0.05)
    bhtn = compulsory & (rng.random(n) < 0.85)
    contract = np.where(compulsory, np.where(rng.random(n) < 0.55, "1", "2"), np.where(employee, "3", ""))
    # From a stream of their own, so that industries leave every other draw of a seed as it was.
    sector_rng = np.random.default_rng([seed, 2])
    industry = _industries(
        sector_rng, _sections(sector_rng, employed, farmer=group == "6", factory=industrial_zone)
    )
    # In-migrants: ≈ 30 % of industrial-zone workers keep a permanent residence in another province.
    migrant = industrial_zone & (rng.random(n) < 0.30)

    # Households: consecutive people of a commune, 1–5 members; the first is the head.
    household_size = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.12, 0.34, 0.27, 0.19, 0.08])
    household_number = np.empty(n, dtype=np.int64)
    first = np.empty(n, dtype=bool)
    starts = np.flatnonzero(np.r_[True, commune_index[1:] != commune_index[:-1]])
    for start, end in zip(starts, [*starts[1:], n], strict=True):
        ends = np.cumsum(household_size[start:end])
        number = np.searchsorted(ends, np.arange(end - start), side="right")
        household_number[start:end] = number + 1
        first[start:end] = np.r_[True, number[1:] != number[:-1]]
    head_of = np.maximum.accumulate(np.where(first, np.arange(n), 0))  # each person's household head
    roll = rng.random(n)[head_of]
    poverty = np.where(roll < 0.025, "1", np.where(roll < 0.06, "2", ""))
    relation = np.where(
        first, "1", rng.choice(["2", "3", "4", "6", "8"], size=n, p=[0.45, 0.35, 0.1, 0.05, 0.05])
    )

    family = np.array([name for name, _w in FAMILY_NAMES], dtype=object)
    family_p = np.array([w for _n, w in FAMILY_NAMES])
    family_pick = rng.choice(len(family), size=n, p=family_p / family_p.sum())
    middle_pick = rng.integers(0, 10, n)
    given_pick = rng.integers(0, 24, n)
    middle = np.where(
        male,
        np.array(MALE_MIDDLE, dtype=object)[middle_pick],
        np.array(FEMALE_MIDDLE, dtype=object)[middle_pick],
    )
    given = np.where(
        male, np.array(MALE_GIVEN, dtype=object)[given_pick], np.array(FEMALE_GIVEN, dtype=object)[given_pick]
    )
    full_name = family[family_pick] + " " + middle + " " + given

    commune_code = np.array([c["code"] for c in communes], dtype=object)[commune_index]
    commune_name = np.array([c["name"] for c in communes], dtype=object)[commune_index]
    ward = np.array([c["division_type"] == "phường" for c in communes])[commune_index]
    legacy_address = np.array([c["legacy_address"] for c in communes], dtype=object)[commune_index]
    origin = np.where(
        migrant,
        np.array(legacy_codes, dtype=object)[rng.integers(0, len(legacy_codes), n)],
        np.array([c["legacy_province"] for c in communes], dtype=object)[commune_index],
    )
    hamlet = np.where(ward, "Tổ dân phố ", "Thôn ").astype(object) + rng.integers(1, 15, n).astype(
        str
    ).astype(object)
    current = hamlet + ", " + commune_name + ", " + province_name
    permanent = np.where(
        migrant,
        np.array(other_provinces, dtype=object)[rng.integers(0, len(other_provinces), n)],
        # Half the addresses of merged communes are not yet rewritten after the 2025 reform.
        np.where((legacy_address != "") & (rng.random(n) < 0.5), legacy_address, current),
    )
    phone = np.where(
        rng.random(n) < 0.7, "09" + rng.integers(10_000_000, 99_999_999, n).astype(str).astype(object), None
    )
    ethnicity = np.where(rng.random(n) < 0.985, "01", rng.choice(["02", "03", "04", "06", "07"], size=n))
    training_field = (
        np.where(
            qualification >= "4",
            np.array(training_fields, dtype=object)[rng.integers(0, len(training_fields), n)],
            None,
        )
        if training_fields
        else np.full(n, None)
    )
    index = np.arange(n)
    workplace_address = np.where(
        workplace_location == "3",
        np.array(ABROAD, dtype=object)[index % len(ABROAD)],
        np.where(
            workplace_location == "2",
            np.array(other_provinces, dtype=object)[index % len(other_provinces)],
            commune_name + ", " + province_name,
        ),
    )
    unemployment_duration = rng.choice(["1", "2", "3"], size=n, p=[0.45, 0.4, 0.15])
    inactive_other = rng.choice(["3", "4", "5"], size=n, p=[0.6, 0.15, 0.25])

    def when(condition, values):
        return np.where(condition, values, None)

    columns = {
        "commune_code": commune_code,
        "commune_name": commune_name,
        "hamlet": hamlet,
        "household_number": when(first, household_number.astype(str)),
        "relation_to_head": relation,
        "full_name": full_name,
        "birth_date": births,
        "sex": sex,
        "cccd": origin,  # completed below
        "phone": phone,
        "permanent_address": permanent,
        "current_address": current,
        "priority_groups": when(poverty != "", poverty),
        "ethnicity": ethnicity,
        "general_education": general_education,
        "qualification": qualification,
        "training_field": training_field,
        "activity_status": status,
        "employment_status": when(employed, employment_status),
        "job_title": when(employed, job_title),
        "occupation_code": when(employed, occupation),
        "industry_code": industry,
        "social_insurance_type": when(employed, np.where(compulsory, "1", np.where(voluntary, "2", "3"))),
        "unemployment_insurance": when(bhtn, "x"),
        "contract_type": when(employed & (contract != ""), contract),
        "workplace_name": when(
            employee,
            "Công ty TNHH "
            + family[family_pick[(index * 7) % n]]
            + " "
            + (index % 97).astype(str).astype(object),
        ),
        "workplace_type": when(employed, np.where(employee, "5", "3")),
        "workplace_address": when(employed, workplace_address),
        "industrial_zone": when(industrial_zone & (workplace_location == "1"), "x"),
        "unemployment_type": when(status == "2", np.where(youth, "1", "2")),
        "unemployment_duration": when(status == "2", unemployment_duration),
        "inactive_reason": when(
            status == "3", np.where(youth, "1", np.where(age >= 60, "2", inactive_other))
        ),
    }
    frame = pl.DataFrame(
        # Object arrays (text with blanks) go through lists: Polars refuses some of them as arrays.
        pl.Series(name, values.tolist() if values.dtype == object else values, dtype=pl.Utf8)
        for name, values in columns.items()
        if name != "birth_date"
    ).insert_column(6, pl.Series("birth_date", births, dtype=pl.Date))
    # CCCD: birth province (3 digits), century and sex, year of birth (2 digits), then a serial number
    # per (province, century and sex, year), scrambled by the seed.
    year = pl.col("birth_date").dt.year()
    century_sex = (year // 100 - 19) * 2 + (pl.col("sex") == "2").cast(pl.Int32)
    serial = pl.int_range(pl.len()).over(pl.col("cccd"), century_sex, year)
    scrambled = (serial * 7919 + seed * 104729) % 1_000_000
    return frame.with_columns(
        pl.col("birth_date").dt.strftime("%d/%m/%Y"),
        pl.concat_str(
            pl.col("cccd").cast(pl.Int32).cast(pl.Utf8).str.zfill(3),
            century_sex.cast(pl.Utf8),
            (year % 100).cast(pl.Utf8).str.zfill(2),
            scrambled.cast(pl.Utf8).str.zfill(6),
        ).alias("cccd"),
    )


ERROR_KINDS = ("cccd", "name", "birth_date", "status", "code")


def inject_errors(frame: pl.DataFrame, *, rate: float, seed: int) -> pl.DataFrame:
    """Spoil about `rate` of the rows the way forms go wrong (one mistake per spoiled row)."""
    rng = np.random.default_rng(seed + 1)
    n = frame.height
    spoiled = rng.random(n) < rate
    kind = rng.integers(0, len(ERROR_KINDS), n)
    records = frame.to_dicts()
    for i in np.flatnonzero(spoiled):
        record = records[i]
        match ERROR_KINDS[kind[i]]:
            case "cccd":
                record["cccd"] = record["cccd"][:-2]
            case "name":
                record["full_name"] = None
            case "birth_date":
                record["birth_date"] = "31/12/2099"
            case "status":
                record["inactive_reason"] = "5" if record["activity_status"] != "3" else None
            case "code":
                record["qualification"] = "9"
    return pl.DataFrame(records, schema=frame.schema)


def write_workbooks(
    frame: pl.DataFrame,
    folder: Path,
    *,
    province_name: str,
    round_code: str,
    shape: str = ImportLayout.SURVEY_TICKS,
    progress: Progress | None = None,
) -> list[Path]:
    """One official-layout workbook per commune."""
    from nhanluc.registry.workbook import write_survey_workbook

    progress = progress or Progress()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    groups = frame.partition_by("commune_code", as_dict=True, maintain_order=True)
    progress.start(len(groups), "Ghi sổ điều tra theo xã")
    for (code,), rows in groups.items():
        name = rows["commune_name"][0]
        path = folder / f"mau01-{code}-{fold(name).replace(' ', '-')}.xlsx"
        write_survey_workbook(
            path,
            # Mẫu 01 asks for the job, not its codes: officers write neither occupation nor industry.
            rows.drop("occupation_code", "industry_code").to_dicts(),
            shape=shape,
            province_name=province_name,
            commune_name=name,
            commune_code=code,
            round_code=round_code,
        )
        paths.append(path)
        progress.advance()
    return paths


def store_population(
    frame: pl.DataFrame, *, survey_round: SurveyRound, progress: Progress | None = None
) -> dict:
    """Write a generated population straight to the register (no validation pass: it is valid by construction)."""
    progress = progress or Progress()
    province_code = survey_round.province_code
    now = str(connection.ops.adapt_datetimefield_value(timezone.now()))
    frame = frame.with_columns(pl.col("household_number").forward_fill())
    with staged_writes() as stage, transaction.atomic():
        households = (
            frame.select("commune_code", "household_number", "priority_groups")
            .group_by(["commune_code", "household_number"], maintain_order=True)
            .agg(pl.col("priority_groups").drop_nulls().first())
        )
        household_ids = allocate_ids(Household, households.height)
        households = households.with_columns(pl.Series("id", household_ids, dtype=pl.Int64))
        insert_frame(
            Household,
            households.select(
                "id",
                pl.lit(province_code).alias("province_code"),
                "commune_code",
                pl.col("household_number").alias("number"),
                pl.col("priority_groups")
                .replace_strict(
                    {"1": PovertyStatus.POOR.value, "2": PovertyStatus.NEAR_POOR.value}, default=""
                )
                .alias("poverty_status"),
            ),
            stage=stage,
        )
        progress.advance()
        frame = frame.join(
            households.select("commune_code", "household_number", pl.col("id").alias("household_id")),
            on=["commune_code", "household_number"],
            how="left",
        )
        person_ids = allocate_ids(Person, frame.height)
        frame = frame.with_columns(pl.Series("person_id", person_ids, dtype=pl.Int64))
        text = lambda name: pl.col(name).fill_null("")  # noqa: E731
        insert_frame(
            Person,
            frame.select(
                pl.col("person_id").alias("id"),
                "cccd",
                "full_name",
                fold_column(pl.col("full_name")).str.slice(0, 100).alias("search_name"),
                pl.col("birth_date").str.to_date("%d/%m/%Y"),
                "sex",
                "ethnicity",
                "household_id",
                "relation_to_head",
                pl.lit(province_code).alias("province_code"),
                "commune_code",
                "hamlet",
                "current_address",
                "permanent_address",
                pl.lit("").alias("permanent_province_code"),
                pl.lit("").alias("permanent_commune_code"),
                pl.when(pl.col("phone").is_not_null())
                .then(pl.lit("+84") + pl.col("phone").str.slice(1))
                .otherwise(pl.lit(""))
                .alias("phone"),
                pl.lit("").alias("bhxh_number"),
                text("priority_groups").alias("priority_groups"),
                pl.lit("").alias("left_reason"),
                pl.lit(now).alias("created_at"),
                pl.lit(now).alias("updated_at"),
            ),
            stage=stage,
        )
        progress.advance()
        situations = frame.select(
            "person_id",
            "commune_code",
            "sex",
            pl.col("birth_date").str.to_date("%d/%m/%Y"),
            *[
                text(name).alias(name)
                for name in (
                    "general_education",
                    "qualification",
                    "activity_status",
                    "employment_status",
                    "job_title",
                    "occupation_code",
                    "industry_code",
                    "social_insurance_type",
                    "contract_type",
                    "workplace_name",
                    "workplace_type",
                    "workplace_address",
                    "unemployment_type",
                    "unemployment_duration",
                    "inactive_reason",
                )
            ],
            pl.lit("").alias("training_field_code"),
            (pl.col("unemployment_insurance") == "x").fill_null(False).alias("unemployment_insurance"),
            pl.lit("").alias("enterprise_ownership"),
            pl.when(pl.col("activity_status") == "1")
            .then(
                pl.when(pl.col("workplace_address").str.contains(", "))
                .then(pl.lit("1"))
                .otherwise(pl.lit("2"))
            )
            .otherwise(pl.lit(""))
            .alias("workplace_location"),
            pl.lit("").alias("workplace_province_code"),
            (pl.col("industrial_zone") == "x").fill_null(False).alias("workplace_in_industrial_zone"),
            pl.lit("").alias("training_need"),
            pl.lit("").alias("job_need"),
        )
        situations = situations.with_columns(
            pl.when(pl.col("workplace_address").is_in(ABROAD))
            .then(pl.lit("3"))
            .otherwise(pl.col("workplace_location"))
            .alias("workplace_location")
        )
        insert_frame(
            LaborSituation,
            situations.select(
                pl.Series("id", allocate_ids(LaborSituation, situations.height), dtype=pl.Int64),
                "person_id",
                pl.lit(province_code).alias("province_code"),
                "commune_code",
                "sex",
                "birth_date",
                pl.lit(survey_round.reference_date).alias("valid_from"),
                pl.lit(None, dtype=pl.Date).alias("valid_to"),
                pl.lit(SourceKind.SURVEY.value).alias("source"),
                pl.lit(ChangeKind.INCREASE.value).alias("change_kind"),
                pl.lit(survey_round.pk).alias("survey_round_id"),
                pl.lit(None, dtype=pl.Int64).alias("batch_id"),
                *SITUATION_FIELDS,
                profile_key_column(),
                pl.lit(now).alias("recorded_at"),
            ),
            stage=stage,
        )
        note_data_change(domain="register", province_code=province_code)
        progress.advance()
    return {"people": frame.height, "households": households.height}
