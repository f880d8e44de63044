"""Labour demand through the API: scoped like the pages; an employer account posts its own vacancies."""

import datetime

import pytest
from django.utils import timezone

from nhanluc.employers.models import Vacancy
from nhanluc.employers.reports import file_report
from nhanluc.employers.services import register_employer
from tests.employers.test_reports import AGGREGATE

pytestmark = pytest.mark.django_db


@pytest.fixture
def employers(make_user):
    staff = make_user("centre_staff")
    ours = register_employer(
        data={"tax_code": "0100109106", "name": "Cơ khí Chí Linh"}, province_code="31", actor=staff
    )
    theirs = register_employer(
        data={"tax_code": "0301442379", "name": "Công ty khác"}, province_code="31", actor=staff
    )
    return ours, theirs


def test_an_employer_account_reads_only_its_own(client, make_user, employers):
    ours, theirs = employers
    owner = make_user("employer", employer_id=ours.pk)
    file_report(employer=ours, year=2026, period="year", actor=owner, declared=AGGREGATE)
    file_report(employer=theirs, year=2026, period="year", actor=None, declared=AGGREGATE)
    client.force_login(owner)
    assert [row["name"] for row in client.get("/api/v1/employers/").json()["results"]] == ["Cơ khí Chí Linh"]
    reports = client.get("/api/v1/workforce-reports/").json()["results"]
    assert [row["employer"] for row in reports] == [ours.pk] and reports[0]["headcount"] == 120
    assert client.get(f"/api/v1/employers/{theirs.pk}/").status_code == 404


def test_employer_posts_a_vacancy_and_staff_filter_the_list(client, make_user, employers):
    ours, _theirs = employers
    client.force_login(make_user("employer", employer_id=ours.pk))
    deadline = (timezone.localdate() + datetime.timedelta(days=15)).isoformat()
    created = client.post(
        "/api/v1/vacancies/",
        {
            "title": "Thợ hàn",
            "quantity": 4,
            "wage_min": 9000000,
            "wage_max": 14000000,
            "deadline": deadline,
            "publish": True,
            "occupation_code": "7212",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    inverted = client.post(
        "/api/v1/vacancies/",
        {"title": "Kế toán", "quantity": 1, "wage_min": 20000000, "wage_max": 9000000, "deadline": deadline},
        content_type="application/json",
    )
    assert inverted.status_code == 400 and "wage_max" in inverted.json()
    assert Vacancy.objects.count() == 1
    client.force_login(make_user("centre_staff"))
    found = client.get("/api/v1/vacancies/", {"status": "open", "q": "tho han", "occupation": "72"}).json()
    assert [row["title"] for row in found["results"]] == ["Thợ hàn"]
    assert client.get("/api/v1/vacancies/", {"occupation": "9"}).json()["results"] == []
    refused = client.post("/api/v1/vacancies/", {"title": "x"}, content_type="application/json")
    assert refused.status_code == 403
