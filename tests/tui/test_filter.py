"""The filter bar (kk customer filter expressions) and saved selections in the list."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList

from kk import db
from kk.services import selections
from kk.tui.dialogs import SelectionDialog
from tests.tui.helpers import ADMIN, settle, shown

BY_NAME = ["CUS-0004", "CUS-0005", "CUS-0006", "CUS-0001", "CUS-0003", "CUS-0002", "CUS-0007"]


def save_selections(path: Path) -> None:
    with closing(db.connect(path)) as connection:
        selections.save(connection, name="Ostdeutschland", expression="postal_code:0*",
                        actor=ADMIN)  # fmt: skip
        selections.save(connection, name="Firmen", expression="kind:company", actor=ADMIN)


def status(app: Any) -> str:
    return str(app.list_screen.query_one("#status").render())


def test_filter_bar_narrows_and_combines_with_search(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("f", *"kind:company", "enter")
            await settle(pilot)
            assert shown(app) == ["CUS-0004", "CUS-0006", "CUS-0001"]
            assert app.focused is app.list_screen.table
            await pilot.press("slash", *"mueller")
            await settle(pilot)
            assert shown(app) == ["CUS-0001"]
            await pilot.press("escape")  # back to the table, where f is a key
            app.list_screen.query_one("#search", Input).value = ""
            app.list_screen.query_one("#filter", Input).value = "label:vip"
            await pilot.press("f", "enter")
            await settle(pilot)
            assert shown(app) == ["CUS-0002"]

    asyncio.run(scenario())


def test_a_bad_filter_is_reported_and_shows_nothing(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("f", *"citty:Berlin", "enter")
            await settle(pilot)
            assert shown(app) == []
            assert app.list_screen.query_one("#filter").has_class("-invalid")
            assert "citty" in status(app)
            assert any("citty" in n.message for n in app._notifications)
            app.list_screen.query_one("#filter", Input).value = "city:Berlin"
            await pilot.press("f", "enter")
            await settle(pilot)
            assert shown(app) == ["CUS-0002"]
            assert not app.list_screen.query_one("#filter").has_class("-invalid")

    asyncio.run(scenario())


def test_a_filter_on_archived_decides_itself(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("f", *"archived:yes", "enter")
            await settle(pilot)
            assert shown(app) == ["CUS-0008"]

    asyncio.run(scenario())


def test_pick_a_saved_selection_and_drop_it(make_app: Callable[..., Any], demo_db: Path) -> None:
    save_selections(demo_db)

    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("l")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, SelectionDialog)
            options = dialog.query_one(OptionList)
            names = [str(options.get_option_at_index(i).prompt) for i in
                     range(options.option_count)]  # fmt: skip
            assert names[1:] == ["Firmen", "Ostdeutschland"]
            await pilot.press("down", "down", "enter")
            await settle(pilot)
            assert shown(app) == ["CUS-0004", "CUS-0001"]  # Leipzig, Dresden
            assert "selection Ostdeutschland" in status(app)
            await pilot.press("f", *"kind:company", "enter")  # and a filter on top
            await settle(pilot)
            assert shown(app) == ["CUS-0004", "CUS-0001"]
            await pilot.press("l")
            await settle(pilot)
            await pilot.press("home", "enter")  # (no selection)
            await settle(pilot)
            assert shown(app) == ["CUS-0004", "CUS-0006", "CUS-0001"]

    asyncio.run(scenario())


def test_palette_runs_and_exports_a_selection(
    make_app: Callable[..., Any], demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_selections(demo_db)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)

    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"run selection: firmen")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert shown(app) == ["CUS-0004", "CUS-0006", "CUS-0001"]
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"export selection: ostdeutschland")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert any("2 customers written" in n.message for n in app._notifications)

    asyncio.run(scenario())
    (written,) = out.iterdir()
    assert written.name.startswith("kk-Ostdeutschland-") and written.suffix == ".csv"
    with written.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["number"] for row in rows] == ["CUS-0001", "CUS-0004"]


def test_an_unknown_selection_is_reported(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.run_selection("Gibtsnicht")
            await settle(pilot)
            assert shown(app) == []
            assert "no selection 'Gibtsnicht'" in status(app)

    asyncio.run(scenario())
