import pytest
from django.test import override_settings
from django.urls import reverse

from nhanluc.core.choices import AuditAction
from nhanluc.core.models import AuditEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@override_settings(NHANLUC_LOGIN_MAX_FAILURES=3)
def test_login_is_refused_after_repeated_failures(client, admin_user):
    for _attempt in range(3):
        response = client.post(reverse("login"), {"username": admin_user.username, "password": "sai"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": admin_user.username, "password": TEST_PASSWORD})
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert (
        AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, object_id=admin_user.username).count() == 3
    )


def test_successful_login_is_audited(client, admin_user):
    response = client.post(reverse("login"), {"username": admin_user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=admin_user).exists()


def test_pages_require_login(client):
    response = client.get(reverse("geo:provinces"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_empty_password_is_a_form_error_not_a_crash(client, admin_user):
    response = client.post(reverse("login"), {"username": admin_user.username, "password": ""})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@override_settings(NHANLUC_LOGIN_MAX_FAILURES=2)
def test_admin_site_login_is_throttled_too(client, admin_user):
    for _attempt in range(2):
        client.post("/django-admin/login/", {"username": admin_user.username, "password": "sai"})
    response = client.post(
        "/django-admin/login/", {"username": admin_user.username, "password": TEST_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
