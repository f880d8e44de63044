"""A vacancy records the day it was marked filled, so that a past period's open vacancies still count
it. Vacancies already filled get the day of their last change, which for them was the marking."""

from django.db import migrations, models
from django.db.models.functions import TruncDate


def date_filled_vacancies(apps, schema_editor):
    Vacancy = apps.get_model("employers", "Vacancy")
    Vacancy.objects.filter(status="filled", filled_on__isnull=True).update(filled_on=TruncDate("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
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
