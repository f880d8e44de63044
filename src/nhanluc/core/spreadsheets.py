"""Reading uploaded spreadsheets safely: every cell as text, every failure as a clear message.

The import engine's generic part: it knows nothing of people or employers. Domain readers ask for the
rows of each sheet and map columns themselves.
"""

import datetime
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A formula cell saved without its computed value (written by a program, never opened in Excel).
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]+)"[^>]*>\s*<f[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>\s*|<v>\s*</v>\s*)?</c>'
)


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; the message says why, in Vietnamese and English."""


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: Iterator[tuple[int, list[str | None]]]  # (1-based row number as Excel shows it, cells as text)


def cell_text(value) -> str | None:
    """A cell as text: integers without ".0", dates as ISO, blanks as None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    text = str(value).strip()
    return text or None


def _check_container(path: Path) -> None:
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(8)
    if suffix in (".xlsx", ".xlsm") and head == OLE_MAGIC:
        raise UnreadableFile(
            "Tệp được bảo vệ bằng mật khẩu (mã hóa): hãy bỏ mật khẩu rồi tải lên lại. / "
            "The workbook is password-protected (encrypted): remove the password and upload it again."
        )
    if suffix in (".xlsx", ".xlsm"):
        if not zipfile.is_zipfile(path):
            raise UnreadableFile(
                "Tệp .xlsx bị hỏng hoặc không phải bảng tính Excel. / The .xlsx file is corrupt or not an Excel workbook."
            )
        _refuse_formulas_without_values(path)


def _refuse_formulas_without_values(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as handle:
                tail = b""
                while chunk := handle.read(4 << 20):
                    found = _FORMULA_WITHOUT_VALUE.search(tail + chunk)
                    if found:
                        cell = found.group(1).decode()
                        raise UnreadableFile(
                            f"Ô {cell} chứa công thức chưa có giá trị: mở tệp trong Excel, sao chép và dán "
                            f"dạng giá trị (Paste Values) rồi lưu lại. / Cell {cell} holds a formula without a "
                            f"computed value: paste the sheet as values and save it again."
                        )
                    tail = chunk[-512:]


def read_sheets(path: Path, *, max_cell_length: int = 4000) -> Iterator[Sheet]:
    """The non-empty sheets of a workbook, their rows streamed as text cells (blank rows skipped).

    Cells longer than `max_cell_length` are cut there and end with "…": the rules then refuse them
    as too long without ever holding a 50 MB string per row.
    """
    path = Path(path)
    _check_container(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own types for every kind of damage
        raise UnreadableFile(
            f"Không đọc được tệp bảng tính ({error}). / The spreadsheet cannot be read ({error})."
        ) from None
    for name in workbook.sheet_names:
        try:
            sheet = workbook.get_sheet_by_name(name)
        except Exception as error:
            raise UnreadableFile(
                f"Không đọc được trang '{name}' ({error}). / Sheet '{name}' is unreadable."
            ) from None
        if sheet.height == 0:
            continue
        yield Sheet(name=name, rows=_rows(sheet, max_cell_length))


def _rows(sheet, max_cell_length: int) -> Iterator[tuple[int, list[str | None]]]:
    first_row = sheet.start[0] if sheet.start else 0
    for offset, values in enumerate(sheet.iter_rows()):
        cells = [cell_text(value) for value in values]
        if not any(cells):
            continue
        for position, cell in enumerate(cells):
            if cell is not None and len(cell) > max_cell_length:
                cells[position] = cell[:max_cell_length] + "…"
        yield first_row + offset + 1, cells


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
