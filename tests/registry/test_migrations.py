"""Migration 0006 names the people it cannot restore the "one open situation" index for."""

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
