"""A vacancy records the day it was marked filled, so that a past period's open vacancies still count
it.

Vacancies filled before this migration get the day of the audit event that marked them filled
(`mark_vacancy_filled` writes one), or, without one, the day of their last change. The figures of
past periods were computed without them: a "demand" data change per province makes them stale, so
they are computed again when next read.
"""

from django.db import migrations, models
from django.utils import timezone


def date_filled_vacancies(apps, schema_editor):
    Vacancy = apps.get_model("employers", "Vacancy")
    AuditEvent = apps.get_model("core", "AuditEvent")
    DataChange = apps.get_model("core", "DataChange")
    filled = Vacancy.objects.filter(status="filled", filled_on__isnull=True)
    marked = {}
    events = AuditEvent.objects.filter(
        object_type="employers.vacancy", object_id__in=[str(pk) for pk in filled.values_list("pk", flat=True)]
    ).order_by("at")
    for object_id, at, changes in events.values_list("object_id", "at", "changes"):
        if isinstance(changes, dict) and changes.get("status") == ["published", "filled"]:
            marked[int(object_id)] = timezone.localdate(at)  # the last marking wins
    dated = list(filled.only("pk", "updated_at"))
    for vacancy in dated:
        vacancy.filled_on = marked.get(vacancy.pk) or timezone.localdate(vacancy.updated_at)
    Vacancy.objects.bulk_update(dated, ["filled_on"], batch_size=1000)
    now = timezone.now()
    provinces = Vacancy.objects.exclude(province_code="").values_list("province_code", flat=True)
    for province_code in provinces.order_by().distinct():
        DataChange.objects.update_or_create(
            domain="demand", province_code=province_code, unit_code="", defaults={"changed_at": now}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_datachange"),
        ("employers", "0002_vacancy_province_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="vacancy",
            name="filled_on",
            field=models.DateField(blank=True, null=True, verbose_name="ngày tuyển đủ"),
        ),
        migrations.RunPython(date_filled_vacancies, migrations.RunPython.noop),
    ]
