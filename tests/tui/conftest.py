"""Fixtures of the TUI tests: a pinned demo database (built once, copied per test) and the
app over it, in UTC so the local times on screen are fixed."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kk import db
from tests.tui.helpers import ADMIN, build_demo


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """UTC local time; colours on (the snapshots show the theme's red and green)."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(scope="session")
def demo_template(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "kk.db"
    shutil.copyfile(migrated_template, path)
    build_demo(path)
    db.forget(path)
    return path


@pytest.fixture
def demo_db(db_path: Path, demo_template: Path) -> Path:
    """A fresh copy of the demo database (users anna/admin and bob/user)."""
    shutil.copyfile(demo_template, db_path)
    return db_path


@pytest.fixture
def make_app(demo_db: Path):  # type: ignore[no-untyped-def]
    from kk.services.users import Actor
    from kk.tui.app import KkApp

    def make(actor: Actor = ADMIN, theme: str = "dark") -> KkApp:
        return KkApp(demo_db, actor, theme=theme)

    return make
