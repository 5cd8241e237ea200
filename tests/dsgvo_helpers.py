"""A data subject with every kind of record, for the DSGVO export and erasure tests.

Notes, activities and orders are inserted with plain SQL: those tests are about what the
export and the erasure do with such rows, not about how they are made.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from tests.conftest import Kk

FIRST, LAST = "Jürgen", "Zwetschgenbaum"
# No other indexed word starts like the surname, so the FTS5 segments store its term whole
# (they compress a term against the one before it): a byte scan then sees it if it stays.
EMAIL = "juergen@obstgarten-test.de"
IBAN = "DE89370400440532013000"
PERSON_EMAIL = "petra.pflaume@obstgarten-test.de"
THIS_YEAR = dt.date.today().year
STAMP = "2026-03-01T10:00:00+00:00"


def connect(db_path: Path) -> closing[sqlite3.Connection]:
    connection = sqlite3.connect(db_path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    return closing(connection)


def add_subject(kk: Kk, tmp_path: Path, *, last: str = LAST, email: str = EMAIL) -> str:
    """A private customer with a person, address, bank account, label, consent, document."""
    number = kk.ok(
        "customer", "add", "--first-name", FIRST, "--last-name", last, "--email", email,
        "--phone", "030 1234567", "--street", "Königstraße 12", "--postal-code", "01067",
        "--city", "Dresden", "--label", "Stammkunde", "--notes", "mag Pflaumen",
    ).strip()  # fmt: skip
    kk.ok("customer", "person", "add", number, "--first-name", "Petra", "--last-name",
          "Pflaume", "--email", PERSON_EMAIL)  # fmt: skip
    kk.ok("customer", "address", "add", number, "--purpose", "delivery", "--street",
          "Lagerweg 3", "--postal-code", "01159", "--city", "Dresden")  # fmt: skip
    kk.ok("customer", "bank", "add", number, "--method", "sepa", "--iban", IBAN,
          "--holder", f"{FIRST} {last}", "--mandate-ref", "M-77")  # fmt: skip
    kk.ok("customer", "consent", number, "--email", "yes", "--source", "Messe Leipzig")
    contract = tmp_path / f"vertrag-{last}.txt"
    contract.write_text(f"Vertrag mit {FIRST} {last}, IBAN {IBAN}\n", encoding="utf-8")
    kk.ok("document", "add", number, str(contract), "--title", "Rahmenvertrag")
    return number


def customer_id(db_path: Path, number: str) -> int:
    with connect(db_path) as connection:
        return int(connection.execute(
            "SELECT id FROM customer WHERE number = ?", (number,)
        ).fetchone()[0])  # fmt: skip


def add_note(db_path: Path, cid: int, text: str) -> None:
    with connect(db_path) as connection:
        connection.execute(
            "INSERT INTO note (customer_id, text, author, created_at, updated_at) "
            "VALUES (?, ?, 'anna', ?, ?)",
            (cid, text, STAMP, STAMP),
        )


def add_activity(db_path: Path, cid: int, name: str) -> None:
    with connect(db_path) as connection:
        connection.execute(
            "INSERT INTO activity (customer_id, name, description, kind, author, due, "
            "created_at, updated_at) VALUES (?, ?, ?, 'call', 'anna', '2026-12-01', ?, ?)",
            (cid, name, f"{FIRST} zurückrufen", STAMP, STAMP),
        )


def add_order(
    db_path: Path, cid: int, number: str, kind: str, status: str, booking_date: str,
    **extra: Any,
) -> int:  # fmt: skip
    """A quote/order/invoice with one line, as the order service would store it."""
    with connect(db_path) as connection:
        columns = {
            "number": number, "kind": kind, "status": status, "customer_id": cid,
            "name": f"Küche {number}", "booking_date": booking_date, "created_at": STAMP,
            "updated_at": STAMP, **extra,
        }  # fmt: skip
        order_id = int(connection.execute(
            f"INSERT INTO sales_order ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))}) RETURNING id",
            list(columns.values()),
        ).fetchone()[0])  # fmt: skip
        connection.execute(
            "INSERT INTO order_line (order_id, position, description, quantity, unit, "
            "unit_price, vat_rate) VALUES (?, 1, 'Einbau Spüle', '2', 'h', '95.00', '19')",
            (order_id,),
        )
        connection.execute(
            "INSERT INTO audit_entry (at, user, entity, entity_id, customer_id, action, field, "
            "old, new) VALUES (?, 'anna', 'order', ?, ?, 'status', 'status', 'open', ?)",
            (STAMP, number, cid, status),
        )
    return order_id


def add_everything(kk: Kk, db_path: Path, tmp_path: Path) -> str:
    """The subject plus a note, an activity, a draft quote, an order and an invoice."""
    number = add_subject(kk, tmp_path)
    cid = customer_id(db_path, number)
    add_note(db_path, cid, "Wünscht Rückruf wegen der Spüle")
    add_activity(db_path, cid, "Rückruf Spüle")
    add_order(db_path, cid, f"AN-{THIS_YEAR}-0001", "quote", "draft", f"{THIS_YEAR}-02-01")
    add_order(db_path, cid, f"AU-{THIS_YEAR}-0001", "order", "open", f"{THIS_YEAR}-02-10")
    add_order(db_path, cid, f"RE-{THIS_YEAR}-0001", "invoice", "open", f"{THIS_YEAR}-03-01",
              service_date=f"{THIS_YEAR}-02-28")  # fmt: skip
    return number


def file_bytes(db_path: Path) -> bytes:
    """The database file and its WAL, as they are on disk."""
    wal = db_path.with_name(db_path.name + "-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def fts_shadow_bytes(db_path: Path) -> bytes:
    """Everything the search index's shadow tables hold (segments, content, sizes), as
    bytes: a deleted row's terms stay in the segments until they are merged."""
    out = []
    with connect(db_path) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'customer_fts_%'"
        )]  # fmt: skip
        assert "customer_fts_data" in tables
        for table in tables:
            for row in connection.execute(f"SELECT * FROM {table}"):
                for value in row:
                    if isinstance(value, bytes):
                        out.append(value)
                    elif value is not None:
                        out.append(str(value).encode())
    return b"\n".join(out)
