"""The commune survey workbook (Mẫu 01, TT 01/2022/TT-BLĐTBXH) and the flat template: layout, reading, writing.

Communes fill Mẫu 01 in two shapes. In the *code-column* shape every question is one column holding
the answer's code or label. In the *tick-box* shape of the printed form, a question with a short list
of answers spans one sub-column per answer under a merged header, and the answer is marked "x". The
date of birth is written in the "Nam" column for men and the "Nữ" column for women in both shapes.
The reader recognises the shape from the header rows; the writer produces either shape (the generator
and the blank template use it).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from nhanluc.catalogs import choices as codes
from nhanluc.catalogs.services import folded_labels
from nhanluc.core.spreadsheets import UnreadableFile, column_letter, read_text_sheets
from nhanluc.core.text import WHITESPACE, fold
from nhanluc.registry.choices import ImportLayout
from nhanluc.registry.fields import FIELDS, FIELDS_BY_KEY, TICK_SEPARATOR

TICK_MARKS = {"x", "1", "✓", "v", "√"}
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Question:
    key: str  # a field of fields.FIELDS
    heading: str  # the printed question
    ticks: type | None = None  # answers printed as tick columns in the tick-box shape


# The columns of Mẫu 01 in the order provinces print them (the list, extended with phone,
# unemployment insurance and industrial zone, which TT 01/2022 lets provinces add).
QUESTIONS = (
    Question("household_number", gettext_noop("Số hộ")),
    Question("full_name", gettext_noop("Họ và tên")),
    Question("birth_date", gettext_noop("Ngày tháng năm sinh")),  # always split Nam / Nữ
    Question("cccd", gettext_noop("Số CCCD/định danh cá nhân")),
    Question("bhxh_number", gettext_noop("Mã số BHXH")),
    Question("phone", gettext_noop("Số điện thoại")),
    Question("permanent_address", gettext_noop("Nơi thường trú")),
    Question("current_address", gettext_noop("Nơi ở hiện tại")),
    Question("priority_groups", gettext_noop("Đối tượng ưu tiên"), codes.PriorityGroup),
    Question("ethnicity", gettext_noop("Dân tộc")),
    Question(
        "general_education", gettext_noop("Trình độ giáo dục phổ thông cao nhất"), codes.GeneralEducation
    ),
    Question("qualification", gettext_noop("Trình độ chuyên môn kỹ thuật cao nhất"), codes.Qualification),
    Question("training_field", gettext_noop("Chuyên ngành đào tạo")),
    Question("activity_status", gettext_noop("Tình trạng tham gia hoạt động kinh tế"), codes.ActivityStatus),
    Question("employment_status", gettext_noop("Vị thế việc làm"), codes.EmploymentStatus),
    Question("job_title", gettext_noop("Công việc cụ thể đang làm")),
    Question("social_insurance_type", gettext_noop("Tham gia bảo hiểm xã hội")),
    Question("unemployment_insurance", gettext_noop("Tham gia bảo hiểm thất nghiệp")),
    Question("contract_type", gettext_noop("Hợp đồng lao động")),
    Question("workplace_name", gettext_noop("Tên nơi làm việc")),
    Question("workplace_type", gettext_noop("Loại hình nơi làm việc")),
    Question("workplace_address", gettext_noop("Địa chỉ nơi làm việc")),
    Question("industrial_zone", gettext_noop("Làm việc trong khu công nghiệp")),
    Question("unemployment_type", gettext_noop("Loại thất nghiệp"), codes.UnemploymentType),
    Question("unemployment_duration", gettext_noop("Thời gian thất nghiệp"), codes.UnemploymentDuration),
    Question("inactive_reason", gettext_noop("Lý do không tham gia hoạt động kinh tế"), codes.InactiveReason),
    Question("relation_to_head", gettext_noop("Quan hệ với chủ hộ")),
)

# How headings are recognised (folded text contains one of the patterns); first match wins, so the
# more specific patterns come first ("lý do không tham gia hoạt động kinh tế" before "hoạt động kinh tế").
HEADING_PATTERNS = (
    ("inactive_reason", ("ly do khong tham gia", "ly do")),
    ("enterprise_ownership", ("loai hinh doanh nghiep",)),
    ("workplace_type", ("loai hinh noi lam viec", "loai hinh")),
    ("workplace_address", ("dia chi noi lam viec",)),
    ("industrial_zone", ("khu cong nghiep",)),
    ("workplace_name", ("ten noi lam viec", "noi lam viec")),
    ("unemployment_insurance", ("bao hiem that nghiep", "bhtn")),
    ("social_insurance_type", ("tham gia bao hiem xa hoi", "tham gia bhxh", "loai bhxh")),
    ("bhxh_number", ("ma so bhxh", "so bhxh", "so so bhxh", "ma bhxh")),
    ("household_number", ("so ho", "ma ho")),
    ("full_name", ("ho va ten", "ho ten")),
    ("birth_date", ("ngay thang nam sinh", "ngay sinh", "nam sinh")),
    ("sex", ("gioi tinh",)),
    ("cccd", ("cccd", "can cuoc", "dinh danh", "cmnd")),
    ("phone", ("dien thoai", "sdt")),
    ("permanent_address", ("thuong tru",)),
    ("commune_code", ("ma xa",)),
    ("current_address", ("noi o hien tai", "tam tru", "noi o")),
    ("hamlet", ("thon", "to dan pho")),
    ("priority_groups", ("doi tuong uu tien", "uu tien")),
    ("ethnicity", ("dan toc",)),
    ("general_education", ("giao duc pho thong", "trinh do hoc van", "gdpt")),
    ("qualification", ("chuyen mon ky thuat", "cmkt", "trinh do chuyen mon")),
    ("training_field", ("chuyen nganh", "nganh dao tao")),
    ("activity_status", ("tinh trang tham gia", "tinh trang hoat dong", "hoat dong kinh te")),
    ("employment_status", ("vi the viec lam", "vi the")),
    ("occupation_code", ("ma nghe",)),
    ("industry_code", ("ma nganh",)),
    ("job_title", ("cong viec cu the", "cong viec", "nghe nghiep")),
    ("contract_type", ("hop dong lao dong", "hdld")),
    ("unemployment_type", ("loai that nghiep",)),
    ("unemployment_duration", ("thoi gian that nghiep",)),
    ("relation_to_head", ("quan he voi chu ho", "quan he")),
    ("training_need", ("nhu cau dao tao",)),
    ("job_need", ("nhu cau viec lam",)),
)
REQUIRED_FIELDS = ("full_name", "birth_date", "cccd", "activity_status")
_COMMUNE_IN_TITLE = re.compile(r"\bma xa\b\D{0,5}(\d{5})")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,3}\)?$")


class LayoutError(UnreadableFile):
    """The file is readable but is not laid out as Mẫu 01 or the flat template."""


@dataclass
class Column:
    index: int
    key: str
    answer: str | None = None  # the code a tick in this column means; "1"/"2" under Nam/Nữ


@dataclass
class SheetLayout:
    name: str
    layout: str
    header_rows: tuple[int, int]
    columns: list[Column]
    commune_code: str = ""
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class SurveyFile:
    layout: str
    frame: pl.DataFrame  # text cells per field (stripped, blank ones null), plus `_sheet` and `_row`
    commune_code: str  # from the title rows, when written there
    labels: dict[str, str]  # field → "E · Số CCCD" as the officer sees it


# The header rows are searched cell by cell, a few hundred a file, and every commune's form repeats them.
@lru_cache(maxsize=4096)
def _heading_key(text: str) -> str | None:
    folded = fold(text)
    if not folded or folded == "stt":
        return None
    padded = f" {folded} "  # whole words only: "phổ thông" must not match "thôn"
    for key, patterns in HEADING_PATTERNS:
        if any(f" {pattern} " in padded for pattern in patterns):
            return key
    return None


def _answer_code(choices, label: str) -> str | None:
    """The code of a printed answer label ("Có việc làm", "CNKT không có bằng", "Nam")."""
    folded = fold(label)
    if not folded:
        return None
    labels = folded_labels(choices)
    for code, text in labels:
        if folded in (text, code):
            return code
    expanded = folded.replace("cnkt", "cong nhan ky thuat").replace("hdkt", "hoat dong kinh te")
    matches = [
        code
        for code, text in labels
        if expanded == text or text.startswith(expanded) or expanded.startswith(text)
    ]
    return matches[0] if len(matches) == 1 else None


def _find_header(rows: list[tuple[int, list[str | None]]]) -> int | None:
    for position, (_number, cells) in enumerate(rows):
        if any(_heading_key(cell or "") == "full_name" for cell in cells):
            return position
    return None


def _layout(sheet_name: str, head: list[tuple[int, list[str | None]]]) -> tuple[SheetLayout, int]:
    """Work out the columns from the rows above the data; returns the layout and the first data row's position."""
    position = _find_header(head)
    if position is None:
        first, last = (head[0][0], head[-1][0]) if head else (1, 1)
        raise LayoutError(
            f"Trang '{sheet_name}': không tìm thấy cột \"Họ và tên\" trong các dòng {first}–{last}; tệp không theo "
            f"Mẫu 01 hoặc mẫu phẳng. / Sheet '{sheet_name}': no \"Họ và tên\" (full name) column in rows "
            f"{first}–{last}; the file follows neither Mẫu 01 nor the flat template."
        )
    top_number, top = head[position]
    width = max(len(cells) for _n, cells in head[position : position + 4])
    top = top + [None] * (width - len(top))
    name_column = next(i for i, cell in enumerate(top) if _heading_key(cell or "") == "full_name")
    # Rows below the heading that still belong to it: answer labels (name cell empty) or column numbers.
    band: list[list[str | None]] = []
    data_position = position + 1
    for number_and_cells in head[position + 1 : position + 4]:
        cells = number_and_cells[1] + [None] * (width - len(number_and_cells[1]))
        filled = [cell for cell in cells if cell]
        numbering = filled and all(_COLUMN_NUMBER.match(cell) for cell in filled)
        labels_only = not cells[name_column] and filled and not any(cell.isdigit() for cell in filled)
        if numbering or labels_only:
            if labels_only:
                band.append(cells)
            data_position += 1
        else:
            break
    sub = band[0] if band else [None] * width
    # A merged heading is written once, in its first cell: carry it right over the answer columns.
    carried: list[str | None] = []
    for index in range(width):
        if top[index]:
            carried.append(top[index])
        elif sub[index] and carried and carried[-1]:
            carried.append(carried[-1])
        else:
            carried.append(None)
    columns: list[Column] = []
    labels: dict[str, str] = {}
    ticks_seen = False
    for index in range(width):
        key = _heading_key(carried[index] or "")
        if key is None:
            continue
        spanned = [i for i in range(width) if carried[i] == carried[index]]
        answer = None
        if len(spanned) > 1 and sub[index]:
            if key == "birth_date":
                answer = _answer_code(codes.Sex, sub[index])
            elif FIELDS_BY_KEY[key].choices is not None:
                answer = _answer_code(FIELDS_BY_KEY[key].choices, sub[index])
                ticks_seen = True
            if answer is None:
                raise LayoutError(
                    f"Trang '{sheet_name}', ô {column_letter(index)}{top_number + 1}: không nhận ra phương án "
                    f'"{sub[index]}" của câu "{carried[index]}". / Sheet \'{sheet_name}\', cell '
                    f'{column_letter(index)}{top_number + 1}: unknown answer "{sub[index]}" under "{carried[index]}".'
                )
        columns.append(Column(index=index, key=key, answer=answer))
    for key in {column.key for column in columns}:
        indexes = [column.index for column in columns if column.key == key]
        letters = column_letter(indexes[0]) + (f"–{column_letter(indexes[-1])}" if len(indexes) > 1 else "")
        labels[key] = f"{letters} · {carried[indexes[0]]}"
    found = {column.key for column in columns}
    if "sex" in found or any(c.key == "birth_date" and c.answer for c in columns):
        found.add("sex")
    missing = [key for key in REQUIRED_FIELDS if key not in found]
    if missing:
        with translation.override("vi"):
            names_vi = ", ".join(f'"{_(FIELDS_BY_KEY[key].heading)}"' for key in missing)
        raise LayoutError(
            f"Trang '{sheet_name}': thiếu cột {names_vi} trong dòng tiêu đề {top_number}"
            f"{'–' + str(top_number + len(band)) if band else ''}. / Sheet '{sheet_name}': missing column(s) "
            f"{', '.join(missing)} in header row {top_number}."
        )
    if "sex" not in found:
        raise LayoutError(
            f'Trang \'{sheet_name}\': cần cột "Giới tính" hoặc cột ngày sinh chia "Nam"/"Nữ" (dòng {top_number}). / '
            f"Sheet '{sheet_name}': needs a sex column or a date-of-birth column split into Nam/Nữ."
        )
    commune = ""
    for _number, cells in head[:position]:
        match = _COMMUNE_IN_TITLE.search(fold(" ".join(cell for cell in cells if cell)))
        if match:
            commune = match.group(1)
    if position == 0 and not band:
        layout = ImportLayout.FLAT
    else:
        layout = ImportLayout.SURVEY_TICKS if ticks_seen else ImportLayout.SURVEY_CODES
    return (
        SheetLayout(
            name=sheet_name,
            layout=layout,
            header_rows=(top_number, top_number + len(band)),
            columns=columns,
            commune_code=commune,
            labels=labels,
        ),
        data_position,
    )


def _values_frame(layout: SheetLayout, block: pl.DataFrame) -> pl.DataFrame:
    """The fields of a block of rows (text columns named by column index, and `_row`); blank rows dropped.

    As an officer reads a row: a plain column gives its field the first non-blank cell; tick columns
    give the codes of the ticked answers joined by TICK_SEPARATOR (a cell that is not a mark is kept
    as written, so the rules can point at it) and win over a plain column of the same field; a date of
    birth written under "Nam" or "Nữ" also gives the sex.
    """
    tick_columns = [str(c.index) for c in layout.columns if c.answer is not None and c.key != "birth_date"]
    written: set[str] = set()
    if tick_columns:
        # Column by column: unpivoting first copied every tick cell into one long column (3× slower).
        for values in block.select(pl.col(tick_columns).drop_nulls().unique().implode()).row(0):
            written.update(values)
    marks = sorted(text for text in written if text in TICK_MARKS or fold(text) in TICK_MARKS)

    def is_mark(cell: pl.Expr) -> pl.Expr:
        # A file marks its ticks one way ("x") as a rule: an equality is much cheaper than a set lookup.
        return cell == marks[0] if len(marks) == 1 else cell.is_in(marks)

    values: dict[str, pl.Expr] = {}
    ticked: dict[str, list[pl.Expr]] = {}
    plain_seen: set[str] = set()
    for column in layout.columns:
        cell = pl.col(str(column.index))
        key = column.key
        if column.answer is None:
            values[key] = pl.coalesce(values[key], cell) if key in values else cell
            plain_seen.add(key)
        elif key == "birth_date":
            ticked.setdefault("sex", []).append(pl.when(cell.is_not_null()).then(pl.lit(column.answer)))
            if key not in plain_seen:  # a plain date-of-birth column to the left wins, even blank
                values[key] = pl.coalesce(values[key], cell) if key in values else cell
        else:
            ticked.setdefault(key, []).append(
                pl.when(is_mark(cell)).then(pl.lit(column.answer)).otherwise(cell)
            )
    for key, answers in ticked.items():
        # A cell is never "" (a blank one is null): the answers join to "" only when none is ticked.
        joined = pl.concat_str(answers, separator=TICK_SEPARATOR, ignore_nulls=True).replace("", None)
        values[key] = pl.coalesce(joined, values[key]) if key in values else joined
    # A row is blank when all its cells are: then so are all its fields. A coalesce plans in a tenth of
    # the time of an any_horizontal over every column's is_not_null.
    cells = [name for name in block.columns if name != "_row"]
    found = block.filter(pl.coalesce(cells).is_not_null()).select(
        pl.col("_row"), *[value.alias(key) for key, value in values.items()]
    )
    # The fields the sheet lacks and the sheet's name are put in as Series: a literal per column in the
    # query costs more to plan than the whole query on a small sheet.
    blank = pl.Series(values=[None], dtype=pl.Utf8).new_from_index(0, found.height)
    return pl.DataFrame(
        [
            *[found.get_column(spec.key) if spec.key in values else blank.alias(spec.key) for spec in FIELDS],
            found.get_column("_row"),
            pl.Series("_sheet", [layout.name]).new_from_index(0, found.height),
        ]
    )


def read_survey_file(path: Path) -> SurveyFile:
    """Read a Mẫu 01 workbook (either shape), a flat XLSX or a flat CSV into one frame of text cells."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    chunks: list[pl.DataFrame] = []
    layouts: list[SheetLayout] = []
    keys = [spec.key for spec in FIELDS]
    for sheet in read_text_sheets(path):
        head = sheet.head(HEADER_SEARCH_ROWS)
        if not head:
            continue
        layout, data_position = _layout(sheet.name, head)
        layouts.append(layout)
        # The data start on the first non-blank row below the header (or after the rows searched).
        first_row = head[data_position][0] if data_position < len(head) else head[-1][0] + 1
        values = _values_frame(
            layout, sheet.columns_from([column.index for column in layout.columns], first_row)
        )
        if values.height:
            chunks.append(values)
    if not layouts:
        raise LayoutError("Tệp không có dữ liệu. / The file holds no data.")
    frame = (
        pl.concat(chunks)
        if chunks
        else pl.DataFrame(schema={**{k: pl.Utf8 for k in keys}, "_row": pl.Int64, "_sheet": pl.Utf8})
    )
    # The household number is written on the household's first member only.
    frame = frame.with_columns(pl.col("household_number").forward_fill().over("_sheet"))
    communes = {layout.commune_code for layout in layouts if layout.commune_code}
    labels: dict[str, str] = {}
    for layout in layouts:
        for key, label in layout.labels.items():
            labels.setdefault(key, label)
    kinds = {layout.layout for layout in layouts}
    return SurveyFile(
        layout=kinds.pop() if len(kinds) == 1 else ImportLayout.SURVEY_CODES,
        frame=frame,
        commune_code=communes.pop() if len(communes) == 1 else "",
        labels=labels,
    )


def _read_csv(path: Path) -> SurveyFile:
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True)
    except Exception as error:
        raise UnreadableFile(
            f"Không đọc được tệp CSV ({error}). / The CSV file cannot be read ({error})."
        ) from None
    layout, _position = _layout("CSV", [(1, list(frame.columns))])
    renamed = {}
    for column in layout.columns:
        renamed.setdefault(frame.columns[column.index], column.key)
    frame = frame.select([pl.col(source).alias(key) for source, key in renamed.items()])
    # As the workbook reader gives its cells: stripped, and a blank one null.
    cell = pl.all().str.strip_chars(WHITESPACE).str.slice(0, 4001)
    frame = frame.with_columns(pl.when(cell == "").then(None).otherwise(cell).name.keep()).with_columns(
        (pl.int_range(pl.len()) + 2).cast(pl.Int64).alias("_row"),  # row 1 is the header
        pl.lit("CSV").alias("_sheet"),
    )
    frame = frame.filter(pl.any_horizontal(pl.exclude("_row", "_sheet").is_not_null()))
    frame = (
        frame.with_columns(pl.col("household_number").forward_fill())
        if "household_number" in frame.columns
        else frame
    )
    return SurveyFile(layout=ImportLayout.FLAT, frame=frame, commune_code="", labels=layout.labels)


# ---------------------------------------------------------------- writing


def _answers(choices) -> list[tuple[str, str]]:
    with translation.override("vi"):
        return [(code, str(label)) for code, label in choices.choices]


def survey_columns(shape: str) -> list[tuple[str, str, str | None]]:
    """(field key, question heading, answer label or None) for each column of the chosen shape."""
    columns: list[tuple[str, str, str | None]] = [("", "STT", None)]
    with translation.override("vi"):
        for question in QUESTIONS:
            heading = _(question.heading)
            if question.key == "birth_date":
                columns += [("birth_date", heading, _("Nam")), ("birth_date", heading, _("Nữ"))]
            elif shape == ImportLayout.SURVEY_TICKS and question.ticks is not None:
                columns += [(question.key, heading, label) for _code, label in _answers(question.ticks)]
            else:
                columns.append((question.key, heading, None))
    return columns


def write_survey_workbook(
    path: Path,
    people: Iterable[dict],
    *,
    shape: str = ImportLayout.SURVEY_CODES,
    province_name: str = "",
    commune_name: str = "",
    commune_code: str = "",
    round_code: str = "",
) -> int:
    """Write people (dicts of field → text as an officer writes it) as a Mẫu 01 workbook; returns the rows."""
    import xlsxwriter

    columns = survey_columns(shape)
    # Not constant_memory: the header merges span rows, which that mode cannot write back to.
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Mau01")
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 13})
    header = workbook.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    cell = workbook.add_format({"border": 1})
    text = workbook.add_format({"border": 1, "num_format": "@"})
    with translation.override("vi"):
        sheet.write(0, 0, _("Mẫu số 01"), bold)
        sheet.write(0, 3, _("PHIẾU THU THẬP THÔNG TIN VỀ CUNG LAO ĐỘNG"), title)
        sheet.write(1, 3, _("(Ban hành kèm theo Thông tư số 01/2022/TT-BLĐTBXH)"))
        place = [
            (_("Tỉnh/thành phố"), province_name),
            (_("Xã/phường/đặc khu"), commune_name),
            (_("Mã xã"), commune_code),
            (_("Kỳ điều tra"), round_code),
        ]
        sheet.write(2, 0, "    ".join(f"{label}: {value}" for label, value in place))
    top, sub, numbers = 4, 5, 6
    index = 0
    while index < len(columns):
        key, heading, answer = columns[index]
        span = 1
        while index + span < len(columns) and columns[index + span][1] == heading and answer is not None:
            span += 1
        if span > 1:
            sheet.merge_range(top, index, top, index + span - 1, heading, header)
        elif answer is None:
            sheet.merge_range(top, index, sub, index, heading, header)
        else:
            sheet.write(top, index, heading, header)
        index += span
    for index, (_key, _heading, answer) in enumerate(columns):
        if answer is not None:
            sheet.write(sub, index, answer, header)
    for index in range(len(columns)):
        sheet.write(numbers, index, f"({index + 1})", header)
    tick_columns = {
        (key, answer): position
        for position, (key, _heading, answer) in enumerate(columns)
        if answer is not None
    }
    plain = {
        key: position for position, (key, _heading, answer) in enumerate(columns) if answer is None and key
    }
    codes_to_labels = {
        question.key: dict(_answers(question.ticks)) for question in QUESTIONS if question.ticks is not None
    }
    with translation.override("vi"):
        sex_labels = {"1": _("Nam"), "2": _("Nữ")}
    row_number = numbers
    for count, person in enumerate(people, start=1):
        row_number += 1
        sheet.write_number(row_number, 0, count, cell)
        for key, position in plain.items():
            value = person.get(key)
            if value not in (None, ""):
                sheet.write_string(row_number, position, str(value), text)
        birth = person.get("birth_date")
        if birth:
            sex_label = sex_labels.get(str(person.get("sex")), sex_labels["1"])
            sheet.write_string(row_number, tick_columns[("birth_date", sex_label)], str(birth), text)
        if shape == ImportLayout.SURVEY_TICKS:
            for key, labels in codes_to_labels.items():
                value = person.get(key)
                if not value:
                    continue
                for code in (
                    str(value).split(TICK_SEPARATOR) if key != "priority_groups" else list(str(value))
                ):
                    label = labels.get(code)
                    if label is not None:
                        sheet.write_string(row_number, tick_columns[(key, label)], "x", cell)
    workbook.close()
    return row_number - numbers


def write_flat_template(path: Path, people: Iterable[dict] = ()) -> None:
    """The flat template: one header row of the documented columns (see docs/import-survey.md)."""
    path = Path(path)
    with translation.override("vi"):
        headings = [_(spec.heading) for spec in FIELDS]
    if path.suffix.lower() == ".csv":
        rows = [
            {heading: person.get(spec.key) for heading, spec in zip(headings, FIELDS, strict=True)}
            for person in people
        ]
        pl.DataFrame(rows, schema={heading: pl.Utf8 for heading in headings}).write_csv(path)
        return
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Mau_phang")
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    for index, heading in enumerate(headings):
        sheet.write_string(0, index, heading, bold)
        sheet.set_column(index, index, 18, text)
    for number, person in enumerate(people, start=1):
        for index, spec in enumerate(FIELDS):
            value = person.get(spec.key)
            if value not in (None, ""):
                sheet.write_string(number, index, str(value))
    workbook.close()
