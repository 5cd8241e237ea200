"""The customer list: search, sort, archived toggle, paging, keys."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kk.tui.detail_screen import CustomerDetailScreen
from kk.tui.source import PAGE_SIZE
from tests.tui.helpers import add_bulk, settle, shown

BY_NAME = ["CUS-0004", "CUS-0005", "CUS-0006", "CUS-0001", "CUS-0003", "CUS-0002", "CUS-0007"]


def test_first_screen_lists_active_customers_by_name(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert shown(app) == BY_NAME  # CUS-0008 is archived
            assert app.focused is app.list_screen.table

    asyncio.run(scenario())


def test_search_narrows_the_list_while_typing(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("slash", "s", "c", "h")
            await settle(pilot)
            assert set(shown(app)) == {"CUS-0004", "CUS-0002"}  # Schneider, Schmidt
            await pilot.press("m")
            await settle(pilot)
            assert shown(app) == ["CUS-0002"]
            for _ in range(4):
                await pilot.press("backspace")
            await settle(pilot)
            assert shown(app) == BY_NAME

    asyncio.run(scenario())


def test_search_folds_umlauts_and_finds_by_city_and_number(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"nuessl")
            await settle(pilot)
            assert shown(app) == ["CUS-0003"]
            app.list_screen.query_one("#search").value = "dresden"
            await settle(pilot)
            assert shown(app) == ["CUS-0001"]
            app.list_screen.query_one("#search").value = "cus-0005"
            await settle(pilot)
            assert shown(app) == ["CUS-0005"]

    asyncio.run(scenario())


def test_typing_q_into_the_search_does_not_quit(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("slash", "q")
            await settle(pilot)
            assert not app._exit
            assert app.list_screen.query_one("#search").value == "q"

    asyncio.run(scenario())


def test_q_quits_from_the_list_and_from_a_detail(make_app: Callable[..., Any]) -> None:
    async def scenario(keys: list[str]) -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press(*keys)
            await settle(pilot)
            await pilot.press("q")
            await pilot.pause()
            assert app._exit

    asyncio.run(scenario([]))
    asyncio.run(scenario(["enter"]))


def test_ctrl_q_quits_even_from_the_search_box(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("slash", "ctrl+q")
            await pilot.pause()
            assert app._exit

    asyncio.run(scenario())


def test_sort_cycles_and_reverses(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            assert shown(app) == [f"CUS-000{i}" for i in range(1, 8)]
            assert "sorted by number ↑" in str(app.list_screen.query_one("#status").render())
            await pilot.press("S")
            await settle(pilot)
            assert shown(app) == [f"CUS-000{i}" for i in range(7, 0, -1)]
            await pilot.press("s", "s")  # created, then last activity
            await settle(pilot)
            assert app.list_screen.state.sort == "last_activity"
            assert shown(app)[-1] == "CUS-0001"  # the only one with an activity
            await pilot.press("s")
            await settle(pilot)
            assert shown(app) == BY_NAME

    asyncio.run(scenario())


def test_archived_toggle_cycles_active_all_archived(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("x")
            await settle(pilot)
            assert "CUS-0008" in shown(app) and len(shown(app)) == 8
            await pilot.press("x")
            await settle(pilot)
            assert shown(app) == ["CUS-0008"]
            await pilot.press("x")
            await settle(pilot)
            assert shown(app) == BY_NAME

    asyncio.run(scenario())


def test_enter_opens_detail_and_escape_keeps_search_and_cursor(
    make_app: Callable[..., Any],
) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("slash", "d", "e", "enter")  # Enter moves to the table
            await settle(pilot)
            assert app.focused is app.list_screen.table
            await settle(pilot)
            before = shown(app)
            assert 3 <= len(before) < 7  # the .de addresses
            await pilot.press("down", "down")
            row = app.list_screen.table.cursor_row
            expected = before[row]
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, CustomerDetailScreen)
            assert app.screen.number == expected
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is app.list_screen
            assert app.list_screen.query_one("#search").value == "de"
            assert app.list_screen.table.cursor_row == row
            assert shown(app) == before

    asyncio.run(scenario())


def test_the_list_loads_pages_as_the_cursor_moves(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    add_bulk(demo_db, 3 * PAGE_SIZE + 10)
    total = 7 + 3 * PAGE_SIZE + 10

    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            first = len(shown(app))
            assert first == PAGE_SIZE  # a page, not everything
            for _ in range(6):
                await pilot.press("end")
                await settle(pilot)
            numbers = shown(app)
            assert len(numbers) == total
            assert len(set(numbers)) == total
            assert app.list_screen.exhausted
            status = str(app.list_screen.query_one("#status").render())
            assert f"{total:,} shown" in status and "more below" not in status

    asyncio.run(scenario())


def test_mouse_wheel_scrolling_loads_the_next_page(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    add_bulk(demo_db, 2 * PAGE_SIZE)

    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert len(shown(app)) == PAGE_SIZE
            app.list_screen.table.scroll_end(animate=False)
            await settle(pilot)
            assert len(shown(app)) > PAGE_SIZE

    asyncio.run(scenario())


def test_the_list_works_in_80_by_24(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            table = app.list_screen.table
            assert shown(app) == BY_NAME
            assert table.virtual_size.width <= table.size.width  # every column fits
            assert table.size.height >= 10
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, CustomerDetailScreen)

    asyncio.run(scenario())
