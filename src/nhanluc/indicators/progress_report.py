"""The progress report ("Báo cáo kết quả thực hiện chỉ tiêu … 6 tháng đầu năm …"): sentences in the
vocabulary of provincial reports, a table of every indicator against its target, and what is on track.

The document is an official Vietnamese text whatever language the user's pages are in, so its
sentences are written in Vietnamese here rather than translated.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.utils import translation

from nhanluc.core.formatting import format_number, round_half_up
from nhanluc.core.progress import Progress
from nhanluc.indicators.catalogue import BY_CODE
from nhanluc.indicators.choices import IndicatorKind, TimeAggregation
from nhanluc.indicators.periods import Period
from nhanluc.indicators.register import DEMAND_CODES
from nhanluc.indicators.results import IndicatorResult, ProgressQuery

# The body's sections, in the order the reports read.
SECTIONS = (
    ("Giải quyết việc làm, đào tạo nghề", ("jobs_created", "training_enrolments", "fund_mobilised")),
    (
        "Cung lao động",
        (
            "labour_force",
            "participation_rate",
            "employed",
            "unemployed",
            "unemployment_rate",
            "unemployment_rate_working_age",
            "trained_certificate_rate",
            "trained_rate",
            "social_insurance_rate",
            "unemployment_insurance_rate",
            "working_other_province",
            "working_abroad",
            "poor_households_with_worker",
        ),
    ),
    ("Cầu lao động", DEMAND_CODES),
    ("Các chỉ tiêu khác", ("poverty_rate", "communes_without_social_evils")),
)


class NoProgressData(Exception):
    pass


@dataclass
class ProgressReport:
    province_code: str
    period: Period
    results: list[IndicatorResult]
    parts: dict[str, list[IndicatorResult]] = field(default_factory=dict)

    def result(self, code: str) -> IndicatorResult:
        return next(result for result in self.results if result.indicator.code == code)


def _number(value, rate: bool = False) -> str:
    if value is None:
        return ""
    if rate:
        return format_number(value, 2, language="vi")
    return format_number(value, 0 if Decimal(value) == int(value) else 2, language="vi")


def _percent(value) -> str:
    return f"{format_number(value, 2, language='vi')}%"


def _unit(result: IndicatorResult) -> str:
    with translation.override("vi"):
        return result.indicator.unit_label


def _is_flow(result: IndicatorResult) -> bool:
    return result.indicator.time == TimeAggregation.FLOW and result.indicator.kind == IndicatorKind.REPORTED


def on_track(result: IndicatorResult) -> bool | None:
    """Met for a stock or rate; for a flow, the estimate (or the months' share of the year) reached."""
    if result.target is None:
        return None
    if _is_flow(result):
        if result.estimate_percent_of_plan is not None:
            return result.estimate_percent_of_plan >= 100
        if result.percent_of_plan is None:
            return None
        return result.percent_of_plan >= Decimal(result.period.last_month * 100) / 12
    return result.meets_plan


def sentence(result: IndicatorResult, parts: list[IndicatorResult] | None = None) -> str | None:
    """One sentence in the reports' words, or None when there is nothing to say."""
    with translation.override("vi"):
        name = str(result.indicator.name)
        unit = _unit(result)
    rate = result.indicator.is_rate
    if _is_flow(result):
        if result.year_to_date is None:
            return None
        figure = result.year_to_date
    else:
        if result.value is None:
            return None
        figure = result.value
    text = f"{name}: {_number(figure, rate)}{'%' if rate else ' ' + unit}"
    if parts:
        named = [
            f"{part.indicator.breakdown_label(part.breakdown).removeprefix('Trong đó: ').lower()} {_number(part.year_to_date if _is_flow(part) else part.value)} {unit}"
            for part in parts
            if (part.year_to_date if _is_flow(part) else part.value) is not None
        ]
        if named:
            text += " (trong đó " + ", ".join(named) + ")"
    if result.target is not None:
        if rate:
            text += f", kế hoạch {_number(result.target, True)}%"
            met = result.meets_plan
            if met is not None:
                text += ", đạt kế hoạch" if met else ", chưa đạt kế hoạch"
        elif result.percent_of_plan is not None:
            text += f", đạt {_percent(result.percent_of_plan)} kế hoạch{' năm' if _is_flow(result) else ''} ({_number(result.target)} {unit})"
    if rate and result.change_in_points is not None:
        if result.change_in_points == 0:
            text += ", không đổi so với cùng kỳ"
        else:
            direction = "tăng" if result.change_in_points > 0 else "giảm"
            text += f", {direction} {_number(abs(result.change_in_points), True)} điểm % so với cùng kỳ"
    elif result.percent_of_same_period is not None:
        text += f", bằng {_percent(result.percent_of_same_period)} so với cùng kỳ"
    text += "."
    if result.estimate is not None:
        with translation.override("vi"):
            method = result.estimate.method_label
        text += f" Ước thực hiện cả năm {_number(round_half_up(result.estimate.value, 0))} {unit} ({method})"
        if result.estimate_percent_of_plan is not None:
            text += f", đạt {_percent(result.estimate_percent_of_plan)} kế hoạch"
        text += "."
    return text


def build_progress_report(
    *, province_code: str, period: Period, progress: Progress | None = None
) -> ProgressReport:
    progress = progress or Progress()
    progress.start(2, "Lập báo cáo tiến độ")
    results = ProgressQuery(province_code, period).run()
    # Demand figures are zero, not missing, in an empty period: they alone do not make a report.
    if not any(
        (result.value is not None or result.year_to_date is not None)
        and (result.indicator.code not in DEMAND_CODES or result.value)
        for result in results
    ):
        raise NoProgressData(
            f"Chưa có số liệu nào của kỳ {period.code} (sổ lao động và số liệu báo cáo đã duyệt đều trống); "
            f"không lập được báo cáo. / No data for {period.code}: the report was not produced."
        )
    progress.advance()
    report = ProgressReport(province_code, period, results)
    for result in results:
        if result.indicator.parts:
            report.parts[result.indicator.code] = [
                ProgressQuery(province_code, period, None, (result.indicator.code,), f"part:{name}").run()[0]
                for name, _label in result.indicator.parts
            ]
    progress.advance()
    progress.close()
    return report


def subject(period: Period) -> str:
    if period.kind == "H" and period.number == 1:
        rest = "6 tháng cuối năm"
    elif period.kind == "Y":
        rest = f"năm {period.year + 1}"
    else:
        rest = "thời gian tới"
    with translation.override("vi"):
        label = period.label()
    return f"Kết quả thực hiện chỉ tiêu lao động, việc làm {label} và nhiệm vụ {rest}"


TABLE_HEADER = [
    "TT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kế hoạch năm",
    "Thực hiện trong kỳ",
    "Lũy kế từ đầu năm",
    "% kế hoạch",
    "Cùng kỳ năm trước (số phát sinh: lũy kế cùng số tháng)",
    "So với cùng kỳ",
    "Ước cả năm",
]


def table_rows(report: ProgressReport) -> list[list[str]]:
    rows = []
    for number, result in enumerate(report.results, start=1):
        rate = result.indicator.is_rate
        with translation.override("vi"):
            name = str(result.indicator.name)
        if rate:
            versus = (
                "" if result.change_in_points is None else f"{_number(result.change_in_points, True)} điểm %"
            )
        else:
            versus = "" if result.percent_of_same_period is None else _percent(result.percent_of_same_period)
        rows.append(
            [
                str(number),
                name,
                _unit(result),
                _number(result.target, rate),
                _number(result.value, rate) if result.value is not None else "chưa có số liệu",
                _number(result.year_to_date, rate),
                "" if result.percent_of_plan is None else _percent(result.percent_of_plan),
                _number(result.last_year, rate),
                versus,
                "" if result.estimate is None else _number(round_half_up(result.estimate.value, 0)),
            ]
        )
    return rows


def write_progress_docx(report: ProgressReport, path: Path, *, letterhead, province_name: str) -> None:
    from nhanluc.indicators import documents

    document = documents.new_document()
    documents.add_letterhead(document, letterhead)
    documents.add_title(document, "BÁO CÁO", subject(report.period))
    with translation.override("vi"):
        label = report.period.label()
    documents.add_body(
        document,
        f"Thực hiện nhiệm vụ được giao, {letterhead.agency} báo cáo kết quả thực hiện các chỉ tiêu lao động, "
        f"việc làm {label} của {province_name} như sau. Số liệu cung lao động lấy từ cơ sở dữ liệu cung lao động "
        f"tại thời điểm 0 giờ ngày {report.period.stock_date.strftime('%d/%m/%Y')}; các số liệu khác là số liệu "
        f"báo cáo đã được duyệt.",
    )
    documents.add_heading(document, "I. KẾT QUẢ THỰC HIỆN")
    number = 0
    for title, codes in SECTIONS:
        sentences = [
            text
            for code in codes
            if (text := sentence(report.result(code), report.parts.get(code))) is not None
        ]
        if not sentences:
            continue
        number += 1
        documents.add_heading(document, f"{number}. {title}")
        for text in sentences:
            documents.add_body(document, f"- {text}")
    documents.add_heading(document, "II. BẢNG TỔNG HỢP CÁC CHỈ TIÊU")
    documents.add_table(
        document,
        TABLE_HEADER,
        table_rows(report),
        widths_cm=[0.8, 4.2, 1.4, 1.5, 1.6, 1.5, 1.4, 1.5, 1.5, 1.4],
        size=8,
    )
    documents.add_heading(document, "III. ĐÁNH GIÁ VÀ NHIỆM VỤ")
    with translation.override("vi"):
        ahead = [str(result.indicator.name) for result in report.results if on_track(result) is True]
        behind = [str(result.indicator.name) for result in report.results if on_track(result) is False]
        missing = [
            str(BY_CODE[result.indicator.code].name)
            for result in report.results
            if result.target is not None and result.value is None and result.year_to_date is None
        ]
    if ahead:
        documents.add_body(document, "Các chỉ tiêu đạt hoặc vượt tiến độ kế hoạch: " + "; ".join(ahead) + ".")
    if behind:
        documents.add_body(
            document,
            "Các chỉ tiêu chưa đạt tiến độ, cần tập trung chỉ đạo thực hiện trong thời gian tới: "
            + "; ".join(behind)
            + ".",
        )
    if missing:
        documents.add_body(
            document, "Các chỉ tiêu có kế hoạch nhưng chưa có số liệu báo cáo: " + "; ".join(missing) + "."
        )
    if not (ahead or behind or missing):
        documents.add_body(document, "Chưa đặt kế hoạch năm cho các chỉ tiêu nên chưa đánh giá được tiến độ.")
    documents.add_closing(
        document,
        recipients=[f"- UBND {province_name} (để báo cáo);", "- Bộ Nội vụ (để báo cáo);", "- Lưu: VT, LĐVL."],
        signing=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
        signer="",
    )
    document.save(str(path))


def write_progress_xlsx(report: ProgressReport, path: Path, *, province_name: str) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Tien do")
    title = workbook.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 13})
    header = workbook.add_format(
        {
            "bold": True,
            "font_name": "Times New Roman",
            "border": 1,
            "text_wrap": True,
            "align": "center",
            "valign": "vcenter",
        }
    )
    cell = workbook.add_format({"font_name": "Times New Roman", "border": 1, "text_wrap": True})
    sheet.write(0, 0, f"{subject(report.period)} — {province_name}", title)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 9, 15)
    sheet.set_row(2, 32)
    for column, text in enumerate(TABLE_HEADER):
        sheet.write(2, column, text, header)
    for row, values in enumerate(table_rows(report), start=3):
        for column, text in enumerate(values):
            sheet.write_string(row, column, text, cell)
    workbook.close()
