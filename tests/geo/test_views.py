import pytest
from django.urls import reverse

from nhanluc.core.choices import Role
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, admin_user):
    client.login(username=admin_user.username, password=TEST_PASSWORD)
    return client


def test_province_page_lists_hai_phong_communes(signed_in, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = signed_in.get(reverse("geo:province", args=["31"]))
    content = response.content.decode()
    assert 'data-testid="commune-count">114<' in content
    assert "Phường Chí Linh" in content and "Đặc khu Bạch Long Vĩ" in content
    assert "Tỉnh Hải Dương (30)" in content


def test_province_page_filters_without_diacritics_for_htmx(signed_in):
    response = signed_in.get(reverse("geo:province", args=["31"]), {"q": "chi linh"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "Phường Chí Linh" in content and "<html" not in content
    assert content.count("<tr>") == 1


def test_commune_page_shows_legacy_units(signed_in):
    content = signed_in.get(reverse("geo:commune", args=["10546"])).content.decode()
    for name in ("Phường Phả Lại", "Phường Cổ Thành", "Xã Nhân Huệ", "Thành phố Chí Linh", "Tỉnh Hải Dương"):
        assert name in content


def test_search_finds_current_and_legacy_units(signed_in):
    content = signed_in.get(reverse("geo:search"), {"q": "chi linh"}).content.decode()
    assert "Phường Chí Linh" in content
    assert "Thành phố Chí Linh" in content  # the legacy town of Hải Dương


def test_legacy_page_shows_where_a_unit_went(signed_in):
    content = signed_in.get(reverse("geo:legacy", args=["10576"])).content.decode()  # Phường Cổ Thành
    assert "Phường Chí Linh" in content


def test_commune_officer_picker_is_fixed_to_own_commune(client, make_user):
    officer = make_user(Role.COMMUNE_OFFICER, commune_code="10546")
    client.login(username=officer.username, password=TEST_PASSWORD)
    content = client.get(reverse("geo:picker")).content.decode()
    assert content.count("<option") == 1 and "Phường Chí Linh" in content
    client.post(reverse("geo:picker"), {"commune": "10603", "next": "/"})
    assert client.session["picked_commune"] == "10546"


def test_picker_refuses_unknown_communes_and_foreign_redirects(signed_in):
    response = signed_in.post(reverse("geo:picker"), {"commune": "nope", "next": "https://example.org/"})
    assert response["Location"] == "/"
    assert signed_in.session["picked_commune"] == ""


def test_english_pages(signed_in):
    signed_in.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = signed_in.get(reverse("geo:province", args=["31"])).content.decode()
    assert "Number of communes" in content
    assert "Số đơn vị cấp xã" not in content
