"""Labour demand end to end in chromium, as new users would: an employer signs up on the portal, is
approved by the employment centre, files the half-year list of workers and posts two vacancies; centre
staff see the report, the overdue list and the vacancies; a commune officer accepts the register update."""

import datetime

import pytest
from django.utils import timezone

from nhanluc.employers.models import RegisterProposal
from nhanluc.employers.services import register_employer
from nhanluc.employers.templates_xlsx import write_worker_template
from nhanluc.registry import services as register
from tests.factories import TEST_PASSWORD
from tests.registry.helpers import UNEMPLOYED, person

pytestmark = pytest.mark.browser

WORKERS = [
    {
        "full_name": "Trần Thị Bình",
        "cccd": "031190004567",
        "birth_date": "01/05/1990",
        "sex": "Nữ",
        "job_title": "Thợ hàn",
        "job_position": "4",
        "wage": "9500000",
        "contract_type": "1",
        "contract_from": "01/03/2026",
        "insurance_from": "01/03/2026",
    },
    {
        "full_name": "Phạm Văn Đức",
        "cccd": "001080001111",
        "birth_date": "15/02/1980",
        "sex": "Nam",
        "job_title": "Kỹ sư cơ khí",
        "job_position": "2",
        "wage": "25000000",
        "contract_type": "2",
        "contract_from": "01/01/2025",
        "contract_to": "31/12/2027",
        "insurance_from": "01/01/2025",
    },
    {
        "full_name": "Hoàng Minh Hải",
        "birth_date": "20/10/2001",
        "sex": "Nam",
        "job_title": "Lao động phổ thông",
        "job_position": "Khác",
        "contract_type": "3",
        "contract_from": "10/05/2026",
    },
]


def sign_in(browser, live_server, username, password=TEST_PASSWORD):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(live_server.url + "/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_url(live_server.url + "/")
    return page


def test_employer_to_centre_to_officer(browser, live_server, reference_data, make_user, tmp_path):
    staff = make_user("centre_staff", username="trungtam", first_name="Lan", last_name="Đỗ Thị")
    officer = make_user("commune_officer", username="canboxa", commune_code="10546")
    binh = register.register_person(
        data=person(UNEMPLOYED, commune_code="10546"), actor=officer, valid_from=datetime.date(2026, 1, 1)
    )
    register_employer(
        data={"tax_code": "0301442379", "name": "Công ty TNHH Chưa Nộp", "email": "hr@chuanop.vn"},
        province_code="31",
        actor=staff,
    )

    # 1. The employer signs up from the login page, claiming nothing: a new employer.
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    page.set_default_timeout(30000)
    page.goto(live_server.url + "/dang-nhap/")
    page.click("[data-testid=signup-link]")
    page.fill("#id_username", "nhansu.chilinh")
    page.fill("#id_last_name", "Nguyễn Thị")
    page.fill("#id_first_name", "Hoa")
    page.fill("#id_email", "hoa@cokhichilinh.vn")
    page.fill("#id_password1", "Mat-khau-that-dai-2026")
    page.fill("#id_password2", "Mat-khau-that-dai-2026")
    page.fill("#id_employer-tax_code", "0100109107")  # a wrong check digit first
    page.fill("#id_employer-name", "Công ty Cổ phần Cơ khí Chí Linh")
    page.select_option("#id_employer-commune_code", "10546")
    page.fill("#id_employer-email", "nhansu@cokhichilinh.vn")
    page.click("button.primary")
    assert "sai chữ số kiểm tra" in page.inner_text("main")
    page.fill("#id_password1", "Mat-khau-that-dai-2026")
    page.fill("#id_password2", "Mat-khau-that-dai-2026")
    page.fill("#id_employer-tax_code", "0100109106")
    page.click("button.primary")
    page.wait_for_selector("[data-testid=account-status]")
    assert page.inner_text("[data-testid=account-status]") == "Chờ duyệt"

    # 2. Centre staff approve the account.
    centre = sign_in(browser, live_server, staff.username)
    centre.click("nav >> text=Nhu cầu lao động")
    centre.click("main >> text=Tài khoản chờ duyệt")
    assert "nhansu.chilinh" in centre.inner_text("[data-testid=pending-accounts-table]")
    centre.click("[data-testid^=approve-]")
    assert "Đã duyệt tài khoản" in centre.inner_text("main")

    # 3. The employer files the half-year list of workers and posts two vacancies.
    page.goto(live_server.url + "/doanh-nghiep/")
    page.click("[data-testid=file-report]")
    with page.expect_download() as blank:
        page.click("[data-testid=worker-template]")
    assert blank.value.suggested_filename.endswith(".xlsx")
    workbook = tmp_path / "danh-sach-6-thang.xlsx"
    write_worker_template(workbook, WORKERS)
    page.fill("#id_year", "2026")
    page.select_option("#id_period", "h1")
    page.set_input_files("#id_workers_file", str(workbook))
    page.click("button:has-text('Nộp báo cáo')")
    page.wait_for_selector("[data-testid=my-reports]")
    assert "Đã nộp báo cáo 6 tháng đầu năm năm 2026: 3 lao động" in page.inner_text("main")
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    for title, quantity in (("Thợ hàn", "5"), ("Nhân viên kế toán", "2")):
        page.click("[data-testid=post-vacancy]")
        # htmx binds the title's suggestions once the page has loaded; typing before that asks nothing.
        page.wait_for_load_state("load")
        page.fill("#id_title", title)
        page.wait_for_selector("[data-testid=occupation-choices] [data-occupation]")
        page.click("[data-testid=occupation-choices] [data-occupation] >> nth=0")
        assert page.input_value("#id_occupation_code")
        page.fill("#id_quantity", quantity)
        page.fill("#id_wage_min", "9000000")
        page.fill("#id_wage_max", "15000000")
        page.fill("#id_deadline", deadline)
        page.click("[data-testid=publish]")
        page.wait_for_selector("[data-testid=my-vacancies]")
    assert page.locator("[data-testid=my-vacancies] tbody tr").count() == 2

    # 4. Centre staff see the report, the employer that has not filed (overdue), and the vacancies.
    centre.goto(live_server.url + "/nhu-cau-lao-dong/bao-cao/?year=2026&period=h1")
    assert "Công ty Cổ phần Cơ khí Chí Linh" in centre.inner_text("[data-testid=filed-reports]")
    due = centre.inner_text("[data-testid=due-reports]")
    assert "Công ty TNHH Chưa Nộp" in due and "Quá hạn" in due
    centre.click("[data-testid=filed-reports] a")
    assert centre.inner_text("[data-testid=report-headcount]") == "3"
    centre.goto(live_server.url + "/nhu-cau-lao-dong/vi-tri/?status=open")
    listed = centre.inner_text("[data-testid=vacancies]")
    assert "Thợ hàn" in listed and "Nhân viên kế toán" in listed and "9.000.000 – 15.000.000" in listed
    centre.click("main >> text=Phân tích nhu cầu")
    assert centre.inner_text("[data-testid=open-positions]") == "7"
    centre.screenshot(path="/tmp/nhanluc-demand.png", full_page=True)

    # 5. The commune officer accepts the proposed register update for Trần Thị Bình.
    assert RegisterProposal.objects.filter(person=binh).count() == 1
    desk = sign_in(browser, live_server, officer.username)
    desk.click("nav >> text=Nhu cầu lao động")
    desk.click("main >> text=Đề xuất cập nhật sổ")
    assert "Trần Thị Bình" in desk.inner_text("[data-testid=proposals]")
    desk.click("[data-testid^=accept-]")
    assert "Đã cập nhật sổ lao động của Trần Thị Bình" in desk.inner_text("main")
    desk.goto(live_server.url + f"/so-lao-dong/{binh.pk}/")
    assert "Công ty Cổ phần Cơ khí Chí Linh" in desk.inner_text("main")
    binh.refresh_from_db()
    assert binh.situations.get(valid_to__isnull=True).source == "employer"
