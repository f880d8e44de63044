"""Migration 0006 names the people it cannot restore the "one open situation" index for; 0011 keeps
the indexed codes in byte order on PostgreSQL."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection

from nhanluc.registry import services
from nhanluc.registry.models import LaborSituation
from tests.registry.helpers import EMPLOYED, person

pytestmark = pytest.mark.django_db

restore = importlib.import_module("nhanluc.registry.migrations.0006_restore_one_open_situation")


def test_people_with_two_open_situations_are_named(make_user):
    officer = make_user("commune_officer", commune_code="10546")
    registered = services.register_person(
        data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=datetime.date(2026, 7, 1)
    )
    restore.refuse_people_with_two_open_situations(apps, None)  # one open situation: nothing to say
    with connection.cursor() as cursor:
        # As PostgreSQL databases were between migrations 0002 and 0006 (rolled back with the test).
        cursor.execute("DROP INDEX registry_situation_one_open")
    second = LaborSituation.objects.get(person=registered)
    second.pk, second.valid_from = None, datetime.date(2026, 9, 1)
    second.save()
    with pytest.raises(RuntimeError, match=str(registered.pk)):
        restore.refuse_people_with_two_open_situations(apps, None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite compares text byte by byte anyway")
def test_the_indexed_codes_compare_byte_by_byte_on_postgresql():
    # Django's state does not know the collation: an AlterField of one of these columns drops it.
    collate_c = importlib.import_module(
        "nhanluc.registry.migrations.0011_code_columns_collate_c_on_postgresql"
    )
    expected = {
        (apps.get_model("registry", model)._meta.db_table, column)
        for model, columns in collate_c.CODE_COLUMNS.items()
        for column in columns
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_name LIKE 'registry%%' AND collation_name = 'C'"
        )
        found = set(cursor.fetchall())
    assert found == expected
    assert ("registry_person", "cccd") in found
