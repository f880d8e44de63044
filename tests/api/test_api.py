from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


@pytest.fixture
def api(client, make_user):
    user = make_user("agency")
    client.login(username=user.username, password=TEST_PASSWORD)
    return client


def test_api_requires_authentication(client):
    assert client.get("/api/v1/units/").status_code == 403


def test_units_filtered_by_scheme_level_and_province(api):
    data = api.get(
        "/api/v1/units/", {"scheme": "2025", "level": "commune", "province_code": "31", "q": "chi linh"}
    ).json()
    assert [u["code"] for u in data["results"]] == ["10546"]


def test_legacy_conversion_endpoint(api):
    data = api.get("/api/v1/units/10546/convert/").json()
    assert data["commune"]["name"] == "Phường Chí Linh" and data["needs_review"] is False
    assert api.get("/api/v1/units/99999/convert/").status_code == 404


def test_suggest_endpoint(api):
    data = api.get("/api/v1/occupations/suggest/", {"text": "thợ hàn"}).json()
    assert data[0]["code"] == "7212"


def test_openapi_schema_is_up_to_date(tmp_path):
    """The schema is kept in the repository; regenerate it with `make schema` when the API changes."""
    out = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(out), "--validate")
    assert SCHEMA_FILE.read_text() == out.read_text(), "docs/openapi.yaml is stale: run `make schema`"


def test_schema_endpoint(api):
    assert api.get(reverse("api-schema")).status_code == 200
