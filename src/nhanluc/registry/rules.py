"""The validation rules of a person record — one implementation for forms, API and imports.

Rules run on a Polars frame of text cells (one row per person), so an import checks a million rows in
one vectorised pass and a form checks its single row through the very same code. `validate()` returns
the cleaned frame (codes resolved, dates parsed, phone in E.164, derived workplace location) and a
frame of problems tied to the row and field, in Vietnamese and English.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from nhanluc.catalogs.services import vietnamese_choices
from nhanluc.core.text import fold
from nhanluc.registry.cell_values import (
    LAZY_ENGINE,
    distinct_values,
    mapped,
    parsed_dates,
    resolve_coded,
    truthy,
)
from nhanluc.registry.choices import ErrorCategory, WorkplaceLocation
from nhanluc.registry.fields import (
    EMPLOYMENT_FIELDS,
    FIELDS,
    FIELDS_BY_KEY,
    TICK_SEPARATOR,
    UNEMPLOYMENT_FIELDS,
    Field,
)
from nhanluc.registry.phones import phone_e164

ERROR, WARNING = "error", "warning"


@lru_cache(maxsize=1024)
def _messages(msgid: str, **params) -> tuple[str, str]:
    """The message in Vietnamese and in English (both go into the error workbook).

    Kept once made: the checks of every file ask for the same hundred messages, and switching the
    language twice for each cost a tenth of the time of checking a small file."""
    with translation.override("vi"):
        vietnamese = _(msgid) % params if params else _(msgid)
    with translation.override("en"):
        english = _(msgid) % params if params else _(msgid)
    return vietnamese, english


@dataclass
class RuleContext:
    """What the rules need besides the rows: the survey date, the reference lists, the register."""

    reference_date: datetime.date
    province_code: str
    legacy_province_codes: frozenset[str]
    occupation_codes: frozenset[str]
    industry_codes: frozenset[str]
    training_fields: dict[str, str]  # folded name or code → code
    commune_codes: frozenset[str]  # current communes of the province
    # CCCD → commune where the register already has that person (present, not left).
    registered_commune: Callable[[list[str]], dict[str, str]] = lambda cccds: {}
    suggest_occupation: Callable[[str], str] = lambda title: ""
    resolve_address: Callable[[str], object] | None = None
    default_commune_code: str = ""
    column_labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Validation:
    rows: pl.DataFrame  # every row, cleaned, with `_valid`
    problems: pl.DataFrame  # sheet, row, field, column, value, category, severity, message_vi, message_en

    @property
    def errors(self) -> pl.DataFrame:
        if self.problems.is_empty():
            return self.problems.clear()  # most files: no query to plan
        return self.problems.filter(pl.col("severity") == ERROR)

    @property
    def valid_rows(self) -> pl.DataFrame:
        return self.rows.filter(pl.col("_valid"))


# Beyond Basic Latin to Latin Extended-B and Latin Extended Additional (precomposed Vietnamese): no text
# of these characters alone changes under NFC (checked pair by pair, Unicode 15).
NOT_ONLY_LATIN = r"[^\x00-\u024F\u1E00-\u1EFF]"


PROBLEM_SCHEMA = {
    "sheet": pl.Utf8,
    "row": pl.Int64,
    "field": pl.Utf8,
    "column": pl.Utf8,
    "value": pl.Utf8,
    "category": pl.Utf8,
    "severity": pl.Utf8,
    "message_vi": pl.Utf8,
    "message_en": pl.Utf8,
}


# Made once: building a frame from a schema took longer than checking a small file's names.
_NO_PROBLEMS = pl.DataFrame(schema=PROBLEM_SCHEMA)


def empty_problems() -> pl.DataFrame:
    return _NO_PROBLEMS.clear()


class _Checks:
    """Collects the rows each rule hits, evaluated against the frame as it is when the rule is added.

    Consecutive rules written against the same state of the frame are evaluated together, in one
    pass over it: a file of 10 000 rows goes through some forty passes instead of a hundred.
    """

    def __init__(self):
        self.hits: list[tuple[pl.Series, str, str, str, tuple[str, str]]] = []
        self._frame: pl.DataFrame | None = None
        self._pending: list[tuple[pl.Expr, str, str, str, tuple[str, str]]] = []

    def add(self, frame, mask, field_key, category, message, severity=ERROR):
        if frame is not self._frame:
            self._evaluate()
            self._frame = frame
        self._pending.append((mask.fill_null(False), field_key, str(category), severity, message))

    def _evaluate(self) -> None:
        if self._pending:
            # Lazily: the rules of a pass share conditions (employed, inactive…), computed once this way.
            masks = (
                self._frame.lazy()
                .select(mask.alias(f"m{i}") for i, (mask, *_rule) in enumerate(self._pending))
                .collect(engine=LAZY_ENGINE)
            )
            # Series.any per column: DataFrame.max took twenty times as long (7 ms a file of 18 000 rows).
            for mask, (_expression, *rule) in zip(masks.iter_columns(), self._pending, strict=True):
                if mask.any():
                    self.hits.append((mask, *rule))
        self._frame, self._pending = None, []

    def problems(self, frame: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
        self._evaluate()
        parts = []
        for hit, field_key, category, severity, (vi, en) in self.hits:
            parts.append(
                frame.filter(hit).select(
                    pl.col("_sheet").alias("sheet"),
                    pl.col("_row").cast(pl.Int64).alias("row"),
                    pl.lit(field_key).alias("field"),
                    pl.lit(labels.get(field_key) or _heading(field_key)).alias("column"),
                    pl.col(f"raw_{field_key}").str.slice(0, 200).alias("value"),
                    pl.lit(category).alias("category"),
                    pl.lit(severity).alias("severity"),
                    pl.lit(vi).alias("message_vi"),
                    pl.lit(en).alias("message_en"),
                )
            )
        if not parts:
            return empty_problems()
        return pl.concat(parts).sort(["sheet", "row"], maintain_order=True)


def _heading(key: str) -> str:
    spec = FIELDS_BY_KEY.get(key)
    return _(spec.heading) if spec else key


def _with_columns(frame: pl.DataFrame, *columns: pl.Expr) -> pl.DataFrame:
    """`frame.with_columns`, run lazily: a part an expression uses several times (the digits of a phone
    number, the stripped text of a cell) is then computed once (the phone rule: 6× faster)."""
    return frame.lazy().with_columns(*columns).collect(engine=LAZY_ENGINE)


def _blank_to_null(column: str) -> pl.Expr:
    text = pl.col(column).cast(pl.Utf8).str.strip_chars()
    return pl.when(text.str.len_chars() == 0).then(None).otherwise(text).alias(column)


def _blank(frame: pl.DataFrame, column: str) -> bool:
    """Whether every cell of the column is null: a rule that needs a value there can hit no row, and
    is left out (a rule costs about as much to plan as to check a small file's rows)."""
    return frame.get_column(column).null_count() == frame.height


@lru_cache(maxsize=16)
def _code_list(codes: frozenset[str]) -> pl.Series:
    """A reference list as a Series, made once for each list: turning the Python list of a thousand
    codes into one took longer than checking a small file's column against it. Imploded to one list:
    `is_in` reads a Series of the column's own type that way (the plain Series is deprecated)."""
    return pl.Series(sorted(codes), dtype=pl.Utf8).implode()


# The same for every file: built once (an expression costs some 5–15 µs to build, a file needs dozens).
_NAME_SPACES = pl.col("full_name").str.replace_all(r"\s+", " ")
_PHONE_E164 = phone_e164(pl.col("phone")).alias("phone_e164")


def validate(raw: pl.DataFrame, context: RuleContext, *, cells_clean: bool = False) -> Validation:
    """Check and clean every row of `raw` (text cells; `_sheet` and `_row` name where each came from).

    `cells_clean`: every cell is stripped and a blank one null already, as `read_survey_file` gives
    them; not done again (a tenth of the checks of a file).

    The frame is transformed in as few passes as the rules allow, and each rule is checked against a
    frame in which the columns it reads are as they were when it was written down: a rule reading
    `cccd` needs it cleaned, one reading `occupation_code` needs it before the suggested code fills it.
    The rules are added in the order they always had: the problems of a row are listed in it.
    """
    columns = set(raw.columns)
    missing = [spec.key for spec in FIELDS if spec.key not in columns]
    if missing:
        raw = raw.with_columns(pl.lit(None, dtype=pl.Utf8).alias(key) for key in missing)
    if "_sheet" not in columns:
        raw = raw.with_columns(pl.lit("").alias("_sheet"))
    if "_row" not in columns:
        raw = raw.with_row_index("_row", offset=1)
    if raw.get_column("_row").dtype != pl.Int64:
        raw = raw.with_columns(pl.col("_row").cast(pl.Int64))
    if not cells_clean:
        raw = raw.with_columns(_blank_to_null(spec.key) for spec in FIELDS)
    # Keep the cells as written (zero-copy): problems quote them, conditions test what was filled in.
    copies = [raw.get_column(spec.key).alias(f"raw_{spec.key}") for spec in FIELDS]
    if columns.isdisjoint(copy.name for copy in copies):
        frame = raw.hstack(copies)  # no query to plan, unlike with_columns
    else:
        frame = raw.with_columns(copies)
    checks = _Checks()

    # One pass reads what the next steps decide on: the longest cell of each column, the distinct values
    # of the columns resolved through a mapping, whether a name has letters beyond Latin.
    coded = [spec for spec in FIELDS if spec.choices is not None and spec.key != "sex"]
    flags = ("unemployment_insurance", "industrial_zone")
    distinct_keys = ["sex", *(spec.key for spec in coded), *flags, "training_field", "job_title"]
    filled = {spec.key for spec in FIELDS if not _blank(frame, spec.key)}
    stats = frame.select(
        *(
            pl.col(spec.key).str.len_bytes().max().alias(f"longest_{spec.key}")
            for spec in FIELDS
            if spec.key in filled
        ),
        *(
            pl.col(key).drop_nulls().unique().implode().alias(f"distinct_{key}")
            for key in distinct_keys
            if key in filled
        ),
        pl.col("full_name").str.contains(NOT_ONLY_LATIN).any().alias("not_only_latin"),
    ).row(0, named=True)
    distinct = {key: stats.get(f"distinct_{key}", []) for key in distinct_keys}

    # Cells longer than their field: a 50 MB cell is refused here, before anything else reads it.
    # A text has at least as many bytes as characters: only a column with a cell of more bytes than
    # the field's length needs its characters counted (a tenth of the checks when each one was).
    too_long = {}
    for spec in FIELDS:
        if (stats.get(f"longest_{spec.key}") or 0) <= spec.max_length:
            continue
        too_long[spec.key] = pl.col(spec.key).str.len_chars() > spec.max_length
        checks.add(
            frame,
            too_long[spec.key],
            spec.key,
            ErrorCategory.FILE,
            _messages(gettext_noop("Ô dữ liệu dài quá %(limit)s ký tự"), limit=spec.max_length),
        )

    # --- name
    name = _NAME_SPACES
    if "full_name" in too_long:
        name = (
            pl.when(too_long["full_name"])
            .then(None)
            .otherwise(pl.col("full_name"))
            .str.replace_all(r"\s+", " ")
        )
    # A name typed with combining accents (some keyboards) is composed, so that a name has one spelling.
    # Text of Latin letters alone (precomposed Vietnamese included) is composed already: the other
    # files skip a step that cost as much as every other name rule. (Read before spaces are joined and
    # long cells dropped: a name composed for nothing is composed all the same.)
    if stats["not_only_latin"]:
        name = name.str.normalize("NFC")
    frame = frame.with_columns(
        *(
            pl.when(long).then(None).otherwise(pl.col(key)).alias(key)
            for key, long in too_long.items()
            if key != "full_name"
        ),
        name.alias("full_name"),
    )
    if too_long:
        # The distinct values of a column whose long cells are now dropped.
        distinct.update(distinct_values(frame, [key for key in distinct_keys if key in too_long]))

    # --- sex (the Mẫu 01 reader derives it from the Nam/Nữ date-of-birth columns)
    sex = [FIELDS_BY_KEY["sex"]]
    frame, sex_codes, sex_mappings = resolve_coded(frame, sex, distinct)

    # --- date of birth, CCCD, commune of residence: cleaned in one pass
    frame = frame.with_columns(parsed_dates(frame, "birth_date").alias("birth_date_parsed"))
    dob = pl.col("birth_date_parsed")
    ref = context.reference_date
    age = (pl.lit(ref.year) - dob.dt.year()) - (
        (dob.dt.month() * 100 + dob.dt.day()) > (ref.month * 100 + ref.day)
    ).cast(pl.Int32)
    cccd = pl.col("cccd").str.replace_all(r"[\s.\-]", "")
    cccd = pl.when(cccd.str.contains(r"^\d{10,11}$")).then(cccd.str.zfill(12)).otherwise(cccd)
    commune = pl.col("commune_code").str.zfill(5)
    frame = frame.with_columns(
        age.alias("age"),
        cccd.alias("cccd"),
        pl.coalesce(commune, pl.lit(context.default_commune_code or None, dtype=pl.Utf8)).alias(
            "commune_code"
        ),
    )
    registered = context.registered_commune(frame.get_column("cccd").drop_nulls().unique().to_list())
    if registered:
        frame = frame.with_columns(
            pl.col("cccd")
            .replace_strict(registered, default=None, return_dtype=pl.Utf8)
            .alias("_registered_commune")
        )

    # --- name rules
    checks.add(
        frame,
        pl.col("full_name").is_null(),
        "full_name",
        ErrorCategory.NAME,
        _messages(gettext_noop("Thiếu họ và tên")),
    )
    checks.add(
        frame,
        pl.col("full_name").str.contains(r"[0-9@#$%^&*()_+=\[\]{}<>/\\|!?;:\"]"),
        "full_name",
        ErrorCategory.NAME,
        _messages(gettext_noop("Họ và tên có chữ số hoặc ký tự không hợp lệ")),
    )
    checks.add(
        frame,
        pl.col("full_name").is_not_null() & ~pl.col("full_name").str.contains(" "),
        "full_name",
        ErrorCategory.NAME,
        _messages(gettext_noop("Họ và tên phải có cả họ và tên")),
    )

    # --- sex rules
    _coded_checks(checks, sex_codes, sex, sex_mappings)
    checks.add(
        frame,
        pl.col("raw_sex").is_null(),
        "sex",
        ErrorCategory.BIRTH_DATE,
        _messages(gettext_noop("Thiếu giới tính (ghi ngày sinh vào cột Nam hoặc Nữ)")),
    )

    # --- date of birth rules
    checks.add(
        frame,
        pl.col("birth_date").is_null(),
        "birth_date",
        ErrorCategory.BIRTH_DATE,
        _messages(gettext_noop("Thiếu ngày sinh")),
    )
    checks.add(
        frame,
        pl.col("birth_date").is_not_null() & dob.is_null(),
        "birth_date",
        ErrorCategory.BIRTH_DATE,
        _messages(gettext_noop("Ngày sinh không đọc được (ghi dd/mm/yyyy)")),
    )
    checks.add(
        frame,
        dob > pl.lit(datetime.date.today()),
        "birth_date",
        ErrorCategory.BIRTH_DATE,
        _messages(gettext_noop("Ngày sinh ở tương lai")),
    )
    checks.add(
        frame,
        (dob <= pl.lit(datetime.date.today())) & (pl.col("age") < 15),
        "birth_date",
        ErrorCategory.BIRTH_DATE,
        _messages(
            gettext_noop("Chưa đủ 15 tuổi vào thời điểm điều tra %(date)s"), date=ref.strftime("%d/%m/%Y")
        ),
    )
    checks.add(
        frame,
        pl.col("age") > 120,
        "birth_date",
        ErrorCategory.BIRTH_DATE,
        _messages(gettext_noop("Tuổi quá 120: kiểm tra lại ngày sinh")),
    )
    checks.add(
        frame,
        pl.col("birth_date").str.contains(r"^\d{4}$"),
        "birth_date",
        ErrorCategory.BIRTH_DATE,
        _messages(gettext_noop("Chỉ có năm sinh: tạm lấy ngày 01/01")),
        severity=WARNING,
    )

    # --- CCCD rules
    cccd = pl.col("cccd")
    is_cccd = cccd.str.contains(r"^\d{12}$")
    is_cmnd = cccd.str.contains(r"^\d{9}$")
    checks.add(frame, cccd.is_null(), "cccd", ErrorCategory.CCCD, _messages(gettext_noop("Thiếu số CCCD")))
    checks.add(
        frame,
        cccd.is_not_null() & ~is_cccd & ~is_cmnd,
        "cccd",
        ErrorCategory.CCCD,
        _messages(gettext_noop("Số CCCD phải gồm 12 chữ số (CMND cũ: 9 chữ số)")),
    )
    checks.add(
        frame,
        is_cmnd,
        "cccd",
        ErrorCategory.CCCD,
        _messages(gettext_noop("Số CMND 9 chữ số: được chấp nhận, cần cập nhật số CCCD")),
        severity=WARNING,
    )
    checks.add(
        frame,
        is_cccd & ~cccd.str.slice(0, 3).is_in(_code_list(context.legacy_province_codes)),
        "cccd",
        ErrorCategory.CCCD,
        _messages(gettext_noop("Ba chữ số đầu của CCCD không phải mã tỉnh nơi đăng ký khai sinh")),
    )
    year = dob.dt.year()
    expected_digit = ((year // 100) - 19) * 2 + (pl.col("sex") == "2").cast(pl.Int32)
    checks.add(
        frame,
        is_cccd
        & dob.is_not_null()
        & pl.col("sex").is_in(["1", "2"])
        & (cccd.str.slice(3, 1).cast(pl.Int32, strict=False) != expected_digit),
        "cccd",
        ErrorCategory.CCCD,
        _messages(gettext_noop("Chữ số thứ 4 của CCCD không khớp giới tính và thế kỷ sinh")),
    )
    checks.add(
        frame,
        is_cccd & dob.is_not_null() & (cccd.str.slice(4, 2).cast(pl.Int32, strict=False) != (year % 100)),
        "cccd",
        ErrorCategory.CCCD,
        _messages(gettext_noop("Chữ số thứ 5–6 của CCCD không khớp năm sinh")),
    )
    # Not the first row with this number (a window numbering the rows of each number took 30 times as long).
    duplicate_in_file = cccd.is_not_null() & ~cccd.is_first_distinct()
    checks.add(
        frame,
        duplicate_in_file,
        "cccd",
        ErrorCategory.DUPLICATE,
        _messages(gettext_noop("Trùng số CCCD với một dòng trước trong tệp")),
    )

    # --- commune of residence rules
    checks.add(
        frame,
        pl.col("commune_code").is_null(),
        "commune_code",
        ErrorCategory.ADDRESS,
        _messages(gettext_noop("Thiếu mã xã nơi ở (chọn xã khi nhập tệp)")),
    )
    checks.add(
        frame,
        pl.col("commune_code").is_not_null()
        & ~pl.col("commune_code").is_in(_code_list(context.commune_codes)),
        "commune_code",
        ErrorCategory.ADDRESS,
        _messages(gettext_noop("Mã xã không thuộc tỉnh theo danh mục từ 01/7/2025")),
    )
    if registered:
        checks.add(
            frame,
            pl.col("_registered_commune").is_not_null()
            & (pl.col("_registered_commune") != pl.col("commune_code")),
            "cccd",
            ErrorCategory.DUPLICATE,
            _messages(gettext_noop("Số CCCD đã có trong sổ đăng ký ở xã khác; xã đó cần ghi giảm trước")),
        )

    # --- code lists: the distinct values of every coded column were read in the first pass and are
    # resolved once each; the codes are then written in one pass and the rules checked in one more.
    frame, codes, mappings = resolve_coded(frame, coded, distinct)
    _coded_checks(checks, codes, coded, mappings)
    # As for the coded columns, a rule is checked row by row only when a distinct value breaks it.
    flag_mappings = {key: {value: truthy(value) for value in distinct[key]} for key in flags}
    training_fields = {
        value: context.training_fields.get(fold(value)) for value in distinct["training_field"]
    }
    # The contact columns are cleaned in the same pass, lazily: a part an expression uses several
    # times (the digits of a phone number) is then computed once (the phone rule: 6× faster).
    bhxh = pl.col("bhxh_number").str.replace_all(r"[\s.]", "")
    bhxh = pl.when(bhxh.str.contains(r"^\d{9}$")).then(bhxh.str.zfill(10)).otherwise(bhxh)
    has_phone, has_bhxh = "phone" in filled, "bhxh_number" in filled
    frame = _with_columns(
        frame,
        *[mapped(key, mapping).fill_null("0").alias(f"{key}_flag") for key, mapping in flag_mappings.items()],
        mapped("training_field", training_fields).alias("training_field_code"),
        # A column of no numbers has none in E.164 either.
        _PHONE_E164 if has_phone else pl.lit(None, dtype=pl.Utf8).alias("phone_e164"),
        *([bhxh.alias("bhxh_number")] if has_bhxh else []),
    )
    for key, mapping in flag_mappings.items():
        if None in mapping.values():
            checks.add(
                frame,
                pl.col(key).is_not_null() & mapped(key, mapping).is_null(),
                key,
                ErrorCategory.CODE,
                _messages(gettext_noop('Ghi "x" hoặc "có" nếu có, để trống nếu không')),
            )
    if None in training_fields.values():
        checks.add(
            frame,
            pl.col("training_field").is_not_null() & pl.col("training_field_code").is_null(),
            "training_field",
            ErrorCategory.CODE,
            _messages(gettext_noop("Chuyên ngành đào tạo không có trong danh mục")),
        )
    catalogue_codes = (
        (
            "occupation_code",
            context.occupation_codes,
            gettext_noop("Mã nghề không có trong danh mục VSCO 2020 cấp 4"),
        ),
        ("industry_code", context.industry_codes, gettext_noop("Mã ngành không có trong danh mục VSIC 2018")),
    )
    for key, codes, message in catalogue_codes:
        if key in filled:
            checks.add(
                frame,
                pl.col(key).is_not_null() & ~pl.col(key).is_in(_code_list(codes)),
                key,
                ErrorCategory.CODE,
                _messages(message),
            )

    # --- conditional fields of the activity status. A rule about the people of one status is left
    # out when no one has it, one about a column when the column is blank: it can hit no row.
    statuses = {code for code in mappings["activity_status"].values() if code is not None}
    status = pl.col("activity_status")
    employed, unemployed, inactive = status == "1", status == "2", status == "3"
    checks.add(
        frame,
        pl.col("raw_activity_status").is_null(),
        "activity_status",
        ErrorCategory.STATUS,
        _messages(gettext_noop("Thiếu tình trạng hoạt động kinh tế")),
    )
    if "1" in statuses:
        checks.add(
            frame,
            employed & pl.col("employment_status").is_null(),
            "employment_status",
            ErrorCategory.STATUS,
            _messages(gettext_noop("Người có việc làm phải có vị thế việc làm")),
        )
        checks.add(
            frame,
            employed & pl.col("job_title").is_null(),
            "job_title",
            ErrorCategory.STATUS,
            _messages(gettext_noop("Người có việc làm phải ghi công việc cụ thể")),
        )
        for key in (*UNEMPLOYMENT_FIELDS, "inactive_reason"):
            if not _blank(frame, key):
                checks.add(
                    frame,
                    employed & pl.col(key).is_not_null(),
                    key,
                    ErrorCategory.STATUS,
                    _messages(gettext_noop("Người có việc làm không ghi mục này")),
                )
    if "2" in statuses:
        for key in (*EMPLOYMENT_FIELDS, "social_insurance_type", "inactive_reason"):
            if not _blank(frame, f"raw_{key}"):
                checks.add(
                    frame,
                    unemployed & pl.col(f"raw_{key}").is_not_null(),
                    key,
                    ErrorCategory.STATUS,
                    _messages(gettext_noop("Người thất nghiệp không ghi thông tin việc làm")),
                )
        checks.add(
            frame,
            unemployed & pl.col("unemployment_duration").is_null(),
            "unemployment_duration",
            ErrorCategory.STATUS,
            _messages(gettext_noop("Người thất nghiệp phải có thời gian thất nghiệp")),
        )
    if "3" in statuses:
        checks.add(
            frame,
            inactive & pl.col("inactive_reason").is_null(),
            "inactive_reason",
            ErrorCategory.STATUS,
            _messages(gettext_noop("Người không tham gia hoạt động kinh tế phải có lý do")),
        )
        for key in (*EMPLOYMENT_FIELDS, *UNEMPLOYMENT_FIELDS, "social_insurance_type"):
            if not _blank(frame, f"raw_{key}"):
                checks.add(
                    frame,
                    inactive & pl.col(f"raw_{key}").is_not_null(),
                    key,
                    ErrorCategory.STATUS,
                    _messages(gettext_noop("Người không tham gia hoạt động kinh tế chỉ ghi lý do")),
                )

    # --- contact, insurance number
    if has_phone:
        checks.add(
            frame,
            pl.col("phone").is_not_null() & pl.col("phone_e164").is_null(),
            "phone",
            ErrorCategory.CONTACT,
            _messages(gettext_noop("Số điện thoại không đúng dạng (di động 10 số 0[35789]…, cố định 02…)")),
        )
    if has_bhxh:
        checks.add(
            frame,
            pl.col("bhxh_number").is_not_null() & ~pl.col("bhxh_number").str.contains(r"^\d{10}$"),
            "bhxh_number",
            ErrorCategory.CONTACT,
            _messages(gettext_noop("Mã số BHXH phải gồm 10 chữ số")),
        )

    # Written after every rule above is checked: the occupation rule reads the code as written, before
    # the one suggested from the job title fills it.
    suggested = {value: context.suggest_occupation(value) or None for value in distinct["job_title"]}
    frame = frame.with_columns(
        pl.when(employed)
        .then(pl.coalesce(pl.col("occupation_code"), mapped("job_title", suggested)))
        .otherwise(None)
        .alias("occupation_code"),
        pl.when(employed)
        .then(pl.col("unemployment_insurance_flag"))
        .otherwise(pl.lit("0"))
        .alias("unemployment_insurance_flag"),
        *_address_columns(frame, context),
    )

    problems = checks.problems(frame, context.column_labels)
    if not (problems.get_column("severity") == ERROR).any():
        # No row has an error: every one is valid, as the join below would say.
        return Validation(rows=frame.with_columns(pl.lit(True).alias("_valid")), problems=problems)
    invalid_rows = (
        problems.filter(pl.col("severity") == ERROR)
        .select(pl.col("sheet").alias("_sheet"), pl.col("row").alias("_row"))
        .unique()
    )
    frame = frame.join(
        invalid_rows.with_columns(pl.lit(False).alias("_valid")), on=["_sheet", "_row"], how="left"
    ).with_columns(pl.col("_valid").fill_null(True))
    return Validation(rows=frame, problems=problems)


def _coded_checks(
    checks: "_Checks",
    codes: pl.DataFrame | None,
    specs: list[Field],
    mappings: dict[str, dict[str, str | None]],
) -> None:
    """The rules of the coded columns, checked against `codes` as `resolve_coded` made it."""
    for spec in specs:
        # A rule is checked row by row only when one of the column's distinct values breaks it: most
        # files write known codes and tick one box a question.
        mapping = mappings[spec.key]
        if None not in mapping.values():
            continue
        original = pl.col(spec.key)
        several = original.str.contains(TICK_SEPARATOR, literal=True)
        if not spec.multiple and any(TICK_SEPARATOR in value for value in mapping):
            checks.add(
                codes,
                several,
                spec.key,
                ErrorCategory.CODE,
                _messages(gettext_noop("Đánh dấu nhiều hơn một ô trong cùng một câu hỏi")),
            )
        allowed = "; ".join(f"{code} = {label}" for code, label in vietnamese_choices(spec.choices))
        checks.add(
            codes,
            original.is_not_null()
            & pl.col(f"{spec.key}__code").is_null()
            & (~several if not spec.multiple else pl.lit(True)),
            spec.key,
            ErrorCategory.CODE,
            _messages(gettext_noop("Giá trị không có trong danh mục (%(allowed)s)"), allowed=allowed[:400]),
        )


def _address_columns(frame: pl.DataFrame, context: RuleContext) -> list[pl.Expr]:
    """Permanent residence → current-scheme commune; workplace → in the province, elsewhere, abroad."""
    resolve = context.resolve_address
    permanent_commune, permanent_province, legacy, candidates = {}, {}, {}, {}
    location, workplace_province = {}, {}
    if resolve is not None:
        for text in frame.get_column("permanent_address").drop_nulls().unique().to_list():
            match = resolve(text)
            permanent_commune[text] = match.commune_code or None
            permanent_province[text] = match.province_code or None
            if match.needs_review:
                legacy[text] = match.legacy_commune_code
                candidates[text] = ",".join(match.candidates)
        for text in frame.get_column("workplace_address").drop_nulls().unique().to_list():
            match = resolve(text)
            if match.abroad:
                location[text] = WorkplaceLocation.ABROAD.value
            elif match.province_code and match.province_code != context.province_code:
                location[text] = WorkplaceLocation.OTHER_PROVINCE.value
            else:
                location[text] = WorkplaceLocation.IN_PROVINCE.value
            workplace_province[text] = match.province_code or None

    # Unlike `mapped`, a value absent from the mapping (or no mapping at all) gives null, never itself.
    def looked_up(column, mapping):
        return (
            pl.col(column).replace_strict(mapping, default=None, return_dtype=pl.Utf8)
            if mapping
            else pl.lit(None, dtype=pl.Utf8)
        )

    employed = pl.col("activity_status") == "1"
    return [
        looked_up("permanent_address", permanent_commune).alias("permanent_commune_code"),
        looked_up("permanent_address", permanent_province).alias("permanent_province_code"),
        looked_up("permanent_address", legacy).alias("review_legacy_code"),
        looked_up("permanent_address", candidates).alias("review_candidates"),
        # Employed with no workplace address: the survey found them working where they live.
        pl.when(employed)
        .then(
            pl.coalesce(looked_up("workplace_address", location), pl.lit(WorkplaceLocation.IN_PROVINCE.value))
        )
        .otherwise(None)
        .alias("workplace_location"),
        pl.when(employed)
        .then(pl.coalesce(looked_up("workplace_address", workplace_province), pl.lit(context.province_code)))
        .otherwise(None)
        .alias("workplace_province_code"),
    ]
