"""The customer detail: overview first, tabs by key, persons, banners."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.widgets import DataTable, Static, TabbedContent

from kk.tui.detail_screen import CustomerDetailScreen
from tests.tui.helpers import ADMIN, USER, settle


def text_of(screen: Any, selector: str) -> str:
    """The plain text a Static shows (rich renderables rendered, styles dropped)."""
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(screen.query_one(selector, Static).content)
    return capture.get()


async def open_first(pilot: Any) -> CustomerDetailScreen:
    """Open CUS-0001 (Müller Maschinenbau) from the list."""
    await settle(pilot)
    pilot.app.list_screen.query_one("#search").value = "cus-0001"
    await settle(pilot)
    await pilot.press("enter")  # the table has the focus, its first row the cursor
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomerDetailScreen)
    return screen


def test_overview_shows_address_contact_statistics_and_hint(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_first(pilot)
            assert screen.query_one("#tabs", TabbedContent).active == "overview"
            card = text_of(screen, "#card")
            for expected in ("Müller Maschinenbau GmbH", "Hauptstraße 1", "01067 Dresden",
                             "info@mueller-maschinen.de", "SLA Gold"):  # fmt: skip
                assert expected in card
            facts = text_of(screen, "#facts")
            assert "DE136695976" in facts and "5.00 %" in facts
            assert "Persons" in facts and "not synced" in facts
            assert "★ SLA Gold" in text_of(screen, "#banner")
            assert "Key account" not in text_of(screen, "#banner")

    asyncio.run(scenario())


def test_number_keys_and_brackets_switch_tabs(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_first(pilot)
            tabs = screen.query_one("#tabs", TabbedContent)
            await pilot.press("2")
            assert tabs.active == "persons"
            persons = screen.query_one("#persons-table", DataTable)
            assert persons.row_count == 2
            assert app.focused is persons
            await pilot.press("right_square_bracket")
            assert tabs.active == "addresses"
            await pilot.press("right_square_bracket")
            assert tabs.active == "bank"
            assert screen.query_one("#bank-table", DataTable).get_row_at(0)[2] == (
                "DE89370400440532013000"
            )
            await pilot.press("8")
            assert tabs.active == "history"
            history = screen.query_one("#history-table", DataTable)
            assert history.row_count > 5
            actions = {history.get_row_at(i)[3] for i in range(history.row_count)}
            assert {"create"} <= actions
            await pilot.press("left_square_bracket")
            assert tabs.active == "orders"
            await pilot.press("1")
            assert tabs.active == "overview"

    asyncio.run(scenario())


def test_an_archived_customer_shows_a_banner_and_offers_restore_to_admins_only(
    make_app: Callable[..., Any],
) -> None:
    async def scenario(actor: Any) -> tuple[str, bool, bool]:
        app = make_app(actor)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.open_customer("8")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CustomerDetailScreen)
            banner = text_of(screen, "#banner")
            restore = screen.check_action("restore", ())
            edit = screen.check_action("edit", ())
            return banner, bool(restore), bool(edit)

    banner, restore, edit = asyncio.run(scenario(ADMIN))
    assert "Archived" in banner and "Insolvenz" in banner and "press u to restore" in banner
    assert restore and not edit
    banner, restore, edit = asyncio.run(scenario(USER))
    assert "only an admin can restore it" in banner
    assert not restore and not edit


def test_an_unknown_number_is_reported_and_the_list_stays(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.open_customer("4711")
            await settle(pilot)
            assert app.screen is app.list_screen
            assert any("no customer CUS-4711" in n.message for n in app._notifications)
            app.open_customer("abc")
            await settle(pilot)
            assert app.screen is app.list_screen
            assert any("is not a customer number" in n.message for n in app._notifications)

    asyncio.run(scenario())
