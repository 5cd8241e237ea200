"""Everything the detail screen of one customer shows, gathered from the services in one
worker call, and the table rows each tab shows."""

from __future__ import annotations

import sqlite3
from typing import Any

from rich.text import Text

from kk.clock import local
from kk.services import browse, numbers, queries

HISTORY_LIMIT = 500
#: Notes, activities and orders shown per customer (newest or most urgent first).
RECORDS_LIMIT = 500


def load(connection: sqlite3.Connection, number: str) -> dict[str, Any]:
    """The customer (with persons, addresses, bank accounts, statistics), history, notes,
    activities and orders, each through the service the CLI uses for it."""
    from kk.services import activities, notes, order_read

    record = queries.customer_detail(connection, number, recent=0, records=0)
    customer_id = numbers.number_value(number)
    stats = {
        **record["statistics"],
        **browse.customer_extras(connection, customer_id),
        "persons": len(record["persons"]),
        "addresses": len(record["addresses"]),
        "bank_accounts": len(record["bank_accounts"]),
    }
    return {
        "customer": record,
        "stats": stats,
        "hints": browse.hint_labels(record["labels"]),
        "history": queries.history(connection, customer_id, limit=HISTORY_LIMIT),
        "notes": notes.list_notes(connection, number, limit=RECORDS_LIMIT)[0],
        "activities": activities.list_activities(connection, number, limit=RECORDS_LIMIT)[0],
        "orders": order_read.list_orders(connection, number, limit=RECORDS_LIMIT)[0],
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


#: tab id → [(header, key)] of its table.
TABLES: dict[str, list[tuple[str, str]]] = {
    "persons": [("Name", "name"), ("Role", "role"), ("Email", "email"), ("Phone", "phone")],
    "addresses": [("Purpose", "purpose"), ("Name", "name"), ("Street", "street"),
                  ("PLZ", "postal_code"), ("City", "city"), ("Country", "country")],
    "bank": [("Method", "method"), ("Holder", "holder"), ("IBAN", "iban"), ("BIC", "bic"),
             ("Bank", "bank_name"), ("Mandate", "mandate_ref"), ("Signed", "mandate_date")],
    "notes": [("When", "created_at"), ("Author", "author"), ("Note", "text")],
    "activities": [("Status", "status"), ("Due", "due"), ("Activity", "name"),
                   ("Kind", "kind"), ("Assignee", "assignee")],
    "orders": [("Number", "number"), ("Kind", "kind"), ("Name", "name"),
               ("Status", "status"), ("Date", "booking_date"), ("Gross", "gross_total")],
    "history": [("When", "at"), ("Who", "user"), ("What", "entity"), ("Action", "action"),
                ("Field", "field"), ("Old", "old"), ("New", "new")],
}  # fmt: skip


def person_row(person: dict[str, Any]) -> list[Any]:
    name = " ".join(
        p for p in (person.get("salutation"), person.get("title"), person.get("first_name"),
                    person.get("last_name")) if p
    )  # fmt: skip
    return [name, _text(person.get("role")), _text(person.get("email")),
            _text(person.get("phone"))]  # fmt: skip


def activity_row(activity: dict[str, Any]) -> list[Any]:
    """Open activities in red, done ones in green (the status column and the name)."""
    done = bool(activity.get("done_at"))
    style = "green" if done else "red"
    status = "done" if done else ("overdue" if activity.get("overdue") else "open")
    return [
        Text(status, style=f"bold {style}"),
        _due(activity.get("due")),
        Text(_text(activity.get("name")), style=style),
        _text(activity.get("kind")),
        _text(activity.get("assignee")),
    ]


def _due(value: str | None) -> str:
    """A due date as stored (a day) or a UTC moment shown in local time."""
    if not value:
        return ""
    return value if len(value) == 10 else local(value)


def order_row(order: dict[str, Any]) -> list[Any]:
    gross = Text(_text(order.get("gross_total")), justify="right")
    return [_text(order.get("number")), _text(order.get("kind")), _text(order.get("name")),
            _text(order.get("status")), _text(order.get("booking_date")), gross]  # fmt: skip


def history_row(entry: dict[str, Any]) -> list[Any]:
    return [local(entry["at"]), entry["user"], f"{entry['entity']} {entry['entity_id']}",
            entry["action"], _text(entry["field"]), _text(entry["old"]),
            _text(entry["new"])]  # fmt: skip


def note_row(note: dict[str, Any]) -> list[Any]:
    text = _text(note.get("text")).replace("\n", " ⏎ ")
    return [local(note.get("created_at")), _text(note.get("author")), text]


def rows(tab: str, records: list[dict[str, Any]]) -> list[list[Any]]:
    """The cells of `tab`'s table for the given records."""
    if tab == "persons":
        return [person_row(r) for r in records]
    if tab == "activities":
        return [activity_row(r) for r in records]
    if tab == "history":
        return [history_row(r) for r in records]
    if tab == "notes":
        return [note_row(r) for r in records]
    if tab == "orders":
        return [order_row(r) for r in records]
    return [[_text(r.get(key)) for _header, key in TABLES[tab]] for r in records]
