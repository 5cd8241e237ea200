"""Tables that are not customer data: users, the audit log, counters, saved selections."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class AppUser(SQLModel, table=True):
    """A person who uses kk; `admin` may restore, erase and manage users."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    role: str
    created_at: str


class AuditEntry(SQLModel, table=True):
    """One changed field (or one action) by one user at one time."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: str
    user: str
    entity: str
    entity_id: str
    customer_id: int | None = Field(default=None, index=True)
    action: str
    field: str | None = None
    old: str | None = None
    new: str | None = None


class Counter(SQLModel, table=True):
    """The last number handed out per sequence; numbers are never reused."""

    __tablename__ = "counter"

    name: str = Field(primary_key=True)
    value: int = 0


class Selection(SQLModel, table=True):
    """A saved filter expression (Selektion)."""

    __tablename__ = "selection"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    expression: str
    created_at: str
    created_by: str | None = None
