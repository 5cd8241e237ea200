"""Notes on customers: add, list, show, edit, delete.

A note belongs to a customer and may also point to one of its orders or activities; a note
added to an order is linked to both. Its author may edit or delete it, and so may an admin.
Every change is audited on the customer's trail and counts as the customer's last activity.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from kk.clock import now_iso
from kk.errors import NotFound, PermissionDenied, ValidationFailed
from kk.services import audit, order_read, queries
from kk.services.record_base import (
    decode_token,
    dicts,
    encode_token,
    require_writable,
    since_stamp,
    touch,
    transaction,
    writable_customer,
)
from kk.services.users import Actor

#: The JSON keys of a note, in output order (scripts depend on them).
NOTE_KEYS = ("id", "customer", "text", "author", "created_at", "updated_at", "order", "activity")

_SELECT = (
    "SELECT n.id AS id, c.number AS customer, n.text AS text, n.author AS author, "
    'n.created_at AS created_at, n.updated_at AS updated_at, o.number AS "order", '
    "n.activity_id AS activity FROM note n JOIN customer c ON c.id = n.customer_id "
    "LEFT JOIN sales_order o ON o.id = n.order_id WHERE c.restricted = 0"
)


def _clean_text(value: str | None) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise ValidationFailed("TEXT: a note must not be empty", field="text")
    return cleaned


def _activity_of(connection: sqlite3.Connection, activity_id: int, customer_id: int) -> int:
    row = connection.execute(
        "SELECT customer_id FROM activity WHERE id = ?", (activity_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"--activity: no activity {activity_id}")
    if row[0] != customer_id:
        raise ValidationFailed(
            f"--activity: activity {activity_id} belongs to another customer", field="activity"
        )
    return activity_id


def add_note(
    connection: sqlite3.Connection,
    ref: str,
    *,
    text: str,
    actor: Actor,
    order: str | None = None,
    activity: int | None = None,
) -> int:
    """A note on the customer `ref` (or on the order `ref`, and so on its customer)."""
    body = _clean_text(text)
    with transaction(connection):
        if order_read.is_order_number(ref):
            if order is not None and order_read.canonical(order) != order_read.canonical(ref):
                raise ValidationFailed(
                    f"--order: {order} differs from {ref}; give the order once", field="order"
                )
            order = ref
            found = order_read.find(connection, ref)
            cid, customer = writable_customer(connection, found["customer"])
        else:
            cid, customer = writable_customer(connection, ref)
        order_id = None
        if order is not None:
            found = order_read.find(connection, order)
            if found["customer_id"] != cid:
                raise ValidationFailed(
                    f"--order: {found['number']} belongs to {found['customer']}, "
                    f"not {customer['number']}",
                    field="order",
                )
            order_id = found["id"]
        activity_id = _activity_of(connection, activity, cid) if activity is not None else None
        stamp = now_iso()
        note_id = int(connection.execute(
            "INSERT INTO note (customer_id, order_id, activity_id, text, author, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (cid, order_id, activity_id, body, actor.name, stamp, stamp),
        ).fetchone()[0])  # fmt: skip
        changes: dict[str, tuple[Any, Any]] = {"text": (None, body)}
        if order_id is not None:
            changes["order"] = (None, order_read.canonical(order or ""))
        if activity_id is not None:
            changes["activity"] = (None, activity_id)
        audit.record(
            connection, user=actor.name, entity="note", entity_id=note_id, customer_id=cid,
            action="create", changes=changes,
        )  # fmt: skip
        touch(connection, cid, stamp)
    return note_id


def get_note(connection: sqlite3.Connection, note_id: int) -> dict[str, Any]:
    rows = dicts(connection.execute(f"{_SELECT} AND n.id = ?", (note_id,)))
    if not rows:
        raise NotFound(f"no note {note_id}")
    return rows[0]


def list_notes(
    connection: sqlite3.Connection,
    ref: str | None = None,
    *,
    author: str | None = None,
    since: str | None = None,
    order: str | None = None,
    limit: int | None = 50,
    after: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Notes, newest first, of one customer or (active customers) of all; one keyset page
    and the token of the next (None on the last page; `limit=None` gives every row)."""
    sql = _SELECT
    params: list[Any] = []
    if ref is not None:
        cid, _record = queries.lookup(connection, ref)
        sql += " AND n.customer_id = ?"
        params.append(cid)
    else:
        sql += " AND c.archived_at IS NULL"
    if author:
        sql += " AND n.author = ?"
        params.append(author)
    if since:
        sql += " AND n.created_at >= ?"
        params.append(since_stamp(since))
    if order:
        sql += " AND n.order_id = ?"
        params.append(order_read.find(connection, order)["id"])
    if after:
        stamp, last_id = decode_token(after)
        sql += " AND (n.created_at, n.id) < (?, ?)"
        params += [stamp, last_id]
    sql += " ORDER BY n.created_at DESC, n.id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit) + 1}"
    rows = dicts(connection.execute(sql, params))
    token = None
    if limit is not None and len(rows) > limit:
        rows = rows[:limit]
        token = encode_token(rows[-1]["created_at"], rows[-1]["id"])
    return rows, token


def _owned(
    connection: sqlite3.Connection, note_id: int, actor: Actor, what: str
) -> tuple[int, str]:
    row = connection.execute(
        "SELECT n.customer_id, n.author, n.text FROM note n JOIN customer c "
        "ON c.id = n.customer_id WHERE n.id = ? AND c.restricted = 0",
        (note_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no note {note_id}")
    if row[1] != actor.name and not actor.is_admin:
        raise PermissionDenied(f"only its author ({row[1]}) or an admin may {what} note {note_id}")
    require_writable(connection, int(row[0]))
    return int(row[0]), str(row[2])


def edit_note(connection: sqlite3.Connection, note_id: int, *, text: str, actor: Actor) -> None:
    """Replace a note's text (its author or an admin)."""
    body = _clean_text(text)
    with transaction(connection):
        cid, old = _owned(connection, note_id, actor, "edit")
        if old == body:
            return
        stamp = now_iso()
        connection.execute(
            "UPDATE note SET text = ?, updated_at = ? WHERE id = ?", (body, stamp, note_id)
        )
        audit.record(
            connection, user=actor.name, entity="note", entity_id=note_id, customer_id=cid,
            action="edit", changes={"text": (old, body)},
        )  # fmt: skip
        touch(connection, cid, stamp)


def delete_note(connection: sqlite3.Connection, note_id: int, *, actor: Actor) -> None:
    """Delete a note (its author or an admin); the audit entry keeps its text."""
    with transaction(connection):
        cid, old = _owned(connection, note_id, actor, "delete")
        connection.execute("DELETE FROM note WHERE id = ?", (note_id,))
        audit.record(
            connection, user=actor.name, entity="note", entity_id=note_id, customer_id=cid,
            action="delete", changes={"text": (old, None)},
        )  # fmt: skip
        touch(connection, cid, now_iso())


def recent_notes(
    connection: sqlite3.Connection, customer_id: int, limit: int
) -> list[dict[str, Any]]:
    """The newest notes of one customer (the customer overview)."""
    return dicts(connection.execute(
        f"{_SELECT} AND n.customer_id = ? ORDER BY n.created_at DESC, n.id DESC LIMIT ?",
        (customer_id, limit),
    ))  # fmt: skip
