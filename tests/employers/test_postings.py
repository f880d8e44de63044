"""Reading real job-board postings (../shared/data/postings): salaries, places, HTML and whole files."""

import csv
import datetime
import re
from collections import Counter

import openpyxl
import pytest
from django.conf import settings

from nhanluc.core.text import fold
from nhanluc.employers.postings import (
    TEMPLATE_COLUMNS,
    PostingFormatError,
    Salary,
    detect_source,
    match_provinces,
    parse_salary,
    read_postings,
    strip_html,
)

pytestmark = pytest.mark.django_db

# file → (source, rows read). SOURCE-listings-2025.md documents the same counts for the 2025 files.
# SOURCE-careerbuilder.md documents 1,074 and 292 rows and SOURCE-itviec.md 1,009 for files of
# 3,997,280, 1,145,834 and 4,614,403 bytes; the stored files are smaller (3,257,092, 885,648 and
# 3,670,870 bytes) and hold 868, 223 and 803 postings: test_every_careerbuilder_record_is_read proves
# that no CareerBuilder record is lost to the multi-line HTML cells.
REAL_FILES = {
    "careerbuilder_jobs_2023-02-25.csv": ("careerbuilder", 868),
    "careerbuilder_jobs_2023-03-04.csv": ("careerbuilder", 223),
    "careerviet_jobs_2025-10.csv": ("careerviet", 24_491),
    "topcv_jobs_2025-09_10.csv": ("topcv", 19_542),
    "vietnamworks_jobs_2025-09_10.csv": ("vietnamworks", 365),
    "itviec_jobs.json": ("itviec", 803),
}


def postings_folder():
    return settings.NHANLUC_REFERENCE_DATA / "postings"


@pytest.fixture(scope="module")
def real_postings():
    """Every real file read once for the module: file name → postings."""
    return {
        name: list(read_postings(postings_folder() / name, source))
        for name, (source, _rows) in REAL_FILES.items()
    }


@pytest.fixture(scope="module")
def posting_by_id(real_postings):
    return {
        (posting.source, posting.source_id): posting for rows in real_postings.values() for posting in rows
    }


# Salaries


@pytest.mark.parametrize(
    ("text", "minimum", "maximum", "currency"),
    [
        ("12 - 18 triệu", 12_000_000, 18_000_000, "VND"),
        ("Lương: 10 Tr - 12 Tr VND", 10_000_000, 12_000_000, "VND"),
        ("Lương: 6,6 Tr - 7,4 Tr VND", 6_600_000, 7_400_000, "VND"),
        ("7.9 - 8 triệu", 7_900_000, 8_000_000, "VND"),
        ("Trên 20 Tr VND", 20_000_000, None, "VND"),
        ("Lương: Dưới9 Tr VND", None, 9_000_000, "VND"),
        ("Từ 10 triệu", 10_000_000, None, "VND"),
        ("Tới 30 triệu", None, 30_000_000, "VND"),
        ("Lên đến 20.000.000 VND", None, 20_000_000, "VND"),
        ("15.000.000 - 20.000.000", 15_000_000, 20_000_000, "VND"),
        ("18.000.000 - 25.000.000 VND", 18_000_000, 25_000_000, "VND"),
        ("Từ 16.000.000 VND", 16_000_000, None, "VND"),
        ("Up to $2000", None, 2_000, "USD"),
        ("$1000 - $2000", 1_000, 2_000, "USD"),
        ("Lương: 500 - 1,000 USD", 500, 1_000, "USD"),
        ("Tới 1,500 USD", None, 1_500, "USD"),
        ("Lương: Lên đến 7,000 USD", None, 7_000, "USD"),
        ("15 triệu/tháng", 15_000_000, 15_000_000, "VND"),
    ],
)
def test_salary_formats(text, minimum, maximum, currency):
    assert parse_salary(text) == Salary(
        minimum, maximum, currency, negotiable=False, understood=True, text=text
    )


@pytest.mark.parametrize(
    "text", ["Lương: Cạnh tranh", "Lương: Cạnh Tranh", "Cạnh tranh", "Thỏa thuận", "Thoả thuận", "Negotiable"]
)
def test_negotiable_salary_is_understood_without_amounts(text):
    assert parse_salary(text) == Salary(negotiable=True, understood=True, text=text)


@pytest.mark.parametrize(
    "text",
    [
        "20 - 10 triệu",  # minimum above maximum: not swapped, reported
        "Lương: 30 Tr - 12 Tr VND",
        "Sign in to view salary",  # ITviec hides every salary: nothing is stated
        "20 k - 30 k /giờ",  # per hour, not per month
        "Tới 150 k /sp",  # per product
        "500 - 1.500 VND",  # VietnamWorks' dollar figures under a VND label
        "Lương: 10 - 12 VND",  # millions without their unit
        "0.0 - 0.0 triệu",
        "10 - 15",  # no unit, too small to be đồng
        "Lương: 10 Tr - 12 Tr VND gross",
    ],
)
def test_salary_not_understood_carries_no_amounts(text):
    assert parse_salary(text) == Salary(text=text)


def test_blank_salary():
    assert parse_salary("") == Salary(text="")
    assert parse_salary("   ") == Salary(text="")
    assert not parse_salary("Lương:").understood


def test_most_real_salary_texts_are_understood(real_postings):
    texts = Counter(posting.salary_text for rows in real_postings.values() for posting in rows)
    understood = sum(count for text, count in texts.items() if parse_salary(text).understood)
    assert understood / texts.total() >= 0.95


# Places


def test_every_real_location_value_is_understood(real_postings):
    values = {posting.location_text for rows in real_postings.values() for posting in rows}
    failing = sorted(value for value in values if fold(value) and not match_provinces(value).understood)
    assert failing == []
    # What is left names no place at all: blank cells (VietnamWorks, ITviec) and a lone comma.
    assert {value for value in values if not fold(value)} == {"", ","}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Bình Dương", "79"),
        ("Hải Dương", "31"),
        ("Yên Bái", "15"),
        ("Quảng Nam", "48"),
        ("Bà Rịa - Vũng Tàu", "79"),
        ("Bà Rịa-Vũng Tàu", "79"),
        ("Long An", "80"),
        ("Hà Giang", "08"),
        ("Bắc Cạn", "19"),
        ("Dak Nông", "68"),
        ("Thừa Thiên- Huế", "46"),
        ("Huế", "46"),
        ("Hồ Chí Minh", "79"),
        ("Ho Chi Minh", "79"),
        ("TP.HCM", "79"),
        ("HCM", "79"),
        ("Hà Nội", "01"),
        ("Ha Noi", "01"),
        ("Đà Nẵng", "48"),
        ("Thanh Hoá", "38"),
    ],
)
def test_legacy_and_current_names_map_to_current_provinces(text, code):
    match = match_provinces(text)
    assert (match.codes, match.understood) == ((code,), True)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Bình Dương / Cần Thơ / Bình Phước", ("79", "92", "75")),
        ("Bà Rịa - Vũng Tàu | Cà Mau | Tây Ninh", ("79", "96", "80")),
        ("Hà Nội Hồ Chí Minh", ("01", "79")),  # CareerViet joins places with spaces only
        ("Bà Rịa - Vũng Tàu Đồng Nai", ("79", "75")),
        ("Ho Chi Minh - Da Nang - Ha Noi", ("79", "48", "01")),
        ("Hồ Chí Minh, Hồ Chí Minh", ("79",)),
        ("Kiên Giang An Giang", ("91",)),  # both became An Giang
        ("Hà Nội KV Bắc Trung Bộ", ("01", "38", "40", "42", "44", "46")),
    ],
)
def test_several_places(text, codes):
    match = match_provinces(text)
    assert (match.codes, match.understood) == (codes, True)


def test_places_mentioned_without_names():
    assert match_provinces("Hà Nội & 2 nơi khác").other_places == 2
    assert match_provinces("Hà Nội & 2 nơi khác").codes == ("01",)
    assert match_provinces("Ho Chi Minh - Others").other_places == 1
    assert match_provinces("Khác").understood


def test_nationwide():
    match = match_provinces("Toàn quốc")
    assert (match.nationwide, match.codes, match.understood) == (True, (), True)
    assert match_provinces("Thái Bình Toàn quốc").codes == ("33",)


@pytest.mark.parametrize("text", ["Nước Ngoài", "Quốc tế", "Nhật Bản", "Singapore", "Kratie", "Campuchia"])
def test_abroad(text):
    match = match_provinces(text)
    assert (match.abroad, match.codes, match.understood) == (True, (), True)


def test_abroad_with_provinces():
    match = match_provinces("Kratie | Bình Dương | Bình Phước")
    assert (match.abroad, match.codes, match.understood) == (True, ("79", "75"), True)


def test_unknown_place_is_reported():
    match = match_provinces("Hà Nội | Atlantis")
    assert (match.codes, match.understood, match.unknown_parts) == (("01",), False, ("atlantis",))
    assert match_provinces("2 Hà Nội").unknown_parts == ("2",)
    assert not match_provinces("").understood


# HTML


def test_strip_html_on_a_real_careerbuilder_description(posting_by_id):
    posting = posting_by_id[("careerbuilder", "35BB7E59")]
    assert posting.description.startswith(
        "Mô tả Công việc\nMô tả công việc:\n- Gặp gỡ các chủ nhà, nhà thầu thi công,"
    )
    assert "Duy trì & phát triển thị phần" in posting.description  # &amp;
    assert "<" not in posting.description


def test_no_tag_is_left_in_real_descriptions(real_postings):
    tag = re.compile(r"</?(p|div|br|li|ul|ol|span|strong|em|b|i|u|a|h\d|table|tr|td)\b[^>]*>", re.I)
    for name in ("careerbuilder_jobs_2023-02-25.csv", "careerbuilder_jobs_2023-03-04.csv"):
        for posting in real_postings[name]:
            assert not tag.search(posting.description + posting.requirements), posting.source_id


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<ul><li>one<li>- two</ul><p><p>three", "- one\n- two\nthree"),
        ("<p>a</p><br><br><br><p>b</p>", "a\n\nb"),
        ("<p>1 &amp; 2 &nbsp;&lt;3</p>", "1 & 2 <3"),
        ("<div class='x'>a<br/ > b</div", "a\nb"),
        ("<p>ok</p><a href='x", "ok"),
        ("<p>x<!-- never closed", "x"),
        ("<script>alert(1)</script>Hi<style>p {}</style>", "Hi"),
        ("x</p></div></li>y", "x\ny"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a b"),
        ("a  \r\n  b<b>c</b>", "a bc"),
        ("", ""),
    ],
)
def test_strip_html(html, text):
    assert strip_html(html) == text


# Files


@pytest.mark.parametrize(("name", "source", "count"), [(name, *value) for name, value in REAL_FILES.items()])
def test_row_counts_of_real_files(real_postings, name, source, count):
    assert len(real_postings[name]) == count
    assert detect_source(postings_folder() / name) == source


def test_every_careerbuilder_record_is_read(real_postings):
    for name in ("careerbuilder_jobs_2023-02-25.csv", "careerbuilder_jobs_2023-03-04.csv"):
        raw = (postings_folder() / name).read_text(encoding="utf-8")
        # A record starts its job_id and job_url cells this way; no HTML cell holds the pattern.
        starts = re.findall(r"[,\n]([0-9A-F]{8}),https://careerbuilder\.vn/vi/tim-viec-lam/", raw)
        assert sorted(starts) == sorted(posting.source_id for posting in real_postings[name])


def test_fields_of_real_postings(posting_by_id):
    careerbuilder = posting_by_id[("careerbuilder", "35BB7E59")]
    assert careerbuilder.title == "Nhân Viên Kinh Doanh Gạch Ốp Lát"
    assert careerbuilder.employer_name == "Công ty Cổ phần Đầu tư Kelsey"
    assert (careerbuilder.salary_text, careerbuilder.location_text) == ("Lương: Cạnh tranh", "Hồ Chí Minh")
    assert (careerbuilder.posted_on, careerbuilder.deadline) == (
        datetime.date(2023, 2, 25),
        datetime.date(2023, 2, 28),
    )
    assert (careerbuilder.experience_text, careerbuilder.level_text) == ("2 - 5 Năm", "Nhân viên")
    assert careerbuilder.contract_text == "Nhân viên chính thức"
    assert careerbuilder.industry_text.startswith("Bán hàng / Kinh doanh | ")
    assert careerbuilder.row_number == 5

    careerviet = posting_by_id[("careerviet", "35C52CBE")]
    assert (careerviet.posted_on, careerviet.deadline, careerviet.row_number) == (
        datetime.date(2025, 10, 10),
        None,  # the deadline cell holds "1"
        2,
    )

    topcv = posting_by_id[("topcv", "1851657")]
    assert (topcv.posted_on, topcv.salary_text, topcv.experience_text) == (
        datetime.date(2025, 8, 27),
        "15 - 20 triệu",
        "2 năm",
    )
    assert posting_by_id[("topcv", "1857873")].posted_on is None  # "… ngày trước"

    vietnamworks = posting_by_id[("vietnamworks", "1963529")]
    assert (vietnamworks.salary_text, vietnamworks.level_text, vietnamworks.deadline) == (
        "Từ 16.000.000 VND",
        "Nhân viên",
        datetime.date(2025, 10, 29),
    )

    itviec = posting_by_id[("itviec", "5884933d-04eb-4e6e-9436-fb498b38b2ae")]
    assert (itviec.employer_name, itviec.location_text, itviec.industry_text, itviec.row_number) == (
        "PVcomBank",
        "Ha Noi",
        "Financial Services",
        1,
    )
    assert itviec.description.startswith("- Tư vấn, tham mưu")


# Our template

TEMPLATE_ROW = {
    "Tên công việc": "Kế toán tổng hợp",
    "Tên doanh nghiệp": "Công ty TNHH Hải Âu",
    "Mã tin": "HA-001",
    "Mức lương": "12 - 15 triệu",
    "Nơi làm việc": "Hải Dương",
    "Ngày đăng": "01/10/2025",
    "Hạn nộp hồ sơ": "2025-10-31",
    "Mô tả": "Lập báo cáo thuế\n\n\n\nTheo dõi công nợ",
    "Yêu cầu": "Tốt nghiệp đại học",
    "Quyền lợi": "Bảo hiểm đầy đủ",
    "Kinh nghiệm": "2 năm",
    "Cấp bậc": "Nhân viên",
    "Ngành nghề": "Kế toán",
    "Loại hợp đồng": "Toàn thời gian",
    "Đường dẫn": "https://example.vn/ke-toan",
}


def assert_template_posting(posting):
    assert posting.source == "template"
    assert (posting.source_id, posting.title, posting.employer_name) == (
        "HA-001",
        "Kế toán tổng hợp",
        "Công ty TNHH Hải Âu",
    )
    assert (posting.posted_on, posting.deadline) == (datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))
    assert posting.description == "Lập báo cáo thuế\n\nTheo dõi công nợ"
    assert (posting.contract_text, posting.url) == ("Toàn thời gian", "https://example.vn/ke-toan")
    assert posting.row_number == 2
    assert match_provinces(posting.location_text).codes == ("31",)


def test_template_csv(tmp_path):
    path = tmp_path / "tin-tuyen-dung.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(TEMPLATE_COLUMNS)
        writer.writerow([TEMPLATE_ROW[column] for column in TEMPLATE_COLUMNS])
    assert detect_source(path) == "template"
    [posting] = read_postings(path, "template")
    assert_template_posting(posting)
    assert posting.salary_text == "12 - 15 triệu"


def test_template_xlsx_with_real_dates_and_numbers(tmp_path):
    path = tmp_path / "tin-tuyen-dung.xlsx"
    book = openpyxl.Workbook()
    values = {**TEMPLATE_ROW, "Ngày đăng": datetime.date(2025, 10, 1), "Mức lương": 12_000_000}
    book.active.append(TEMPLATE_COLUMNS)
    book.active.append([values[column] for column in TEMPLATE_COLUMNS])
    book.save(path)
    assert detect_source(path) == "template"
    [posting] = read_postings(path, "template")
    assert_template_posting(posting)
    assert parse_salary(posting.salary_text).minimum == 12_000_000


def test_template_needs_title_and_employer_only(tmp_path):
    path = tmp_path / "ngan.csv"
    path.write_text("Tên doanh nghiệp,Tên công việc\nCông ty A,Thợ hàn\n", encoding="utf-8")
    [posting] = read_postings(path, "template")
    assert (posting.title, posting.employer_name, posting.salary_text, posting.posted_on) == (
        "Thợ hàn",
        "Công ty A",
        "",
        None,
    )
    path.write_text("Tên công việc\nThợ hàn\n", encoding="utf-8")
    with pytest.raises(PostingFormatError, match="Tên doanh nghiệp"):
        list(read_postings(path, "template"))
    with pytest.raises(PostingFormatError, match="none of the sources"):
        detect_source(path)
    with pytest.raises(PostingFormatError, match="Unknown source"):
        list(read_postings(path, "indeed"))


def test_files_of_the_wrong_kind_are_refused(tmp_path):
    utf16 = tmp_path / "unicode-text.csv"
    utf16.write_bytes("Tên công việc,Tên doanh nghiệp\nThợ hàn,Công ty Hải Âu\n".encode("utf-16"))
    with pytest.raises(PostingFormatError, match="unreadable as a UTF-8 CSV"):
        list(read_postings(utf16, "template"))
    not_a_list = tmp_path / "jobs.json"
    not_a_list.write_text('{"jobKey": "x"}', encoding="utf-8")
    with pytest.raises(PostingFormatError, match="JSON list"):
        list(read_postings(not_a_list, "itviec"))
