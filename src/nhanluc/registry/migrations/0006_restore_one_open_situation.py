from django.db import migrations, models
from django.db.models import Q


def one_open_situation():
    return models.UniqueConstraint(
        fields=["person"], condition=Q(valid_to__isnull=True), name="registry_situation_one_open"
    )


class Migration(migrations.Migration):
    """On PostgreSQL, 0002 dropped the partial unique index "one open situation per person" along with
    the foreign key's own index on the same column (Django removes every plain index on the column),
    while the migration state kept it. Dropped if it exists and created again, on both databases."""

    dependencies = [
        ("registry", "0005_no_person_constraints"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="laborsituation", name="registry_situation_one_open"),
        migrations.AddConstraint(model_name="laborsituation", constraint=one_open_situation()),
    ]
