import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhanluc.core.models import AuditEvent
from nhanluc.employers.choices import AccountStatus, VacancyStatus
from nhanluc.employers.models import Employer, Vacancy
from nhanluc.employers.services import decide_account, register_employer, request_account, save_vacancy

pytestmark = pytest.mark.django_db

COMPANY = {
    "tax_code": "0100109106",
    "name": "Công ty Cổ phần Cơ khí Chí Linh",
    "ownership": "2",
    "legal_form": "cp",
    "commune_code": "10546",
    "industrial_zone": "KCN Phú Thái",
}


def test_register_employer_normalises_and_audits(admin_user):
    employer = register_employer(
        data=COMPANY | {"tax_code": "0100 109 106"}, province_code="31", actor=admin_user
    )
    assert employer.tax_code == "0100109106"
    assert employer.search_name == "cong ty co phan co khi chi linh"
    event = AuditEvent.objects.get(object_type="employers.employer", object_id=str(employer.pk))
    assert event.actor == admin_user
    assert event.changes["tax_code"] == "0100109106"


def test_a_recorded_tax_code_is_not_recorded_twice(admin_user):
    register_employer(data=COMPANY, province_code="31", actor=admin_user)
    with pytest.raises(ValidationError) as raised:
        register_employer(data=COMPANY | {"name": "Khác"}, province_code="31", actor=admin_user)
    assert "đã có trong hệ thống" in raised.value.message_dict["tax_code"][0]
    assert Employer.objects.count() == 1


def test_a_wrong_check_digit_stores_nothing(admin_user):
    with pytest.raises(ValidationError):
        register_employer(data=COMPANY | {"tax_code": "0100109107"}, province_code="31", actor=admin_user)
    assert not Employer.objects.exists()
    assert not AuditEvent.objects.filter(object_type="employers.employer").exists()


def test_household_business_by_owner_cccd(admin_user):
    employer = register_employer(
        data={"owner_cccd": "030085001234", "name": "Hộ kinh doanh Trần Thị Bình"},
        province_code="31",
        actor=admin_user,
    )
    assert employer.identifier == "030085001234"
    with pytest.raises(ValidationError):
        register_employer(data={"name": "Không mã"}, province_code="31", actor=admin_user)


def test_claim_then_approval_gives_the_account_its_employer(make_user):
    staff = make_user("centre_staff")
    existing = register_employer(data=COMPANY, province_code="31", actor=staff)
    applicant = make_user(role="", province_code="")
    account = request_account(user=applicant, employer_data={"tax_code": "0100109106"}, province_code="31")
    applicant.refresh_from_db()
    assert account.employer == existing and not account.created_employer
    assert applicant.role == "employer" and applicant.employer_id is None
    # Before approval the account sees no employer at all.
    assert not Employer.objects.visible_to(applicant).exists()
    decide_account(account=account, approve=True, actor=staff)
    applicant.refresh_from_db()
    assert applicant.employer_id == existing.pk
    assert list(Employer.objects.visible_to(applicant)) == [existing]


def test_a_new_employer_through_the_portal_and_a_rejection(make_user):
    staff = make_user("centre_staff")
    applicant = make_user(role="", province_code="")
    account = request_account(user=applicant, employer_data=COMPANY, province_code="31")
    assert account.created_employer
    decide_account(account=account, approve=False, actor=staff, note="Không đúng người đại diện")
    account.refresh_from_db()
    applicant.refresh_from_db()
    assert account.status == AccountStatus.REJECTED and applicant.employer_id is None
    with pytest.raises(ValidationError):
        decide_account(account=account, approve=True, actor=staff)


def test_only_centre_staff_or_admin_decide(make_user):
    applicant = make_user(role="", province_code="")
    account = request_account(user=applicant, employer_data=COMPANY, province_code="31")
    with pytest.raises(PermissionError):
        decide_account(account=account, approve=True, actor=make_user("province_analyst"))


def test_an_employer_sees_only_its_own_employer(make_user):
    staff = make_user("centre_staff")
    ours = register_employer(data=COMPANY, province_code="31", actor=staff)
    theirs = register_employer(
        data={"tax_code": "0301442379", "name": "Công ty khác", "commune_code": "10507"},
        province_code="31",
        actor=staff,
    )
    account_user = make_user("employer", employer_id=ours.pk)
    assert list(Employer.objects.visible_to(account_user)) == [ours]
    assert set(Employer.objects.visible_to(staff)) == {ours, theirs}
    officer = make_user("commune_officer", commune_code="10507")
    assert list(Employer.objects.visible_to(officer)) == [theirs]
    assert not Employer.objects.visible_to(make_user("job_seeker")).exists()


def vacancy_data(**changes):
    return {
        "title": "Thợ hàn",
        "quantity": 5,
        "female_quantity": 1,
        "age_min": 18,
        "age_max": 40,
        "wage_min": 9_000_000,
        "wage_max": 14_000_000,
        "deadline": timezone.localdate() + datetime.timedelta(days=20),
    } | changes


def test_post_and_publish_a_vacancy(make_user):
    staff = make_user("centre_staff")
    employer = register_employer(data=COMPANY, province_code="31", actor=staff)
    owner = make_user("employer", employer_id=employer.pk)
    draft = save_vacancy(employer=employer, data=vacancy_data(), actor=owner)
    assert draft.status == VacancyStatus.DRAFT and draft.source == "portal"
    published = save_vacancy(employer=employer, data=vacancy_data(), actor=owner, publish=True, vacancy=draft)
    assert published.status == VacancyStatus.PUBLISHED
    assert list(Vacancy.objects.visible_to(owner)) == [published]
    assert list(Vacancy.objects.open_on(timezone.localdate())) == [published]
    assert list(Vacancy.objects.search("tho han")) == [published]


def test_an_inverted_wage_range_or_a_past_deadline_stores_nothing(make_user):
    staff = make_user("centre_staff")
    employer = register_employer(data=COMPANY, province_code="31", actor=staff)
    with pytest.raises(ValidationError):
        save_vacancy(employer=employer, data=vacancy_data(wage_min=20_000_000), actor=staff)
    with pytest.raises(ValidationError):
        save_vacancy(
            employer=employer,
            data=vacancy_data(deadline=timezone.localdate() - datetime.timedelta(days=1)),
            actor=staff,
            publish=True,
        )
    assert not Vacancy.objects.exists()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 2, 10), (2025, "year")),
        (datetime.date(2026, 5, 1), (2026, "h1")),
        (datetime.date(2026, 7, 4), (2026, "h1")),
        (datetime.date(2026, 7, 5), (2026, "year")),
        (datetime.date(2026, 12, 31), (2026, "year")),
    ],
)
def test_the_period_being_collected(day, expected):
    from nhanluc.employers.services import current_report_period

    assert current_report_period(day) == expected


def test_a_published_vacancy_past_its_deadline_shows_and_filters_as_expired(make_user):
    from nhanluc.employers.filters import filter_vacancies

    today = timezone.localdate()
    past = Vacancy.objects.create(
        title="Thợ hàn",
        status="published",
        source="staff",
        province_code="31",
        deadline=today - datetime.timedelta(days=1),
    )
    ahead = Vacancy.objects.create(
        title="Kế toán",
        status="published",
        source="staff",
        province_code="31",
        deadline=today + datetime.timedelta(days=1),
    )
    assert (past.current_status, ahead.current_status) == ("expired", "published")
    assert past.current_status_label == "Hết hạn"
    assert list(filter_vacancies(Vacancy.objects.all(), {"status": "expired"}, today=today)) == [past]
    assert list(filter_vacancies(Vacancy.objects.all(), {"status": "published"}, today=today)) == [ahead]


def test_the_day_a_vacancy_was_filled_follows_its_status_however_it_changes():
    vacancy = Vacancy.objects.create(title="Thợ hàn", province_code="31", source="staff", status="published")
    assert vacancy.filled_on is None
    vacancy.status = VacancyStatus.FILLED  # as the admin's form does it
    vacancy.save(update_fields=["status"])
    vacancy.refresh_from_db()
    assert vacancy.filled_on == timezone.localdate()
    vacancy.status = VacancyStatus.PUBLISHED  # published again: open, not filled
    vacancy.save()
    vacancy.refresh_from_db()
    assert vacancy.filled_on is None
