"""Mẫu 04 of TT 01/2022/TT-BLĐTBXH: the province's annual labour market information report.

Sections as the form has them (domain-brief §3): I supply — population 15+ by area and sex; employed
by area, the 8 qualification levels and employment status; unemployed by area, qualification and the
3 duration bands; inactive by the 5 reasons. II demand — employers reporting, their workers (female,
over 35, compulsory insurance, the 4 job positions). III recruitment needs — by enterprise type and by
VSCO level-2 group. The previous year stands beside the reported one.

Register figures come from the same cache as the dashboard, so the two always agree; every breakdown
sums to its total (what a code list cannot place goes to a "not recorded" line, never dropped).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nhanluc.catalogs.choices import (
    VSCO_VERSION,
    EmploymentStatus,
    EnterpriseOwnership,
    InactiveReason,
    Qualification,
    UnemploymentDuration,
)
from nhanluc.catalogs.models import Occupation
from nhanluc.core.formatting import format_number
from nhanluc.core.progress import Progress
from nhanluc.employers.choices import ReportPeriod, ReportStatus, VacancyStatus
from nhanluc.employers.models import Vacancy, WorkforceReport
from nhanluc.indicators.periods import Period
from nhanluc.indicators.results import unit_values


class NoReportData(Exception):
    """The register holds nobody for the year asked: the report says so rather than print zeros."""


@dataclass
class Line:
    key: str  # stable, for tests and the XLSX
    label: str
    level: int  # 0 section, 1 item, 2 breakdown
    unit: str = ""
    current: Decimal | None = None
    previous: Decimal | None = None


@dataclass
class Mau04:
    province_code: str
    year: int
    lines: list[Line] = field(default_factory=list)
    as_of: datetime.date | None = None

    def line(self, key: str) -> Line:
        return next(line for line in self.lines if line.key == key)


def _split(figures: dict, code: str, dimension: str, codes: dict) -> list[tuple[str, str, Decimal]]:
    """A breakdown's rows in code-list order, then whatever is left of the total as "not recorded"."""
    rows = [
        (f"{dimension}:{value}", str(label), figures.get(f"{code}.{dimension}:{value}", Decimal(0)))
        for value, label in codes.items()
    ]
    rest = figures.get(code, Decimal(0)) - sum((value for _key, _label, value in rows), Decimal(0))
    if rest:
        rows.append((f"{dimension}:none", _("Khác, chưa ghi nhận"), rest))
    return rows


def _supply(province_code: str, period: Period) -> dict[str, Decimal] | None:
    """Every register figure Mẫu 04 prints for one year, keyed like the lines; None when empty."""
    codes = ["population_15", "labour_force", "employed", "unemployed", "inactive"]
    values = unit_values(province_code=province_code, period=period, codes=codes, unit_code=province_code)
    figures = {code: values.get((code, ""), Decimal(0)) for code in codes}
    figures |= {f"{code}.{breakdown}": value for (code, breakdown), value in values.items() if breakdown}
    if not figures["population_15"]:
        return None
    return figures


def _latest_reports(province_code: str, year: int):
    """Each employer's report for the year: the annual one when filed, otherwise the half-year's."""
    filed = WorkforceReport.objects.filter(
        employer__province_code=province_code, year=year, status=ReportStatus.FILED
    )
    annual = filed.filter(period=ReportPeriod.YEAR)
    half = filed.filter(period=ReportPeriod.HALF_YEAR).exclude(employer_id__in=annual.values("employer_id"))
    return annual, half


def _demand(province_code: str, year: int) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    names = (
        "headcount",
        "female",
        "over_35",
        "compulsory_insurance",
        "managers",
        "high_technical",
        "mid_technical",
        "other_positions",
    )
    for reports in _latest_reports(province_code, year):
        summed = reports.aggregate(
            employers=Count("employer_id", distinct=True), **{name: Sum(name) for name in names}
        )
        for name, value in summed.items():
            totals[name] = totals.get(name, Decimal(0)) + Decimal(value or 0)
    return totals


def _recruitment(province_code: str, year: int) -> dict[str, Decimal]:
    """Positions of the vacancies posted in the year (drafts excluded), by ownership and VSCO level 2."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    posted = Vacancy.objects.filter(province_code=province_code).exclude(status=VacancyStatus.DRAFT)
    posted = posted.filter(posted_on__range=(start, end)) | posted.filter(
        posted_on__isnull=True, created_at__date__range=(start, end)
    )
    figures: dict[str, Decimal] = {"total": Decimal(posted.aggregate(total=Sum("quantity"))["total"] or 0)}
    for ownership, positions in (
        posted.values_list("employer__ownership").annotate(positions=Sum("quantity")).order_by()
    ):
        key = f"ownership:{ownership or 'none'}"
        figures[key] = figures.get(key, Decimal(0)) + Decimal(positions or 0)
    for group, positions in (
        posted.values_list("occupation_code").annotate(positions=Sum("quantity")).order_by()
    ):
        key = f"vsco2:{group[:2] if len(group or '') >= 2 else 'none'}"
        figures[key] = figures.get(key, Decimal(0)) + Decimal(positions or 0)
    return figures


def build_mau04(*, province_code: str, year: int, progress: Progress | None = None) -> Mau04:
    progress = progress or Progress()
    progress.start(4, _("Lập báo cáo Mẫu 04"))
    current_period, previous_period = Period(year, "Y", 1), Period(year - 1, "Y", 1)
    current = _supply(province_code, current_period)
    if current is None:
        raise NoReportData(
            _("Sổ lao động chưa có số liệu của năm %(year)s; không lập được Mẫu 04.") % {"year": year}
        )
    previous = _supply(province_code, previous_period) or {}
    progress.advance()
    demand = (_demand(province_code, year), _demand(province_code, year - 1))
    recruitment = (_recruitment(province_code, year), _recruitment(province_code, year - 1))
    progress.advance()
    report = Mau04(
        province_code=province_code, year=year, as_of=min(current_period.stock_date, timezone.localdate())
    )
    people = _("người")

    def add(key, label, level, now, before, unit=people):
        report.lines.append(Line(key, label, level, unit, now, before))

    def supply_block(code: str, title: str, splits: list[tuple[str, str, dict]]):
        add(code, title, 1, current[code], previous.get(code))
        for dimension, heading, codes in splits:
            add(f"{code}.{dimension}", heading, 2, None, None, "")
            now_rows = _split(current, code, dimension, codes)
            earlier_rows = _split(previous, code, dimension, codes) if previous else []
            earlier = {key: value for key, _label, value in earlier_rows}
            labels = {key: label for key, label, _value in [*now_rows, *earlier_rows]}
            now = {key: value for key, _label, value in now_rows}
            # Both years' rows: last year's "not recorded" line stays even when this year has none.
            for key in dict.fromkeys([*now, *earlier]):
                add(
                    f"{code}.{key}",
                    f"– {labels[key]}",
                    3,
                    now.get(key, Decimal(0)),
                    earlier.get(key, Decimal(0)) if previous else None,
                )

    area = {"urban": _("Thành thị"), "rural": _("Nông thôn")}
    sex = {"1": _("Nam"), "2": _("Nữ")}
    add("I", _("I. CUNG LAO ĐỘNG"), 0, None, None, "")
    supply_block(
        "population_15",
        _("1. Dân số từ 15 tuổi trở lên"),
        [("area", _("Chia theo khu vực"), area), ("sex", _("Chia theo giới tính"), sex)],
    )
    supply_block(
        "labour_force",
        _("2. Lực lượng lao động"),
        [("area", _("Chia theo khu vực"), area), ("sex", _("Chia theo giới tính"), sex)],
    )
    supply_block(
        "employed",
        _("3. Lao động có việc làm"),
        [
            ("area", _("Chia theo khu vực"), area),
            ("qualification", _("Chia theo trình độ chuyên môn kỹ thuật"), dict(Qualification.choices)),
            (
                "employment_status",
                _("Chia theo vị thế việc làm"),
                {
                    code: label
                    for code, label in EmploymentStatus.choices
                    if code != EmploymentStatus.COOPERATIVE_MEMBER
                },
            ),
        ],
    )
    supply_block(
        "unemployed",
        _("4. Người thất nghiệp"),
        [
            ("area", _("Chia theo khu vực"), area),
            ("qualification", _("Chia theo trình độ chuyên môn kỹ thuật"), dict(Qualification.choices)),
            ("duration", _("Chia theo thời gian thất nghiệp"), dict(UnemploymentDuration.choices)),
        ],
    )
    supply_block(
        "inactive",
        _("5. Người không tham gia hoạt động kinh tế"),
        [("reason", _("Chia theo lý do"), dict(InactiveReason.choices))],
    )
    progress.advance()

    now, before = demand
    add("II", _("II. CẦU LAO ĐỘNG (theo báo cáo sử dụng lao động của đơn vị)"), 0, None, None, "")
    add(
        "employers",
        _("1. Số đơn vị báo cáo"),
        1,
        now.get("employers", Decimal(0)),
        before.get("employers", Decimal(0)),
        _("đơn vị"),
    )
    add(
        "workers",
        _("2. Số lao động đang làm việc"),
        1,
        now.get("headcount", Decimal(0)),
        before.get("headcount", Decimal(0)),
    )
    for key, label in (
        ("female", _("– Trong đó: lao động nữ")),
        ("over_35", _("– Trong đó: trên 35 tuổi")),
        ("compulsory_insurance", _("– Trong đó: tham gia BHXH bắt buộc")),
    ):
        add(f"workers.{key}", label, 3, now.get(key, Decimal(0)), before.get(key, Decimal(0)))
    add("workers.position", _("Chia theo vị trí việc làm"), 2, None, None, "")
    for key, label in (
        ("managers", _("Nhà quản lý")),
        ("high_technical", _("Chuyên môn kỹ thuật bậc cao")),
        ("mid_technical", _("Chuyên môn kỹ thuật bậc trung")),
        ("other_positions", _("Khác")),
    ):
        add(f"workers.{key}", f"– {label}", 3, now.get(key, Decimal(0)), before.get(key, Decimal(0)))

    now, before = recruitment
    add("III", _("III. NHU CẦU TUYỂN DỤNG (vị trí cần tuyển đăng trong năm)"), 0, None, None, "")
    add("recruitment", _("Tổng số vị trí cần tuyển"), 1, now["total"], before["total"], _("vị trí"))
    add("recruitment.ownership", _("Chia theo loại hình doanh nghiệp"), 2, None, None, "")
    owners = {
        **dict(EnterpriseOwnership.choices),
        "none": _("Chưa xác định (tin từ trang việc làm, hộ kinh doanh)"),
    }
    for code, label in owners.items():
        add(
            f"recruitment.ownership:{code}",
            f"– {label}",
            3,
            now.get(f"ownership:{code}", Decimal(0)),
            before.get(f"ownership:{code}", Decimal(0)),
            _("vị trí"),
        )
    add("recruitment.vsco2", _("Chia theo nhóm nghề (VSCO 2020 cấp 2)"), 2, None, None, "")
    names = dict(Occupation.objects.filter(version=VSCO_VERSION, level=2).values_list("code", "name"))
    groups = sorted(
        {key.split(":")[1] for key in (*now, *before) if key.startswith("vsco2:")},
        key=lambda code: (code == "none", code),
    )
    for code in groups:
        label = names.get(code, code) if code != "none" else _("Chưa xác định mã nghề")
        prefix = f"{code} " if code != "none" else ""
        add(
            f"recruitment.vsco2:{code}",
            f"– {prefix}{label}",
            3,
            now.get(f"vsco2:{code}", Decimal(0)),
            before.get(f"vsco2:{code}", Decimal(0)),
            _("vị trí"),
        )
    progress.advance()
    progress.close()
    return report


def _cell(value) -> str:
    return "" if value is None else format_number(value)


def write_mau04_xlsx(report: Mau04, path: Path, *, province_name: str) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Mau04")
    title = workbook.add_format(
        {"bold": True, "font_name": "Times New Roman", "font_size": 13, "align": "center"}
    )
    normal = workbook.add_format({"font_name": "Times New Roman"})
    header = workbook.add_format(
        {
            "bold": True,
            "font_name": "Times New Roman",
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        }
    )
    cell = workbook.add_format({"font_name": "Times New Roman", "border": 1})
    section = workbook.add_format({"font_name": "Times New Roman", "border": 1, "bold": True})
    number = workbook.add_format({"font_name": "Times New Roman", "border": 1, "num_format": "#,##0"})
    sheet.set_column(0, 0, 62)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 3, 16)
    sheet.merge_range(
        0, 0, 0, 3, _("BÁO CÁO THÔNG TIN THỊ TRƯỜNG LAO ĐỘNG NĂM %(year)s") % {"year": report.year}, title
    )
    sheet.merge_range(
        1,
        0,
        1,
        3,
        _("(Mẫu số 04, Thông tư 01/2022/TT-BLĐTBXH) — %(province)s") % {"province": province_name},
        normal,
    )
    sheet.write(
        2, 0, _("Số liệu sổ lao động đến ngày %(day)s") % {"day": report.as_of.strftime("%d/%m/%Y")}, normal
    )
    for column, text in enumerate(
        (
            _("Chỉ tiêu"),
            _("Đơn vị tính"),
            _("Năm %(year)s") % {"year": report.year - 1},
            _("Năm %(year)s") % {"year": report.year},
        )
    ):
        sheet.write(4, column, text, header)
    for row, line in enumerate(report.lines, start=5):
        style = section if line.level <= 1 else cell
        sheet.write(row, 0, ("   " * max(0, line.level - 1)) + line.label, style)
        sheet.write(row, 1, line.unit, cell)
        for column, value in ((2, line.previous), (3, line.current)):
            if value is None:
                sheet.write_blank(row, column, None, cell)
            else:
                sheet.write_number(row, column, float(value), number)
    sheet.write(
        len(report.lines) + 6,
        0,
        _("Ô trống ở cột năm trước: sổ lao động chưa có số liệu năm đó."),
        normal,
    )
    workbook.close()


def write_mau04_docx(report: Mau04, path: Path, *, letterhead, province_name: str) -> None:
    from nhanluc.indicators import documents

    document = documents.new_document()
    documents.add_letterhead(document, letterhead)
    documents.add_title(
        document,
        "BÁO CÁO",
        f"Thông tin thị trường lao động năm {report.year} (Mẫu số 04, Thông tư 01/2022/TT-BLĐTBXH)",
    )
    documents.add_body(
        document,
        f"Số liệu cung lao động lấy từ cơ sở dữ liệu cung lao động của {province_name} đến ngày "
        f"{report.as_of.strftime('%d/%m/%Y')}; cầu lao động theo báo cáo sử dụng lao động của các đơn vị "
        f"(Nghị định 145/2020/NĐ-CP); nhu cầu tuyển dụng theo các vị trí cần tuyển đăng trong năm.",
    )
    rows = [[line.label, line.unit, _cell(line.previous), _cell(line.current)] for line in report.lines]
    documents.add_table(
        document,
        ["Chỉ tiêu", "Đơn vị tính", f"Năm {report.year - 1}", f"Năm {report.year}"],
        rows,
        widths_cm=[9, 2.2, 2.7, 2.7],
        size=10,
    )
    document.save(str(path))
