"""Forms: errors from the services appear at the field; nothing is saved until valid."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, Static

from kk.tui.detail_screen import CustomerDetailScreen
from kk.tui.forms import CustomerForm, PersonForm
from tests.conftest import dump
from tests.tui.helpers import count, settle, shown


async def type_into(pilot: Any, field: str, text: str) -> None:
    """Click into a form field and type, as a user would."""
    widget = pilot.app.screen.query_one(f"#field-{field}", Input)
    widget.focus()
    widget.clear()
    await pilot.press(*text)
    assert widget.value == text


def error_at(screen: Any, field: str) -> str:
    label = screen.query_one(f"#error-{field}", Static)
    return str(label.render()) if label.has_class("-shown") else ""


def test_add_customer_invalid_vat_id_then_valid(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    before = dump(demo_db)

    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, CustomerForm)
            assert form.query_one("#field-kind").is_blank()  # the service derives the kind
            await type_into(pilot, "company_name", "Hanse Kontor GmbH")
            await type_into(pilot, "city", "Lübeck")
            await type_into(pilot, "postal_code", "23552")
            await type_into(pilot, "vat_id", "DE136695977")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is form  # still open
            assert "not a valid VAT ID" in error_at(form, "vat_id")
            assert "--vat-id" not in error_at(form, "vat_id")
            assert form.query_one("#field-vat_id").has_class("-invalid")
            assert app.focused is form.query_one("#field-vat_id")
            assert dump(demo_db) == before  # nothing saved
            await type_into(pilot, "vat_id", "DE 251 234 560")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, CustomerDetailScreen)  # the new customer
            assert app.screen.number == "CUS-0009"

    asyncio.run(scenario())
    assert count(demo_db, "SELECT vat_id FROM customer WHERE number = 'CUS-0009'") == (
        "DE251234560"
    )
    assert count(demo_db, "SELECT count(*) FROM customer") == 9
    assert (
        count(
            demo_db,
            "SELECT count(*) FROM audit_entry WHERE entity_id = 'CUS-0009' AND action = 'create'",
        )
        > 0
    )


def test_a_private_customer_needs_both_names_at_the_right_field(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    before = dump(demo_db)

    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            form = app.screen
            await type_into(pilot, "first_name", "Karl")
            await type_into(pilot, "email", "karl@@example")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert error_at(form, "email")
            assert not error_at(form, "last_name")
            await type_into(pilot, "email", "karl@example.de")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not error_at(form, "email")
            assert "first and a last name" in error_at(form, "last_name")
            await pilot.press("escape")  # cancel
            await settle(pilot)
            assert app.screen is app.list_screen

    asyncio.run(scenario())
    assert dump(demo_db) == before


def test_a_duplicate_vat_id_is_shown_at_the_field(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            form = app.screen
            await type_into(pilot, "company_name", "Doppelt GmbH")
            await type_into(pilot, "vat_id", "DE136695976")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "belongs to CUS-0001" in error_at(form, "vat_id")

    asyncio.run(scenario())
    assert count(demo_db, "SELECT count(*) FROM customer") == 8


def test_edit_from_the_list_updates_the_row_in_place(
    make_app: Callable[..., Any], demo_db: Path
) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("down", "down")
            table = app.list_screen.table
            number = shown(app)[2]
            await pilot.press("e")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, CustomerForm) and form.number == number
            assert form.query_one("#field-city", Input).value  # prefilled
            await type_into(pilot, "city", "Potsdam")
            await type_into(pilot, "labels", "Newsletter, Messe 2026")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is app.list_screen
            assert table.cursor_row == 2
            row = table.cells(number)
            assert row[2] == "Potsdam"
            assert "Messe 2026" in row[4]

    asyncio.run(scenario())
    number = "CUS-0006"  # third by name: Bäckerei, Becker, Fischer
    assert count(demo_db, "SELECT city FROM customer WHERE number = ?", number) == "Potsdam"
    labels = count(
        demo_db,
        "SELECT group_concat(l.name, '|') FROM customer_label cl JOIN label l "
        "ON l.id = cl.label_id WHERE cl.customer_id = 6",
    )
    assert set(labels.split("|")) == {"Newsletter", "Messe 2026"}


def test_editing_nothing_saves_nothing(make_app: Callable[..., Any], demo_db: Path) -> None:
    before = dump(demo_db)

    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("e")
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is app.list_screen

    asyncio.run(scenario())
    assert dump(demo_db) == before


def test_add_and_edit_a_contact_person(make_app: Callable[..., Any], demo_db: Path) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.open_customer("CUS-0004")
            await settle(pilot)
            detail = app.screen
            await pilot.press("p")
            await settle(pilot)
            assert isinstance(app.screen, PersonForm)
            await type_into(pilot, "first_name", "Greta")
            await type_into(pilot, "email", "greta@")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert error_at(app.screen, "email")
            await type_into(pilot, "email", "greta@baeckerei-schneider.de")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is detail
            await pilot.press("2")
            persons = detail.query_one("#persons-table", DataTable)
            assert persons.row_count == 1
            await pilot.press("enter")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, PersonForm)
            assert form.query_one("#field-first_name", Input).value == "Greta"
            await type_into(pilot, "role", "Buchhaltung")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is detail
            assert str(persons.get_row_at(0)[1]) == "Buchhaltung"

    asyncio.run(scenario())
    assert count(demo_db, "SELECT role FROM contact_person WHERE customer_id = 4") == (
        "Buchhaltung"
    )
