"""`nhanluc import-survey` as an operator runs it: exit status, error workbook beside the file, clean errors."""

import fcntl
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from nhanluc.registry.choices import BatchStatus
from nhanluc.registry.models import ImportBatch, Person
from tests.registry.helpers import EMPLOYED, INACTIVE, UNEMPLOYED, person
from tests.registry.test_import import workbook

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_survey", *args, "--quiet-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_refused_file_exits_1_and_writes_the_error_workbook_beside_it(tmp_path):
    path = workbook(tmp_path, [EMPLOYED, person(UNEMPLOYED, birth_date="31/12/2099")])
    with pytest.raises(CommandError) as refused:
        run(str(path), "--round", "2026")
    assert refused.value.returncode == 1
    errors = tmp_path / "xa-loi.xlsx"
    rows = list(openpyxl.load_workbook(errors)["Lỗi"].iter_rows(values_only=True))
    assert rows[1][1] == 9 and "sinh" in rows[1][2]  # row 9 of the sheet, the date-of-birth column
    assert not Person.objects.exists()

    # Corrected and run again: imported, and the stale error workbook is gone.
    path = workbook(tmp_path, [EMPLOYED, UNEMPLOYED, INACTIVE])
    out, _err = run(str(path), "--round", "2026")
    assert "3 dòng" in out and "+3 người mới" in out
    assert not errors.exists()


def test_bad_dates_are_clean_errors(tmp_path):
    path = workbook(tmp_path, [EMPLOYED])
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run(str(path), "--round", "2026", "--date", "01/07/2026")
    with pytest.raises(CommandError, match="--date"):
        run(str(path), "--round", "dot-1")
    run(str(path), "--round", "2026")
    with pytest.raises(CommandError, match="2026-07-01"):
        run(str(path), "--round", "2026", "--date", "2026-06-30")


@pytest.mark.django_db(transaction=True)
def test_a_file_waiting_too_long_for_another_write_fails_cleanly_and_writes_nothing(
    tmp_path, reference_data, settings
):
    if connection.vendor != "sqlite":
        pytest.skip("the writers' turn is SQLite's")
    settings.NHANLUC_BULK_WRITE_WAIT_SECONDS = 0.2
    path = workbook(tmp_path, [EMPLOYED, UNEMPLOYED])
    with Path(f"{connection.settings_dict['NAME']}.bulk-lock").open("a") as other_writer:
        fcntl.flock(other_writer, fcntl.LOCK_EX)
        with pytest.raises(CommandError, match="try again later") as busy:
            run(str(path), "--round", "2026")
    assert busy.value.returncode == 1
    assert not Person.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and "thử lại sau" in batch.summary["file_error"]
    out, _err = run(str(path), "--round", "2026")  # the other write has ended
    assert "+2 người mới" in out
