"""read_text_sheets (fastexcel, whole columns) reads every cell as read_sheets (calamine, row by row) does."""

import datetime
import struct
import zipfile

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from nhanluc.core import spreadsheets
from nhanluc.core.spreadsheets import UnreadableFile, cell_text, read_sheets, read_text_sheets

CELLS = [
    1,
    2.5,
    31012345678,
    "031012345678",
    True,
    False,
    "  có khoảng trắng \u00a0",
    "\u2003chữ\u3000\t\n",  # an em space, an ideographic space, a tab and a line break
    -3,
    "",
    "#N/A",
    "Nguyễn Thị Thảo",
]


def _workbook(path):
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Dữ liệu")
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    moment = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    # The used range starts at C3: row numbers and column indexes must still be the sheet's own.
    for offset, value in enumerate(CELLS):
        sheet.write(2 + offset, 2, value)
    sheet.write_datetime(2 + len(CELLS), 2, datetime.datetime(1990, 5, 17), day)
    sheet.write_datetime(3 + len(CELLS), 2, datetime.datetime(1990, 5, 17, 13, 45), moment)
    sheet.write_formula(4 + len(CELLS), 2, "=1+1", None, 2)
    sheet.write(5 + len(CELLS), 4, "x" * 50)
    workbook.add_worksheet("Trống")
    workbook.close()


def test_text_sheets_read_cells_as_cell_text_does(tmp_path):
    path = tmp_path / "kieu-o.xlsx"
    _workbook(path)
    sheets = list(read_text_sheets(path, max_cell_length=20))
    assert [sheet.name for sheet in sheets] == ["Dữ liệu"]  # the empty sheet is skipped
    frame = sheets[0].cells
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Dữ liệu")
    expected = {}
    for row_number, values in enumerate(calamine.to_python(skip_empty_area=False), start=1):
        for column, value in enumerate(values):
            text = cell_text(value)
            if text is not None:
                expected[(row_number, column)] = text if len(text) <= 20 else text[:20] + "…"
    found = {}
    for record in frame.iter_rows(named=True):
        for name, text in record.items():
            if name != "_row" and text is not None:
                found[(record["_row"], int(name))] = text
    assert found == expected
    assert found[(3, 2)] == "1" and found[(7, 2)] == "1" and found[(8, 2)] == "0"
    assert found[(9, 2)] == "có khoảng trắng"
    assert found[(3 + len(CELLS), 2)] == "1990-05-17"
    assert found[(4 + len(CELLS), 2)] == "1990-05-17T13:45:00"
    assert found[(6 + len(CELLS), 4)] == "x" * 20 + "…"


def test_text_sheet_head_and_columns(tmp_path):
    path = tmp_path / "dau.xlsx"
    _workbook(path)
    sheet = next(read_text_sheets(path))
    head = sheet.head(2)
    assert [number for number, _cells in head] == [3, 4]
    assert head[0][1][:3] == [None, None, "1"]
    block = sheet.columns_from([2, 9], first_row=5)
    assert block.columns == ["_row", "2", "9"]
    assert block.get_column("_row").to_list()[0] == 5
    assert block.get_column("9").null_count() == block.height  # a column the sheet does not use


def test_text_sheets_refuse_a_corrupt_file(tmp_path):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(UnreadableFile, match=r"bị hỏng|cannot be read"):
        list(read_text_sheets(path))


def test_row_reader_places_cells_where_the_sheet_has_them(tmp_path):
    # The row-by-row reader (postings, reports, reported values) names the same row and column.
    path = tmp_path / "lech.xlsx"
    _workbook(path)
    by_rows = {
        (number, column): text
        for sheet in read_sheets(path)
        for number, cells in sheet.rows
        for column, text in enumerate(cells)
        if text is not None
    }
    by_columns = {
        (record["_row"], int(name)): text
        for record in next(read_text_sheets(path)).cells.iter_rows(named=True)
        for name, text in record.items()
        if name != "_row" and text is not None
    }
    assert by_rows == by_columns
    assert by_rows[(3, 2)] == "1"


def _sheet_with_formula(path, *, filler: str) -> None:
    """Text cells, then one formula without a value in D41. Strings are written in the sheet itself
    (constant_memory), not in the shared strings: the sheet's markup then holds their letters."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet()
    for row in range(40):
        for column in range(4):
            sheet.write_string(row, column, f"{filler} {row}-{column}")
    sheet.write_formula(40, 3, "=A1&B1", None, "")
    workbook.close()


@pytest.mark.parametrize("filler", ["Nguyễn Văn An", "fff staff offer " * 4])
def test_a_formula_without_value_is_found_wherever_the_reading_cuts_the_sheet(tmp_path, monkeypatch, filler):
    # The sheet is inflated in pieces: with pieces of every size from 50 to 700 bytes, the formula's
    # cell is cut at every place, and each time found in the piece or the seam. The filler with many
    # "f" takes the plain search.
    path = tmp_path / "congthuc.xlsx"
    _sheet_with_formula(path, filler=filler)
    monkeypatch.setattr(spreadsheets, "FORMULA_SEAM_BYTES", 256)
    for size in range(50, 700, 7):
        monkeypatch.setattr(spreadsheets, "FORMULA_SCAN_BYTES", size)
        with pytest.raises(UnreadableFile, match="D41"):
            list(read_text_sheets(path))


def test_a_formula_without_value_is_found_in_a_sheet_stored_uncompressed(tmp_path):
    deflated, stored = tmp_path / "nen.xlsx", tmp_path / "khong-nen.xlsx"
    _sheet_with_formula(deflated, filler="Nguyễn Văn An")
    with zipfile.ZipFile(deflated) as source, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as copy:
        for info in source.infolist():
            copy.writestr(info.filename, source.read(info))
    with pytest.raises(UnreadableFile, match="D41"):
        list(read_text_sheets(stored))


def test_a_sheet_that_cannot_be_inflated_is_refused_as_corrupt(tmp_path):
    path = tmp_path / "hong-ben-trong.xlsx"
    _sheet_with_formula(path, filler="Nguyễn Văn An")
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack(
        "<HH", data[sheet.header_offset + 26 : sheet.header_offset + 30]
    )
    start = sheet.header_offset + 30 + name_length + extra_length
    data[start : start + 64] = b"\xff" * 64  # a deflate block of the reserved type
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableFile, match="bị hỏng"):
        list(read_text_sheets(path))


def test_formulas_with_their_values_are_read_as_values(tmp_path):
    path = tmp_path / "co-gia-tri.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "An")
    sheet.write_formula(0, 1, '=A1&" Nguyễn"', None, "An Nguyễn")
    workbook.close()
    (sheet_read,) = read_text_sheets(path)
    assert sheet_read.cells.row(0) == (1, "An", "An Nguyễn")


def test_formula_tag_search():
    assert not spreadsheets._holds_formula_tag(b'<c r="A1" t="s"><v>1</v></c>')
    assert spreadsheets._holds_formula_tag(b'<c r="A1"><f>A2</f><v>1</v></c>')
    assert not spreadsheets._holds_formula_tag(b"f" + b"<c>of</c>" * 100)  # many f, none after "<"
    assert spreadsheets._holds_formula_tag(b"<c>of</c>" * 100 + b"<f>B1</f>")
