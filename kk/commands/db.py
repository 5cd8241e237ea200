"""`kk db upgrade|check|backup|reindex`: keeping the database file healthy."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Database maintenance.")


@app.command()
def upgrade() -> None:
    """Bring the database to this kk's schema (a backup is taken first)."""
    from kk import context, db

    path = context.db_path()
    db.ensure_current(path)
    sys.stdout.write(f"{path}: schema {db.SCHEMA_HEAD}\n")


@app.command()
def check() -> None:
    """integrity_check and foreign_key_check; exit 1 on any problem."""
    from kk import context, db
    from kk.errors import KkError

    path = context.db_path()
    problems = db.check(path)
    for problem in problems:
        sys.stderr.write(problem + "\n")
    if problems:
        raise KkError(f"{path}: {len(problems)} problem(s) found")
    sys.stdout.write(f"{path}: ok\n")


@app.command()
def backup(target: Annotated[Path, typer.Argument(help="File to write the copy to.")]) -> None:
    """Copy the live database with SQLite's online backup API."""
    from kk import context, db

    source = context.db_path()
    db.ensure_current(source)
    db.backup(source, target)
    sys.stdout.write(f"{target}\n")


@app.command()
def reindex() -> None:
    """Rebuild the search index from the customer rows."""
    from contextlib import closing

    from kk import context, db
    from kk.services import search_index

    with closing(db.connect(context.db_path())) as connection, db.immediate(connection):
        search_index.rebuild(connection)
