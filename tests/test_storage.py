"""The database file: where it is, how it is opened, migrated, refused, checked, backed up."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from kk import db
from tests.conftest import Kk


def test_a_missing_database_is_created_0600_in_wal_with_the_actor_as_admin(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.db"
    kk = Kk(path)
    assert kk.json("customer", "list", user="carla") == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            db.SCHEMA_HEAD
        )
    assert kk.json("user", "list", user="carla") == [
        {
            "name": "carla",
            "role": "admin",
            "created_at": kk.json("user", "list", user="carla")[0]["created_at"],
        }
    ]
    assert kk("customer", "list", user="dieter").exit_code == 1
    db.forget(path)


def test_connections_enforce_foreign_keys_and_wait_when_busy(db_path: Path) -> None:
    with closing(db.connect(db_path)) as connection:
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == db.BUSY_TIMEOUT_MS
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(
                "INSERT INTO address (customer_id, purpose, street, city) "
                "VALUES (99, 'billing', 'x', 'y')"
            )
    from sqlalchemy import text

    with db.write_session(db_path) as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_writers_begin_immediate(db_path: Path) -> None:
    """A write session holds the write lock from its first statement: a second writer waits."""
    from sqlalchemy import text

    with db.write_session(db_path) as session:
        session.execute(text("SELECT 1"))
        other = sqlite3.connect(db_path, timeout=0.05, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_default_location_is_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from kk import context

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    context.set_globals(db=None, user=None)
    assert context.db_path() == tmp_path / "data" / "kk" / "kk.db"
    monkeypatch.setenv("KK_CONFIG", str(tmp_path / "c.toml"))
    (tmp_path / "c.toml").write_text('db = "/srv/kk/team.db"\nuser = "zoe"\n')
    assert context.db_path() == Path("/srv/kk/team.db")
    assert context.user_name() == "zoe"
    context.set_globals(db="/x.db", user="yves")
    assert (context.db_path(), context.user_name()) == (Path("/x.db"), "yves")


def test_kk_db_and_kk_user_env_select_database_and_user(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from kk.cli import app

    monkeypatch.setenv("KK_DB", str(db_path))
    monkeypatch.setenv("KK_USER", "erich")
    result = CliRunner().invoke(app, ["customer", "add", "--first-name", "A", "--last-name", "B"])
    assert result.exit_code == 0, result.stderr
    with closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute("SELECT created_by FROM customer").fetchone()[0] == "erich"


def test_an_older_database_is_backed_up_and_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db._create_file(path)
    db.upgrade(path, "0001")
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(
            "INSERT INTO customer (id, number, kind, first_name, last_name, display_name, "
            "sort_key, postal_code, created_at, updated_at) VALUES (7, 'CUS-0007', 'private', "
            "'Jörg', 'Nüßl', 'Nüßl, Jörg', 'nussl, jorg', '01067', '2020-01-01', '2020-01-01')"
        )
        connection.execute("UPDATE counter SET value = 7")
    kk = Kk(path)
    rows = kk.json("customer", "search", "nussl")
    assert [(r["number"], r["postal_code"]) for r in rows] == [("CUS-0007", "01067")]
    backups = list(tmp_path.glob("old.db.before-0001-*.bak"))
    assert len(backups) == 1
    with closing(sqlite3.connect(backups[0])) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert kk.ok("customer", "add", "--first-name", "A", "--last-name", "B").strip() == "CUS-0008"
    db.forget(path)


def test_a_database_from_a_newer_kk_is_refused_on_every_path(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    kk = Kk(db_path)
    for args in (("customer", "list"), ("customer", "search", "x"),
                 ("customer", "add", "--first-name", "A", "--last-name", "B")):  # fmt: skip
        result = kk(*args)
        assert result.exit_code == 1
        assert "newer kk" in result.stderr and "0999" in result.stderr
    with closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute("SELECT count(*) FROM customer").fetchone()[0] == 0


def test_shipped_revisions_match_alembic_history() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "kk:migrations")
    script = ScriptDirectory.from_config(config)
    history = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert tuple(history) == db.SCHEMA_REVISIONS
    assert script.get_current_head() == db.SCHEMA_HEAD


def test_migrations_match_the_models(db_path: Path) -> None:
    """Every SQLModel column exists in the migrated schema (models and migrations agree)."""
    from sqlmodel import SQLModel

    import kk.models  # noqa: F401

    with closing(sqlite3.connect(db_path)) as connection:
        for table in SQLModel.metadata.sorted_tables:
            columns = {row[1] for row in connection.execute(f"PRAGMA table_info({table.name})")}
            assert set(table.columns.keys()) <= columns, table.name


def test_check_passes_on_a_healthy_database_and_fails_on_a_broken_one(
    kk: Kk, db_path: Path
) -> None:
    kk.ok("customer", "add", "--first-name", "A", "--last-name", "B")
    assert "ok" in kk.ok("db", "check")
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute(
            "INSERT INTO address (customer_id, purpose, street, city) "
            "VALUES (99, 'billing', 'x', 'y')"
        )
    result = kk("db", "check")
    assert result.exit_code == 1
    assert "foreign key" in result.stderr


def test_backup_copies_a_live_database(kk: Kk, tmp_path: Path) -> None:
    kk.ok("customer", "add", "--first-name", "Jürgen", "--last-name", "Groß")
    target = tmp_path / "copy" / "backup.db"
    kk.ok("db", "backup", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert Kk(target).json("customer", "list")[0]["display_name"] == "Groß, Jürgen"
    assert kk("db", "backup", str(target)).exit_code == 1
    db.forget(target)


def test_upgrade_and_reindex(kk: Kk, db_path: Path) -> None:
    kk.ok("customer", "add", "--first-name", "Jürgen", "--last-name", "Groß")
    assert db.SCHEMA_HEAD in kk.ok("db", "upgrade")
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("DELETE FROM customer_fts")
    assert kk.json("customer", "search", "gross") == []
    kk.ok("db", "reindex")
    assert len(kk.json("customer", "search", "gross")) == 1


def test_a_file_that_is_not_a_kk_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE t (x)")
    result = Kk(path)("customer", "list")
    assert result.exit_code == 1 and "not a kk database" in result.stderr
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello " * 1000)
    result = Kk(text_file)("customer", "list")
    assert result.exit_code == 1 and "not a kk database" in result.stderr


def test_a_database_that_cannot_be_created_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = Kk(blocker / "kk.db")("customer", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("kk: cannot create the database") and "Traceback" not in (
        result.stderr
    )
