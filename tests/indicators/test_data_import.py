"""Reported values from a workbook: all or nothing, every problem tied to its row and column."""

from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from nhanluc.indicators.data_import import DataImportRefused, import_data_values, write_template
from nhanluc.indicators.models import DataValue

pytestmark = pytest.mark.django_db


def workbook(path, rows, header=("Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Phân tổ", "Giá trị", "Ghi chú")):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Số liệu báo cáo 6 tháng đầu năm 2026"])  # a title row before the header
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_a_valid_file_is_written_and_typed_numbers_read_the_vietnamese_way(tmp_path, make_user):
    analyst = make_user("province_analyst")
    path = workbook(
        tmp_path / "so-lieu.xlsx",
        [
            ("jobs_created", "31", "2026-H1", "", 7245, "Báo cáo của Trung tâm"),
            ("jobs_created", "31", "2026-H1", "part:female", "3.100", ""),
            ("poverty_rate", "31", "2025", "", "2,18", ""),
        ],
    )
    result = import_data_values(path, actor=analyst)
    assert (result.rows, result.saved) == (3, 3)
    assert DataValue.objects.get(breakdown="part:female").value == Decimal("3100")
    assert DataValue.objects.get(indicator_code="poverty_rate").value == Decimal("2.18")


def test_any_bad_row_refuses_the_whole_file_with_row_and_column(tmp_path, make_user):
    analyst = make_user("province_analyst")
    path = workbook(
        tmp_path / "loi.xlsx",
        [
            ("jobs_created", "31", "2026-H1", "", 7245, ""),
            ("viec_lam", "31", "2026-H1", "", 10, ""),
            ("unemployment_rate", "31", "2026-H1", "", 3, ""),
            ("poverty_rate", "31", "2026-H1", "", 120, ""),
            ("jobs_created", "99999", "2026-H1", "", -4, ""),
            ("jobs_created", "31", "2026-H1", "", 7000, ""),
        ],
    )
    with pytest.raises(DataImportRefused) as refused:
        import_data_values(path, actor=analyst)
    problems = {(problem["row"], problem["column"]): problem["reason"] for problem in refused.value.problems}
    assert "không có trong danh mục" in problems[(4, "A")]
    assert "tính tự động" in problems[(5, "A")]
    assert "100%" in problems[(6, "E")]
    assert "không phải tỉnh hoặc xã" in problems[(7, "B")] and "không được âm" in problems[(7, "E")]
    assert "Trùng với dòng 3" in problems[(8, "")]
    assert not DataValue.objects.exists()  # the valid first row was not kept either


def test_wrong_layout_and_unreadable_files_are_refused_with_the_reason(tmp_path, make_user):
    analyst = make_user("province_analyst")
    with pytest.raises(DataImportRefused, match="Không tìm thấy dòng tiêu đề"):
        import_data_values(workbook(tmp_path / "x.xlsx", [("a", "b")], header=("Tên", "Số")), actor=analyst)
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(DataImportRefused):
        import_data_values(broken, actor=analyst)


def test_the_page_offers_the_template_and_shows_the_problems(client, make_user, tmp_path):
    analyst = make_user("province_analyst")
    client.force_login(analyst)
    template = client.get(reverse("indicators:data_value_template"))
    path = tmp_path / "mau.xlsx"
    path.write_bytes(b"".join(template.streaming_content))
    sheet = openpyxl.load_workbook(path)
    assert [cell.value for cell in sheet.worksheets[0][1]][:5] == [
        "Mã chỉ tiêu",
        "Mã đơn vị",
        "Kỳ",
        "Phân tổ",
        "Giá trị",
    ]
    assert any(
        row[0] == "jobs_created" and row[3] == "part:overseas"
        for row in sheet.worksheets[1].iter_rows(values_only=True)
    )
    write_template(tmp_path / "again.xlsx")
    bad = workbook(tmp_path / "bad.xlsx", [("jobs_created", "31", "2026-H9", "", 5, "")])
    with bad.open("rb") as upload:
        response = client.post(reverse("indicators:data_values"), {"file": upload})
    assert response.status_code == 400
    assert "2026-H9" in response.content.decode() and not DataValue.objects.exists()
    good = workbook(tmp_path / "good.xlsx", [("jobs_created", "31", "2026-H1", "", 5, "")])
    with good.open("rb") as upload:
        assert client.post(reverse("indicators:data_values"), {"file": upload}).status_code == 302
    assert DataValue.objects.get().value == 5


def test_a_number_cell_keeps_its_decimals_and_text_reads_the_vietnamese_way(tmp_path, make_user):
    analyst = make_user("province_analyst")
    path = workbook(
        tmp_path / "so.xlsx",
        [
            ("fund_mobilised", "31", "2026-H1", "", 1234.5, ""),  # a number cell: 1 234,5 million
            ("fund_mobilised", "31", "2025-H1", "", "1.234,5", ""),  # typed text, Vietnamese style
            ("poverty_rate", "31", "2025", "", 12.345, ""),  # three decimals: refused, not read as 12 345
        ],
    )
    with pytest.raises(DataImportRefused) as refused:
        import_data_values(path, actor=analyst)
    assert [(problem["row"], problem["column"]) for problem in refused.value.problems] == [(5, "E")]
    assert "2 chữ số thập phân" in refused.value.problems[0]["reason"]
    path = workbook(
        tmp_path / "so2.xlsx",
        [
            ("fund_mobilised", "31", "2026-H1", "", 1234.5, ""),
            ("fund_mobilised", "31", "2025-H1", "", "1.234,5", ""),
        ],
    )
    import_data_values(path, actor=analyst)
    assert sorted(DataValue.objects.values_list("value", flat=True)) == [Decimal("1234.5"), Decimal("1234.5")]
