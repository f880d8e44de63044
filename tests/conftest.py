import os

import pytest

from tests.factories import UserFactory

os.environ.setdefault("NHANLUC_TESTING", "1")


def load_reference_data():
    from nhanluc.catalogs.services import load_catalogs
    from nhanluc.geo.services import load_geography

    load_geography(source="test")
    load_catalogs(source="test")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real reference data (vietnam-provinces and ../shared/data), loaded once per test database."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def reference_data(transactional_db):
    """For transactional tests: the flush after each one empties the tables, so load again if needed."""
    from nhanluc.geo.models import AdminUnit

    if not AdminUnit.objects.exists():
        load_reference_data()


@pytest.fixture(autouse=True)
def fresh_code_lists():
    """A test's reference data may differ from the last test's under the same ids (both rolled back):
    the import's code lists are read again (the address index, slower to build, is kept)."""
    from nhanluc.registry.imports import _register_lookups

    _register_lookups.cache_clear()


@pytest.fixture
def make_user(db):
    def make(role="province_admin", **fields):
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user("province_admin")
