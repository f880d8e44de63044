"""The product as a person uses it, in Debian's chromium driven by Playwright."""

import os

import pytest

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server, reference_data, make_user):
    user = make_user("province_admin", username="quantri", first_name="Quản", last_name="Nguyễn Văn")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button.primary")
    page.wait_for_url(live_server.url + "/")
    yield page
    context.close()


def test_admin_browses_hai_phong_communes_and_legacy_units(page, live_server):
    page.click("nav >> text=Địa bàn")
    page.click("text=Thành phố Hải Phòng")
    assert page.inner_text("[data-testid=commune-count]") == "114"
    assert page.locator("#commune-rows tr").count() == 114

    page.fill("input[type=search]", "chi linh")  # htmx filters as the user types
    page.wait_for_function("document.querySelectorAll('#commune-rows tr').length === 1")
    page.click("#commune-rows >> text=Phường Chí Linh")
    predecessors = page.inner_text("[data-testid=predecessors]")
    for name in ("Phường Phả Lại", "Phường Cổ Thành", "Xã Nhân Huệ", "Tỉnh Hải Dương"):
        assert name in predecessors
    page.screenshot(path=str(os.environ.get("NHANLUC_SCREENSHOT_DIR", "/tmp")) + "/nhanluc-chi-linh.png")


def test_switching_to_english(page, live_server):
    page.click(".usermenu summary")
    page.click("button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert "Areas" in page.inner_text("nav")
    page.goto(live_server.url + "/dia-ban/tinh/31/")
    assert "Number of communes" in page.inner_text("main")
