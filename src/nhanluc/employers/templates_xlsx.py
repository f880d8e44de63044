"""The blank per-worker list an employer fills in (the columns of Mẫu 01/PLI NĐ 145/2020)."""

from pathlib import Path

import xlsxwriter

from nhanluc.employers.choices import JobPosition, WorkerContract
from nhanluc.employers.reports import WORKER_COLUMNS

NOTES = {
    "birth_date": "dd/mm/yyyy",
    "sex": "Nam / Nữ",
    "job_position": "; ".join(f"{code} = {label}" for code, label in JobPosition.choices),
    "contract_type": "; ".join(f"{code} = {label}" for code, label in WorkerContract.choices),
    "wage": "đồng/tháng",
    "residence_province_code": "mã tỉnh, khi người lao động ở tỉnh khác",
}


def write_worker_template(path: Path, workers: list[dict] = ()) -> None:
    """Header row (as `reports.read_worker_list` reads it), a row of notes in the first sheet's comments,
    and optionally rows of workers keyed like WORKER_COLUMNS (for tests and the demo)."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Mau_01_PLI")
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    text = workbook.add_format({"num_format": "@"})
    for index, (key, heading) in enumerate(WORKER_COLUMNS.items()):
        sheet.write_string(0, index, heading, bold)
        sheet.set_column(index, index, 20, text)
        if key in NOTES:
            sheet.write_comment(0, index, str(NOTES[key]), {"x_scale": 2})
    for number, worker in enumerate(workers, start=1):
        for index, key in enumerate(WORKER_COLUMNS):
            value = worker.get(key)
            if value not in (None, ""):
                sheet.write_string(number, index, str(value))
    sheet.freeze_panes(1, 0)
    workbook.close()
