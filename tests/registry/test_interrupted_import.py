"""A kill in the middle of an import leaves the register exactly as it was; running it again finishes it.

The real `nhanluc import-survey` command runs in a child process against the test database (a file on
SQLite, see the TESTING block of settings) and gets SIGKILL once its commit transaction has started
writing: Python gets no chance to clean up, so only the database's own guarantee keeps the register whole.
"""

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import polars as pl
import pytest
from django.db import connection

from nhanluc.core.models import AuditEvent
from nhanluc.registry.choices import BatchStatus, ImportLayout
from nhanluc.registry.generate import generate_population, store_population
from nhanluc.registry.import_writes import SITUATION_FIELDS
from nhanluc.registry.imports import get_or_create_round
from nhanluc.registry.models import AddressReview, Household, ImportBatch, LaborSituation, Person, SurveyRound
from nhanluc.registry.workbook import write_survey_workbook

COMMUNE = "10546"
FILE_ROWS = 20_000  # committing 20 000 people takes seconds, so the kill lands well inside the commit
COMMIT_NOTE = "Ghi vào sổ"  # the progress note the import shows as its commit begins
APPLICATION_NAME = "nhanluc-interrupted-import"  # how the test finds the child's PostgreSQL session


def survey_workbook(path: Path, reference_date) -> set[str]:
    """One commune's Mẫu 01 with FILE_ROWS people; returns their CCCDs."""
    frame = generate_population(province_code="31", people=FILE_ROWS, seed=12, reference_date=reference_date)
    first_member = pl.col("household_number").is_not_null()
    # A few distinct job titles: each new title costs an occupation lookup, which is not what this tests.
    titles = frame.get_column("job_title").drop_nulls().unique(maintain_order=True).head(8).to_list()
    frame = frame.with_columns(
        commune_code=pl.lit(COMMUNE),
        household_number=pl.when(first_member).then(first_member.cum_sum().cast(pl.Utf8)),
        job_title=pl.when(pl.col("job_title").is_not_null()).then(
            (pl.int_range(pl.len()) % len(titles)).replace_strict(
                dict(enumerate(titles)), return_dtype=pl.Utf8
            )
        ),
    )
    write_survey_workbook(
        path,
        frame.drop("occupation_code").to_dicts(),
        shape=ImportLayout.SURVEY_CODES,
        province_name="Thành phố Hải Phòng",
        commune_name="Phường Chí Linh",
        commune_code=COMMUNE,
        round_code="2026",
    )
    return set(frame.get_column("cccd").to_list())


def child_database_url() -> str:
    """NHANLUC_DATABASE_URL of the database this test runs on, for the child process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "the SQLite test database must be a file (settings.py)"
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"


def import_command(path: Path) -> tuple[list[str], dict]:
    command = [sys.executable, "-m", "nhanluc", "import-survey", str(path), "--round", "2026"]
    command += ["--commune", COMMUNE]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nhanluc.settings",
        "NHANLUC_TESTING": "1",
        "NHANLUC_DATABASE_URL": child_database_url(),
        "PGAPPNAME": APPLICATION_NAME,
        "PYTHONUNBUFFERED": "1",
    }
    return command, env


class Stderr:
    """A child's standard error as it arrives: tqdm redraws its bar with \\r, so reading lines would stall."""

    def __init__(self, stream):
        self.chunks: list[bytes] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        while chunk := os.read(stream.fileno(), 65536):
            self.chunks.append(chunk)

    @property
    def text(self) -> str:
        return b"".join(self.chunks).decode(errors="replace")


def wait_until(condition, *, child, stderr: Stderr, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if child is not None and child.poll() is not None:
            pytest.fail(f"the import exited ({child.returncode}) before {what}:\n{stderr.text[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} after {timeout} s:\n{stderr.text[-3000:]}")
        time.sleep(0.02)


def commit_under_way() -> bool:
    """True while the child is inside its commit transaction and has written to the database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A session gets a transaction id at its first write and keeps it until commit or rollback.
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND backend_xid IS NOT NULL",
                [APPLICATION_NAME],
            )
            return cursor.fetchone()[0] > 0
    # SQLite: the import's transactions begin IMMEDIATE, so its commit holds the write lock throughout.
    probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:  # database is locked
        return True
    finally:
        probe.close()


def child_session_gone() -> bool:
    """The server has noticed the dead client and rolled its transaction back (nothing to wait for on SQLite)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APPLICATION_NAME]
        )
        return cursor.fetchone()[0] == 0


def register_state() -> dict:
    """Every table the import writes: row counts, and the content of the rows that may be changed in place."""

    def digest(queryset, *fields):
        rows = list(queryset.order_by("pk").values_list("pk", *fields))
        return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()

    return {
        "households": digest(Household.objects, "commune_code", "number", "poverty_status"),
        "people": digest(Person.objects, "cccd", "household_id", "full_name", "updated_at"),
        "situations": digest(LaborSituation.objects, "person_id", "valid_to", *SITUATION_FIELDS, "batch_id"),
        "address_reviews": AddressReview.objects.count(),
        "committed_batches": ImportBatch.objects.filter(
            status__in=[BatchStatus.COMMITTED, BatchStatus.PARTIAL]
        ).count(),
        "audit_events": AuditEvent.objects.count(),
        "survey_rounds": SurveyRound.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_import_killed_during_its_commit_leaves_the_register_unchanged_and_a_rerun_finishes_it(
    tmp_path, reference_data
):
    survey_round = get_or_create_round(code="2026", province_code="31")
    # People already in the register, some of them in the imported commune's households 1, 2, 3…
    registered = generate_population(
        province_code="31", people=1000, seed=11, reference_date=survey_round.reference_date
    )
    store_population(registered, survey_round=survey_round)
    path = tmp_path / "mau01-chi-linh.xlsx"
    cccds = survey_workbook(path, survey_round.reference_date)
    assert not cccds & set(registered.get_column("cccd").to_list())
    before = register_state()
    command, env = import_command(path)

    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        stderr = Stderr(child.stderr)
        wait_until(lambda: COMMIT_NOTE in stderr.text, child=child, stderr=stderr, what="commit phase")
        wait_until(commit_under_way, child=child, stderr=stderr, what="write inside the commit transaction")
        # Just into the bulk inserts: the whole commit of this file can end within half a second, and a
        # kill after it proves nothing.
        time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL, f"the import finished before the kill:\n{stderr.text}"
    # The child is gone; what is awaited now is the server noticing it.
    wait_until(child_session_gone, child=None, stderr=stderr, what="rollback of the killed session")

    assert register_state() == before
    assert not cccds & set(Person.objects.values_list("cccd", flat=True))
    # A batch is written with its rows: the killed import left none, and nothing names one.
    assert not ImportBatch.objects.filter(file_name=path.name).exists()

    finished = subprocess.run(command, env=env, capture_output=True, timeout=300)
    assert finished.returncode == 0, finished.stderr.decode(errors="replace")[-3000:]
    after = register_state()
    assert after["people"][0] == before["people"][0] + FILE_ROWS
    assert after["situations"][0] == before["situations"][0] + FILE_ROWS
    assert after["households"][0] > before["households"][0]
    assert after["committed_batches"] == before["committed_batches"] + 1
    assert after["audit_events"] == before["audit_events"] + 1  # the batch's load event
    assert cccds <= set(Person.objects.values_list("cccd", flat=True))
    batch = ImportBatch.objects.get(file_name=path.name, status=BatchStatus.COMMITTED)
    assert batch.summary["people_created"] == batch.summary["situations_opened"] == FILE_ROWS
