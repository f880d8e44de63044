"""Typed readers for the environment variables that configure Nhân Lực.

Each reader fails at start-up with a message naming the variable, so a wrong deployment stops
before it serves a page instead of misbehaving later.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit


class ConfigurationError(Exception):
    """A setting is missing or malformed; the message names the variable."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ConfigurationError(
                f"Thiếu biến môi trường {name} / the environment variable {name} is required"
            )
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(
        f"{name}={value!r} không phải giá trị đúng/sai / is not a boolean (use 1/0, true/false, yes/no, on/off)"
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name}={value!r} không phải số nguyên / is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_province(name: str, default: str) -> str:
    """A 2-digit province code of the 2025 scheme (e.g. 31 for Hải Phòng)."""
    value = env_str(name, default).strip()
    if not value.isdigit() or len(value) > 2:
        raise ConfigurationError(
            f"{name}={value!r} không phải mã tỉnh 2 chữ số / is not a 2-digit province code (e.g. 31)"
        )
    return value.zfill(2)


def parse_database_url(name: str, value: str, base_dir: Path) -> dict:
    """Turn `sqlite:///var/nhanluc.sqlite3` or `postgres://user:pw@host:5432/db` into Django's dict.

    A relative SQLite path is taken relative to the project directory.
    """
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path
        raw_path = value.split("://", 1)[1]
        raw_path = raw_path[1:] if raw_path.startswith("/") else raw_path
        if not raw_path:
            raise ConfigurationError(f"{name}={value!r}: thiếu đường dẫn tệp SQLite / no SQLite file path")
        path = Path(raw_path) if raw_path.startswith("/") else base_dir / raw_path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                # WAL lets the web server read while the worker writes an import. Pages of 8 KiB rather
                # than 4: a commit rewrites every page its rows touched, and a commune's rows touch
                # most pages of the CCCD index; its share of a large import's writing fell by a tenth.
                # The size is set only when the file is created, so it comes before the WAL.
                "init_command": (
                    "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        database = parts.path.lstrip("/")
        if not database:
            raise ConfigurationError(f"{name}={value!r}: thiếu tên cơ sở dữ liệu / no database name")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(database),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ConfigurationError(
        f"{name}={value!r}: chỉ hỗ trợ sqlite:/// hoặc postgres:// / only sqlite:/// and postgres:// are supported"
    )


def reference_data_dir(name: str, base_dir: Path) -> Path | None:
    """The folder of third-party reference data; its default is ../shared/data when that exists.

    Returns None when unset and absent; commands that need it report what is expected there.
    """
    value = os.environ.get(name)
    if value:
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = (base_dir / path).resolve()
        if not path.is_dir():
            raise ConfigurationError(
                f"{name}={value!r} không phải thư mục / is not a directory "
                "(expected the folder holding classifications/ and admin-units/)"
            )
        return path
    default = (base_dir.parent / "shared" / "data").resolve()
    return default if default.is_dir() else None
