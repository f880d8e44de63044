from django.db import migrations, models
from django.db.models import Count, Q


def one_open_situation():
    return models.UniqueConstraint(
        fields=["person"], condition=Q(valid_to__isnull=True), name="registry_situation_one_open"
    )


def refuse_people_with_two_open_situations(apps, schema_editor):
    """Without the index nothing stopped a second open situation; say which people have one rather
    than fail on the index with PostgreSQL's message alone."""
    LaborSituation = apps.get_model("registry", "LaborSituation")
    people = list(
        LaborSituation.objects.filter(valid_to__isnull=True)
        .values("person_id")
        .annotate(open=Count("id"))
        .filter(open__gt=1)
        .values_list("person_id", flat=True)[:20]
    )
    if people:
        raise RuntimeError(
            "Những người sau có hơn một tình trạng việc làm đang mở; đóng bớt rồi chạy lại migrate. / "
            f"These people have more than one open labour situation; close all but one and migrate again: {people}"
        )


class Migration(migrations.Migration):
    """On PostgreSQL, 0002 dropped the partial unique index "one open situation per person" along with
    the foreign key's own index on the same column (Django removes every plain index on the column),
    while the migration state kept it. Dropped if it exists and created again, on both databases."""

    dependencies = [
        ("registry", "0005_no_person_constraints"),
    ]

    operations = [
        migrations.RunPython(refuse_people_with_two_open_situations, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(model_name="laborsituation", name="registry_situation_one_open"),
        migrations.AddConstraint(model_name="laborsituation", constraint=one_open_situation()),
    ]
