"""The error workbook an import returns: one line per problem, tied to the sheet, row and column."""

import io

import polars as pl
from django.utils import translation
from django.utils.translation import gettext as _

from nhanluc.registry.choices import ErrorCategory
from nhanluc.registry.rules import ERROR


def write_error_workbook(problems: pl.DataFrame, *, summary: dict, file_name: str) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    with translation.override("vi"):
        categories = {category.value: str(category.label) for category in ErrorCategory}
        overview = workbook.add_worksheet(_("Tổng hợp"))
        overview.set_column(0, 0, 42)
        overview.set_column(1, 1, 14)
        lines = [
            (_("Tệp"), file_name),
            (_("Số dòng"), summary.get("rows", 0)),
            (_("Số hộ"), summary.get("households", 0)),
            (_("Số dòng hợp lệ"), summary.get("valid_rows", 0)),
            (_("Số dòng có lỗi"), summary.get("rows_with_errors", 0)),
            (_("Số lỗi"), summary.get("errors", 0)),
            (_("Số cảnh báo"), summary.get("warnings", 0)),
        ]
        for row, (label, value) in enumerate(lines):
            overview.write(row, 0, label, bold)
            overview.write(row, 1, value)
        row = len(lines) + 1
        overview.write(row, 0, _("Lỗi theo loại"), bold)
        for category, count in summary.get("errors_by_category", {}).items():
            row += 1
            overview.write(row, 0, categories.get(category, category))
            overview.write(row, 1, count)
        sheet = workbook.add_worksheet(_("Lỗi"))
        headings = [
            _("Trang"),
            _("Dòng"),
            _("Cột"),
            _("Giá trị"),
            _("Loại lỗi"),
            _("Mức độ"),
            _("Lý do"),
            "Reason (English)",
        ]
    widths = [12, 8, 34, 24, 20, 10, 60, 60]
    for column, (heading, width) in enumerate(zip(headings, widths, strict=True)):
        sheet.write(0, column, heading, bold)
        sheet.set_column(column, column, width, wrap if column >= 6 else None)
    sheet.freeze_panes(1, 0)
    with translation.override("vi"):
        severity = {ERROR: _("Lỗi"), "warning": _("Cảnh báo")}
    for number, record in enumerate(problems.iter_rows(named=True), start=1):
        sheet.write_string(number, 0, record["sheet"] or "")
        sheet.write_number(number, 1, record["row"])
        sheet.write_string(number, 2, record["column"] or "")
        sheet.write_string(number, 3, record["value"] or "")
        sheet.write_string(number, 4, categories.get(record["category"], record["category"]))
        sheet.write_string(number, 5, severity.get(record["severity"], record["severity"]))
        sheet.write_string(number, 6, record["message_vi"])
        sheet.write_string(number, 7, record["message_en"])
    sheet.autofilter(0, 0, max(problems.height, 1), len(headings) - 1)
    workbook.close()
    return buffer.getvalue()
