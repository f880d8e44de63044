"""Workforce reports of NĐ 145/2020 Điều 4: the per-worker list (Mẫu 01/PLI) or the aggregates (Mẫu 02/PLI).

A list is read, checked row by row (a list is hundreds or thousands of rows, not millions), and its
totals computed; when the employer also gives the Mẫu 02 figures they must agree with the list. A
period already filed is refused unless the employer asks to replace it: the earlier report is kept,
marked replaced. Workers whose CCCD is in the register become proposed updates of their labour
situation, which an officer accepts or rejects (`proposals.py`).

Periods: the half-year report is due before 5 June and the year report before 5 December; their
figures are those on the last day of May and of November, which leaves the employer the days
before the deadline to file (our reading of Điều 4, stated in docs/labour-demand.md).
"""

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhanluc.catalogs.choices import Sex
from nhanluc.catalogs.suggest import best_occupation
from nhanluc.core.bulk import select_in
from nhanluc.core.choices import AuditAction
from nhanluc.core.services import note_data_change, record_event
from nhanluc.core.spreadsheets import SPREADSHEET_SUFFIXES, UnreadableFile, read_sheets
from nhanluc.core.text import fold
from nhanluc.employers.choices import JobPosition, ReportKind, ReportPeriod, ReportStatus, WorkerContract
from nhanluc.employers.models import Employer, ReportedWorker, WorkforceReport
from nhanluc.employers.rules import REPORT_TOTALS, check_report_totals, compare_with_declared
from nhanluc.geo.province_succession import LEGACY_TO_NEW_PROVINCE
from nhanluc.registry.models import Person

OCCUPATION_THRESHOLD = 0.5
MAX_WORKERS = 200_000

# The columns of our per-worker template (Mẫu 01/PLI), field → header as printed.
WORKER_COLUMNS = {
    "full_name": "Họ và tên",
    "cccd": "Số CCCD",
    "bhxh_number": "Mã số BHXH",
    "birth_date": "Ngày sinh",
    "sex": "Giới tính",
    "job_title": "Chức danh, nghề nghiệp",
    "job_position": "Vị trí việc làm",
    "wage": "Tiền lương",
    "contract_type": "Loại hợp đồng",
    "contract_from": "HĐLĐ từ ngày",
    "contract_to": "HĐLĐ đến ngày",
    "insurance_from": "Đóng BHXH từ ngày",
    "insurance_to": "Đóng BHXH đến ngày",
    "residence_province_code": "Tỉnh cư trú",
}
REQUIRED_COLUMNS = ("full_name", "birth_date", "sex", "job_position", "contract_type")

# Words employers write for the coded columns, folded, besides the codes themselves.
POSITION_WORDS = {
    "nha quan ly": JobPosition.MANAGER,
    "quan ly": JobPosition.MANAGER,
    "chuyen mon ky thuat bac cao": JobPosition.HIGH_TECHNICAL,
    "cmkt bac cao": JobPosition.HIGH_TECHNICAL,
    "chuyen mon ky thuat bac trung": JobPosition.MID_TECHNICAL,
    "cmkt bac trung": JobPosition.MID_TECHNICAL,
    "khac": JobPosition.OTHER,
}
CONTRACT_WORDS = {
    "khong xac dinh thoi han": WorkerContract.INDEFINITE,
    "kxdth": WorkerContract.INDEFINITE,
    "xac dinh thoi han": WorkerContract.FIXED_TERM,
    "xdth": WorkerContract.FIXED_TERM,
    "khac": WorkerContract.OTHER,
    "thu viec": WorkerContract.OTHER,
    "duoi 1 thang": WorkerContract.OTHER,
}
SEX_WORDS = {"nam": Sex.MALE, "nu": Sex.FEMALE, "1": Sex.MALE, "2": Sex.FEMALE}


def period_bounds(year: int, period: str) -> tuple[datetime.date, datetime.date]:
    """First and last day the report's figures cover."""
    end = datetime.date(year, 5, 31) if period == ReportPeriod.HALF_YEAR else datetime.date(year, 11, 30)
    return datetime.date(year, 1, 1), end


def due_date(year: int, period: str) -> datetime.date:
    """The last day to file (the decree says "before the 5th")."""
    return datetime.date(year, 6, 4) if period == ReportPeriod.HALF_YEAR else datetime.date(year, 12, 4)


@dataclass
class RowProblem:
    row: int
    column: str
    value: str
    message: str


class ReportRefused(Exception):
    """The list has errors; nothing was stored. `problems` says where."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(_("Danh sách có %(count)s lỗi; chưa lưu gì.") % {"count": len(problems)})
        self.problems = problems


class PeriodAlreadyFiled(Exception):
    """A report for the period is on file: replace it explicitly, never file it twice."""

    def __init__(self, report: WorkforceReport):
        super().__init__(
            _(
                "Đơn vị đã nộp báo cáo %(period)s năm %(year)s (lần %(version)s, %(day)s). "
                "Chọn “Nộp thay thế” để thay báo cáo đó; báo cáo cũ vẫn được lưu."
            )
            % {
                "period": report.get_period_display().lower(),
                "year": report.year,
                "version": report.version,
                "day": timezone.localtime(report.filed_at).strftime("%d/%m/%Y"),
            }
        )
        self.report = report


@dataclass
class WorkerList:
    workers: list[ReportedWorker] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def _date(text: str) -> datetime.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _rows(path: Path) -> list[tuple[int, list[str | None]]]:
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        sheet = next(read_sheets(path), None)
        return list(sheet.rows) if sheet else []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [
                (number, [cell.strip() or None for cell in cells])
                for number, cells in enumerate(csv.reader(handle), start=1)
                if any(cell.strip() for cell in cells)
            ]
    except UnicodeDecodeError:
        raise UnreadableFile(
            _("Tệp CSV không ở bảng mã UTF-8: hãy lưu lại với bảng mã UTF-8.")
            + " / The CSV file is not UTF-8: save it again as UTF-8."
        ) from None


def read_worker_list(path: Path, *, employer: Employer, year: int, period: str) -> WorkerList:
    """The workers of a Mẫu 01/PLI list, each checked; problems carry the row and the column."""
    rows = _rows(Path(path))
    result = WorkerList()
    if not rows:
        result.problems.append(RowProblem(1, "", "", _("Tệp không có dữ liệu.")))
        return result
    header_row, header = rows[0]
    by_header = {fold(cell or ""): position for position, cell in enumerate(header)}
    positions = {key: by_header.get(fold(label)) for key, label in WORKER_COLUMNS.items()}
    missing = [WORKER_COLUMNS[key] for key in REQUIRED_COLUMNS if positions[key] is None]
    if missing:
        result.problems.append(
            RowProblem(
                header_row,
                "",
                "",
                _("Dòng tiêu đề thiếu cột: %(columns)s (xem tệp mẫu).") % {"columns": ", ".join(missing)},
            )
        )
        return result
    if len(rows) - 1 > MAX_WORKERS:
        result.problems.append(
            RowProblem(header_row, "", "", _("Quá %(limit)s dòng; hãy chia tệp.") % {"limit": MAX_WORKERS})
        )
        return result
    _start, end = period_bounds(year, period)
    seen_cccd: dict[str, int] = {}
    for number, cells in rows[1:]:
        values = {
            key: (cells[at] or "").strip() if at is not None and at < len(cells) and cells[at] else ""
            for key, at in positions.items()
        }
        worker, problems = _worker(number, values, end)
        if worker.cccd:
            if worker.cccd in seen_cccd:
                problems.append(
                    RowProblem(
                        number,
                        WORKER_COLUMNS["cccd"],
                        worker.cccd,
                        _("Trùng số CCCD với dòng %(row)s.") % {"row": seen_cccd[worker.cccd]},
                    )
                )
            seen_cccd.setdefault(worker.cccd, number)
        result.problems += problems
        result.workers.append(worker)
    return result


def _worker(number: int, values: dict[str, str], period_end: datetime.date) -> tuple[ReportedWorker, list]:
    problems: list[RowProblem] = []

    def problem(key: str, message: str) -> None:
        problems.append(RowProblem(number, WORKER_COLUMNS[key], values.get(key, ""), message))

    worker = ReportedWorker(row_number=number, full_name=values["full_name"][:128])
    if not worker.full_name:
        problem("full_name", _("Thiếu họ và tên."))
    cccd = values["cccd"].replace(" ", "")
    if cccd and not (cccd.isdigit() and len(cccd) in (9, 12)):
        problem("cccd", _("Số CCCD phải gồm 12 chữ số (CMND cũ 9 chữ số)."))
    worker.cccd = cccd[:12]
    bhxh = values["bhxh_number"].replace(" ", "")
    if bhxh and not (bhxh.isdigit() and len(bhxh) == 10):
        problem("bhxh_number", _("Mã số BHXH phải gồm 10 chữ số."))
    worker.bhxh_number = bhxh[:10]
    for key in ("birth_date", "contract_from", "contract_to", "insurance_from", "insurance_to"):
        if not values[key]:
            setattr(worker, key, None)
            continue
        try:
            setattr(worker, key, _date(values[key]))
        except ValueError:
            problem(key, _("Ngày không đọc được (ghi dd/mm/yyyy)."))
            setattr(worker, key, None)
    if not values["birth_date"]:
        problem("birth_date", _("Thiếu ngày sinh."))
    elif worker.birth_date and not (15 <= _age(worker.birth_date, period_end) <= 100):
        problem("birth_date", _("Tuổi tại cuối kỳ phải từ 15 đến 100."))
    worker.sex = SEX_WORDS.get(fold(values["sex"]), "")
    if not worker.sex:
        problem("sex", _("Giới tính ghi Nam hoặc Nữ."))
    worker.job_position = _coded(values["job_position"], JobPosition.values, POSITION_WORDS)
    if not worker.job_position:
        problem("job_position", _("Vị trí việc làm ghi 1–4 hoặc tên vị trí (Nhà quản lý, …)."))
    worker.contract_type = _coded(values["contract_type"], WorkerContract.values, CONTRACT_WORDS)
    if not worker.contract_type:
        problem("contract_type", _("Loại hợp đồng ghi 1–3 hoặc tên loại hợp đồng."))
    if (
        worker.contract_type == WorkerContract.FIXED_TERM
        and values["contract_from"]
        and not values["contract_to"]
    ):
        problem("contract_to", _("Hợp đồng xác định thời hạn cần ngày kết thúc."))
    if worker.contract_from and worker.contract_to and worker.contract_to < worker.contract_from:
        problem("contract_to", _("Ngày kết thúc trước ngày bắt đầu hợp đồng."))
    if worker.insurance_from and worker.insurance_to and worker.insurance_to < worker.insurance_from:
        problem("insurance_to", _("Ngày kết thúc trước ngày bắt đầu đóng BHXH."))
    wage = values["wage"].replace(".", "").replace(",", "").replace(" ", "")
    if wage and not wage.isdigit():
        problem("wage", _("Tiền lương ghi bằng số (đồng)."))
    worker.wage = int(wage) if wage.isdigit() else None
    worker.job_title = values["job_title"][:255]
    province = values["residence_province_code"]
    worker.residence_province_code = province.zfill(2)[:2] if province.isdigit() else ""
    return worker, problems


def _coded(text: str, codes, words: dict) -> str:
    if not text:
        return ""
    if text in codes:
        return text
    return words.get(fold(text), "")


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def totals_from_workers(
    workers: list[ReportedWorker], *, year: int, period: str, registered: dict[str, str], province_code: str
) -> dict[str, int]:
    """The Mẫu 02/PLI figures of a list. `registered` maps the CCCDs found in the register to their province.

    A worker counts at the end of the period unless their contract ended before it; hires are
    contracts started in the period, separations contracts ended in it. Out-of-province workers are
    derived from the register (a resident is not), else from the province of residence written in the
    list, else from the province of birth registration in the CCCD's first three digits.
    """
    start, end = period_bounds(year, period)
    present = [w for w in workers if not (w.contract_to and w.contract_to < end)]
    totals = {name: 0 for name in REPORT_TOTALS}
    totals["headcount"] = len(present)
    position_total = {
        JobPosition.MANAGER: "managers",
        JobPosition.HIGH_TECHNICAL: "high_technical",
        JobPosition.MID_TECHNICAL: "mid_technical",
        JobPosition.OTHER: "other_positions",
    }
    contract_total = {
        WorkerContract.INDEFINITE: "indefinite_contracts",
        WorkerContract.FIXED_TERM: "fixed_term_contracts",
        WorkerContract.OTHER: "other_contracts",
    }
    out_of_province = 0
    for worker in present:
        totals["female"] += worker.sex == Sex.FEMALE
        totals["over_35"] += _age(worker.birth_date, end) > 35
        insured = worker.insurance_from is not None and worker.insurance_from <= end
        totals["compulsory_insurance"] += insured and not (worker.insurance_to and worker.insurance_to < end)
        totals[position_total[worker.job_position]] += 1
        totals[contract_total[worker.contract_type]] += 1
        out_of_province += _lives_elsewhere(worker, registered, province_code)
    for worker in workers:
        totals["hires"] += bool(worker.contract_from and start <= worker.contract_from <= end)
        totals["separations"] += bool(worker.contract_to and start <= worker.contract_to < end)
    totals["start_headcount"] = totals["headcount"] - totals["hires"] + totals["separations"]
    totals["out_of_province_derived"] = out_of_province
    return totals


def _lives_elsewhere(worker: ReportedWorker, registered: dict[str, str], province_code: str) -> bool:
    if worker.cccd in registered:
        return registered[worker.cccd] != province_code
    if worker.residence_province_code:
        return LEGACY_TO_NEW_PROVINCE.get(worker.residence_province_code, worker.residence_province_code) != (
            province_code
        )
    if len(worker.cccd) == 12:
        birth_province = LEGACY_TO_NEW_PROVINCE.get(worker.cccd[1:3])
        return birth_province is not None and birth_province != province_code
    return False


def _filed_report(employer: Employer, year: int, period: str) -> WorkforceReport | None:
    return WorkforceReport.objects.filter(
        employer=employer, year=year, period=period, status=ReportStatus.FILED
    ).first()


def file_report(
    *,
    employer: Employer,
    year: int,
    period: str,
    actor,
    workers_file: Path | None = None,
    file_name: str = "",
    declared: dict[str, int | None] | None = None,
    replace: bool = False,
    source: str = "web",
) -> WorkforceReport:
    """File a report: a per-worker list (with optional Mẫu 02 figures that must agree) or the figures alone.

    Raises ReportRefused (row problems), ValidationError (inconsistent figures) or PeriodAlreadyFiled.
    """
    # proposals.py reads the periods defined here, so it is imported when first needed.
    from nhanluc.employers.proposals import propose_register_updates

    if period not in ReportPeriod.values:
        raise ValidationError({"period": [_("Kỳ báo cáo không hợp lệ.")]})
    earlier = _filed_report(employer, year, period)
    if earlier is not None and not replace:
        raise PeriodAlreadyFiled(earlier)
    workers: list[ReportedWorker] = []
    if workers_file is not None:
        listed = read_worker_list(workers_file, employer=employer, year=year, period=period)
        if listed.problems:
            raise ReportRefused(listed.problems)
        workers = listed.workers
        cccds = [w.cccd for w in workers if len(w.cccd) == 12]
        # A list may exceed SQLite's limit of parameters per query; select_in looks them up in chunks.
        people = dict(select_in(Person, ["cccd", "id"], "cccd", cccds, where="left_on IS NULL"))
        registered = {cccd: employer.province_code for cccd in people}
        totals = totals_from_workers(
            workers, year=year, period=period, registered=registered, province_code=employer.province_code
        )
        if declared:
            compare_with_declared(totals, declared)
        kind = ReportKind.PER_WORKER
    else:
        totals = {name: (declared or {}).get(name) for name in (*REPORT_TOTALS, "start_headcount")}
        people = {}
        kind = ReportKind.AGGREGATE
    check_report_totals(totals)
    out_declared = (declared or {}).get("out_of_province")
    with transaction.atomic():
        version = 1
        if earlier is not None:
            earlier.status = ReportStatus.REPLACED
            earlier.save(update_fields=["status"])
            version = earlier.version + 1
        report = WorkforceReport.objects.create(
            employer=employer,
            year=year,
            period=period,
            kind=kind,
            status=ReportStatus.FILED,
            version=version,
            filed_at=timezone.now(),
            filed_by=actor,
            file_name=file_name[:255],
            out_of_province=out_declared,
            out_of_province_derived=totals.pop("out_of_province_derived", None),
            **{name: totals[name] for name in (*REPORT_TOTALS, "start_headcount")},
        )
        for worker in workers:
            worker.report = report
            worker.person_id = people.get(worker.cccd)
            if worker.job_title:
                worker.occupation_code = best_occupation(worker.job_title, threshold=OCCUPATION_THRESHOLD)
        ReportedWorker.objects.bulk_create(workers, batch_size=2000)
        note_data_change(domain="demand", province_code=employer.province_code)
        proposals = propose_register_updates(report) if workers else 0
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="employers.workforcereport",
            object_id=report.pk,
            object_repr=str(report),
            changes={
                "kind": kind,
                "version": version,
                "replaces": earlier.pk if earlier else None,
                "workers": len(workers),
                "proposals": proposals,
                **{name: getattr(report, name) for name in REPORT_TOTALS},
            },
            source=source,
            province_code=employer.province_code,
            commune_code=employer.commune_code,
        )
    return report
