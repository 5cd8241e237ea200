"""`kk selection save|list|show|run|rename|delete`: saved filters (Selektionen)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kk.commands import listing as ls
from kk.commands._common import FormatOption, WriteFormatOption, reading
from kk.render import emit_list, emit_one, resolve

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Saved filters (Selektionen): save, run, list.",
)

COLUMNS = [("name", "Name"), ("expression", "Expression"), ("created_at", "Created"),
           ("created_by", "By")]  # fmt: skip
Name = Annotated[str, typer.Argument(help="The selection's name.")]


def _written(record: dict[str, str], fmt: object) -> None:
    if resolve(fmt) == "json":  # type: ignore[arg-type]
        emit_one(record, "json", fields=COLUMNS)
    else:
        sys.stdout.write(record["name"] + "\n")


@app.command(cls=ls.ExpressionCommand)
def save(
    name: Name,
    expression: Annotated[
        list[str],
        typer.Argument(
            help="Filter expression as for 'kk customer filter' (checked before it is saved)."
        ),
    ],
    fmt: WriteFormatOption = None,
) -> None:
    """Save a filter expression under a name."""
    from kk.services import selections

    with reading() as (connection, actor):
        record = selections.save(connection, name=name, expression=ls.expression(expression),
                                 actor=actor)  # fmt: skip
    _written(record, fmt)


@app.command("list")
def list_(fmt: FormatOption = None) -> None:
    """Every saved selection with its expression."""
    from kk.services import selections

    with reading() as (connection, _actor):
        rows = selections.list_selections(connection)
    emit_list(rows, resolve(fmt), columns=COLUMNS, keys=[key for key, _ in COLUMNS])


@app.command()
def show(name: Name, fmt: FormatOption = None) -> None:
    """One selection: its expression, who saved it and when."""
    from kk.services import selections

    with reading() as (connection, _actor):
        record = selections.get(connection, name)
    emit_one(record, resolve(fmt), fields=COLUMNS)


@app.command()
def run(
    name: Name,
    sort: ls.SortOpt = ls.Sort.name,
    desc: ls.Desc = False,
    limit: ls.Limit = 50,
    all_rows: ls.AllRows = False,
    after: ls.After = None,
    archived: ls.Archived = False,
    include_archived: ls.IncludeArchived = False,
    fmt: FormatOption = None,
) -> None:
    """The customers of a saved selection (same output and flags as 'kk customer filter')."""
    from kk.services import selections

    mode = ls.archived_mode(archived, include_archived)
    with reading() as (connection, _actor):
        query = selections.selection_query(connection, name, archived=mode, sort=sort.value,
                                           desc=desc)  # fmt: skip
    ls.emit_page(query, fmt, limit, all_rows, after)


@app.command()
def rename(
    old: Annotated[str, typer.Argument(help="The current name.")],
    new: Annotated[str, typer.Argument(help="The new name.")],
    fmt: WriteFormatOption = None,
) -> None:
    """Give a selection another name."""
    from kk.services import selections

    with reading() as (connection, actor):
        record = selections.rename(connection, old=old, new=new, actor=actor)
    _written(record, fmt)


@app.command()
def delete(name: Name) -> None:
    """Delete a selection (no confirmation: it is only a saved filter; audited)."""
    from kk.services import selections

    with reading() as (connection, actor):
        selections.delete(connection, name=name, actor=actor)
