"""Indicators in chromium, as a province analyst would use them the first time: open the dashboard,
set the year's target, enter and approve a reported figure, see progress, drill down to a commune."""

import openpyxl
import pytest
from docx import Document

from nhanluc.registry.generate import generate_population, store_population
from nhanluc.registry.imports import get_or_create_round
from tests.browser.test_demand import sign_in
from tests.browser.test_register import run_jobs

pytestmark = pytest.mark.browser


def request_report(page, *, kind: str, period: str, file_format: str, folder):
    page.click('nav.tabs >> text="Báo cáo"')
    form = page.locator("[data-testid=report-form]")
    form.locator("#kind").select_option(kind)
    form.locator("#report-period").fill(period)
    form.locator("#format").select_option(file_format)
    form.locator("button.primary").click()
    page.wait_for_selector("#job-status .progress")
    run_jobs()
    page.wait_for_selector("#job-status[data-status=succeeded]")
    with page.expect_download() as download:
        page.click("[data-testid=job-result]")
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    page.go_back()
    return path


def test_analyst_sets_targets_reports_and_drills_down(
    browser, live_server, reference_data, make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    survey_round = get_or_create_round(code="2026", province_code="31")
    frame = generate_population(
        province_code="31", people=1200, seed=3, reference_date=survey_round.reference_date
    )
    store_population(frame, survey_round=survey_round)
    analyst = make_user("province_analyst")
    page = sign_in(browser, live_server, analyst.username)

    page.click("nav.mainnav >> text=Chỉ tiêu")
    page.fill("[data-testid=period-input]", "2026-H1")
    page.click("form.inline >> text=Xem")
    employed_tile = page.locator("[data-testid=tile-employed]")
    assert "chưa có kế hoạch" in employed_tile.inner_text()

    page.click("nav.tabs >> text=Kế hoạch năm")
    form = page.locator("[data-testid=target-form]")
    form.locator("#id_indicator_code").select_option("jobs_created")
    form.locator("#id_value").fill("15.000")
    form.locator("#id_note").fill("Nghị quyết HĐND tỉnh")
    form.locator("button.primary").click()
    assert "15.000" in page.locator("[data-testid=targets-table]").inner_text()
    # A rate above 100% is refused on its field, in Vietnamese.
    form = page.locator("[data-testid=target-form]")
    form.locator("#id_indicator_code").select_option("unemployment_rate")
    form.locator("#id_value").fill("120")
    form.locator("button.primary").click()
    assert "Tỷ lệ không được lớn hơn 100%" in page.locator("[data-testid=target-form]").inner_text()

    page.click("nav.tabs >> text=Số liệu báo cáo")
    form = page.locator("[data-testid=data-value-form]")
    form.locator("#id_indicator_code").select_option("jobs_created")
    form.locator("#id_period_code").fill("2026-H1")
    form.locator("#id_value").fill("7.245")
    form.locator("button.primary").click()
    table = page.locator("[data-testid=data-values-table]")
    assert "Đã nhập" in table.inner_text()
    table.locator("input[name=selected]").first.check()
    page.click("[data-testid=approve-selected]")
    assert "Đã duyệt" in page.locator("[data-testid=data-values-table]").inner_text()

    page.click("nav.tabs >> text=Bảng điều khiển")
    page.fill("[data-testid=period-input]", "2026-H1")
    page.click("form.inline >> text=Xem")
    jobs = page.locator("[data-testid=tile-jobs_created]").inner_text()
    assert "7.245" in jobs and "đạt 48,30% kế hoạch" in jobs
    row = page.locator("[data-testid=row-jobs_created]").inner_text()
    assert "14.490" in row  # the run-rate estimate for the year: 7.245 × 12 / 6

    page.click("[data-testid=tile-employed]")
    first = page.locator("[data-testid=commune-table] tbody tr").first
    commune_name = first.locator("td").first.inner_text()
    first.locator("text=danh sách").click()
    page.wait_for_url("**/so-lao-dong/**")
    assert commune_name in page.content()

    # The six-month progress report in Word, and the Mẫu 04 workbook.
    page.click("nav.mainnav >> text=Chỉ tiêu")
    word = request_report(page, kind="progress", period="2026-H1", file_format="docx", folder=tmp_path)
    body = "\n".join(paragraph.text for paragraph in Document(word).paragraphs)
    assert "Giải quyết việc làm: 7.245 người, đạt 48,30% kế hoạch năm (15.000 người)" in body
    assert "6 tháng đầu năm 2026" in body
    workbook = request_report(page, kind="mau04", period="2026", file_format="xlsx", folder=tmp_path)
    sheet = openpyxl.load_workbook(workbook).active
    values = {row[0].strip(): row[3] for row in sheet.iter_rows(min_row=6, values_only=True) if row[0]}
    assert values["1. Dân số từ 15 tuổi trở lên"] == 1200
    page.context.close()
