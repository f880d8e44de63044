"""Reported values from a workbook: one row per (indicator, unit, period, part) with its value.

All or nothing: every row is checked by the same rules as the entry form first; if any row is wrong
nothing is written and each problem comes back with its row, column, value and reason. A valid file
is written in one transaction, each value audited. Files are small (a province's reported figures
for a period are a few hundred rows), so each row goes through `save_data_value`.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhanluc.core.spreadsheets import UnreadableFile, column_letter, read_sheets
from nhanluc.core.text import fold
from nhanluc.indicators.catalogue import INDICATORS
from nhanluc.indicators.services import save_data_value, typed_number

# Column → the header texts accepted for it (folded), the first the one our template writes.
COLUMNS = {
    "indicator_code": ("ma chi tieu", "indicator code", "indicator_code"),
    "unit_code": ("ma don vi", "unit code", "unit_code"),
    "period_code": ("ky", "period", "period_code"),
    "breakdown": ("phan to", "breakdown"),
    "value": ("gia tri", "value"),
    "comment": ("ghi chu", "comment"),
}
REQUIRED = ("indicator_code", "unit_code", "period_code", "value")
HEADERS = ("Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Phân tổ", "Giá trị", "Ghi chú")
MAX_ROWS = 20_000


class DataImportRefused(Exception):
    def __init__(self, message: str, problems: list[dict] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class DataImportResult:
    rows: int = 0
    saved: int = 0
    problems: list[dict] = field(default_factory=list)


def _header(cells: list[str | None]) -> dict[str, int] | None:
    folded = [fold(cell or "") for cell in cells]
    positions = {}
    for name, accepted in COLUMNS.items():
        for index, text in enumerate(folded):
            if text in accepted:
                positions[name] = index
                break
    return positions if all(name in positions for name in REQUIRED) else None


def _rows(path: Path) -> tuple[dict[str, int], list[tuple[int, list[str | None]]]]:
    if path.suffix.lower() not in (".xlsx", ".xls", ".ods"):
        raise DataImportRefused(_("Chỉ nhận tệp bảng tính .xlsx, .xls hoặc .ods"))
    try:
        for sheet in read_sheets(path):
            header = None
            rows = []
            for number, cells, values in sheet.cell_rows:
                if header is None:
                    header = _header(cells)
                    if header is None and number > 10:
                        break
                    continue
                # A number cell is a number: written with a decimal comma, typed_number reads it as it
                # is, where the text "12.345" is twelve thousand (Vietnamese thousands separator).
                position = header["value"]
                if position < len(values) and isinstance(values[position], int | float):
                    cells = list(cells)
                    cells[position] = format(Decimal(repr(values[position])), "f").replace(".", ",")
                if len(rows) >= MAX_ROWS:
                    raise DataImportRefused(
                        _("Tệp có hơn %(count)s dòng số liệu; hãy chia nhỏ")
                        % {"count": f"{MAX_ROWS:,}".replace(",", ".")}
                    )
                rows.append((number, cells))
            if header is not None:
                return header, rows
    except UnreadableFile as error:
        raise DataImportRefused(str(error)) from None
    raise DataImportRefused(
        _("Không tìm thấy dòng tiêu đề có các cột: %(columns)s (trong 10 dòng đầu của một trang)")
        % {"columns": ", ".join(HEADERS[index] for index in (0, 1, 2, 4))}
    )


def import_data_values(path: Path, *, actor) -> DataImportResult:
    header, rows = _rows(Path(path))
    result = DataImportResult(rows=len(rows))
    entries = []
    seen: dict[tuple, int] = {}
    for number, cells in rows:
        values = {
            name: (cells[index] if index < len(cells) else None) or "" for name, index in header.items()
        }
        values = {name: value.strip() for name, value in values.items()}
        values.setdefault("breakdown", "")
        values.setdefault("comment", "")
        key = (
            values["indicator_code"],
            values["unit_code"],
            values["period_code"].upper(),
            values["breakdown"],
        )
        if key in seen:
            result.problems.append(
                {
                    "row": number,
                    "column": "",
                    "field": "",
                    "value": " / ".join(key),
                    "reason": _("Trùng với dòng %(row)s (cùng chỉ tiêu, đơn vị, kỳ và phân tổ)")
                    % {"row": seen[key]},
                }
            )
            continue
        seen[key] = number
        entries.append((number, values))
    try:
        with transaction.atomic():
            for number, values in entries:
                try:
                    with transaction.atomic():
                        save_data_value(
                            indicator_code=values["indicator_code"],
                            unit_code=values["unit_code"],
                            period_code=values["period_code"],
                            value=typed_number(values["value"]),
                            breakdown=values["breakdown"],
                            comment=values["comment"],
                            actor=actor,
                            source="import",
                        )
                    result.saved += 1
                except ValidationError as error:
                    _collect(result.problems, number, header, values, error)
            if result.problems:
                # All or nothing: roll back what the valid rows wrote.
                raise DataImportRefused(_("Tệp có lỗi; chưa ghi số liệu nào"), result.problems)
    except DataImportRefused:
        result.saved = 0
        raise
    return result


def _collect(problems: list, number: int, header: dict, values: dict, error: ValidationError) -> None:
    by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    for name, messages in by_field.items():
        column = column_letter(header[name]) if name in header else ""
        for message in messages:
            problems.append(
                {
                    "row": number,
                    "column": column,
                    "field": name,
                    "value": values.get(name, ""),
                    "reason": message,
                }
            )


def write_template(path: Path) -> None:
    """The blank workbook: the header, one example row, and the reported indicators with their parts."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet(_("So lieu"))
    for column, text in enumerate(HEADERS):
        sheet.write(0, column, text, bold)
        sheet.set_column(column, column, 18)
    sheet.write_row(1, 0, ["jobs_created", "31", "2026-H1", "", 7245, _("ví dụ, xóa dòng này")])
    codes = workbook.add_worksheet(_("Ma chi tieu"))
    codes.write_row(
        0, 0, [_("Mã chỉ tiêu"), _("Tên chỉ tiêu"), _("Đơn vị tính"), _("Phân tổ (để trống: tổng số)")], bold
    )
    codes.set_column(0, 0, 30)
    codes.set_column(1, 1, 60)
    codes.set_column(3, 3, 40)
    row = 1
    for indicator in INDICATORS:
        if indicator.is_computed:
            continue
        for key in indicator.breakdown_keys():
            codes.write_row(row, 0, [indicator.code, str(indicator.name), indicator.unit_label, key])
            row += 1
    workbook.close()
