"""Activities: calls, emails, meetings, letters, tasks; open until done.

Lists put what needs doing first: overdue ones (oldest due first), then open ones by due
date, open ones without a date, and last the done ones (most recently done first). The
order is a computed key (group, seconds) so lists stay keyset-paged like every other list.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from kk.clock import now_iso
from kk.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kk.services import audit, queries
from kk.services.record_base import (
    date_or_datetime,
    decode_token,
    dicts,
    encode_token,
    require_writable,
    text,
    today,
    touch,
    transaction,
    writable_customer,
)
from kk.services.users import Actor

KINDS = ("call", "email", "meeting", "letter", "task", "other")
#: The JSON keys of an activity, in output order (scripts depend on them).
ACTIVITY_KEYS = (
    "id", "customer", "name", "kind", "status", "due", "done_at", "assignee", "author",
    "description", "person", "person_name", "overdue", "created_at", "updated_at",
)  # fmt: skip
#: Fields `edit` may change; None clears description, assignee, person and due.
FIELDS = ("name", "description", "kind", "assignee", "person", "due")

_GROUP = (
    "CASE WHEN a.done_at IS NOT NULL THEN 3 WHEN a.due IS NULL THEN 2 "
    "WHEN (length(a.due) = 10 AND a.due < :today) OR (length(a.due) > 10 AND a.due < :now) "
    "THEN 0 ELSE 1 END"
)
_KEY = (
    "CASE WHEN a.done_at IS NOT NULL THEN -CAST(strftime('%s', a.done_at) AS INTEGER) "
    "WHEN a.due IS NULL THEN 0 ELSE CAST(strftime('%s', a.due) AS INTEGER) END"
)
_INNER = (
    "SELECT a.id AS id, c.number AS customer, a.name AS name, a.kind AS kind, "
    "CASE WHEN a.done_at IS NULL THEN 'open' ELSE 'done' END AS status, a.due AS due, "
    "a.done_at AS done_at, a.assignee AS assignee, a.author AS author, "
    "a.description AS description, a.person_id AS person, "
    "nullif(trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), '') "
    f"AS person_name, {_GROUP} AS grp, {_KEY} AS sort_key, a.created_at AS created_at, "
    "a.updated_at AS updated_at, a.customer_id AS customer_id, c.archived_at AS archived_at "
    "FROM activity a JOIN customer c ON c.id = a.customer_id "
    "LEFT JOIN contact_person p ON p.id = a.person_id WHERE c.restricted = 0"
)


def _record(row: dict[str, Any]) -> dict[str, Any]:
    record = {key: row.get(key) for key in ACTIVITY_KEYS}
    record["overdue"] = row["grp"] == 0
    return record


def _clock() -> dict[str, str]:
    return {"today": today().isoformat(), "now": now_iso()}


def _name(value: str | None) -> str:
    name = text(value)
    if not name:
        raise ValidationFailed("--name: an activity needs a name", field="name")
    return name


def _kind(value: str | None) -> str:
    kind = (value or "").strip().lower()
    if kind not in KINDS:
        raise ValidationFailed(f"--kind: {value!r} is not one of {', '.join(KINDS)}", field="kind")
    return kind


def _assignee(connection: sqlite3.Connection, value: str | None) -> str | None:
    name = text(value)
    if name is None:
        return None
    if not connection.execute("SELECT 1 FROM app_user WHERE name = ?", (name,)).fetchone():
        raise ValidationFailed(
            f"--assignee: '{name}' is not a kk user (see 'kk user list')", field="assignee"
        )
    return name


def _person(
    connection: sqlite3.Connection, value: int | str | None, customer_id: int, number: str
) -> int | None:
    if value is None or value == "":
        return None
    try:
        person_id = int(value)
    except ValueError:
        raise ValidationFailed(f"--person: {value!r} is not a person id", field="person") from None
    row = connection.execute(
        "SELECT customer_id FROM contact_person WHERE id = ?", (person_id,)
    ).fetchone()
    if row is None or row[0] != customer_id:
        raise ValidationFailed(
            f"--person: {person_id} is not a contact person of {number} "
            f"(see 'kk customer person list {number}')",
            field="person",
        )
    return person_id


def _due(value: str | None) -> str | None:
    cleaned = text(value)
    return date_or_datetime(cleaned, "due") if cleaned else None


def add_activity(
    connection: sqlite3.Connection,
    ref: str,
    *,
    name: str,
    actor: Actor,
    kind: str = "task",
    description: str | None = None,
    assignee: str | None = None,
    person: int | str | None = None,
    due: str | None = None,
) -> int:
    """A new open activity for the customer `ref`; returns its id."""
    values: dict[str, Any] = {
        "name": _name(name),
        "kind": _kind(kind),
        "description": text(description),
        "due": _due(due),
    }
    with transaction(connection):
        cid, customer = writable_customer(connection, ref)
        values["assignee"] = _assignee(connection, assignee)
        values["person_id"] = _person(connection, person, cid, customer["number"])
        stamp = now_iso()
        activity_id = int(connection.execute(
            "INSERT INTO activity (customer_id, name, description, kind, author, assignee, "
            "person_id, due, created_at, updated_at) VALUES (:cid, :name, :description, :kind, "
            ":author, :assignee, :person_id, :due, :at, :at) RETURNING id",
            {**values, "cid": cid, "author": actor.name, "at": stamp},
        ).fetchone()[0])  # fmt: skip
        audit.record(
            connection, user=actor.name, entity="activity", entity_id=activity_id,
            customer_id=cid, action="create",
            changes={k: (None, v) for k, v in values.items() if v is not None},
        )  # fmt: skip
        touch(connection, cid, stamp)
    return activity_id


def get_activity(connection: sqlite3.Connection, activity_id: int) -> dict[str, Any]:
    rows = dicts(connection.execute(f"{_INNER} AND a.id = :id", {**_clock(), "id": activity_id}))
    if not rows:
        raise NotFound(f"no activity {activity_id}")
    return _record(rows[0])


def list_activities(
    connection: sqlite3.Connection,
    ref: str | None = None,
    *,
    status: str | None = None,
    due_before: str | None = None,
    assignee: str | None = None,
    kind: str | None = None,
    limit: int | None = 50,
    after: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Activities of one customer or (active customers) of all, overdue first; one keyset
    page and the next page's token. `status` is open, done or None (both)."""
    where = [_INNER]
    params: dict[str, Any] = _clock()
    if ref is not None:
        params["cid"], _record_ = queries.lookup(connection, ref)
        where.append("a.customer_id = :cid")
    else:
        where.append("c.archived_at IS NULL")
    if status == "open":
        where.append("a.done_at IS NULL")
    elif status == "done":
        where.append("a.done_at IS NOT NULL")
    elif status is not None:
        raise ValidationFailed(f"status '{status}' is not open or done", field="status")
    if due_before:
        from kk.validation import date_value

        params["due_before"] = date_value(due_before, field="due_before").isoformat()
        where.append("a.due < :due_before")
    if assignee:
        params["assignee"] = assignee
        where.append("a.assignee = :assignee")
    if kind:
        params["kind"] = _kind(kind)
        where.append("a.kind = :kind")
    sql = f"SELECT * FROM ({' AND '.join(where)})"
    if after:
        (params["g"], params["k"]), params["last"] = decode_token(after)
        sql += " WHERE (grp, sort_key, id) > (:g, :k, :last)"
    sql += " ORDER BY grp, sort_key, id"
    if limit is not None:
        sql += f" LIMIT {int(limit) + 1}"
    rows = dicts(connection.execute(sql, params))
    token = None
    if limit is not None and len(rows) > limit:
        rows = rows[:limit]
        token = encode_token([rows[-1]["grp"], rows[-1]["sort_key"]], rows[-1]["id"])
    return [_record(r) for r in rows], token


def _current(connection: sqlite3.Connection, activity_id: int) -> dict[str, Any]:
    rows = dicts(connection.execute(
        "SELECT a.*, c.number AS number FROM activity a JOIN customer c "
        "ON c.id = a.customer_id WHERE a.id = ? AND c.restricted = 0", (activity_id,),
    ))  # fmt: skip
    if not rows:
        raise NotFound(f"no activity {activity_id}")
    require_writable(connection, rows[0]["customer_id"])
    return rows[0]


def _write(
    connection: sqlite3.Connection,
    row: Mapping[str, Any],
    changed: dict[str, tuple[Any, Any]],
    action: str,
    actor: Actor,
) -> None:
    stamp = now_iso()
    columns = {"person": "person_id"}
    assignments = ", ".join(f"{columns.get(key, key)} = ?" for key in changed)
    connection.execute(
        f"UPDATE activity SET {assignments}, updated_at = ? WHERE id = ?",
        [new for _old, new in changed.values()] + [stamp, row["id"]],
    )
    audit.record(
        connection, user=actor.name, entity="activity", entity_id=row["id"],
        customer_id=row["customer_id"], action=action, changes=changed,
    )  # fmt: skip
    touch(connection, row["customer_id"], stamp)


def edit_activity(
    connection: sqlite3.Connection, activity_id: int, *, changes: Mapping[str, Any], actor: Actor
) -> None:
    """Change the given fields; None clears description, assignee, person or due."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationFailed(f"unknown activity field(s): {', '.join(sorted(unknown))}")
    with transaction(connection):
        row = _current(connection, activity_id)
        cleaned: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "name":
                cleaned[key] = _name(value)
            elif key == "kind":
                cleaned[key] = _kind(value)
            elif key == "description":
                cleaned[key] = text(value)
            elif key == "assignee":
                cleaned[key] = _assignee(connection, value)
            elif key == "person":
                cleaned[key] = _person(connection, value, row["customer_id"], row["number"])
            else:
                cleaned[key] = _due(value)
        before = {key: row["person_id" if key == "person" else key] for key in cleaned}
        changed = audit.diff(before, cleaned)
        if changed:
            _write(connection, row, changed, "edit", actor)


def mark_done(connection: sqlite3.Connection, activity_id: int, *, actor: Actor) -> None:
    with transaction(connection):
        row = _current(connection, activity_id)
        if row["done_at"]:
            raise Conflict(f"activity {activity_id} is done already")
        _write(connection, row, {"done_at": (None, now_iso())}, "done", actor)


def reopen(connection: sqlite3.Connection, activity_id: int, *, actor: Actor) -> None:
    with transaction(connection):
        row = _current(connection, activity_id)
        if not row["done_at"]:
            raise Conflict(f"activity {activity_id} is open already")
        _write(connection, row, {"done_at": (row["done_at"], None)}, "reopen", actor)


def delete_activity(connection: sqlite3.Connection, activity_id: int, *, actor: Actor) -> None:
    """Delete an activity (its author or an admin); notes about it stay, unlinked."""
    with transaction(connection):
        row = _current(connection, activity_id)
        if row["author"] != actor.name and not actor.is_admin:
            raise PermissionDenied(
                f"only its author ({row['author']}) or an admin may delete activity {activity_id}"
            )
        connection.execute("DELETE FROM activity WHERE id = ?", (activity_id,))
        audit.record(
            connection, user=actor.name, entity="activity", entity_id=activity_id,
            customer_id=row["customer_id"], action="delete",
            changes={"name": (row["name"], None)},
        )  # fmt: skip
        touch(connection, row["customer_id"], now_iso())


def recent_activities(
    connection: sqlite3.Connection, customer_id: int, limit: int
) -> list[dict[str, Any]]:
    """The newest activities of one customer (the customer overview)."""
    rows = dicts(connection.execute(
        f"{_INNER} AND a.customer_id = :cid ORDER BY a.created_at DESC, a.id DESC LIMIT :limit",
        {**_clock(), "cid": customer_id, "limit": limit},
    ))  # fmt: skip
    return [_record(r) for r in rows]
