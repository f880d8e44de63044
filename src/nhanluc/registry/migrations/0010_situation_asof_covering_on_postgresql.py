"""On PostgreSQL the point-in-time index `registry_situation_asof` also carries, as non-key columns,
the province, sex, date of birth and profile: the counts of the indicators read it alone.

Split between two connections by commune, the count of a province then reads this index (56 MB for
1 M situations) in the order of its communes instead of the table (217 MB): 0,30 s → 0,19 s for the
count and the poor households together at 1 M people (docs/indicators.md §13, session 19). It replaces
the narrow index, which stored its repeated keys once (8 MB), so every import still writes one index
on the situations, a wider one.

SQLite's index is already covering (migration 0009) and is left as it is. As in 0009, Django's state
knows only the declared four columns: a later migration that rebuilds the index from that state must
widen it again (tests/indicators/test_figures.py checks both databases' indexes).
"""

from django.db import migrations

INDEX = "registry_situation_asof"
KEY_COLUMNS = ("commune_code", "activity_status", "valid_from", "valid_to")
INCLUDED_COLUMNS = ("province_code", "sex", "birth_date", "profile_key")


def _rebuild_index(schema_editor, included):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    keys = ", ".join(quote(column) for column in KEY_COLUMNS)
    include = f" INCLUDE ({', '.join(quote(column) for column in included)})" if included else ""
    schema_editor.execute(f"DROP INDEX {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON registry_laborsituation ({keys}){include}")


def widen_postgresql_index(apps, schema_editor):
    _rebuild_index(schema_editor, INCLUDED_COLUMNS)


def narrow_postgresql_index(apps, schema_editor):
    _rebuild_index(schema_editor, ())


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_situation_profile_key"),
    ]

    operations = [
        migrations.RunPython(widen_postgresql_index, narrow_postgresql_index),
    ]
