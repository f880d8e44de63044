"""The official reports: Mẫu 04 and the progress report agree with the register and the dashboard,
every breakdown sums to its total, the Word text says "đạt …% kế hoạch, bằng …% so với cùng kỳ" with the
right numbers, and a period without data is refused rather than printed as zeros."""

import shutil
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from docx import Document

from nhanluc.indicators import services
from nhanluc.indicators.mau04 import build_mau04
from nhanluc.indicators.periods import parse_period
from nhanluc.indicators.reports import ReportRefused, write_report
from nhanluc.indicators.results import ProgressQuery
from nhanluc.registry.generate import generate_population, store_population
from nhanluc.registry.imports import get_or_create_round
from nhanluc.registry.models import LaborSituation

pytestmark = pytest.mark.django_db


@pytest.fixture
def population():
    survey_round = get_or_create_round(code="2026", province_code="31")
    frame = generate_population(
        province_code="31", people=2000, seed=21, reference_date=survey_round.reference_date
    )
    store_population(frame, survey_round=survey_round)


def test_mau04_agrees_with_the_register_and_every_breakdown_sums(population):
    report = build_mau04(province_code="31", year=2026)
    in_force = LaborSituation.objects.as_of(parse_period("2026").stock_date)
    assert report.line("population_15").current == in_force.count() == 2000
    assert report.line("employed").current == in_force.employed().count()
    assert report.line("unemployed").current == in_force.unemployed().count()
    assert report.line("inactive").current == in_force.inactive().count()
    for total, dimensions in {
        "population_15": ("area", "sex"),
        "labour_force": ("area", "sex"),
        "employed": ("area", "qualification", "employment_status"),
        "unemployed": ("area", "qualification", "duration"),
        "inactive": ("reason",),
    }.items():
        for dimension in dimensions:
            parts = [line.current for line in report.lines if line.key.startswith(f"{total}.{dimension}:")]
            assert sum(parts) == report.line(total).current, (total, dimension)
    assert (
        report.line("employed.qualification:1").current
        == in_force.employed().filter(qualification="1").count()
    )
    # The dashboard reads the same figures for the year.
    dashboard = {
        result.indicator.code: result.value for result in ProgressQuery("31", parse_period("2026")).run()
    }
    for code in ("population_15", "labour_force", "employed", "unemployed", "inactive"):
        assert dashboard[code] == report.line(code).current, code
    # No register data for 2025: the previous column is empty, not zero.
    assert report.line("employed").previous is None


def test_reports_are_refused_for_a_year_without_register_data(tmp_path):
    with pytest.raises(ReportRefused, match="chưa có số liệu"):
        write_report(kind="mau04", period=parse_period("2026"), out=tmp_path / "m.xlsx")
    with pytest.raises(CommandError, match="Chưa có số liệu"):
        call_command("report", "progress", "--period", "2024-H1", "--out", str(tmp_path / "p.docx"))
    assert not list(tmp_path.iterdir())


def test_mau04_xlsx_and_docx_from_the_command_line(population, tmp_path):
    call_command("report", "mau04", "--year", "2026", "--out", str(tmp_path / "mau04.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "mau04.xlsx").active
    rows = {row[0].strip(): row[3] for row in sheet.iter_rows(min_row=6, values_only=True) if row[0]}
    assert rows["1. Dân số từ 15 tuổi trở lên"] == 2000
    call_command("report", "mau04", "--year", "2026", "--out", str(tmp_path / "mau04.docx"))
    text = "\n".join(
        cell.text
        for table in Document(tmp_path / "mau04.docx").tables
        for row in table.rows
        for cell in row.cells
    )
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "2.000" in text


def test_progress_report_sentences_carry_the_hand_computed_figures(population, make_user, tmp_path):
    analyst = make_user("province_analyst")
    services.set_target(
        indicator_code="jobs_created", unit_code="31", year=2026, value="15000", actor=analyst
    )
    for period, value in (("2026-H1", "7245"), ("2025-H1", "7000")):
        data_value = services.save_data_value(
            indicator_code="jobs_created", unit_code="31", period_code=period, value=value, actor=analyst
        )
        services.approve_data_values(data_values=[data_value], actor=analyst)
    female = services.save_data_value(
        indicator_code="jobs_created",
        unit_code="31",
        period_code="2026-H1",
        breakdown="part:female",
        value="3100",
        actor=analyst,
    )
    services.approve_data_values(data_values=[female], actor=analyst)
    employed = ProgressQuery("31", parse_period("2026-H1"), indicator_codes=("employed",)).run()[0].value
    services.set_target(
        indicator_code="employed", unit_code="31", year=2026, value=str(int(employed) + 100), actor=analyst
    )
    out = tmp_path / "tien-do.docx"
    call_command("report", "progress", "--period", "2026-H1", "--out", str(out))
    document = Document(out)
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert (
        "Kết quả thực hiện chỉ tiêu lao động, việc làm 6 tháng đầu năm 2026 và nhiệm vụ 6 tháng cuối năm"
        in body
    )
    # 7.245 / 15.000 = 48,30%; 7.245 / 7.000 = 103,50%; run-rate 14.490 = 96,60% of plan.
    assert (
        "Giải quyết việc làm: 7.245 người (trong đó nữ 3.100 người), đạt 48,30% kế hoạch năm (15.000 người), "
        "bằng 103,50% so với cùng kỳ." in body
    )
    assert (
        "Ước thực hiện cả năm 14.490 người (theo tốc độ bình quân các tháng đã qua), đạt 96,60% kế hoạch."
        in body
    )
    expected = f"{int(employed) * 100 / (int(employed) + 100):.2f}".replace(".", ",")
    assert f"đạt {expected}% kế hoạch" in body
    assert "Nơi nhận:" in "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "chưa đạt tiến độ" in body  # jobs estimate 96,60% < 100%
    call_command("report", "progress", "--period", "2026-H1", "--out", str(tmp_path / "tien-do.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "tien-do.xlsx").active
    jobs = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Giải quyết việc làm")
    assert jobs[3:7] == ("15.000", "7.245", "7.245", "48,30%")


def _libreoffice_parts() -> tuple[bool, bool]:
    """(LibreOffice installed, its Writer installed): Debian ships Writer, which opens .docx, apart."""
    office = shutil.which("soffice")
    if office is None:
        return False, False
    return True, (Path(office).resolve().parent / "libswlo.so").exists()


HAS_OFFICE, HAS_WRITER = _libreoffice_parts()


@pytest.mark.skipif(not HAS_WRITER, reason="LibreOffice Writer is not installed on this machine")
def test_pdf_through_libreoffice(population, tmp_path):
    out = write_report(kind="mau04", period=parse_period("2026"), out=tmp_path / "mau04.pdf")
    assert out.read_bytes()[:5] == b"%PDF-"


@pytest.mark.skipif(
    not HAS_OFFICE or HAS_WRITER, reason="needs LibreOffice without its Writer, as a Calc-only server has"
)
def test_pdf_without_writer_is_refused_clearly(population, tmp_path):
    with pytest.raises(ReportRefused, match="LibreOffice Writer"):
        write_report(kind="mau04", period=parse_period("2026"), out=tmp_path / "mau04.pdf")
    assert not (tmp_path / "mau04.pdf").exists()
