"""Reading uploaded spreadsheets safely: every cell as text, every failure as a clear message.

The import engine's generic part: it knows nothing of people or employers. Domain readers ask for the
rows of each sheet (`read_sheets`) or, for large files read column by column, for each sheet as one
frame of text (`read_text_sheets`), and map columns themselves.
"""

import datetime
import itertools
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import fastexcel
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
from isal import isal_zlib
from python_calamine import CalamineWorkbook

from nhanluc.core.text import WHITESPACE

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A formula cell saved without its computed value (written by a program, never opened in Excel).
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]+)"[^>]*>\s*<f[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>\s*|<v>\s*</v>\s*)?</c>'
)
FORMULA_SCAN_BYTES = 1 << 20
COMPRESSED_PIECE_BYTES = 256 << 10
ZIP_LOCAL_HEADER_BYTES = 30  # before the member's name and extra field (APPNOTE.TXT 4.3.7)
ZIP_ENCRYPTED = 0x1  # general purpose bit 0
# A cell's element is shorter than this (a formula has at most 8 192 characters, 6 bytes each once
# escaped in the XML): the one a chunk cuts in two is found in the seam.
FORMULA_SEAM_BYTES = 64 << 10


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; the message says why, in Vietnamese and English."""


class Sheet:
    """One sheet, its rows read top to bottom once, as text (`rows`) or also as the workbook holds them."""

    def __init__(self, name: str, sheet, max_cell_length: int):
        self.name = name
        self.max_cell_length = max_cell_length
        # calamine's rows start at the sheet's first row but its cells at the first column used: put
        # them back under their own column, so that a message names the cell the officer sees.
        self._first_column = sheet.start[1] if sheet.start else 0
        # (1-based row number as Excel shows it, cell values as the workbook holds them)
        self._values = zip(itertools.count(1), sheet.iter_rows(), strict=False)

    def _placed(self, values: list) -> list:
        return [None] * self._first_column + list(values) if self._first_column else list(values)

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
            cells = self._text(self._placed(values))
            if any(cells):
                yield number, cells

    @property
    def cell_rows(self) -> Iterator[tuple[int, list[str | None], list]]:
        """Like `rows`, with each row's cells also as the workbook holds them (a number stays a number)."""
        for number, values in self._values:
            values = self._placed(values)
            cells = self._text(values)
            if any(cells):
                yield number, cells, values


class TextSheet:
    """One sheet as a frame: `_row` (the row number as Excel shows it) and one text column per used
    column, named by its index ("0" for column A), cells as `cell_text()` reads them."""

    def __init__(self, name: str, cells: pl.DataFrame):
        self.name = name
        self.cells = cells

    def head(self, count: int) -> list[tuple[int, list[str | None]]]:
        """The first `count` non-blank rows as (row number, cells as text, indexed from column A)."""
        columns = [name for name in self.cells.columns if name != "_row"]
        width = max(int(name) for name in columns) + 1
        # A coalesce plans in a tenth of the time of an any_horizontal over every column's is_not_null.
        filled = pl.coalesce(columns).is_not_null()
        # The header is near the top: the whole sheet is searched only when the top is mostly blank.
        rows = self.cells.head(count * 10).filter(filled).head(count)
        if rows.height < count and self.cells.height > count * 10:
            rows = self.cells.filter(filled).head(count)
        places = [None if name == "_row" else int(name) for name in rows.columns]
        found = []
        for number, record in zip(rows.get_column("_row").to_list(), rows.rows(), strict=True):
            cells: list[str | None] = [None] * width
            for place, cell in zip(places, record, strict=True):
                if place is not None:
                    cells[place] = cell
            found.append((number, cells))
        return found

    def columns_from(self, columns: list[int], first_row: int) -> pl.DataFrame:
        """The rows from `first_row` on: `_row` and the text columns asked for (blank ones if unused)."""
        # Row n of the sheet is row n - 1 of the frame (blank rows kept): a slice, not a filter. The
        # frame is put together from Series: a query plans each column, longer than a small sheet takes.
        rows = self.cells.slice(max(first_row - 1, 0))
        blank = pl.Series(values=[None], dtype=pl.Utf8).new_from_index(0, rows.height)
        used = set(rows.columns)
        return pl.DataFrame(
            [
                rows.get_column("_row"),
                *[
                    rows.get_column(str(index)) if str(index) in used else blank.alias(str(index))
                    for index in columns
                ],
            ]
        )


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
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    _refuse_formulas_in_sheet(_inflated(path, archive, info))
    except (zipfile.BadZipFile, zlib.error, isal_zlib.error, EOFError):
        raise UnreadableFile(
            "Tệp .xlsx bị hỏng (không giải nén được). / The .xlsx file is corrupt (it cannot be unzipped)."
        ) from None


def _refuse_formulas_in_sheet(chunks: Iterator[bytes]) -> None:
    tail = b""
    for chunk in chunks:
        # The chunk and the seam are searched apart, so that no copy of the chunk is made.
        seam = tail + chunk[:FORMULA_SEAM_BYTES]
        found = (_holds_formula_tag(chunk) or _holds_formula_tag(seam)) and (
            _FORMULA_WITHOUT_VALUE.search(tail + chunk)
        )
        if found:
            cell = found.group(1).decode()
            raise UnreadableFile(
                f"Ô {cell} chứa công thức chưa có giá trị: mở tệp trong Excel, sao chép và dán "
                f"dạng giá trị (Paste Values) rồi lưu lại. / Cell {cell} holds a formula without a "
                f"computed value: paste the sheet as values and save it again."
            )
        tail = chunk[-FORMULA_SEAM_BYTES:]


def _inflated(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member of the archive, a MiB at a time (pieces of 16 MiB took twice as long: they outgrow the
    processor's caches).

    A deflated member is inflated straight from the file, by ISA-L (half zlib's time): zipfile's reader
    also checks its CRC, a fifth of the time, which fastexcel does again when it reads the sheet.
    """
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & ZIP_ENCRYPTED:
        with archive.open(info) as handle:
            while chunk := handle.read(FORMULA_SCAN_BYTES):
                yield chunk
        return
    with open(path, "rb") as raw:
        raw.seek(info.header_offset)
        header = raw.read(ZIP_LOCAL_HEADER_BYTES)
        if len(header) < ZIP_LOCAL_HEADER_BYTES or not header.startswith(b"PK\x03\x04"):
            raise zipfile.BadZipFile(info.filename)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        raw.seek(info.header_offset + ZIP_LOCAL_HEADER_BYTES + name_length + extra_length)
        inflater = isal_zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, no zlib header
        left = info.compress_size
        while left:
            compressed = raw.read(min(left, COMPRESSED_PIECE_BYTES))
            if not compressed:
                raise EOFError(info.filename)
            left -= len(compressed)
            while compressed:
                chunk = inflater.decompress(compressed, FORMULA_SCAN_BYTES)
                compressed = inflater.unconsumed_tail
                if chunk:
                    yield chunk
        if rest := inflater.flush():
            yield rest


def _holds_formula_tag(text: bytes) -> bool:
    """Whether `text` holds "<f", the start of a formula element.

    Most sheets hold no formula at all. Every tag starts with "<", so a search for the pair stops at
    each tag (13 ms for 13 MB of sheet); a lowercase "f" is rare in the markup of cells, so finding
    each "f" and looking at the byte before it takes a twentieth of that. Text with many "f" (inline
    strings) falls back to the plain search.
    """
    position = text.find(b"f")
    for _tries in range(64):
        if position == -1:
            return False
        if position and text[position - 1] == ord("<"):
            return True
        position = text.find(b"f", position + 1)
    return b"<f" in text


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


def read_text_sheets(path: Path, *, max_cell_length: int = 4000) -> Iterator[TextSheet]:
    """The non-empty sheets of a workbook, each as one frame of text cells (see `TextSheet`).

    fastexcel reads the cells straight into Arrow strings, without a Python object per cell: several
    times faster than `read_sheets` for a whole workbook, which the survey import reads column by column.
    Cells longer than `max_cell_length` are cut there and end with "…", as `read_sheets` does.
    """
    path = Path(path)
    _check_container(path)
    try:
        workbook = fastexcel.read_excel(str(path))
    except Exception as error:  # fastexcel raises calamine's errors for every kind of damage
        raise UnreadableFile(
            f"Không đọc được tệp bảng tính ({error}). / The spreadsheet cannot be read ({error})."
        ) from None
    for name in workbook.sheet_names:
        # The frame's columns start at the sheet's first used column: the reader names each column's
        # place in the sheet only to a `use_columns` callable.
        places: dict[str, str] = {}

        def keep(column, places=places) -> bool:
            places[column.name] = str(column.absolute_index)
            return True

        try:
            # No header row and no rows skipped: row 0 of the frame is row 1 of the sheet. The eager
            # read goes straight from the sheet's cells to Arrow arrays, a tenth faster than `load_sheet`.
            batch = workbook.load_sheet_eager(
                name, header_row=None, skip_rows=0, dtypes="string", use_columns=keep
            )
            frame = pl.from_arrow(_stripped(batch))
        except Exception as error:
            raise UnreadableFile(
                f"Không đọc được trang '{name}' ({error}). / Sheet '{name}' is unreadable."
            ) from None
        del batch  # not kept alive while the caller works on the sheet (Polars converted its strings)
        if frame.height == 0 or frame.width == 0:
            continue
        yield TextSheet(name, _as_cell_text(frame.rename(places), max_cell_length))


def _stripped(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The cells without the white space around them, as str.strip() removes it (WHITESPACE).

    Arrow strips fastexcel's text columns before Polars takes them: a quarter of the time Polars took
    to strip them after (12 against 16 ms for a commune's sheet of 57 columns, conversion included).
    """
    columns = [
        pc.utf8_trim(column, WHITESPACE)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
        else column
        for column in batch.columns
    ]
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def _as_cell_text(frame: pl.DataFrame, max_cell_length: int) -> pl.DataFrame:
    """fastexcel's text of each cell (stripped by `_stripped`) as `cell_text()` gives it, blank rows kept.

    fastexcel does not say which cells were booleans or dates, so a text cell written "true" or
    "1990-05-17 00:00:00" reads as the boolean or the date would: the same answer to every rule.
    It also writes fractions to nine decimals (1/3 → 0.333333333) and a time of day without a date as
    on 31/12/1899: no field of the survey holds either.
    """
    cells = pl.all()
    # Each step below runs only where a cell needs it. What the sheet holds is asked of one Series of
    # every cell (the columns' chunks put end to end, not copied): a query over every column costs its
    # planning per column, which outweighs the work on a small sheet; a Series answers with no planning.
    every_cell = pl.concat(frame.get_columns(), rechunk=False)
    length = every_cell.str.len_bytes()
    # Booleans come as true/false and date cells with a time of day; the patterns are costly, so
    # they run only on the columns with a time in them. A date and time is 19 bytes long: counting
    # bytes picks the cells to search for the time's ":" (the title rows put a long text at the top
    # of every column, so the longest cell did not), and a literal search is ten times faster than
    # the pattern.
    timestamp = len("2000-01-01 00:00:00")
    at = (length == timestamp).arg_true()
    timed = at.filter(every_cell.gather(at).str.contains(":", literal=True))
    if len(timed):
        # Cell k of every_cell is in column k // height.
        with_time = [frame.columns[place] for place in sorted(set((timed // frame.height).to_list()))]
        frame = frame.with_columns(
            pl.col(with_time)
            .str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "$1")
            .str.replace(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$", "${1}T$2")
        )
    # "true", "false" and a cell of blanks, stripped to "", are five bytes or fewer.
    if every_cell.filter(length <= len("false")).is_in(["true", "false", ""]).any():
        frame = frame.with_columns(
            pl.when(cells == "true")
            .then(pl.lit("1"))
            .when(cells == "false")
            .then(pl.lit("0"))
            .when(cells == "")
            .then(pl.lit(None, dtype=pl.Utf8))
            .otherwise(cells)
            .name.keep()
        )
    # Stripped, a cell is no longer than before: a sheet with no cell over the limit needs no cutting.
    if (length.max() or 0) > max_cell_length:
        frame = frame.with_columns(
            pl.when(cells.str.len_chars() > max_cell_length)
            .then(cells.str.slice(0, max_cell_length) + "…")
            .otherwise(cells)
            .name.keep()
        )
    return frame.with_row_index("_row", offset=1).with_columns(pl.col("_row").cast(pl.Int64))


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
