"""DSGVO erasure (Art. 17) that respects the retention duties of § 147 AO and § 257 HGB.

Without records that must be kept, the customer and everything personal linked to it is
removed physically. With such records, they stay (with the recipient block the law
requires), and the master record is anonymised to "Gelöscht CUS-0001" and restricted:
hidden from lists, search and exports, and not editable. Either way the audit trail keeps
that an erasure happened, by whom and when, and loses the erased values.

Deleted rows linger in free pages, in the FTS5 segments and in the WAL file; so after the
commit the index is optimised, the file is rebuilt with VACUUM and the WAL is checkpointed
and truncated: afterwards the erased name, email and IBAN are nowhere in the file's bytes.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from kk.clock import now_iso
from kk.db import immediate
from kk.errors import Conflict, NotFound
from kk.services import audit, documents, numbers, queries, retention, search_index
from kk.services.users import Actor, require_admin
from kk.text import fold

REDACTED = "[gelöscht]"

#: Tables whose rows of the customer are personal data and go in every erasure.
PERSONAL_TABLES = (
    ("notes", "note"),
    ("activities", "activity"),
    ("documents", "document"),
    ("persons", "contact_person"),
    ("addresses", "address"),
    ("bank_accounts", "bank_account"),
    ("consents", "consent"),
    ("labels", "customer_label"),
)

#: Master-record fields cleared when the record is anonymised (the names get the label).
CLEARED_FIELDS = (
    "company_name", "register_number", "vat_id", "tax_number", "salutation", "title",
    "first_name", "last_name", "email", "phone", "mobile", "website", "street", "postal_code",
    "city", "country", "notes", "discount_percent", "archive_reason", "last_activity_at",
    "m365_remote_id", "m365_status", "m365_last_sync", "m365_last_error",
)  # fmt: skip


@dataclass
class Kept:
    id: int
    number: str
    kind: str
    booking_date: str
    reason: str
    keep_until: dt.date

    def as_dict(self) -> dict[str, Any]:
        return {
            "record": self.number,
            "kind": self.kind,
            "booking_date": self.booking_date,
            "reason": self.reason,
            "keep_until": self.keep_until.isoformat(),
        }


@dataclass
class Plan:
    """What an erasure of one customer does; computed alike for --dry-run and for real."""

    customer_id: int
    number: str
    record: dict[str, Any]
    kept: list[Kept] = field(default_factory=list)
    dropped_orders: dict[str, list[int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def anonymise(self) -> bool:
        return bool(self.kept)

    def report(self, *, dry_run: bool) -> dict[str, Any]:
        last = max((k.keep_until for k in self.kept), default=None)
        return {
            "customer": self.number,
            "dry_run": dry_run,
            "erased": not self.anonymise,
            "anonymised": self.anonymise,
            "removed": self.counts,
            "kept": [k.as_dict() for k in self.kept],
            "keep_until": last.isoformat() if last else None,
        }


def _erased_before(connection: sqlite3.Connection, number: str) -> tuple[str, str] | None:
    """(when, by whom) a customer number was erased physically, if it was."""
    row = connection.execute(
        "SELECT at, user FROM audit_entry WHERE customer_id = ? AND entity = 'customer' "
        "AND entity_id = ? AND action = 'erase' ORDER BY id DESC LIMIT 1",
        (numbers.number_value(number), number),
    ).fetchone()
    return (str(row[0]), str(row[1])) if row else None


def _kept_records(connection: sqlite3.Connection, cid: int, today: dt.date) -> tuple[
    list[Kept], dict[str, list[int]]
]:  # fmt: skip
    kept: list[Kept] = []
    dropped: dict[str, list[int]] = {"quotes": [], "orders": [], "invoices": []}
    rows = connection.execute(
        "SELECT id, number, kind, status, booking_date, issued_at FROM sales_order "
        "WHERE customer_id = ? ORDER BY id",
        (cid,),
    )
    for order_id, number, kind, status, booking_date, issued_at in rows:
        until = retention.keep_until(kind, status, booking_date, issued_at)
        found = retention.rule(kind, status)
        if until is not None and found is not None and until >= today:
            kept.append(Kept(order_id, number, kind, booking_date, found.reason, until))
        else:
            dropped[kind + "s"].append(order_id)
    return kept, dropped


def plan_erasure(connection: sqlite3.Connection, ref: str, *, today: dt.date | None = None) -> Plan:
    """What erasing `ref` would do; NotFound/Conflict when there is nothing to erase."""
    day = today or dt.date.today()
    number = numbers.parse_ref(ref)
    row = connection.execute(
        "SELECT id, erased_at FROM customer WHERE number = ?", (number,)
    ).fetchone()
    if row is None:
        erased = _erased_before(connection, number)
        if erased:
            raise NotFound(
                f"{number} was erased already on {erased[0][:10]} by {erased[1]}: "
                "nothing is left to erase"
            )
        raise NotFound(f"no customer {number}")
    cid, erased_at = int(row[0]), row[1]
    kept, dropped = _kept_records(connection, cid, day)
    if erased_at and kept:
        last = max(k.keep_until for k in kept).isoformat()
        raise Conflict(
            f"{number} was erased already on {erased_at[:10]}; what is left are records kept "
            f"by law until {last} (see 'kk dsgvo due'), erase it again after that"
        )
    _cid, record = queries.lookup(connection, number, include_restricted=True)
    plan = Plan(cid, number, record, kept, dropped)
    for key, table in PERSONAL_TABLES:
        plan.counts[key] = int(connection.execute(
            f"SELECT count(*) FROM {table} WHERE customer_id = ?", (cid,)
        ).fetchone()[0])  # fmt: skip
    for key, ids in dropped.items():
        plan.counts[key] = len(ids)
    plan.counts["files"] = int(connection.execute(
        "SELECT count(DISTINCT sha256) FROM document d WHERE customer_id = ? AND NOT EXISTS "
        "(SELECT 1 FROM document o WHERE o.sha256 = d.sha256 AND o.customer_id != ?)",
        (cid, cid),
    ).fetchone()[0])  # fmt: skip
    plan.counts["audit_entries_redacted"] = len(_redactable(connection, plan))
    return plan


def _redactable(connection: sqlite3.Connection, plan: Plan) -> list[int]:
    """Audit entries of the customer holding values, except those about kept records
    (audited under their number; their history is part of the booking record, GoBD)."""
    keep = {k.number for k in plan.kept}
    return [
        int(entry_id)
        for entry_id, entity_id in connection.execute(
            "SELECT id, entity_id FROM audit_entry WHERE customer_id = ? AND action != 'erase' "
            "AND (old IS NOT NULL OR new IS NOT NULL) ORDER BY id",
            (plan.customer_id,),
        )
        if entity_id not in keep
    ]


def _freeze_kept(connection: sqlite3.Connection, plan: Plan) -> None:
    """Kept records keep the recipient block they were sent with (§ 14 Abs. 4 UStG); the
    order service stores it with every record, this fills it where a record has none."""
    from kk.services.orders import recipient_lines

    block = "\n".join(recipient_lines(connection, plan.customer_id)) or None
    for kept in plan.kept:
        connection.execute(
            "UPDATE sales_order SET recipient = coalesce(recipient, ?), customer_vat_id = "
            "CASE WHEN kind = 'invoice' THEN coalesce(customer_vat_id, ?) ELSE customer_vat_id "
            "END WHERE id = ?",
            (block, plan.record["vat_id"], kept.id),
        )


def _drop_orders(connection: sqlite3.Connection, ids: list[int]) -> None:
    if not ids:
        return
    marks = ", ".join("?" * len(ids))
    for column in ("source_id", "cancels_id"):
        connection.execute(
            f"UPDATE sales_order SET {column} = NULL WHERE {column} IN ({marks})", ids
        )
    connection.execute(f"DELETE FROM sales_order WHERE id IN ({marks})", ids)


def _apply(connection: sqlite3.Connection, plan: Plan, actor: Actor) -> list[str]:
    """Carry the plan out inside the open transaction; the document hashes let go."""
    cid = plan.customer_id
    hashes = [
        row[0]
        for row in connection.execute("SELECT sha256 FROM document WHERE customer_id = ?", (cid,))
    ]
    redact = _redactable(connection, plan)
    if plan.anonymise:
        _freeze_kept(connection, plan)
    for table in ("note", "activity", "document"):
        connection.execute(f"DELETE FROM {table} WHERE customer_id = ?", (cid,))
    _drop_orders(connection, [i for ids in plan.dropped_orders.values() for i in ids])
    for _key, table in PERSONAL_TABLES:
        connection.execute(f"DELETE FROM {table} WHERE customer_id = ?", (cid,))
    for start in range(0, len(redact), 500):
        chunk = redact[start : start + 500]
        connection.execute(
            "UPDATE audit_entry SET old = CASE WHEN old IS NULL THEN NULL ELSE ? END, "
            "new = CASE WHEN new IS NULL THEN NULL ELSE ? END "
            f"WHERE id IN ({', '.join('?' * len(chunk))})",
            [REDACTED, REDACTED, *chunk],
        )
    search_index.remove(connection, [cid])
    connection.execute("INSERT INTO customer_fts (customer_fts) VALUES ('optimize')")
    stamp = now_iso()
    if plan.anonymise:
        label = f"Gelöscht {plan.number}"
        names = {"company_name": label} if plan.record["kind"] == "company" else {
            "last_name": label
        }  # fmt: skip
        values: dict[str, Any] = {f: None for f in CLEARED_FIELDS} | names
        values |= {
            "display_name": label, "sort_key": fold(label), "is_template": False,
            "do_not_contact": True, "restricted": True, "erased_at": stamp,
            "updated_at": stamp, "updated_by": actor.name,
        }  # fmt: skip
        assignments = ", ".join(f"{key} = ?" for key in values)
        connection.execute(
            f"UPDATE customer SET {assignments} WHERE id = ?", [*values.values(), cid]
        )
    else:
        connection.execute("DELETE FROM customer WHERE id = ?", (cid,))
    kept = ", ".join(f"{k.number} until {k.keep_until.isoformat()}" for k in plan.kept)
    audit.record(
        connection, user=actor.name, entity="customer", entity_id=plan.number,
        customer_id=cid, action="erase",
        changes={"erasure": (None, "anonymised" if plan.anonymise else "removed")}
        | ({"kept": (None, kept)} if kept else {}),
    )  # fmt: skip
    return hashes


def compact(connection: sqlite3.Connection) -> None:
    """Rebuild the file without free pages and empty the WAL (outside any transaction)."""
    connection.execute("VACUUM")
    busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy and busy[0]:
        # Another process holds a read transaction: wait for it once (busy_timeout) and retry.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def erase_customer(
    connection: sqlite3.Connection,
    ref: str,
    *,
    actor: Actor,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Erase a customer (admins only); the report of what was removed and what was kept.

    `dry_run` plans the same erasure and changes nothing."""
    require_admin(actor, "erase customers")
    if dry_run:
        return plan_erasure(connection, ref, today=today).report(dry_run=True)
    files = documents.files_dir(connection)
    connection.execute("PRAGMA secure_delete = ON")
    with immediate(connection):
        plan = plan_erasure(connection, ref, today=today)
        hashes = _apply(connection, plan, actor)
    documents.prune(connection, files, hashes)
    compact(connection)
    return plan.report(dry_run=False)
