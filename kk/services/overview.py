"""The customer overview: what happened with a customer, summed up and most recent first.

`kk customer show` (through kk.services.queries.customer_detail) adds `statistics` and
`recent` to a customer. Money is summed from the totals kk.totals computes, per invoice:

- total_invoiced: every invoice's gross, a cancellation invoice counting negative (so a
  cancelled invoice and its Storno add up to zero);
- total_paid: the invoices with a recorded payment (`paid_at`), refunds negative;
- total_outstanding: the open ones (an open Storno is a refund still due, negative).
total_invoiced = total_paid + total_outstanding.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from typing import Any

from kk.services import activities, notes, order_read
from kk.services.record_base import money

#: The keys of `statistics`, in output order (scripts depend on them).
STATISTICS_KEYS = (
    "notes", "activities_open", "activities_done", "quotes", "orders", "invoices",
    "total_invoiced", "total_paid", "total_outstanding", "last_activity_at",
)  # fmt: skip
#: The keys of `recent`: the newest records of each kind.
RECENT_KEYS = ("notes", "activities", "quotes", "orders", "invoices")
DEFAULT_RECENT = 5


def statistics(connection: sqlite3.Connection, customer_id: int) -> dict[str, Any]:
    counts = connection.execute(
        "SELECT (SELECT count(*) FROM note WHERE customer_id = :id), "
        "(SELECT count(*) FROM activity WHERE customer_id = :id AND done_at IS NULL), "
        "(SELECT count(*) FROM activity WHERE customer_id = :id AND done_at IS NOT NULL), "
        "(SELECT count(*) FROM sales_order WHERE customer_id = :id AND kind = 'quote'), "
        "(SELECT count(*) FROM sales_order WHERE customer_id = :id AND kind = 'order'), "
        "(SELECT count(*) FROM sales_order WHERE customer_id = :id AND kind = 'invoice'), "
        "(SELECT last_activity_at FROM customer WHERE id = :id)",
        {"id": customer_id},
    ).fetchone()
    invoiced = paid = outstanding = Decimal("0.00")
    invoices = order_read.select(
        connection, "o.customer_id = ? AND o.kind = 'invoice'", [customer_id]
    )
    lines = order_read.line_rows(connection, [row["id"] for row in invoices])
    for row in invoices:
        gross = order_read.totals_of(row, lines[row["id"]]).gross_total
        invoiced += gross
        if row["paid_at"]:
            paid += gross
        if row["status"] == "open":
            outstanding += gross
    return {
        "notes": counts[0],
        "activities_open": counts[1],
        "activities_done": counts[2],
        "quotes": counts[3],
        "orders": counts[4],
        "invoices": counts[5],
        "total_invoiced": money(invoiced),
        "total_paid": money(paid),
        "total_outstanding": money(outstanding),
        "last_activity_at": counts[6],
    }


def recent(
    connection: sqlite3.Connection, customer_id: int, limit: int = DEFAULT_RECENT
) -> dict[str, Any]:
    """The newest `limit` notes, activities, quotes, orders and invoices."""
    found: dict[str, Any] = {
        "notes": notes.recent_notes(connection, customer_id, limit),
        "activities": activities.recent_activities(connection, customer_id, limit),
    }
    for kind, key in (("quote", "quotes"), ("order", "orders"), ("invoice", "invoices")):
        rows = order_read.select(
            connection, "o.customer_id = ? AND o.kind = ?", [customer_id, kind], limit=limit
        )
        found[key] = order_read.summaries(connection, rows)
    return found


def customer_overview(
    connection: sqlite3.Connection, customer_id: int, *, recent_limit: int = DEFAULT_RECENT
) -> dict[str, Any]:
    """`statistics` and `recent` of one customer, the way `kk customer show` adds them."""
    return {
        "statistics": statistics(connection, customer_id),
        "recent": recent(connection, customer_id, recent_limit),
    }
