"""On PostgreSQL the indexed code columns of the register compare byte by byte (collation "C").

CCCD, commune code, household number and activity status are codes, never sorted for a reader as
words. Under the database's default collation (C.UTF-8 here, vi_VN in many installations) every
comparison in their indexes went through strcoll: about a tenth of the server's CPU during a survey
import. With "C" the 15 files of a half-full province took 1,0–1,4 s less server CPU (of 8–9 s,
docs/import-survey.md §15, session 20). Equality, and so every lookup, is unchanged: the codes are ASCII.

SQLite compares text byte by byte already (BINARY). Django's state does not know of the collation: a
later AlterField of one of these columns resets it, which tests/registry/test_migrations.py notices.
"""

from django.db import migrations

CODE_COLUMNS = {
    "Person": ("cccd", "commune_code"),
    "Household": ("commune_code", "number"),
    "LaborSituation": ("commune_code", "activity_status"),
}


def _set_collation(apps, schema_editor, collation):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for model_name, columns in CODE_COLUMNS.items():
        model = apps.get_model("registry", model_name)
        changes = ", ".join(
            f"ALTER COLUMN {quote(column)} TYPE "
            f"{model._meta.get_field(column).db_type(schema_editor.connection)} COLLATE {quote(collation)}"
            for column in columns
        )
        schema_editor.execute(f"ALTER TABLE {quote(model._meta.db_table)} {changes}")


def collate_c(apps, schema_editor):
    _set_collation(apps, schema_editor, "C")


def collate_default(apps, schema_editor):
    _set_collation(apps, schema_editor, "default")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_situation_asof_covering_on_postgresql"),
    ]

    operations = [
        migrations.RunPython(collate_c, collate_default),
    ]
