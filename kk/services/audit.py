"""The audit log: who changed what, when, from which value to which. Written in the same
transaction as the change it describes."""

from __future__ import annotations

import sqlite3
from typing import Any

from kk.clock import now_iso


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def record(
    connection: sqlite3.Connection,
    *,
    user: str,
    entity: str,
    entity_id: str | int,
    action: str,
    customer_id: int | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> None:
    """One row per changed field, or one row for an action without field changes."""
    at = now_iso()
    rows: list[tuple[str, str, str, str, int | None, str, str | None, str | None, str | None]]
    rows = [
        (at, user, entity, str(entity_id), customer_id, action, field, _text(old), _text(new))
        for field, (old, new) in (changes or {}).items()
    ] or [(at, user, entity, str(entity_id), customer_id, action, None, None, None)]
    connection.executemany(
        "INSERT INTO audit_entry (at, user, entity, entity_id, customer_id, action, field, "
        "old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose values differ, as (old, new)."""
    return {
        key: (before.get(key), value) for key, value in after.items() if before.get(key) != value
    }
