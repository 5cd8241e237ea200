"""Read queries the full-screen browser needs beyond the CLI's: the Microsoft 365 sync
state and document count on a customer's overview, and which labels deserve a banner.

Stdlib sqlite3 only (the TUI's read path must not import SQLModel); the TUI calls these
from worker threads, each with its own connection. The record statistics (notes,
activities, orders, money) are kk.services.overview's, shared with `kk customer show`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

#: Label prefixes that mean "look here first" (service levels, key accounts, warnings).
HINT_PREFIXES = ("sla", "vip", "achtung", "wichtig", "mahnstopp", "liefersperre")


def customer_extras(connection: sqlite3.Connection, customer_id: int) -> dict[str, Any]:
    """The number of documents and the Microsoft 365 sync state of one customer.

    Keys: documents (int), m365_status, m365_last_sync, m365_last_error (None when the
    customer was never synced).
    """
    documents = connection.execute(
        "SELECT count(*) FROM document WHERE customer_id = ?", (customer_id,)
    ).fetchone()[0]
    row = connection.execute(
        "SELECT m365_status, m365_last_sync, m365_last_error FROM customer WHERE id = ?",
        (customer_id,),
    ).fetchone()
    status, last_sync, last_error = row if row else (None, None, None)
    return {
        "documents": int(documents),
        "m365_status": status,
        "m365_last_sync": last_sync,
        "m365_last_error": last_error,
    }


def hint_labels(labels: Iterable[str]) -> list[str]:
    """The labels to show in a banner above a customer (e.g. 'SLA Gold', 'VIP')."""
    return [label for label in labels if label.casefold().startswith(HINT_PREFIXES)]
