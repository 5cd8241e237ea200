"""Archive with a confirm dialog; restore offered to admins only, refused for users."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kk.tui.detail_screen import CustomerDetailScreen
from kk.tui.dialogs import ConfirmDialog
from tests.conftest import dump
from tests.tui.helpers import USER, count, settle, shown

ARCHIVED = "SELECT archived_at IS NOT NULL FROM customer WHERE number = ?"


def test_archive_asks_first_and_escape_changes_nothing(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    before = dump(demo_db)

    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is app.list_screen

    asyncio.run(scenario())
    assert dump(demo_db) == before


def test_archive_with_a_reason_from_the_list(make_app: Callable[..., Any], demo_db: Path) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            first = shown(app)[0]
            assert first == "CUS-0004"
            await pilot.press("a")
            await settle(pilot)
            await pilot.press(*"Geschäft aufgegeben", "enter")
            await settle(pilot)
            assert app.screen is app.list_screen
            assert first not in shown(app)  # gone from the active list
            assert app.list_screen.table.cursor_row == 0

    asyncio.run(scenario())
    assert count(demo_db, ARCHIVED, "CUS-0004") == 1
    assert count(demo_db, "SELECT archive_reason FROM customer WHERE id = 4") == (
        "Geschäft aufgegeben"
    )
    assert count(demo_db, "SELECT archived_by FROM customer WHERE id = 4") == "anna"


def test_archive_from_the_detail_then_restore_as_admin(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.open_customer("2")
            await settle(pilot)
            detail = app.screen
            assert isinstance(detail, CustomerDetailScreen)
            assert not detail.check_action("restore", ())
            await pilot.press("a")
            await settle(pilot)
            await pilot.press("tab", "enter")  # from the reason to the Archive button
            await settle(pilot)
            assert app.screen is detail
            assert detail.record is not None and detail.record["archived"]
            assert detail.check_action("restore", ())
            assert not detail.check_action("edit", ())
            await pilot.press("u")
            await settle(pilot)
            assert detail.record is not None and not detail.record["archived"]
            await pilot.press("escape")
            await settle(pilot)
            assert "CUS-0002" in shown(app)

    asyncio.run(scenario())
    assert count(demo_db, ARCHIVED, "CUS-0002") == 0
    actions = count(
        demo_db,
        "SELECT group_concat(DISTINCT action) FROM audit_entry WHERE entity_id = 'CUS-0002' "
        "AND action IN ('archive', 'restore')",
    )
    assert set(actions.split(",")) == {"archive", "restore"}


def test_restore_from_the_archived_list_as_admin(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert not app.list_screen.check_action("restore", ())
            await pilot.press("x", "x")  # archived only
            await settle(pilot)
            assert shown(app) == ["CUS-0008"]
            await pilot.press("u")
            await settle(pilot)
            assert shown(app) == []

    asyncio.run(scenario())
    assert count(demo_db, ARCHIVED, "CUS-0008") == 0


def test_restore_is_not_offered_to_a_user_and_refused_by_the_service(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    before = dump(demo_db)

    async def scenario() -> None:
        app = make_app(USER)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("x", "x")
            await settle(pilot)
            assert shown(app) == ["CUS-0008"]
            assert not app.list_screen.check_action("restore", ())
            await pilot.press("u")  # not offered: nothing happens
            await settle(pilot)
            assert shown(app) == ["CUS-0008"]
            app.list_screen.restore("CUS-0008")  # if it were reached anyway
            await settle(pilot)
            messages = [n.message for n in app._notifications]
            assert any("only admins may restore" in m for m in messages)

    asyncio.run(scenario())
    assert dump(demo_db) == before
