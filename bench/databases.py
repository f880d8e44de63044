"""Fresh benchmark databases, shared by the benchmarks (run them from the checkout's root)."""

from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]


def fresh_database(url: str) -> None:
    """An empty database at `url` with the schema and the reference data (call before django.setup())."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = ROOT / url.split(":///", 1)[1]
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        drop_postgres(url, create=True)
    import django

    django.setup()
    from django.core.management import call_command

    from nhanluc.catalogs.tasks import load_reference
    from nhanluc.core.progress import Progress

    call_command("migrate", verbosity=0)
    load_reference(source="bench", progress=Progress())


def drop_postgres(url: str, *, create: bool = False) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
