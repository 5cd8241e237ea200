"""Where the database is, how connections are opened, and how its schema is kept current.

Two ways in, on purpose:
- `connect()` returns a stdlib `sqlite3` connection for the hot read path (list, search,
  show, export), which must not pay the ~480 ms SQLModel import;
- `write_session()` yields a SQLModel session whose transactions start with
  `BEGIN IMMEDIATE`, so two writers queue up instead of failing half-way.

Both check the schema revision against `SCHEMA_REVISIONS` without importing Alembic;
Alembic is imported only to create or upgrade a database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kk.errors import Conflict, KkError

if TYPE_CHECKING:
    from sqlmodel import Session

#: Every shipped migration, oldest first. A test checks it against Alembic's own history.
SCHEMA_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004")
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]
BUSY_TIMEOUT_MS = 30_000

_current: set[Path] = set()


class SchemaTooNew(KkError):
    """The database was written by a newer kk."""


def _pragmas(connection: sqlite3.Connection) -> None:
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA synchronous = NORMAL")


def _raw_connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    _pragmas(connection)
    return connection


def schema_revision(connection: sqlite3.Connection) -> str | None:
    """The Alembic revision stamped in the database, or None for an empty file."""
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise KkError("this file is not a kk database (it has no kk schema)") from None
        return None
    return str(row[0]) if row else None


def _create_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(descriptor)
    os.chmod(path, 0o600)
    with closing(_raw_connect(path)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")


def upgrade(path: Path, revision: str = "head") -> None:
    """Run the shipped Alembic migrations up to `revision` (imports Alembic, ~450 ms)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    config = Config()
    config.set_main_option("script_location", "kk:migrations")
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def backup_path(path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")


def ensure_current(path: Path) -> None:
    """Create a missing database, upgrade an older one (after a backup), refuse a newer one."""
    if path in _current:
        return
    if not path.exists():
        try:
            _create_file(path)
        except (OSError, sqlite3.OperationalError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise KkError(f"cannot create the database {path}: {reason}") from None
    try:
        with closing(_raw_connect(path)) as connection:
            revision = schema_revision(connection)
    except sqlite3.DatabaseError:
        raise KkError(f"{path} is not a kk database (not an SQLite file)") from None
    if revision != SCHEMA_HEAD:
        if revision is not None and revision not in SCHEMA_REVISIONS:
            raise SchemaTooNew(
                f"{path} was written by a newer kk (schema {revision}; this kk knows up to "
                f"{SCHEMA_HEAD}): update kk to open it"
            )
        if revision is not None:
            backup(path, backup_path(path, revision))
        upgrade(path)
    _current.add(path)


def forget(path: Path) -> None:
    """Forget that `path` was checked (tests that swap files under the same name use it)."""
    _current.discard(path)


def connect(path: Path) -> sqlite3.Connection:
    """A checked stdlib connection: autocommit mode, foreign keys on, busy timeout set."""
    ensure_current(path)
    return _raw_connect(path)


@contextmanager
def immediate(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction on a stdlib connection, started with BEGIN IMMEDIATE."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


_engines: dict[Path, Any] = {}


def engine(path: Path) -> Any:
    """A SQLAlchemy engine whose transactions begin IMMEDIATE (the pysqlite recipe)."""
    if path in _engines:
        return _engines[path]
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    created = create_engine(f"sqlite:///{path}", poolclass=NullPool)

    @event.listens_for(created, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        _pragmas(dbapi_connection)

    @event.listens_for(created, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    _engines[path] = created
    return created


@contextmanager
def write_session(path: Path) -> Iterator[Session]:
    """A SQLModel session in one IMMEDIATE transaction: committed on success, else rolled back."""
    from sqlmodel import Session

    ensure_current(path)
    with Session(engine(path), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def raw(session: Session) -> sqlite3.Connection:
    """The stdlib connection under a session, for the SQL the services share with the read path."""
    connection: sqlite3.Connection = session.connection().connection.driver_connection  # type: ignore[assignment]
    return connection


def backup(source: Path, target: Path) -> None:
    """Copy a live database with SQLite's online backup API (consistent under writers)."""
    if target.exists():
        raise Conflict(f"backup target {target} exists already")
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.close(descriptor)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    files = source.with_suffix(".files")
    if files.is_dir():
        shutil.copytree(files, target.with_suffix(".files"), dirs_exist_ok=True)


def check(path: Path) -> list[str]:
    """Problems found by integrity_check and foreign_key_check; empty when all is well."""
    with closing(connect(path)) as connection:
        problems = [
            str(row[0]) for row in connection.execute("PRAGMA integrity_check") if row[0] != "ok"
        ]
        problems += [
            f"foreign key: {table} row {rowid} points to missing {parent}"
            for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check")
        ]
    return problems
