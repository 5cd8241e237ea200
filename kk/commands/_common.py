"""What every command shares: the --format option, opening the database as the acting
user, confirmations. Defined once (STYLE.md: shared options are not repeated)."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from kk.errors import KkError
from kk.render import Format

if TYPE_CHECKING:
    from sqlmodel import Session

    from kk.services.users import Actor

FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        envvar="KK_FORMAT",
        case_sensitive=False,
        help="Output format: table, json, jsonl or csv (default: config 'format', else table).",
    ),
]
WriteFormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="json prints the changed object; table prints only its number or id.",
    ),
]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


@contextmanager
def reading() -> Iterator[tuple[sqlite3.Connection, Actor]]:
    """A stdlib connection to the current database and the acting user (fast path)."""
    from kk import context, db
    from kk.services.users import resolve_actor

    with closing(db.connect(context.db_path())) as connection:
        actor = resolve_actor(connection, context.user_name())
        yield connection, actor


@contextmanager
def writing() -> Iterator[tuple[Session, Actor]]:
    """A SQLModel session in one IMMEDIATE transaction, and the acting user."""
    from kk import context, db

    path = context.db_path()
    with reading() as (_connection, actor):
        pass
    with db.write_session(path) as session:
        yield session, actor


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def confirm(question: str, *, yes: bool) -> None:
    """Ask only on a terminal; without one and without --yes, refuse (exit 1)."""
    if yes:
        return
    if not stdin_is_terminal():
        raise KkError(f"{question} — refusing without a terminal; pass --yes to confirm")
    if not typer.confirm(question, default=False, err=True):
        raise KkError("cancelled, nothing changed")
