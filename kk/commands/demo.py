"""`kk demo`: see kk working on realistic data without any set-up."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(rich_markup_mode=None)


@app.command()
def demo(
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Fill this new file instead of a throw-away one."),
    ] = None,
) -> None:
    """Fill a new throw-away database with ~200 German sample customers and show them.

    Never touches the default database or KK_DB: without --db it writes to a fresh
    temporary folder and prints where.
    """
    from kk import context
    from kk.errors import Conflict

    if db is None:
        db = Path(tempfile.mkdtemp(prefix="kk-demo-")) / "kk.db"
    elif db.exists():
        raise Conflict(f"{db} exists already: kk demo fills only a new database")
    context.set_globals(db=str(db), user=context.user_name())

    from kk.commands._common import writing
    from kk.sample_data import demo_customers
    from kk.services import demo as demo_service

    with writing() as (session, actor):
        numbers = demo_service.fill(session, demo_customers(), actor=actor)

    from kk.commands._common import reading
    from kk.commands.customer import LIST_COLUMNS
    from kk.render import emit_list
    from kk.services import queries

    with reading() as (connection, _actor):
        rows = list(queries.iterate(connection, queries.CustomerQuery()))
    emit_list(rows, "table", columns=LIST_COLUMNS)
    sys.stderr.write(
        f"{len(numbers)} sample customers in {db}\n"
        f"Try:  kk --db {db} customer search müller\n"
        f"      kk --db {db} customer show CUS-0001\n"
    )
