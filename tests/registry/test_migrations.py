"""Migrations 0006 and 0012 name the people their unique index would refuse; 0011 keeps the indexed
codes in byte order on PostgreSQL; 0012's index refuses a second open situation and two situations
ending on the same day, on both databases."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from nhanluc.registry import services
from nhanluc.registry.models import LaborSituation
from tests.registry.helpers import EMPLOYED, person

pytestmark = pytest.mark.django_db

restore = importlib.import_module("nhanluc.registry.migrations.0006_restore_one_open_situation")
person_end = importlib.import_module("nhanluc.registry.migrations.0012_situation_person_end")


def _registered(make_user):
    officer = make_user("commune_officer", commune_code="10546")
    registered = services.register_person(
        data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=datetime.date(2026, 7, 1)
    )
    return LaborSituation.objects.get(person=registered)


def _copy(situation, **changes):
    copy = LaborSituation.objects.get(pk=situation.pk)
    copy.pk = None
    for name, value in changes.items():
        setattr(copy, name, value)
    return copy


def test_people_with_two_open_situations_are_named(make_user):
    current = _registered(make_user)
    restore.refuse_people_with_two_open_situations(apps, None)  # one open situation: nothing to say
    with connection.cursor() as cursor:
        # As PostgreSQL databases were between migrations 0002 and 0006 (rolled back with the test);
        # since 0012 one index holds "one open situation per person".
        cursor.execute("DROP INDEX registry_situation_person_end")
    _copy(current, valid_from=datetime.date(2026, 9, 1)).save()
    with pytest.raises(RuntimeError, match=str(current.person_id)):
        restore.refuse_people_with_two_open_situations(apps, None)


def test_the_database_refuses_a_second_open_situation(make_user):
    current = _registered(make_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        _copy(current, valid_from=datetime.date(2026, 9, 1)).save()


def test_the_database_refuses_two_situations_ending_on_the_same_day(make_user):
    current = _registered(make_user)
    current.valid_to = datetime.date(2026, 12, 31)
    current.save(update_fields=["valid_to"])
    with pytest.raises(IntegrityError), transaction.atomic():
        _copy(current, valid_from=datetime.date(2026, 9, 1)).save()
    # One ending on another day, and a later open one, are what the services write.
    _copy(current, valid_from=datetime.date(2027, 1, 1), valid_to=None).save()
    assert LaborSituation.objects.filter(person_id=current.person_id).count() == 2


def test_people_with_two_situations_ending_together_are_named(make_user):
    current = _registered(make_user)
    person_end.refuse_people_with_two_situations_ending_together(apps, None)  # nothing to say
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX registry_situation_person_end")  # rolled back with the test
    _copy(current, valid_from=datetime.date(2026, 9, 1)).save()
    with pytest.raises(RuntimeError, match=str(current.person_id)):
        person_end.refuse_people_with_two_situations_ending_together(apps, None)


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
