"""The pages of labour demand: the employer's portal from sign-up to filing, and the staff pages."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from nhanluc.core.choices import AccessKind, JobStatus
from nhanluc.core.models import AccessLog, Job, User
from nhanluc.employers.choices import AccountStatus, ProposalStatus, VacancyStatus
from nhanluc.employers.models import Employer, EmployerAccount, RegisterProposal, Vacancy, WorkforceReport
from nhanluc.employers.services import register_employer
from nhanluc.registry import services as register
from tests.employers.test_reports import AGGREGATE, write_list
from tests.registry.helpers import UNEMPLOYED, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return make_user("centre_staff")


@pytest.fixture
def employer(staff):
    return register_employer(
        data={
            "tax_code": "0100109106",
            "name": "Công ty Cổ phần Cơ khí Chí Linh",
            "commune_code": "10546",
            "email": "nhansu@cokhichilinh.vn",
        },
        province_code="31",
        actor=staff,
    )


@pytest.fixture
def owner(make_user, employer):
    return make_user("employer", employer_id=employer.pk)


def signed_in(client, user):
    client.force_login(user)
    return client


SIGNUP = {
    "username": "nhansu.chilinh",
    "last_name": "Nguyễn Thị",
    "first_name": "Hoa",
    "email": "hoa@cokhichilinh.vn",
    "password1": "Mat-khau-that-dai-2026",
    "password2": "Mat-khau-that-dai-2026",
}


def test_signup_claims_a_recorded_employer_by_tax_code(client, employer):
    response = client.post(reverse("portal:signup"), SIGNUP | {"employer-tax_code": "0100109106"})
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="nhansu.chilinh")
    account = EmployerAccount.objects.get(user=user)
    assert account.employer == employer and account.status == AccountStatus.PENDING
    page = client.get(reverse("portal:home"))
    assert "Chờ duyệt" in page.content.decode()


def test_signup_of_a_new_employer_with_a_wrong_check_digit_is_refused(client):
    response = client.post(
        reverse("portal:signup"), SIGNUP | {"employer-tax_code": "0100109107", "employer-name": "Công ty mới"}
    )
    assert response.status_code == 200
    assert "sai chữ số kiểm tra" in response.content.decode()
    assert not User.objects.filter(username="nhansu.chilinh").exists()
    assert not Employer.objects.exists()


def test_staff_approve_and_the_employer_files_a_list_and_posts_vacancies(client, staff, employer, tmp_path):
    client.post(reverse("portal:signup"), SIGNUP | {"employer-tax_code": "0100109106"})
    account = EmployerAccount.objects.get()
    # Before approval the portal's filing page sends the user back home.
    assert client.get(reverse("portal:report_file")).status_code == 302
    staff_client = signed_in(type(client)(), staff)
    pending = staff_client.get(reverse("employers:accounts")).content.decode()
    assert "nhansu.chilinh" in pending
    staff_client.post(reverse("employers:account_decision", args=[account.pk]), {"decision": "approve"})
    account.refresh_from_db()
    assert account.status == AccountStatus.APPROVED

    with write_list(tmp_path / "danh-sach.csv").open("rb") as upload:
        response = client.post(
            reverse("portal:report_file"), {"year": 2026, "period": "h1", "workers_file": upload}
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    report = WorkforceReport.objects.get()
    assert report.headcount == 3 and report.employer == employer

    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    for title in ("Thợ hàn", "Nhân viên kế toán"):
        response = client.post(
            reverse("portal:vacancy_create"),
            {
                "title": title,
                "quantity": 3,
                "wage_min": 9000000,
                "wage_max": 14000000,
                "deadline": deadline,
                "publish": "1",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    assert set(Vacancy.objects.values_list("occupation_code", "status")) == {
        ("7212", VacancyStatus.PUBLISHED),
        ("4311", VacancyStatus.PUBLISHED),
    }
    # Centre staff see the report, the employer is no longer on the due list, the vacancies are listed.
    reports = staff_client.get(reverse("employers:reports") + "?year=2026&period=h1").content.decode()
    assert "Công ty Cổ phần Cơ khí Chí Linh" in reports
    vacancies = staff_client.get(reverse("employers:vacancies") + "?status=open").content.decode()
    assert "Thợ hàn" in vacancies and "Nhân viên kế toán" in vacancies
    detail = staff_client.get(reverse("employers:report", args=[report.pk]))
    assert detail.status_code == 200
    assert AccessLog.objects.filter(
        actor=staff, kind=AccessKind.VIEW, object_type="employers.reportedworker"
    ).exists()


def test_filing_the_same_period_twice_offers_replacement(client, owner, employer):
    signed_in(client, owner)
    fields = {"year": 2026, "period": "year"} | AGGREGATE
    assert client.post(reverse("portal:report_file"), fields).status_code == 302
    again = client.post(reverse("portal:report_file"), fields)
    assert again.status_code == 400 and "Nộp thay thế" in again.content.decode()
    assert client.post(reverse("portal:report_file"), fields | {"replace": "on"}).status_code == 302
    assert list(WorkforceReport.objects.order_by("version").values_list("version", "status")) == [
        (1, "replaced"),
        (2, "filed"),
    ]


def test_row_problems_are_shown_with_row_and_column(client, owner, tmp_path):
    signed_in(client, owner)
    path = tmp_path / "x.csv"
    path.write_text(
        "Họ và tên,Ngày sinh,Giới tính,Vị trí việc làm,Loại hợp đồng\nAn,32/13/1990,Nam,9,1\n",
        encoding="utf-8",
    )
    with path.open("rb") as upload:
        response = client.post(
            reverse("portal:report_file"), {"year": 2026, "period": "h1", "workers_file": upload}
        )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ngày không đọc được" in page and "Vị trí việc làm ghi 1–4" in page
    assert not WorkforceReport.objects.exists()


def test_an_inverted_wage_range_is_refused_on_the_form(client, owner):
    signed_in(client, owner)
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("portal:vacancy_create"),
        {"title": "Thợ hàn", "quantity": 1, "wage_min": 20000000, "wage_max": 10000000, "deadline": deadline},
    )
    assert response.status_code == 400 and "Khoảng lương bị đảo ngược" in response.content.decode()
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("portal:vacancy_create"),
        {"title": "Thợ hàn", "quantity": 1, "deadline": past, "publish": "1"},
    )
    assert "đã qua" in response.content.decode()
    assert not Vacancy.objects.exists()


def test_an_employer_cannot_reach_another_employers_pages(client, owner, staff, employer):
    other = register_employer(
        data={"tax_code": "0301442379", "name": "Công ty khác"}, province_code="31", actor=staff
    )
    theirs = Vacancy.objects.create(
        employer=other, title="Lái xe", status="published", source="staff", province_code="31"
    )
    signed_in(client, owner)
    assert client.get(reverse("portal:vacancy_update", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("employers:employer", args=[other.pk])).status_code == 404
    assert client.get(reverse("employers:vacancy", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("employers:accounts")).status_code == 403


def test_due_list_and_reminders(client, staff, employer, owner):
    signed_in(client, staff)
    page = client.get(reverse("employers:reports") + "?year=2026&period=h1").content.decode()
    assert "Quá hạn" in page and "Công ty Cổ phần Cơ khí Chí Linh" in page
    client.post(reverse("employers:reports"), {"year": 2026, "period": "h1"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nhansu@cokhichilinh.vn"]
    assert "Nghị định 145/2020/NĐ-CP" in mail.outbox[0].body


def test_officer_accepts_a_proposal_on_the_page(client, make_user, owner, employer, tmp_path):
    from nhanluc.employers.reports import file_report

    officer = make_user("commune_officer", commune_code="10546")
    person_record = register.register_person(
        data=person(UNEMPLOYED, commune_code="10546"), actor=officer, valid_from=datetime.date(2026, 1, 1)
    )
    file_report(
        employer=employer, year=2026, period="h1", actor=owner, workers_file=write_list(tmp_path / "d.csv")
    )
    proposal = RegisterProposal.objects.get()
    signed_in(client, officer)
    page = client.get(reverse("employers:proposals")).content.decode()
    assert "Trần Thị Bình" in page
    client.post(reverse("employers:proposal_decision", args=[proposal.pk]), {"decision": "accept"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    timeline = client.get(reverse("registry:person", args=[person_record.pk])).content.decode()
    assert "Công ty Cổ phần Cơ khí Chí Linh" in timeline


def test_demand_page_counts_open_positions(client, staff, employer, owner):
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    for title, code, quantity in (("Thợ hàn", "7212", 5), ("Kế toán", "4311", 2)):
        Vacancy.objects.create(
            employer=employer,
            employer_name=employer.name,
            title=title,
            occupation_code=code,
            quantity=quantity,
            status="published",
            source="staff",
            province_code="31",
            commune_code="10546",
            deadline=deadline,
        )
    signed_in(client, staff)
    response = client.get(reverse("employers:demand"))
    page = response.content.decode()
    summary = response.context["summary"]
    assert summary["totals"]["positions"] == 7
    assert [(row.code, row.positions) for row in summary["by_group"]] == [("7", 5), ("4", 2)]
    assert "demand-data" in page


@pytest.mark.django_db(transaction=True)
def test_vacancy_import_page_runs_a_job(client, reference_data, staff, tmp_path):
    path = tmp_path / "tin.csv"
    path.write_text(
        "Tên công việc,Tên doanh nghiệp,Mã tin,Mức lương,Nơi làm việc\nThợ hàn,Công ty A,A1,12 - 18 triệu,Hải Dương\n",
        encoding="utf-8",
    )
    signed_in(client, staff)
    with path.open("rb") as upload:
        response = client.post(reverse("employers:vacancy_import"), {"file": upload, "source": ""})
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["rows"] == 1 and job.result["location_share"] == 100.0
    assert Vacancy.objects.get().province_code == "31"


def test_foreign_worker_needs_a_permit_or_the_exemption(client, owner, employer):
    signed_in(client, owner)
    url = reverse("employers:foreign_worker_create", args=[employer.pk])
    fields = {
        "full_name": "Kim Min-jun",
        "sex": "1",
        "nationality": "Hàn Quốc",
        "passport_number": "M12345678",
        "job_position": "1",
        "job_title": "Giám đốc sản xuất",
    }
    response = client.post(url, fields)
    assert "Cần số giấy phép lao động" in response.content.decode()
    response = client.post(
        url,
        fields | {"permit_number": "GP-31-2026-001", "permit_from": "2026-01-01", "permit_to": "2027-12-31"},
    )
    assert response.status_code == 302
    assert employer.foreign_workers.get().permit_number == "GP-31-2026-001"


def test_the_employer_marks_a_vacancy_filled(client, owner, employer):
    vacancy = Vacancy.objects.create(
        employer=employer, title="Thợ hàn", status="published", source="portal", province_code="31"
    )
    signed_in(client, owner)
    page = client.get(reverse("portal:vacancy_update", args=[vacancy.pk])).content.decode()
    assert "mark-filled" in page
    client.post(reverse("portal:vacancy_update", args=[vacancy.pk]), {"filled": "1"})
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.FILLED and vacancy.filled_on == timezone.localdate()
    assert not Vacancy.objects.open_on(timezone.localdate()).exists()


def test_demo_employers_link_the_demo_account(make_user, settings):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_demo_employers")
    settings.DEMO = True
    demo = make_user("employer", username="doanhnghiep")
    # A vacancy already there: the demo does not import the job board's file again.
    Vacancy.objects.create(title="Thợ hàn", status="published", source="staff", province_code="31")
    call_command("create_demo_employers")
    call_command("create_demo_employers")  # again: nothing doubles
    demo.refresh_from_db()
    assert Employer.objects.count() == 3
    assert demo.employer_id == Employer.objects.get(tax_code="0100109106").pk
    assert EmployerAccount.objects.get(user=demo).status == AccountStatus.APPROVED
