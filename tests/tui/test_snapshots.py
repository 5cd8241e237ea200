"""How the screens look, at 100×30 on the pinned demo database (SVG snapshots).

Update with `pytest tests/tui/test_snapshots.py --snapshot-update`, and only after looking
at the report: a snapshot is a promise about the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.tui.helpers import settle

SIZE = (100, 30)


async def steady(pilot: Pilot[Any]) -> None:
    """Settle and stop cursors blinking, so two runs draw the same picture."""
    await settle(pilot)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()


def test_list(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steady)


def test_list_searching_light_80x24(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("slash", *"gmbh")
        await steady(pilot)

    assert snap_compare(make_app(theme="light"), terminal_size=(80, 24), run_before=run_before)


def test_detail_overview(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.open_customer("1")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_detail_activities(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.open_customer("1")
        await settle(pilot)
        await pilot.press("6")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_detail_archived(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.open_customer("8")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_customer_form_with_an_error_at_the_field(
    snap_compare: Any, make_app: Callable[..., Any]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = pilot.app.screen
        form.query_one("#field-company_name", Input).value = "Hanse Kontor GmbH"
        form.query_one("#field-vat_id", Input).value = "DE136695977"
        await pilot.press("ctrl+s")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_archive_dialog(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("a")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
