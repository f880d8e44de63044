from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from nhanluc.core.models import AuditEvent
from nhanluc.employers.choices import VacancyStatus
from nhanluc.employers.models import Vacancy
from nhanluc.employers.vacancy_import import import_vacancies

pytestmark = pytest.mark.django_db


def posting_file(name: str) -> Path:
    # Read when a test runs: without the reference data the session fixture reports it clearly.
    return Path(settings.NHANLUC_REFERENCE_DATA) / "postings" / name


def test_careerbuilder_export_imports_with_parsed_salaries_and_provinces():
    path = posting_file("careerbuilder_jobs_2023-03-04.csv")
    result = import_vacancies(path, source="careerbuilder")
    assert result.rows == result.created == Vacancy.objects.count() > 200
    assert result.salary_share >= 0.95
    assert result.location_share == 1.0
    vacancy = Vacancy.objects.exclude(wage_min=None).exclude(wage_max=None).first()
    assert vacancy.wage_min <= vacancy.wage_max and vacancy.wage_min >= 1_000_000
    assert Vacancy.objects.filter(wage_negotiable=True).exists()
    # Postings from 2023 are long past their deadline.
    assert not Vacancy.objects.filter(status=VacancyStatus.PUBLISHED).exclude(deadline=None).exists()
    # The descriptions are plain text now.
    assert not Vacancy.objects.filter(description__contains="<p>").exists()
    # Job-board titles are noisy (English, pay, places); a confident code for a good share of them.
    assert Vacancy.objects.exclude(occupation_code="").count() == result.coded > result.rows // 5
    assert AuditEvent.objects.filter(object_type="employers.vacancy", action="load").count() == 1


def test_importing_the_same_file_again_updates_instead_of_duplicating():
    path = posting_file("careerbuilder_jobs_2023-03-04.csv")
    first = import_vacancies(path, source="careerbuilder")
    again = import_vacancies(path, source="careerbuilder")
    assert again.created == 0 and again.updated == 0 and again.unchanged == first.created
    assert Vacancy.objects.count() == first.created


def test_a_changed_posting_is_updated_and_one_without_an_id_is_not_duplicated(tmp_path):
    path = tmp_path / "tin.csv"
    header = "Tên công việc,Tên doanh nghiệp,Mã tin,Mức lương,Nơi làm việc\n"
    path.write_text(
        header + "Thợ hàn,Công ty A,A1,12 - 18 triệu,Hải Dương\nKế toán,Công ty B,,Thỏa thuận,,\n",
        encoding="utf-8",
    )
    first = import_vacancies(path, source="template")
    path.write_text(
        header + "Thợ hàn,Công ty A,A1,15 - 20 triệu,Hải Dương\nKế toán,Công ty B,,Thỏa thuận,,\n",
        encoding="utf-8",
    )
    again = import_vacancies(path, source="template")
    assert (first.created, again.created, again.updated, again.unchanged) == (2, 0, 1, 1)
    assert Vacancy.objects.get(source_id="A1").wage_min == 15_000_000
    assert Vacancy.objects.count() == 2
    # A blank place or a lone comma is not counted as a place not understood.
    assert again.locations == 1 and again.location_share == 1.0


def test_legacy_province_names_land_in_current_provinces(tmp_path):
    # Our template, with the places as job boards still write them.
    path = tmp_path / "tin.csv"
    path.write_text(
        "Tên công việc,Tên doanh nghiệp,Mã tin,Mức lương,Nơi làm việc,Hạn nộp hồ sơ\n"
        "Thợ hàn,Công ty A,A1,12 - 18 triệu,Bình Dương,31/12/2099\n"
        "Kế toán,Công ty B,B1,Thỏa thuận,Hải Dương,31/12/2099\n"
        "Lái xe,Công ty C,C1,Up to $2000,Hà Nội / Hải Dương,31/12/2099\n",
        encoding="utf-8",
    )
    result = import_vacancies(path, source="template", province_code="31")
    assert result.rows == 3 and result.location_share == 1.0 and result.in_province == 2
    places = dict(Vacancy.objects.values_list("source_id", "province_code"))
    # Bình Dương is part of Hồ Chí Minh city (79) since 2025, Hải Dương part of Hải Phòng (31); a
    # posting for several provinces counts in ours when ours is one of them.
    assert places == {"A1": "79", "B1": "31", "C1": "31"}
    welder = Vacancy.objects.get(source_id="A1")
    assert (welder.wage_min, welder.wage_max, welder.wage_currency) == (12_000_000, 18_000_000, "VND")
    assert welder.occupation_code == "7212" and welder.status == VacancyStatus.PUBLISHED
    driver = Vacancy.objects.get(source_id="C1")
    assert (driver.wage_min, driver.wage_max, driver.wage_currency) == (None, 2000, "USD")
    assert Vacancy.objects.get(source_id="B1").wage_negotiable


def test_the_command_prints_rows_and_shares(capsys):
    call_command("import_vacancies", str(posting_file("itviec_jobs.json")), "--quiet-progress")
    out = capsys.readouterr().out
    assert "(itviec)" in out
    assert "Mức lương đọc được / salary texts understood" in out
    assert "Nơi làm việc đọc được / locations understood" in out
    assert Vacancy.objects.filter(source="itviec").count() == 803  # the postings in the stored file


def test_a_file_of_no_known_source_is_refused_and_stores_nothing(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "khac.csv"
    path.write_text("Họ và tên,Ngày sinh\nNguyễn Văn An,01/01/1990\n", encoding="utf-8")
    with pytest.raises(CommandError, match="dòng tiêu đề không khớp nguồn nào"):
        call_command("import_vacancies", str(path), "--quiet-progress")
    with pytest.raises(CommandError, match="thiếu cột"):
        call_command("import_vacancies", str(path), "--source", "topcv", "--quiet-progress")
    assert not Vacancy.objects.exists()
