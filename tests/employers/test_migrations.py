"""Migration 0003 dates the vacancies filled before it and makes past periods' demand figures stale."""

import datetime
import importlib

import pytest
from django.apps import apps

from nhanluc.core.models import AuditEvent, DataChange
from nhanluc.employers.models import Vacancy

pytestmark = pytest.mark.django_db

filled_on = importlib.import_module("nhanluc.employers.migrations.0003_vacancy_filled_on")
UTC = datetime.UTC


def test_vacancies_filled_before_the_migration_are_dated_from_their_marking_or_last_change():
    def vacancy(status):
        return Vacancy.objects.create(title="Thợ hàn", province_code="31", source="staff", status=status)

    marked, unmarked, dated, open_one = (
        vacancy(status) for status in ("filled", "filled", "filled", "published")
    )
    # As they were before the migration: no day (the model's save() would now set one).
    Vacancy.objects.filter(pk__in=[marked.pk, unmarked.pk]).update(
        filled_on=None, updated_at=datetime.datetime(2026, 5, 6, 20, tzinfo=UTC)
    )
    Vacancy.objects.filter(pk=dated.pk).update(filled_on=datetime.date(2026, 3, 2))
    for at, changes in (
        (datetime.datetime(2026, 5, 4, 20, tzinfo=UTC), {"status": ["published", "filled"]}),
        (datetime.datetime(2026, 5, 5, 20, tzinfo=UTC), {"title": ["Thợ hàn", "Thợ hàn bậc 3"]}),
    ):
        event = AuditEvent.objects.create(
            action="update", object_type="employers.vacancy", object_id=str(marked.pk), changes=changes
        )
        AuditEvent.objects.filter(pk=event.pk).update(at=at)
    filled_on.date_filled_vacancies(apps, None)
    # 20 h UTC is the next morning in Việt Nam.
    assert dict(Vacancy.objects.values_list("pk", "filled_on")) == {
        marked.pk: datetime.date(2026, 5, 5),
        unmarked.pk: datetime.date(2026, 5, 7),
        dated.pk: datetime.date(2026, 3, 2),
        open_one.pk: None,
    }
    assert DataChange.objects.filter(domain="demand", province_code="31", unit_code="").exists()
