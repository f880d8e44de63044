import hashlib

from django.db import migrations, models

# The fields the digest covered, in its order (registry.import_writes.SITUATION_FIELDS when it was dropped).
DIGEST_FIELDS = (
    "general_education",
    "qualification",
    "training_field_code",
    "activity_status",
    "employment_status",
    "job_title",
    "occupation_code",
    "industry_code",
    "social_insurance_type",
    "unemployment_insurance",
    "contract_type",
    "workplace_name",
    "workplace_type",
    "enterprise_ownership",
    "workplace_address",
    "workplace_location",
    "workplace_province_code",
    "workplace_in_industrial_zone",
    "unemployment_type",
    "unemployment_duration",
    "inactive_reason",
    "training_need",
    "job_need",
)


def _text(value) -> str:
    # As the digest joined them: booleans as Polars writes them, blanks as "".
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def compute_digests(apps, schema_editor):
    """Going back to 0006: the code of then compares digests, so every situation gets its own again
    (with "" the same file imported twice would rewrite every row)."""
    LaborSituation = apps.get_model("registry", "LaborSituation")
    batch = []
    for row in LaborSituation.objects.values_list("id", *DIGEST_FIELDS).iterator(chunk_size=5000):
        joined = "\x1f".join(_text(value) for value in row[1:])
        batch.append(LaborSituation(pk=row[0], content_hash=hashlib.md5(joined.encode()).hexdigest()))
        if len(batch) == 5000:
            LaborSituation.objects.bulk_update(batch, ["content_hash"])
            batch = []
    LaborSituation.objects.bulk_update(batch, ["content_hash"])


class Migration(migrations.Migration):
    """The import and the edit form compare a situation's fields instead of a digest of them."""

    dependencies = [
        ("registry", "0006_restore_one_open_situation"),
    ]

    operations = [
        # A default only so that going back can add the column to a table with rows. In the state alone:
        # SQLite would copy the whole table to change a default that the database never needs.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="laborsituation",
                    name="content_hash",
                    field=models.CharField(max_length=32, default=""),
                ),
            ]
        ),
        migrations.RunPython(migrations.RunPython.noop, compute_digests),
        migrations.RemoveField(model_name="laborsituation", name="content_hash"),
    ]
