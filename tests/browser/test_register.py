"""A commune officer imports the commune survey workbook, as a new user would, in chromium."""

import datetime

import openpyxl
import polars as pl
import pytest
from django.core.management import call_command

from nhanluc.registry.choices import ImportLayout
from nhanluc.registry.generate import generate_population, inject_errors
from nhanluc.registry.workbook import read_survey_file, write_survey_workbook
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

COMMUNE = "10546"
FIRST_DATA_ROW = 8  # title rows, the two header rows and the column numbers come first


def commune_rows(tmp_path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A generated commune (clean) and the same rows with about 3% of them spoiled."""
    frame = generate_population(
        province_code="31", people=12_000, seed=11, reference_date=datetime.date(2026, 7, 1)
    )
    clean = frame.filter(pl.col("commune_code") == COMMUNE).drop("occupation_code")
    return clean, inject_errors(clean, rate=0.03, seed=11)


def write(path, frame: pl.DataFrame):
    write_survey_workbook(
        path,
        frame.to_dicts(),
        shape=ImportLayout.SURVEY_TICKS,
        province_name="Thành phố Hải Phòng",
        commune_name="Phường Chí Linh",
        commune_code=COMMUNE,
        round_code="2026",
    )
    return path


def run_jobs():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def error_rows(path) -> set[int]:
    sheet = openpyxl.load_workbook(path)["Lỗi"]
    rows = list(sheet.iter_rows(values_only=True))
    heading = rows[0]
    row_column, severity_column = heading.index("Dòng"), heading.index("Mức độ")
    return {int(row[row_column]) for row in rows[1:] if row[severity_column] == "Lỗi"}


def upload(page, path, *, mode_label):
    page.click("main >> text=Nhập phiếu thu thập")
    page.set_input_files("input[type=file]", str(path))
    page.fill("#id_new_round", "2026")
    page.select_option("#id_mode", label=mode_label)
    page.click("button:has-text('Kiểm tra và nhập')")
    # The job page shows the progress bar and polls while the worker has not picked the job up yet.
    page.wait_for_selector("#job-status .progress")
    assert page.get_attribute("#job-status", "data-status") == "queued"
    run_jobs()
    page.wait_for_selector("#job-status[data-status=succeeded]")
    page.click("[data-testid=job-result]")
    page.wait_for_selector("[data-testid=batch-status]")


def test_officer_imports_fixes_two_rows_and_counts_match(
    browser, live_server, reference_data, make_user, tmp_path
):
    officer = make_user(
        "commune_officer", username="canboxa", commune_code=COMMUNE, first_name="Hoa", last_name="Vũ Thị"
    )
    clean, spoiled = commune_rows(tmp_path)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(live_server.url + "/dang-nhap/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button.primary")
    page.wait_for_url(live_server.url + "/")

    # 1. The blank workbook, in the tick-box shape of the printed form.
    page.click("nav >> text=Sổ lao động")
    page.click("main >> text=Nhập phiếu thu thập")
    with page.expect_download() as blank:
        page.click("[data-testid=blank-ticks]")
    blank_path = tmp_path / blank.value.suggested_filename
    blank.value.save_as(blank_path)
    survey = read_survey_file(blank_path)
    assert survey.layout == ImportLayout.SURVEY_TICKS and survey.commune_code == COMMUNE

    # 2. The filled workbook with about 3% of its rows spoiled; the valid rows go in, the rest come back.
    filled = write(tmp_path / "mau01-chi-linh.xlsx", spoiled)
    page.click("nav >> text=Sổ lao động")
    upload(page, filled, mode_label="Nhập các dòng hợp lệ, trả lại các dòng lỗi")
    assert page.inner_text("[data-testid=summary-rows]") == f"{clean.height:,}".replace(",", ".")
    with page.expect_download() as errors:
        page.click("[data-testid=error-workbook]")
    errors_path = tmp_path / "loi.xlsx"
    errors.value.save_as(errors_path)
    bad_rows = sorted(error_rows(errors_path))
    assert len(bad_rows) >= 3, "the generated commune should have a few spoiled rows"
    assert int(page.inner_text("[data-testid=summary-error-rows]")) == len(bad_rows)
    page.screenshot(path="/tmp/nhanluc-import-batch.png", full_page=True)

    # 3. The officer fixes two rows (puts back what the form should have said) and imports the file again.
    fixed = [row - FIRST_DATA_ROW for row in bad_rows[:2]]
    records = spoiled.to_dicts()
    for index in fixed:
        records[index] = clean.row(index, named=True)
    corrected = pl.DataFrame(records, schema=spoiled.schema)
    write(filled, corrected)
    page.click("nav >> text=Sổ lao động")
    upload(page, filled, mode_label="Nhập các dòng hợp lệ, trả lại các dòng lỗi")

    # The commune's register now holds exactly the file's valid rows, status by status.
    still_bad = {row - FIRST_DATA_ROW for row in bad_rows[2:]}
    valid = pl.DataFrame(
        [record for index, record in enumerate(corrected.to_dicts()) if index not in still_bad],
        schema=corrected.schema,
    )
    expected = {
        "people": valid.height,
        "employed": valid.filter(pl.col("activity_status") == "1").height,
        "unemployed": valid.filter(pl.col("activity_status") == "2").height,
        "inactive": valid.filter(pl.col("activity_status") == "3").height,
    }
    shown = {key: int(page.inner_text(f"[data-testid=count-{key}]").replace(".", "")) for key in expected}
    assert shown == expected
    assert int(page.inner_text("[data-testid=summary-error-rows]")) == len(bad_rows) - 2

    # 4. The list shows the commune's people; a detail page shows the unmasked CCCD to the officer.
    page.click("text=Xem danh sách")
    page.wait_for_selector("[data-testid=people] tbody tr")
    page.screenshot(path="/tmp/nhanluc-register-list.png", full_page=True)
    page.click("[data-testid=people] tbody tr:first-child a")
    cccd = page.inner_text("[data-testid=cccd]")
    assert cccd.isdigit() and len(cccd) == 12
    assert page.locator("[data-testid=timeline] li").count() == 1
    page.screenshot(path="/tmp/nhanluc-person.png", full_page=True)

    # 5. The form suggests the occupation code for the job title typed.
    page.click("nav >> text=Sổ lao động")
    page.click("main >> text=Thêm người (biến động tăng)")
    page.wait_for_load_state("load")  # htmx binds the job title's suggestions on load
    page.select_option("#id_activity_status", "1")
    page.fill("#id_job_title", "thợ hàn")
    page.click("[data-occupation='7212']")
    assert page.input_value("#id_occupation_code") == "7212"
    assert page.locator("fieldset[data-status='2']").is_hidden()  # the unemployed section is not asked
    page.screenshot(path="/tmp/nhanluc-person-form.png", full_page=True)
    context.close()
