"""Customer numbers: `CUS-0001`, addressed also as `cus-1` or `1`; allocated in the
writing transaction from a counter row, so they are unique, gap-free per successful insert
and never reused (the counter survives archive and erasure)."""

from __future__ import annotations

import re
import sqlite3

from kk.errors import ValidationFailed

PREFIX = "CUS"
_REF = re.compile(r"^\s*(?:cus-?)?0*(\d{1,9})\s*$", re.IGNORECASE)


def format_number(value: int) -> str:
    return f"{PREFIX}-{value:04d}"


def parse_ref(ref: str) -> str:
    """The canonical number for `CUS-0001`, `cus-1` or `1`."""
    match = _REF.match(ref)
    if not match or int(match.group(1)) == 0:
        raise ValidationFailed(
            f"'{ref}' is not a customer number (write CUS-0001, cus-1 or 1)", field="number"
        )
    return format_number(int(match.group(1)))


def number_value(number: str) -> int:
    return int(parse_ref(number).split("-", 1)[1])


def allocate(connection: sqlite3.Connection, sequence: str = "customer") -> int:
    """The next number of `sequence`; call inside the writing transaction."""
    row = connection.execute(
        "UPDATE counter SET value = value + 1 WHERE name = ? RETURNING value", (sequence,)
    ).fetchone()
    if row is None:
        connection.execute("INSERT INTO counter (name, value) VALUES (?, 1)", (sequence,))
        return 1
    return int(row[0])


def reserve(connection: sqlite3.Connection, value: int, sequence: str = "customer") -> None:
    """Make sure the counter is at least `value` (a number taken over from an import)."""
    connection.execute("UPDATE counter SET value = max(value, ?) WHERE name = ?", (value, sequence))
