"""Users and roles. The acting user of the command that creates a database becomes its
first admin; after that, unknown users are refused."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from kk.clock import now_iso
from kk.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kk.services import audit

ROLES = ("admin", "user")


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the services see it."""

    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def resolve_actor(connection: sqlite3.Connection, name: str) -> Actor:
    """The acting user; on a database without users it becomes the first admin."""
    row = connection.execute("SELECT role FROM app_user WHERE name = ?", (name,)).fetchone()
    if row:
        return Actor(name, row[0])
    connection.execute("BEGIN IMMEDIATE")
    try:
        if connection.execute("SELECT 1 FROM app_user LIMIT 1").fetchone() is None:
            _insert(connection, name, "admin", by=name)
            connection.execute("COMMIT")
            return Actor(name, "admin")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("ROLLBACK")
    raise PermissionDenied(f"unknown user '{name}': an admin can add it with 'kk user add {name}'")


def require_admin(actor: Actor, what: str) -> None:
    if not actor.is_admin:
        raise PermissionDenied(f"only admins may {what} ('{actor.name}' is a {actor.role})")


def _insert(connection: sqlite3.Connection, name: str, role: str, *, by: str) -> None:
    connection.execute(
        "INSERT INTO app_user (name, role, created_at) VALUES (?, ?, ?)", (name, role, now_iso())
    )
    audit.record(
        connection,
        user=by,
        entity="user",
        entity_id=name,
        action="create",
        changes={"role": (None, role)},
    )


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationFailed(f"--role: '{role}' is not one of admin, user", field="role")
    return role


def add_user(connection: sqlite3.Connection, *, name: str, role: str, actor: Actor) -> None:
    """Add a user (admins only)."""
    from kk.db import immediate

    with immediate(connection):
        _add_user(connection, name=name, role=role, actor=actor)


def _add_user(connection: sqlite3.Connection, *, name: str, role: str, actor: Actor) -> None:
    require_admin(actor, "add users")
    _check_role(role)
    name = name.strip()
    if not name:
        raise ValidationFailed("NAME: a user needs a name", field="name")
    if connection.execute("SELECT 1 FROM app_user WHERE name = ?", (name,)).fetchone():
        raise Conflict(f"user '{name}' exists already")
    _insert(connection, name, role, by=actor.name)


def set_role(connection: sqlite3.Connection, *, name: str, role: str, actor: Actor) -> None:
    """Change a user's role (admins only); the last admin stays an admin."""
    from kk.db import immediate

    with immediate(connection):
        _set_role(connection, name=name, role=role, actor=actor)


def _set_role(connection: sqlite3.Connection, *, name: str, role: str, actor: Actor) -> None:
    require_admin(actor, "change roles")
    _check_role(role)
    row = connection.execute("SELECT role FROM app_user WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise NotFound(f"no user '{name}'")
    if row[0] == "admin" and role != "admin":
        admins = connection.execute("SELECT count(*) FROM app_user WHERE role = 'admin'")
        if admins.fetchone()[0] == 1:
            raise Conflict(f"'{name}' is the last admin; make another user admin first")
    connection.execute("UPDATE app_user SET role = ? WHERE name = ?", (role, name))
    audit.record(
        connection,
        user=actor.name,
        entity="user",
        entity_id=name,
        action="role",
        changes={"role": (row[0], role)},
    )


def list_users(connection: sqlite3.Connection) -> list[dict[str, str]]:
    rows = connection.execute("SELECT name, role, created_at FROM app_user ORDER BY name")
    return [{"name": n, "role": r, "created_at": c} for n, r, c in rows]
