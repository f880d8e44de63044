"""The situations' profile (registry.profiles), and on SQLite a point-in-time index that covers the count.

Existing rows get their profile from the database in one UPDATE. The expression is written out here,
not imported, so that this migration keeps meaning what it meant when the profile changes.

On SQLite the point-in-time index `registry_situation_asof` becomes (commune, status, profile, valid
from, valid to, date of birth, sex, province). It still serves the point-in-time query by commune and
status, and it now covers the count of a province
(indicators.register.SupplyCube), which SQLite reads from it without the table and groups in its
order without a sort: 2,4 s → 0,76 s for 1 M people. PostgreSQL keeps the index the model declares:
it counts by hashing a scan of the table and never reads the wider one, while every import would
write it (56 MB for 1 M situations, against 7 MB for the narrow one, whose repeated keys it stores
once; about 3 s more server time per 1 M imported). A second index on SQLite instead cost its import
more than the wider one (bench/import_survey.py, docs/indicators.md §13).

Django's state knows only the declared four columns: a later migration that rebuilds this table on
SQLite recreates the narrow index. The test of SQLite's plan for the count then fails, and that
migration must widen the index again.
"""

from django.db import migrations, models
from django.db.models import BigIntegerField, Case, F, Q, Value, When
from django.db.models.functions import Cast, StrIndex

CODE_COLUMNS = (
    "activity_status",
    "sex",
    "qualification",
    "employment_status",
    "social_insurance_type",
    "workplace_location",
    "inactive_reason",
    "unemployment_duration",
)
WIDTH = len(CODE_COLUMNS) + 2


def profile_expression():
    # A one-digit code is its place in "0123456789" less one; "" gives 0 (INSTR / STRPOS).
    digits = [StrIndex(Value("0123456789"), F(column)) - 1 for column in CODE_COLUMNS]
    digits.append(Case(When(Q(unemployment_insurance=True), then=Value(1)), default=Value(0)))
    digits.append(
        Case(
            When(Q(industry_code=""), then=Value(0)),
            When(Q(industry_code__lt="04"), then=Value(1)),
            When(Q(industry_code__lt="44"), then=Value(2)),
            default=Value(3),
        )
    )
    key = Cast(digits[0], BigIntegerField()) * Value(10 ** (WIDTH - 1))
    for place, digit in enumerate(digits[1:], start=2):
        key = key + digit * Value(10 ** (WIDTH - place))
    return key


INDEX = "registry_situation_asof"
DECLARED_COLUMNS = ("commune_code", "activity_status", "valid_from", "valid_to")
SQLITE_COLUMNS = (
    "commune_code",
    "activity_status",
    "profile_key",
    "valid_from",
    "valid_to",
    "birth_date",
    "sex",
    "province_code",
)


def _rebuild_index(schema_editor, columns):
    if schema_editor.connection.vendor != "sqlite":
        return
    listed = ", ".join(schema_editor.quote_name(column) for column in columns)
    schema_editor.execute(f"DROP INDEX {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON registry_laborsituation ({listed})")


def widen_sqlite_index(apps, schema_editor):
    _rebuild_index(schema_editor, SQLITE_COLUMNS)


def narrow_sqlite_index(apps, schema_editor):
    _rebuild_index(schema_editor, DECLARED_COLUMNS)


def fill_profiles(apps, schema_editor):
    LaborSituation = apps.get_model("registry", "LaborSituation")
    LaborSituation.objects.update(profile_key=profile_expression())


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_no_province_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="laborsituation",
            name="profile_key",
            field=models.BigIntegerField(default=0, editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(fill_profiles, migrations.RunPython.noop),
        migrations.RunPython(widen_sqlite_index, narrow_sqlite_index),
    ]
