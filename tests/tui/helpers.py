"""A fixed demo database for the TUI tests and snapshots, and waiting for the app to settle.

The data is built through the services (as a user would), then every timestamp is pinned
with SQL, so screenshots do not change from run to run.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from kk import db
from kk.services.users import Actor

ADMIN = Actor("anna", "admin")
USER = Actor("bob", "user")
STAMP = "2026-03-02T09:30:00+00:00"
ACTIVITY = "2026-03-20T14:00:00+00:00"

CUSTOMERS: list[dict[str, Any]] = [
    {"kind": "company", "company_name": "Müller Maschinenbau GmbH", "street": "Hauptstraße 1",
     "postal_code": "01067", "city": "Dresden", "email": "info@mueller-maschinen.de",
     "phone": "0351 1234567", "vat_id": "DE136695976", "register_number": "HRB 12345 Dresden",
     "discount_percent": "5", "labels": ["SLA Gold", "Key account"],
     "persons": [{"salutation": "Frau", "first_name": "Petra", "last_name": "Müller",
                  "role": "Geschäftsführung", "email": "petra@mueller-maschinen.de"},
                 {"salutation": "Herr", "first_name": "Jonas", "last_name": "Kraus",
                  "role": "Einkauf", "phone": "0351 1234568"}],
     "bank": {"method": "sepa", "holder": "Müller Maschinenbau GmbH",
              "iban": "DE89370400440532013000", "mandate_ref": "M-0001",
              "mandate_date": "2026-01-15"}},
    {"kind": "private", "salutation": "Frau", "first_name": "Jana", "last_name": "Schmidt",
     "street": "Torstraße 12", "postal_code": "10119", "city": "Berlin",
     "email": "jana.schmidt@example.de", "labels": ["VIP"]},
    {"kind": "private", "salutation": "Herr", "first_name": "Lukas", "last_name": "Nüßl",
     "street": "Marienplatz 3", "postal_code": "80331", "city": "München",
     "email": "lukas@nuessl.example"},
    {"kind": "company", "company_name": "Bäckerei Schneider OHG", "street": "Am Markt 5",
     "postal_code": "04109", "city": "Leipzig", "email": "kontakt@baeckerei-schneider.de",
     "vat_id": "DE812345673", "labels": ["Newsletter"]},
    {"kind": "private", "first_name": "Anna", "last_name": "Becker", "street": "Ringweg 7",
     "postal_code": "20095", "city": "Hamburg", "email": "anna.becker@example.de"},
    {"kind": "company", "company_name": "Fischer & Söhne KG", "street": "Hafenstraße 9",
     "postal_code": "28195", "city": "Bremen", "email": "info@fischer-soehne.de",
     "roles": "customer, supplier"},
    {"kind": "private", "first_name": "Ömer", "last_name": "Yılmaz", "street": "Kölner Str. 40",
     "postal_code": "50667", "city": "Köln", "email": "oemer@example.de"},
    {"kind": "company", "company_name": "Zeppelin Reisen GmbH", "street": "Seestraße 2",
     "postal_code": "88045", "city": "Friedrichshafen", "email": "buchung@zeppelin-reisen.de",
     "archive": "Insolvenz"},
]  # fmt: skip


def build_demo(path: Path) -> None:
    """Fill the migrated, empty database at `path` with the demo customers."""
    from kk.services import customer_parts, customers
    from kk.services.users import add_user, resolve_actor

    with closing(db.connect(path)) as connection:
        resolve_actor(connection, ADMIN.name)
        add_user(connection, name=USER.name, role=USER.role, actor=ADMIN)
    with db.write_session(path) as session:
        for spec in CUSTOMERS:
            spec = dict(spec)
            labels = spec.pop("labels", [])
            persons = spec.pop("persons", [])
            bank = spec.pop("bank", None)
            reason = spec.pop("archive", None)
            number = customers.add_customer(session, data=spec, actor=ADMIN, labels=labels).number
            for person in persons:
                customer_parts.add_person(session, number, data=person, actor=ADMIN)
            if bank:
                customer_parts.add_bank_account(session, number, data=bank, actor=ADMIN)
            if reason:
                customers.archive_customer(session, number, reason=reason, actor=ADMIN)
    with closing(db.connect(path)) as connection:
        add_records(connection)
    pin_times(path)


def add_records(connection: sqlite3.Connection) -> None:
    """Notes, activities (open, overdue, done) and a quote for CUS-0001."""
    from kk.services import activities, notes, orders

    notes.add_note(connection, "CUS-0001", text="Rahmenvertrag 2026 verlängert.", actor=ADMIN)
    notes.add_note(connection, "CUS-0001", text="Bittet um Rückruf zum Wartungstermin.",
                   actor=USER)  # fmt: skip
    activities.add_activity(connection, "CUS-0001", name="Wartung Q2 planen", kind="task",
                            due="2099-04-15", assignee="bob", actor=ADMIN)  # fmt: skip
    activities.add_activity(connection, "CUS-0001", name="Angebot nachfassen", kind="call",
                            due="2020-01-10", actor=ADMIN)  # fmt: skip
    done = activities.add_activity(connection, "CUS-0001", name="Erstgespräch", kind="meeting",
                                   due="2019-06-03", actor=ADMIN)  # fmt: skip
    activities.mark_done(connection, done, actor=ADMIN)
    quote = orders.add_order(connection, "CUS-0001", kind="quote", name="Wartungsvertrag 2026",
                             date="2026-03-02", actor=ADMIN)  # fmt: skip
    orders.add_line(connection, quote, text_value="Wartung pauschal", price="1200,00",
                    vat="19", actor=ADMIN)  # fmt: skip


def pin_times(path: Path) -> None:
    """Every timestamp to a constant, so screens look the same in every run."""
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE customer SET created_at = ?, updated_at = ?", (STAMP, STAMP))
        connection.execute(
            "UPDATE customer SET archived_at = ? WHERE archived_at IS NOT NULL", (STAMP,)
        )
        connection.execute("UPDATE customer SET last_activity_at = ? WHERE id = 1", (ACTIVITY,))
        connection.execute("UPDATE audit_entry SET at = ?", (STAMP,))
        connection.execute("UPDATE contact_person SET created_at = ?", (STAMP,))
        connection.execute("UPDATE app_user SET created_at = ?", (STAMP,))
        connection.execute("UPDATE note SET created_at = ?, updated_at = ?", (STAMP, STAMP))
        connection.execute("UPDATE activity SET created_at = ?, updated_at = ?", (STAMP, STAMP))
        connection.execute("UPDATE activity SET done_at = ? WHERE done_at IS NOT NULL", (ACTIVITY,))
        connection.execute("UPDATE sales_order SET created_at = ?, updated_at = ?", (STAMP, STAMP))
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def count(path: Path, sql: str, *params: Any) -> Any:
    """One value from the database, read outside the app."""
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql, params).fetchone()[0]


async def settle(pilot: Pilot[Any], rounds: int = 40) -> None:
    """Wait until no worker runs and the messages they posted are handled."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(not worker.is_finished for worker in app.workers)
        if not busy:
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError("the app did not settle")


def add_bulk(path: Path, n: int) -> None:
    """`n` more customers by plain SQL (fast), indexed for search afterwards."""
    from kk.services import search_index

    with closing(sqlite3.connect(path)) as connection:
        last = connection.execute("SELECT max(id) FROM customer").fetchone()[0] or 0
        rows = [
            (i, f"CUS-{i:04d}", "private", f"Kunde{i:05d}", "Bulk", f"Bulk, Kunde{i:05d}",
             f"bulk, kunde{i:05d}", "Teststadt", "DE", STAMP, STAMP)
            for i in range(last + 1, last + n + 1)
        ]  # fmt: skip
        connection.executemany(
            "INSERT INTO customer (id, number, kind, first_name, last_name, display_name, "
            "sort_key, city, country, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        connection.execute("UPDATE counter SET value = ? WHERE name = 'customer'", (last + n,))
        search_index.index_after(connection, last)
        connection.commit()


def shown(app: Any) -> list[str]:
    """The customer numbers in the list's table, top to bottom."""
    return list(app.list_screen.table.numbers())
