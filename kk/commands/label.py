"""`kk label list`: the labels in use and how many active customers carry each."""

from __future__ import annotations

import typer

from kk.commands._common import FormatOption, reading
from kk.render import emit_list, resolve

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Labels (groups).")


@app.command("list")
def list_(fmt: FormatOption = None) -> None:
    """Every label with its number of active customers."""
    from kk.services import queries

    with reading() as (connection, _actor):
        rows = queries.labels(connection)
    emit_list(rows, resolve(fmt), columns=[("name", "Label"), ("customers", "Customers")])


@app.callback()
def _group() -> None:
    """Labels (groups)."""
