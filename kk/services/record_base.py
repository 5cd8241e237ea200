"""What the record services (notes, activities, products, orders) share: one write
transaction on a stdlib connection, the customer a record may be written for, keeping
`customer.last_activity_at` current, dates typed the ISO or the German way, and keyset tokens.

Stdlib only, like kk.services.queries: `kk note list` and `kk order show` stay on the fast
read path, and the writes are plain SQL in one `BEGIN IMMEDIATE` transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from kk.errors import Conflict, NotFound, ValidationFailed
from kk.services import queries


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction (BEGIN IMMEDIATE); joins one that is open already (a session's)."""
    if connection.in_transaction:
        yield connection
        return
    from kk.db import immediate

    with immediate(connection):
        yield connection


def dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def text(value: str | None) -> str | None:
    """Stripped text, None for nothing (never "")."""
    stripped = (value or "").strip()
    return stripped or None


def archived_conflict(number: str) -> Conflict:
    return Conflict(f"{number} is archived: an admin must restore it before it can be changed")


def writable_customer(connection: sqlite3.Connection, ref: str) -> tuple[int, dict[str, Any]]:
    """(id, record) of a customer that may get new records: it exists and is not archived."""
    cid, record = queries.lookup(connection, ref)
    if record["archived"]:
        raise archived_conflict(record["number"])
    return cid, record


def require_writable(connection: sqlite3.Connection, customer_id: int) -> str:
    """The number of the customer owning a record that is about to change."""
    row = connection.execute(
        "SELECT number, archived_at FROM customer WHERE id = ?", (customer_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"no customer with id {customer_id}")
    if row[1]:
        raise archived_conflict(row[0])
    return str(row[0])


def touch(connection: sqlite3.Connection, customer_id: int, stamp: str) -> None:
    """Something happened with the customer: the overview's 'last activity'."""
    connection.execute(
        "UPDATE customer SET last_activity_at = ? WHERE id = ? "
        "AND (last_activity_at IS NULL OR last_activity_at < ?)",
        (stamp, customer_id, stamp),
    )


def today() -> dt.date:
    """Today in the user's time zone (dates are typed and printed locally)."""
    return dt.datetime.now().astimezone().date()


def utc_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


_TIME = re.compile(r"^(.+?)[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$")


def date_or_datetime(value: str, field: str) -> str:
    """`2026-12-01` / `01.12.2026` stay a date; with a time (`… 14:30`, local) → UTC ISO."""
    from kk import validation

    raw = value.strip()
    match = _TIME.match(raw)
    if not match:
        return validation.date_value(raw, field=field).isoformat()
    day = validation.date_value(match.group(1), field=field)
    hour, minute, second = int(match.group(2)), int(match.group(3)), int(match.group(4) or 0)
    try:
        moment = dt.datetime(day.year, day.month, day.day, hour, minute, second)
    except ValueError:
        raise ValidationFailed(
            f"{validation.flag(field)}: {value!r} is not a valid time", field=field
        ) from None
    return utc_iso(moment.astimezone())


def since_stamp(value: str, field: str = "since") -> str:
    """A lower bound for stored UTC stamps: a date means local midnight of that day."""
    from kk import validation

    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        day = validation.date_value(value, field=field)
        moment = dt.datetime(day.year, day.month, day.day)
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return utc_iso(moment)


def plain(value: Decimal) -> str:
    """A Decimal as JSON wants it: `3`, `1.5`, `95.00` (never `1E+1`)."""
    return format(value, "f")


def money(value: Decimal) -> str:
    """An amount in cents as a decimal string, `1234.56`."""
    return format(value.quantize(Decimal("0.01")), "f")


def rate(value: Decimal | str) -> str:
    """A VAT rate as `19`, `7`, `0`."""
    return format(Decimal(value).normalize(), "f")


def encode_token(value: Any, row_id: int) -> str:
    return queries.encode_token(value, row_id)


def decode_token(token: str) -> tuple[Any, int]:
    return queries.decode_token(token)
