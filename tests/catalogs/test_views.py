import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, make_user):
    user = make_user("province_analyst")
    client.login(username=user.username, password=TEST_PASSWORD)
    return client


def test_catalog_pages(signed_in):
    assert "509" in signed_in.get(reverse("catalogs:index")).content.decode()
    assert "Thợ hàn" in signed_in.get(reverse("catalogs:occupation", args=["7212"])).content.decode()
    assert (
        "Hoạt động dịch vụ công nghệ thông tin"
        in signed_in.get(reverse("catalogs:industries"), {"q": "6209"}).content.decode()
    )
    assert "Khơ-me" in signed_in.get(reverse("catalogs:code_lists")).content.decode()
    content = signed_in.get(reverse("catalogs:training_fields"), {"q": "dieu duong"}).content.decode()
    assert "Điều dưỡng" in content


def test_suggest_page(signed_in):
    content = signed_in.get(
        reverse("catalogs:suggest"), {"text": "thợ hàn"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert content.index("7212") < content.index("</li>")


def test_only_the_province_administrator_reloads(signed_in):
    assert signed_in.post(reverse("catalogs:reload")).status_code == 403


def test_suggest_command(capsys):
    call_command("suggest_occupation", "công nhân may", "--limit", "3")
    assert "8153" in capsys.readouterr().out
