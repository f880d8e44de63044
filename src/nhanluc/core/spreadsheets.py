"""Reading uploaded spreadsheets safely: every cell as text, every failure as a clear message.

The import engine's generic part: it knows nothing of people or employers. Domain readers ask for the
rows of each sheet and map columns themselves.
"""

import datetime
import itertools
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
from python_calamine import CalamineWorkbook

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A formula cell saved without its computed value (written by a program, never opened in Excel).
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]+)"[^>]*>\s*<f[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>\s*|<v>\s*</v>\s*)?</c>'
)
# What str.strip() removes, so that a column converted at once strips exactly like cell_text().
_WHITESPACE = "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace())


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; the message says why, in Vietnamese and English."""


class Sheet:
    """One sheet, read top to bottom once.

    `head()` gives the first rows as lists of text for finding the header; `column_blocks()` then
    gives the data (from any row, so the header rows may come again) as frames of text columns,
    `size` rows at a time: a column of strings, the usual case, is converted in one step rather than
    cell by cell, and only one block is ever held as Python objects. `rows` streams text lists instead.
    """

    def __init__(self, name: str, sheet, max_cell_length: int):
        self.name = name
        self.max_cell_length = max_cell_length
        first_row = sheet.start[0] if sheet.start else 0
        # (1-based row number as Excel shows it, cell values as the workbook holds them)
        self._values = zip(itertools.count(first_row + 1), sheet.iter_rows(), strict=False)
        self._taken: list[tuple[int, list]] = []  # read by head(), still to come in column_blocks()

    def _text(self, values: list) -> list[str | None]:
        cells = [cell_text(value) for value in values]
        for position, cell in enumerate(cells):
            if cell is not None and len(cell) > self.max_cell_length:
                cells[position] = cell[: self.max_cell_length] + "…"
        return cells

    @property
    def rows(self) -> Iterator[tuple[int, list[str | None]]]:
        """(row number, cells as text) of the rows not read yet, blank rows skipped."""
        for number, values in self._values:
            cells = self._text(values)
            if any(cells):
                yield number, cells

    @property
    def cell_rows(self) -> Iterator[tuple[int, list[str | None], list]]:
        """Like `rows`, with each row's cells also as the workbook holds them (a number stays a number)."""
        for number, values in self._values:
            cells = self._text(values)
            if any(cells):
                yield number, cells, list(values)

    def head(self, count: int) -> list[tuple[int, list[str | None]]]:
        """The first `count` non-blank rows as (row number, cells as text)."""
        found = []
        for number, values in self._values:
            self._taken.append((number, values))
            cells = self._text(values)
            if any(cells):
                found.append((number, cells))
                if len(found) >= count:
                    break
        return found

    def column_blocks(self, columns: list[int], size: int, *, first_row: int = 0) -> Iterator[pl.DataFrame]:
        """From row `first_row` on, frames of `size` rows: `_row` (the row number) and, for each
        index in `columns`, a text column named after it ("0" for column A), as cell_text() reads cells.

        Blank rows are kept (the caller drops the rows whose chosen columns are all blank).
        """
        taken = [(number, values) for number, values in self._taken if number >= first_row]
        self._taken = []
        rows = itertools.chain(taken, self._values)
        while block := list(itertools.islice(rows, size)):
            width = max(len(values) for _number, values in block)
            transposed = list(zip(*(_padded(values, width) for _number, values in block), strict=True))
            empty = (None,) * len(block)
            series = [
                _text_series(str(index), transposed[index] if index < width else empty) for index in columns
            ]
            frame = pl.DataFrame(series).with_columns(
                pl.Series("_row", [number for number, _values in block], dtype=pl.Int64)
            )
            # Strip, blank to null and cut over-long cells (rare: looked for first), all columns at once.
            cells = pl.exclude("_row")
            frame = frame.with_columns(cells.str.strip_chars(_WHITESPACE)).with_columns(
                cells.replace("", None)
            )
            limit = self.max_cell_length
            if (frame.select(cells.str.len_bytes().max()).max_horizontal().item() or 0) > limit:
                frame = frame.with_columns(
                    pl.when(cells.str.len_chars() > limit)
                    .then(cells.str.slice(0, limit) + "…")
                    .otherwise(cells)
                )
            yield frame


def _padded(values: list, width: int) -> list:
    return values if len(values) == width else values + [None] * (width - len(values))


def _text_series(name: str, values) -> pl.Series:
    try:
        # The usual column holds only strings ("" when blank): taken as it is, cleaned by the caller.
        return pl.Series(name, values, dtype=pl.Utf8, strict=True)
    except TypeError:  # numbers, dates or booleans among the cells
        return pl.Series(name, [cell_text(value) for value in values], dtype=pl.Utf8)


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
                    # Most sheets hold no formula at all: a plain search is much faster than the pattern.
                    found = b"<f" in tail + chunk and _FORMULA_WITHOUT_VALUE.search(tail + chunk)
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
        yield Sheet(name, sheet, max_cell_length)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
