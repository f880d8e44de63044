"""Benchmark: loading the reference data and coding job titles to VSCO.

    make bench                                   # SQLite file under var/bench/
    NHANLUC_DATABASE_URL=postgres://… make bench # a PostgreSQL database you own (it is emptied first)

Targets (issue 2): geography + catalogs load < 10 s; a repeated load changes nothing.
Job-title coding has no target yet; it is measured on real job titles from the shared postings.
"""

import csv
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("NHANLUC_DEBUG", "1")
os.environ.setdefault("NHANLUC_DATABASE_URL", "sqlite:///var/bench/reference.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhanluc.settings")

LOAD_TARGET_SECONDS = 10.0


def fresh_database():
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def job_titles(limit: int) -> list[str]:
    from django.conf import settings

    path = settings.NHANLUC_REFERENCE_DATA / "postings" / "topcv_jobs_2025-09_10.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        titles = [row["title"] for row in csv.DictReader(handle) if row.get("title")]
    return titles[:limit]


def main() -> int:
    import django

    django.setup()
    from django.db import connection

    from nhanluc.catalogs.suggest import suggest_occupation
    from nhanluc.catalogs.tasks import load_reference
    from nhanluc.core.progress import Progress

    fresh_database()
    started = time.perf_counter()
    first = load_reference(source="bench", progress=Progress())
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = load_reference(source="bench", progress=Progress())
    second_seconds = time.perf_counter() - started
    changed = second["geography"]["units"]["created"] + second["geography"]["units"]["updated"]

    titles = job_titles(2000)
    suggest_occupation(titles[0])  # builds the in-memory index once
    timings = []
    for title in titles:
        started = time.perf_counter()
        suggest_occupation(title)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]

    print(f"database: {connection.vendor}")
    units = first["geography"]["units"]
    print(
        f"reference load, empty database: {first_seconds:.2f} s for {units['created']} units "
        f"(target < {LOAD_TARGET_SECONDS:.0f} s: {'OK' if first_seconds < LOAD_TARGET_SECONDS else 'MISSED'})"
    )
    print(f"reference load, again:          {second_seconds:.2f} s, rows changed: {changed} (target 0)")
    print(
        f"suggest_occupation on {len(titles)} real job titles: median {statistics.median(timings):.2f} ms, "
        f"p95 {p95:.2f} ms, {len(titles) / (sum(timings) / 1000):.0f} titles/s"
    )
    return 0 if first_seconds < LOAD_TARGET_SECONDS and changed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
