"""Notes, activities and orders on the detail screen, through kk's record services."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, TextArea

from kk.tui.detail_screen import CustomerDetailScreen
from kk.tui.forms import ActivityForm, NoteForm
from tests.conftest import dump
from tests.tui.helpers import count, settle


async def detail_of(pilot: Any, number: str) -> CustomerDetailScreen:
    await settle(pilot)
    pilot.app.open_customer(number)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomerDetailScreen)
    return screen


def cells(table: DataTable[Any], column: int) -> list[str]:
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


def test_tabs_show_notes_activities_and_orders(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await detail_of(pilot, "1")
            assert screen.table("notes") is None  # made when first shown
            await pilot.press("5")
            notes = screen.query_one("#notes-table", DataTable)
            assert cells(notes, 2) == ["Bittet um Rückruf zum Wartungstermin.",
                                       "Rahmenvertrag 2026 verlängert."]  # fmt: skip
            await pilot.press("6")
            activities = screen.query_one("#activities-table", DataTable)
            assert cells(activities, 0) == ["overdue", "open", "done"]
            status = activities.get_row_at(0)[0]
            assert "red" in str(status.style)
            assert "green" in str(activities.get_row_at(2)[0].style)
            await pilot.press("7")
            orders = screen.query_one("#orders-table", DataTable)
            assert cells(orders, 0) == ["AN-2026-0001"]
            assert cells(orders, 5) == ["1356.60"]

    asyncio.run(scenario())


def test_add_a_note_empty_is_refused_at_the_field(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await detail_of(pilot, "2")
            await pilot.press("n")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, NoteForm)
            before = dump(demo_db)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert form.query_one("#error-text").has_class("-shown")
            assert dump(demo_db) == before
            await pilot.press(*"Möchte Katalog 2027.")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is screen
            await pilot.press("5")
            notes = screen.query_one("#notes-table", DataTable)
            assert cells(notes, 2) == ["Möchte Katalog 2027."]
            assert cells(notes, 1) == ["anna"]

    asyncio.run(scenario())
    assert count(demo_db, "SELECT text FROM note WHERE customer_id = 2") == "Möchte Katalog 2027."
    assert count(demo_db, "SELECT last_activity_at IS NOT NULL FROM customer WHERE id = 2") == 1


def test_edit_a_note_with_enter(make_app: Callable[..., Any], demo_db: Path) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await detail_of(pilot, "1")
            await pilot.press("5", "down", "enter")  # the older note, by anna
            await settle(pilot)
            form = app.screen
            assert isinstance(form, NoteForm) and form.note_id == 1
            area = form.query_one("#field-text", TextArea)
            area.load_text("Rahmenvertrag bis 2028 verlängert.")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is screen

    asyncio.run(scenario())
    assert count(demo_db, "SELECT text FROM note WHERE id = 1") == (
        "Rahmenvertrag bis 2028 verlängert."
    )


def test_toggle_an_activity_done_and_open_again(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await detail_of(pilot, "1")
            assert not screen.check_action("toggle_done", ())  # only on the Activities tab
            await pilot.press("6")
            activities = screen.query_one("#activities-table", DataTable)
            assert app.focused is activities
            await pilot.press("d")  # the overdue call is done
            await settle(pilot)
            assert sorted(cells(activities, 0)) == ["done", "done", "open"]
            assert count(demo_db, "SELECT done_at IS NOT NULL FROM activity WHERE id = 2") == 1
            row = cells(activities, 2).index("Angebot nachfassen")
            activities.move_cursor(row=row)
            await pilot.press("d")  # and open again
            await settle(pilot)
            assert count(demo_db, "SELECT done_at IS NULL FROM activity WHERE id = 2") == 1

    asyncio.run(scenario())


def test_add_an_activity_with_a_bad_date_then_a_good_one(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await detail_of(pilot, "1")
            await pilot.press("c")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, ActivityForm)
            await pilot.press(*"Messe-Einladung schicken")
            form.query_one("#field-kind").value = "email"
            form.query_one("#field-due").value = "31.02.2099"
            form.query_one("#field-person").value = 2  # Jonas Kraus
            before = dump(demo_db)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert form.query_one("#error-due").has_class("-shown")
            assert dump(demo_db) == before
            form.query_one("#field-due").value = "01.03.2099"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is screen

    asyncio.run(scenario())
    row = count(
        demo_db,
        "SELECT kind || '|' || due || '|' || person_id FROM activity "
        "WHERE name = 'Messe-Einladung schicken'",
    )
    assert row == "email|2099-03-01|2"


def test_records_of_an_archived_customer_cannot_be_added(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await detail_of(pilot, "8")
            for action in ("add_note", "add_activity", "add_person", "edit", "archive"):
                assert not screen.check_action(action, ())
            await pilot.press("n")
            await settle(pilot)
            assert app.screen is screen

    asyncio.run(scenario())
