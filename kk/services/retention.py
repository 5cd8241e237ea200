"""How long commercial and tax law makes kk keep a customer's quotes, orders and invoices.

§ 147 AO and § 257 HGB: invoices (booking records) 8 years — shortened from 10 by the
Viertes Bürokratieentlastungsgesetz (BEG IV) for all periods running on 1 January 2025 —,
business letters (sent quotes, order confirmations) 6 years, each counted from the end of the
calendar year in which the
record came into being (§ 147 Abs. 4 AO, § 257 Abs. 5 HGB). A draft quote was never sent:
it is no business letter and nothing keeps it. The one copy of these rules: erasure, the
`kk dsgvo due` list and the documentation all read them from here.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    years: int
    reason: str


#: (kind, status or None for any status) → rule; the first match wins.
RULES: tuple[tuple[str, str | None, Rule | None], ...] = (
    ("invoice", None, Rule(8, "invoice (booking record): § 147 Abs. 1 Nr. 4, Abs. 3 AO, "
                              "§ 257 Abs. 1 Nr. 4, Abs. 4 HGB, 8 years")),
    ("order", None, Rule(6, "order confirmation (business letter): § 147 Abs. 1 Nr. 2-3 AO, "
                            "§ 257 Abs. 1 Nr. 2-3 HGB, 6 years")),
    ("quote", "draft", None),
    ("quote", None, Rule(6, "sent quote (business letter): § 147 Abs. 1 Nr. 2-3 AO, "
                            "§ 257 Abs. 1 Nr. 2-3 HGB, 6 years")),
)  # fmt: skip


def rule(kind: str, status: str | None) -> Rule | None:
    """The retention rule of a record, or None when nothing makes kk keep it."""
    for rule_kind, rule_status, found in RULES:
        if rule_kind == kind and rule_status in (None, status):
            return found
    return None


def start_year(booking_date: str, issued_at: str | None = None) -> int:
    """The year the record came into being: its booking date, or a later issue date."""
    dates = [booking_date[:10]] + ([issued_at[:10]] if issued_at else [])
    return int(max(dates)[:4])


def keep_until(
    kind: str, status: str | None, booking_date: str, issued_at: str | None = None
) -> dt.date | None:
    """The last day a record must be kept (31 December), or None if it need not be."""
    found = rule(kind, status)
    if found is None:
        return None
    return dt.date(start_year(booking_date, issued_at) + found.years, 12, 31)


def _keep_until_sql(
    kind: str, status: str | None, booking_date: str, issued_at: str | None
) -> str | None:
    until = keep_until(kind, status, booking_date, issued_at)
    return until.isoformat() if until else None


def register_functions(connection: sqlite3.Connection) -> None:
    """`kk_keep_until(kind, status, booking_date, issued_at)` for set-based queries."""
    connection.create_function("kk_keep_until", 4, _keep_until_sql, deterministic=True)


def due(connection: sqlite3.Connection, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Customers that may be erased now: archived ones with no record left to keep, and
    erased (anonymised) ones whose kept records have all run out."""
    register_functions(connection)
    day = (today or dt.date.today()).isoformat()
    rows = connection.execute(
        "SELECT c.number, c.display_name, c.archived_at, c.erased_at, "
        "max(kk_keep_until(o.kind, o.status, o.booking_date, o.issued_at)) AS keep_until "
        "FROM customer c LEFT JOIN sales_order o ON o.customer_id = c.id "
        "WHERE c.erased_at IS NOT NULL OR (c.archived_at IS NOT NULL AND c.restricted = 0) "
        "GROUP BY c.id HAVING keep_until IS NULL OR keep_until < ? ORDER BY c.id",
        (day,),
    )
    return [
        {
            "number": number,
            "display_name": name,
            "state": "anonymised" if erased_at else "archived",
            "archived_at": archived_at,
            "erased_at": erased_at,
            "keep_until": until,
        }
        for number, name, archived_at, erased_at, until in rows
    ]
