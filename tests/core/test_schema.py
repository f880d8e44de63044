"""The database holds every index and constraint the models declare, on both databases.

Django's AlterField can drop more than it means to: on PostgreSQL, turning off a foreign key's own
index also dropped a partial unique index on the same column (registry_situation_one_open), and
nothing noticed, since the migration state still listed it.
"""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db


def test_every_declared_index_and_constraint_exists():
    missing = []
    with connection.cursor() as cursor:
        for app in apps.get_app_configs():
            if not app.name.startswith("nhanluc."):
                continue
            for model in app.get_models():
                present = connection.introspection.get_constraints(cursor, model._meta.db_table)
                declared = [index.name for index in model._meta.indexes]
                declared += [constraint.name for constraint in model._meta.constraints]
                missing += [f"{model._meta.label}: {name}" for name in declared if name not in present]
    assert missing == []
