"""Migration 0003 dates the vacancies filled before it from their last change."""

import datetime
import importlib

import pytest
from django.apps import apps

from nhanluc.employers.models import Vacancy

pytestmark = pytest.mark.django_db

filled_on = importlib.import_module("nhanluc.employers.migrations.0003_vacancy_filled_on")


def test_vacancies_filled_before_the_migration_are_dated_from_their_last_change():
    def vacancy(status, **fields):
        return Vacancy.objects.create(
            title="Thợ hàn", province_code="31", source="staff", status=status, **fields
        )

    old = vacancy("filled")
    dated = vacancy("filled", filled_on=datetime.date(2026, 3, 2))
    open_one = vacancy("published")
    Vacancy.objects.filter(pk=old.pk).update(
        updated_at=datetime.datetime(2026, 5, 4, 10, tzinfo=datetime.UTC)
    )
    filled_on.date_filled_vacancies(apps, None)
    assert dict(Vacancy.objects.values_list("pk", "filled_on")) == {
        old.pk: datetime.date(2026, 5, 4),
        dated.pk: datetime.date(2026, 3, 2),
        open_one.pk: None,
    }
