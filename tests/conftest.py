"""Fixtures that pin the world: a fresh SQLite file per test, no config discovery,
a fixed acting user, and a CliRunner that calls kk as a user would."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kk import db

ADMIN = "anna"


@pytest.fixture(autouse=True)
def pinned_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No real config file, no inherited KK_* variables, a known acting user."""
    for name in ("KK_DB", "KK_USER", "KK_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KK_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, empty database per test session; tests get copies (Alembic is slow)."""
    path = tmp_path_factory.mktemp("template") / "kk.db"
    db.ensure_current(path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def db_path(tmp_path: Path, migrated_template: Path) -> Iterator[Path]:
    """A fresh, migrated database file with no users yet (the first actor becomes admin)."""
    path = tmp_path / "kk.db"
    shutil.copyfile(migrated_template, path)
    path.chmod(0o600)
    yield path
    db.forget(path)


class Kk:
    """Runs `kk --db <db_path> --user <user> …` in-process, like a user at a shell."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.runner = CliRunner()

    def __call__(self, *args: str, user: str = ADMIN, input: str | None = None) -> Any:  # noqa: A002
        from kk.cli import app

        return self.runner.invoke(
            app,
            ["--db", str(self.path), "--user", user, *args],
            input=input,
            catch_exceptions=False,
        )

    def ok(self, *args: str, user: str = ADMIN, input: str | None = None) -> str:  # noqa: A002
        """Run and assert exit 0; the stdout."""
        result = self(*args, user=user, input=input)
        assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
        return str(result.stdout)

    def json(self, *args: str, user: str = ADMIN) -> Any:
        import json

        return json.loads(self.ok(*args, "--format", "json", user=user))


@pytest.fixture
def kk(db_path: Path) -> Kk:
    return Kk(db_path)


def dump(path: Path) -> list[str]:
    """Every row of every table (the search index included), to compare before/after."""
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())
