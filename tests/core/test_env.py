import os
import subprocess
import sys
from pathlib import Path

import pytest

from nhanluc.core.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_province,
    env_str,
    parse_database_url,
    reference_data_dir,
)


def test_required_variable_names_itself(monkeypatch):
    monkeypatch.delenv("NHANLUC_SOMETHING", raising=False)
    with pytest.raises(ConfigurationError, match="NHANLUC_SOMETHING"):
        env_str("NHANLUC_SOMETHING")


@pytest.mark.parametrize("value", ["maybe", "2", "có"])
def test_malformed_boolean_is_refused_with_its_name(monkeypatch, value):
    monkeypatch.setenv("NHANLUC_DEBUG", value)
    with pytest.raises(ConfigurationError, match="NHANLUC_DEBUG"):
        env_bool("NHANLUC_DEBUG")


def test_booleans_and_integers(monkeypatch):
    monkeypatch.setenv("NHANLUC_X", "yes")
    monkeypatch.setenv("NHANLUC_N", "12")
    assert env_bool("NHANLUC_X") is True
    assert env_int("NHANLUC_N", 3) == 12
    monkeypatch.setenv("NHANLUC_N", "mười")
    with pytest.raises(ConfigurationError, match="NHANLUC_N"):
        env_int("NHANLUC_N", 3)


def test_province_code_is_two_digits(monkeypatch):
    monkeypatch.setenv("NHANLUC_PROVINCE", "1")
    assert env_province("NHANLUC_PROVINCE", "31") == "01"
    monkeypatch.setenv("NHANLUC_PROVINCE", "Hải Phòng")
    with pytest.raises(ConfigurationError, match="NHANLUC_PROVINCE"):
        env_province("NHANLUC_PROVINCE", "31")


def test_database_urls(tmp_path):
    sqlite = parse_database_url("NHANLUC_DATABASE_URL", "sqlite:///var/db.sqlite3", tmp_path)
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["NAME"] == str(tmp_path / "var" / "db.sqlite3")
    absolute = parse_database_url("NHANLUC_DATABASE_URL", "sqlite:////srv/n.sqlite3", tmp_path)
    assert absolute["NAME"] == "/srv/n.sqlite3"
    postgres = parse_database_url(
        "NHANLUC_DATABASE_URL", "postgres://u:p%40ss@db.local:5433/nhanluc", tmp_path
    )
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["USER"], postgres["PASSWORD"], postgres["HOST"], postgres["PORT"], postgres["NAME"]) == (
        "u",
        "p@ss",
        "db.local",
        "5433",
        "nhanluc",
    )
    with pytest.raises(ConfigurationError, match="NHANLUC_DATABASE_URL"):
        parse_database_url("NHANLUC_DATABASE_URL", "mysql://localhost/x", tmp_path)
    with pytest.raises(ConfigurationError, match="NHANLUC_DATABASE_URL"):
        parse_database_url("NHANLUC_DATABASE_URL", "postgres://localhost/", tmp_path)


@pytest.mark.django_db  # lets a connection open, here to a file of the test's own
def test_a_new_sqlite_database_gets_large_pages_and_the_write_ahead_log(tmp_path):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings = parse_database_url("NHANLUC_DATABASE_URL", "sqlite:///new.sqlite3", tmp_path)
    wrapper = DatabaseWrapper(
        {**settings, "TIME_ZONE": None, "CONN_HEALTH_CHECKS": False, "CONN_MAX_AGE": 0, "AUTOCOMMIT": True}
    )
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x)")
            cursor.execute("PRAGMA page_size")
            page_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
    finally:
        wrapper.close()
    assert (page_size, journal) == (8192, "wal")


def test_reference_data_dir_must_exist(monkeypatch, tmp_path):
    monkeypatch.setenv("NHANLUC_REFERENCE_DATA", str(tmp_path / "absent"))
    with pytest.raises(ConfigurationError, match="NHANLUC_REFERENCE_DATA"):
        reference_data_dir("NHANLUC_REFERENCE_DATA", tmp_path)
    monkeypatch.delenv("NHANLUC_REFERENCE_DATA")
    assert reference_data_dir("NHANLUC_REFERENCE_DATA", tmp_path) is None


def _start(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NHANLUC_")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "nhanluc", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_start_up_without_secret_key_stops_naming_the_variable():
    result = _start({"NHANLUC_DATABASE_URL": "sqlite:///var/never-created.sqlite3"})
    assert result.returncode != 0
    assert "NHANLUC_SECRET_KEY" in result.stderr


def test_start_up_with_malformed_database_url_stops_naming_the_variable():
    result = _start({"NHANLUC_DEBUG": "1", "NHANLUC_DATABASE_URL": "oracle://x/y"})
    assert result.returncode != 0
    assert "NHANLUC_DATABASE_URL" in result.stderr
