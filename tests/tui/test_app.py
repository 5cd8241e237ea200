"""App-wide: the command palette, the help screen, themes, go to number."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.widgets import Static

from kk.tui.detail_screen import CustomerDetailScreen
from kk.tui.dialogs import NumberDialog
from kk.tui.forms import CustomerForm
from kk.tui.help_screen import HelpScreen
from tests.tui.helpers import settle


def test_palette_offers_new_customer(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"new customer")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, CustomerForm)

    asyncio.run(scenario())


def test_palette_goes_to_a_typed_number(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"cus-3")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, CustomerDetailScreen)
            assert app.screen.number == "CUS-0003"

    asyncio.run(scenario())


def test_g_asks_for_a_number_and_opens_it(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("g")
            await settle(pilot)
            assert isinstance(app.screen, NumberDialog)
            await pilot.press("5", "enter")
            await settle(pilot)
            assert isinstance(app.screen, CustomerDetailScreen)
            assert app.screen.number == "CUS-0005"

    asyncio.run(scenario())


def test_help_lists_the_keys_of_every_screen(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            console = Console(width=120, file=io.StringIO(), color_system=None)
            with console.capture() as capture:
                console.print(app.screen.query_one("#help-keys", Static).content)
            text = capture.get()
            for expected in ("Customer list", "Customer detail", "Forms", "Archive", "Restore",
                             "Save", "Command palette", "activity done"):  # fmt: skip
                assert expected in text
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is app.list_screen

    asyncio.run(scenario())


def test_ctrl_t_switches_between_dark_and_light(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app(theme="light")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert app.theme == "textual-light"
            await pilot.press("ctrl+t")
            assert app.theme == "textual-dark"

    asyncio.run(scenario())
