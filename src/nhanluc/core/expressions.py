"""Query expressions of our own, each for a reason a plain lookup does not serve."""

from django.db.models import DateField, F, Func


class StoredDate(Func):
    """A date column compared as it is stored.

    SQLite gives a date column NUMERIC affinity, so comparing it with a date first tries to read both
    sides as numbers, on every row, and fails: a fifth of the indicators' count over a million people.
    A unary plus takes the affinity away and the ISO dates compare as the text they are, in the same
    order. Other databases compare the column itself.
    """

    template = "%(expressions)s"
    output_field = DateField()

    def __init__(self, column: str):
        super().__init__(F(column))

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra_context)
