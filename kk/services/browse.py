"""Read queries the full-screen browser needs beyond the CLI's: the statistics and sync
state on a customer's overview, and which labels deserve a hint banner.

Stdlib sqlite3 only (the TUI's read path must not import SQLModel); the TUI calls these
from worker threads, each with its own connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

#: Label prefixes that mean "look here first" (service levels, key accounts, warnings).
HINT_PREFIXES = ("sla", "vip", "achtung", "wichtig", "mahnstopp", "liefersperre")

_COUNTS = {
    "persons": "SELECT count(*) FROM contact_person WHERE customer_id = ?",
    "addresses": "SELECT count(*) FROM address WHERE customer_id = ?",
    "bank_accounts": "SELECT count(*) FROM bank_account WHERE customer_id = ?",
    "notes": "SELECT count(*) FROM note WHERE customer_id = ?",
    "activities_open": "SELECT count(*) FROM activity WHERE customer_id = ? AND done_at IS NULL",
    "activities_done": (
        "SELECT count(*) FROM activity WHERE customer_id = ? AND done_at IS NOT NULL"
    ),
    "orders": "SELECT count(*) FROM sales_order WHERE customer_id = ?",
    "documents": "SELECT count(*) FROM document WHERE customer_id = ?",
}


def customer_stats(connection: sqlite3.Connection, customer_id: int) -> dict[str, Any]:
    """Counts of the records hanging off a customer and its Microsoft 365 sync state.

    Keys: persons, addresses, bank_accounts, notes, activities_open, activities_done,
    orders, documents (ints) and m365_status, m365_last_sync, m365_last_error (None when
    the customer was never synced).
    """
    stats: dict[str, Any] = {
        key: int(connection.execute(sql, (customer_id,)).fetchone()[0])
        for key, sql in _COUNTS.items()
    }
    row = connection.execute(
        "SELECT m365_status, m365_last_sync, m365_last_error FROM customer WHERE id = ?",
        (customer_id,),
    ).fetchone()
    status, last_sync, last_error = row if row else (None, None, None)
    stats.update(m365_status=status, m365_last_sync=last_sync, m365_last_error=last_error)
    return stats


def hint_labels(labels: Iterable[str]) -> list[str]:
    """The labels to show in a banner above a customer (e.g. 'SLA Gold', 'VIP')."""
    return [label for label in labels if label.casefold().startswith(HINT_PREFIXES)]
