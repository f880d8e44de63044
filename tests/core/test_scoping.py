"""Every model of the project honours `visible_to(user)`."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from nhanluc.core.choices import Role
from nhanluc.core.models import AuditEvent
from nhanluc.core.querysets import ReferenceQuerySet, ScopedQuerySet
from nhanluc.core.services import record_event

PROJECT_MODELS = [
    model
    for config in apps.get_app_configs()
    if config.name.startswith("nhanluc.")
    for model in config.get_models()
]


def test_the_project_has_models_to_check():
    assert len(PROJECT_MODELS) >= 8


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.label)
def test_every_model_reads_through_visible_to(model):
    queryset = model._default_manager.all()
    assert isinstance(queryset, ScopedQuerySet), f"{model._meta.label} must use a ScopedQuerySet"


@pytest.mark.django_db
@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.label)
def test_anonymous_and_inactive_users_see_nothing(model, make_user):
    assert not model._default_manager.visible_to(AnonymousUser()).exists()
    inactive = make_user(Role.PROVINCE_ADMIN, is_active=False)
    assert not model._default_manager.visible_to(inactive).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("role", Role.values)
def test_each_role_gets_a_scoped_or_empty_queryset(model, role, make_user):
    """A role reads a personal/organisational model only through its scope lookup, never unfiltered."""
    user = make_user(role, commune_code="10546", employer_id=1, institution_id=1, person_id=1)
    queryset = model._default_manager.visible_to(user)
    if isinstance(model._default_manager.all(), ReferenceQuerySet):
        return  # public reference data: everyone signed in reads all of it
    if role not in type(model._default_manager.all()).readable_by:
        assert not queryset.exists()
        return
    where = str(queryset.query).split("WHERE", 1)
    assert len(where) == 2, f"{model._meta.label} gives role {role} an unfiltered queryset"


@pytest.mark.django_db
def test_scope_without_value_falls_back_to_nothing(make_user):
    record_event(actor=None, action="load", object_type="x", source="test", province_code="31")
    admin_without_province = make_user(Role.PROVINCE_ADMIN, province_code="")
    assert not AuditEvent.objects.visible_to(admin_without_province).exists()


@pytest.mark.django_db
def test_province_admin_sees_only_own_province_audit(make_user):
    ours = record_event(actor=None, action="load", object_type="x", source="test", province_code="31")
    theirs = record_event(actor=None, action="load", object_type="x", source="test", province_code="01")
    visible = set(AuditEvent.objects.visible_to(make_user(Role.PROVINCE_ADMIN)).values_list("pk", flat=True))
    assert ours.pk in visible and theirs.pk not in visible
    assert not AuditEvent.objects.visible_to(make_user(Role.COMMUNE_OFFICER, commune_code="10546")).exists()
