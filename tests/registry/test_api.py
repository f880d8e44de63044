"""The register's API: scoped, filtered, masked, logged, and writing through the register's rules."""

import datetime

import pytest

from nhanluc.core.choices import AccessKind
from nhanluc.core.models import AccessLog
from nhanluc.registry import services
from nhanluc.registry.models import Person
from tests.factories import TEST_PASSWORD
from tests.registry.helpers import EMPLOYED, UNEMPLOYED, person

pytestmark = pytest.mark.django_db
JULY = datetime.date(2026, 7, 1)


@pytest.fixture
def officer(make_user):
    return make_user("commune_officer", commune_code="10546")


@pytest.fixture
def people(officer):
    return [
        services.register_person(data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=JULY),
        services.register_person(data=person(UNEMPLOYED, commune_code="10507"), actor=None, valid_from=JULY),
    ]


def signed_in(client, user):
    client.login(username=user.username, password=TEST_PASSWORD)
    return client


def test_list_is_scoped_filtered_and_logged(client, officer, people):
    data = signed_in(client, officer).get("/api/v1/people/", {"status": "1"}).json()
    assert [row["full_name"] for row in data["results"]] == ["Nguyễn Văn An"]
    assert data["results"][0]["cccd"] == "030085001234"
    entry = AccessLog.objects.get(kind=AccessKind.VIEW)
    assert entry.object_ids == [str(people[0].pk)] and entry.query == {"status": "1"}
    assert client.get(f"/api/v1/people/{people[1].pk}/").status_code == 404


def test_analyst_gets_masked_identifiers(client, make_user, people):
    data = signed_in(client, make_user("province_analyst")).get("/api/v1/people/").json()
    assert {row["cccd"] for row in data["results"]} == {"030••••••234", "031••••••567"}


def test_agency_and_employer_do_not_read_the_register(client, make_user, people):
    for role in ("agency", "employer"):
        client.logout()
        assert signed_in(client, make_user(role)).get("/api/v1/people/").json()["results"] == []


def test_detail_has_the_timeline(client, officer, people):
    data = signed_in(client, officer).get(f"/api/v1/people/{people[0].pk}/").json()
    assert data["activity_status_code"] == "1"
    assert [item["valid_from"] for item in data["timeline"]] == ["2026-07-01"]


def test_bad_filter_is_a_400(client, officer):
    response = signed_in(client, officer).get("/api/v1/people/", {"status": "9"})
    assert response.status_code == 400 and "status" in response.json()


def test_create_uses_the_register_rules(client, officer):
    signed_in(client, officer)
    record = {**person(EMPLOYED, commune_code="10546"), "valid_from": "2026-07-01"}
    bad = client.post(
        "/api/v1/people/", {**record, "birth_date": "31/12/2099"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "birth_date" in bad.json()
    good = client.post("/api/v1/people/", record, content_type="application/json")
    assert good.status_code == 201, good.json()
    assert good.json()["activity_status_code"] == "1" and Person.objects.count() == 1


def test_update_opens_a_new_situation(client, officer, people):
    signed_in(client, officer)
    record = {
        **person(UNEMPLOYED, commune_code="10546", cccd=None),
        "full_name": "Nguyễn Văn An",
        "birth_date": "12/03/1985",
        "sex": "1",
        "valid_from": "2026-10-01",
    }
    response = client.put(f"/api/v1/people/{people[0].pk}/", record, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["activity_status_code"] == "2"
    assert people[0].situations.count() == 2


def test_analyst_cannot_write(client, make_user):
    signed_in(client, make_user("province_analyst"))
    record = {**person(EMPLOYED, commune_code="10546"), "valid_from": "2026-07-01"}
    assert client.post("/api/v1/people/", record, content_type="application/json").status_code == 403
