"""Saved selections (Selektionen): a filter expression under a name, for the shell, the
export (`--selection NAME`) and the TUI.

An expression is checked with the filter parser before it is saved, so a selection always
runs. Every change is audited (entity `selection`, id = its name). Stdlib sqlite3 only:
saving a selection does not pay the SQLModel import.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from kk.clock import now_iso
from kk.errors import Conflict, NotFound, ValidationFailed
from kk.services import audit, filter_expr
from kk.services.queries import CustomerQuery
from kk.services.users import Actor

KEYS = ("name", "expression", "created_at", "created_by")


def _name(name: str, flag: str = "NAME") -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationFailed(f"{flag}: a selection needs a name", field="name")
    return cleaned


def _row(row: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(KEYS, row, strict=True))


def _find(connection: sqlite3.Connection, name: str) -> dict[str, Any]:
    row = connection.execute(
        f"SELECT {', '.join(KEYS)} FROM selection WHERE name = ?", (_name(name),)
    ).fetchone()
    if row is None:
        raise NotFound(f"no selection '{name}' (see kk selection list)")
    return _row(row)


def save(
    connection: sqlite3.Connection, *, name: str, expression: str, actor: Actor
) -> dict[str, Any]:
    """Save `expression` under `name` (a new name; FilterSyntaxError if it cannot be read)."""
    from kk.db import immediate

    name = _name(name)
    text = expression.strip()
    if not text:
        raise ValidationFailed("EXPR: a selection needs a filter expression", field="expression")
    filter_expr.parse(text)
    with immediate(connection):
        if connection.execute("SELECT 1 FROM selection WHERE name = ?", (name,)).fetchone():
            raise Conflict(f"a selection '{name}' exists already (rename or delete it first)")
        stamp = now_iso()
        connection.execute(
            "INSERT INTO selection (name, expression, created_at, created_by) VALUES (?, ?, ?, ?)",
            (name, text, stamp, actor.name),
        )
        audit.record(
            connection, user=actor.name, entity="selection", entity_id=name, action="create",
            changes={"expression": (None, text)},
        )  # fmt: skip
    return {"name": name, "expression": text, "created_at": stamp, "created_by": actor.name}


def list_selections(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = connection.execute(
        f"SELECT {', '.join(KEYS)} FROM selection ORDER BY name COLLATE NOCASE, name"
    )
    return [_row(row) for row in rows]


def get(connection: sqlite3.Connection, name: str) -> dict[str, Any]:
    """The saved selection `name` (NotFound if there is none)."""
    return _find(connection, name)


def rename(connection: sqlite3.Connection, *, old: str, new: str, actor: Actor) -> dict[str, Any]:
    from kk.db import immediate

    new = _name(new, "NEW")
    with immediate(connection):
        current = _find(connection, old)
        if new == current["name"]:
            return current
        if connection.execute("SELECT 1 FROM selection WHERE name = ?", (new,)).fetchone():
            raise Conflict(f"a selection '{new}' exists already")
        connection.execute("UPDATE selection SET name = ? WHERE name = ?", (new, current["name"]))
        audit.record(
            connection, user=actor.name, entity="selection", entity_id=new, action="rename",
            changes={"name": (current["name"], new)},
        )  # fmt: skip
    return {**current, "name": new}


def delete(connection: sqlite3.Connection, *, name: str, actor: Actor) -> None:
    from kk.db import immediate

    with immediate(connection):
        current = _find(connection, name)
        connection.execute("DELETE FROM selection WHERE name = ?", (current["name"],))
        audit.record(
            connection, user=actor.name, entity="selection", entity_id=current["name"],
            action="delete", changes={"expression": (current["expression"], None)},
        )  # fmt: skip


def selection_query(
    connection: sqlite3.Connection,
    name: str,
    *,
    archived: str = "active",
    sort: str = "name",
    desc: bool = False,
) -> CustomerQuery:
    """The customers of the saved selection `name`, as a query for queries.page/iterate."""
    from kk.services.search import filter_query

    return filter_query(_find(connection, name)["expression"], archived=archived, sort=sort,
                        desc=desc)  # fmt: skip
