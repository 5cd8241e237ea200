"""`kk tui`: the command resolves database and user like every command, then runs the app;
the first screen's imports stay light (no SQLModel before the first write)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Kk


def test_help_names_the_theme_option(kk: Kk) -> None:
    out = kk.ok("tui", "--help")
    assert "--theme" in out and "full-screen" in out
    assert "completion" not in out


def test_runs_the_app_on_the_database_as_the_user(
    kk: Kk, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kk.tui.app import KkApp

    ran: list[Any] = []
    monkeypatch.setattr(KkApp, "run", lambda self: ran.append(self))
    kk.ok("user", "list")  # anna becomes the first admin
    kk.ok("user", "add", "bob")
    kk.ok("tui", "--theme", "light", user="bob")
    (app,) = ran
    assert app.db_path == db_path
    assert (app.actor.name, app.actor.role) == ("bob", "user")
    assert app.theme == "textual-light"


def test_an_unknown_user_is_refused_before_the_screen(
    kk: Kk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kk.tui.app import KkApp

    monkeypatch.setattr(KkApp, "run", lambda self: pytest.fail("the app must not start"))
    kk.ok("user", "list")
    result = kk("tui", user="mallory")
    assert result.exit_code == 1
    assert "unknown user 'mallory'" in result.stderr


def test_a_theme_outside_the_choices_is_a_usage_error(kk: Kk) -> None:
    assert kk("tui", "--theme", "purple").exit_code == 2


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_the_first_screen_does_not_import_the_write_path() -> None:
    loaded = _modules_after("import kk.tui.app")
    assert not {"sqlmodel", "sqlalchemy", "alembic"} & loaded
    later = {"kk.tui.detail_screen", "kk.tui.forms", "kk.services.search",
             "textual.widgets._data_table"}  # fmt: skip
    assert not later & loaded


def test_the_command_module_and_the_browse_service_do_not_import_textual() -> None:
    assert "textual" not in _modules_after("import kk.commands.tui")
    assert "textual" not in _modules_after("import kk.services.browse")
