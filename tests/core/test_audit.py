import pytest
from django.urls import reverse

from nhanluc.core.choices import AccessKind, AuditAction, Role
from nhanluc.core.models import AccessLog, AuditEvent
from nhanluc.core.services import Change, log_access, record_event, record_events
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_bulk_audit_never_writes_row_by_row(django_assert_max_num_queries, admin_user):
    changes = [
        Change(
            action=AuditAction.CREATE,
            object_type="registry.person",
            object_id=str(i),
            changes={"name": [None, f"Người {i}"]},
            province_code="31",
        )
        for i in range(500)
    ]
    # SQLite caps the parameters of one statement, so a batch may take a few INSERTs; never 500.
    with django_assert_max_num_queries(10):
        assert record_events(actor=admin_user, source="import:1", changes=changes, batch_size=1000) == 500
    assert AuditEvent.objects.filter(source="import:1").count() == 500


def test_access_log_records_who_what_and_why(admin_user):
    entry = log_access(
        actor=admin_user,
        kind=AccessKind.EXPORT,
        purpose="Báo cáo quý",
        object_type="registry.person",
        object_ids=range(3),
        query={"commune": "10546"},
    )
    assert entry.record_count == 3 and entry.object_ids == ["0", "1", "2"]
    assert entry.province_code == "31"


def test_audit_pages_are_for_the_province_administrator(client, make_user):
    officer = make_user(Role.COMMUNE_OFFICER, commune_code="10546")
    client.login(username=officer.username, password=TEST_PASSWORD)
    assert client.get(reverse("core:audit")).status_code == 403
    assert client.get(reverse("core:access_log")).status_code == 403


def test_audit_page_filters_and_shows_old_to_new(client, admin_user):
    record_event(
        actor=admin_user,
        action=AuditAction.UPDATE,
        object_type="geo.adminunit",
        object_id="2025:10546",
        changes={"name": ["Phường Phả Lại", "Phường Chí Linh"]},
        source="web",
        province_code="31",
    )
    record_event(
        actor=admin_user,
        action=AuditAction.LOAD,
        object_type="catalogs.classifications",
        source="cli",
        province_code="31",
    )
    client.login(username=admin_user.username, password=TEST_PASSWORD)
    response = client.get(reverse("core:audit"), {"action": "update"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Phường Phả Lại → Phường Chí Linh" in content
    assert "catalogs.classifications" not in content


def test_access_log_page_lists_entries(client, admin_user):
    log_access(
        actor=admin_user,
        kind=AccessKind.VIEW,
        purpose="Tra cứu hồ sơ",
        object_type="registry.person",
        object_ids=[7],
    )
    client.login(username=admin_user.username, password=TEST_PASSWORD)
    response = client.get(reverse("core:access_log"), {"kind": "view"})
    assert "Tra cứu hồ sơ" in response.content.decode()
    assert AccessLog.objects.count() == 1


def test_audit_list_costs_constant_queries(client, admin_user, django_assert_max_num_queries):
    for i in range(60):
        record_event(
            actor=admin_user,
            action=AuditAction.UPDATE,
            object_type="x",
            object_id=i,
            source="t",
            province_code="31",
        )
    client.login(username=admin_user.username, password=TEST_PASSWORD)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("core:audit"))
    assert "after=" in response.content.decode()  # keyset link to the next page
