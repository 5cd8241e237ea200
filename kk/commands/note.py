"""`kk note add|list|show|edit|delete`: notes on customers (and on their orders)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kk.commands import record_options as r
from kk.commands._common import (
    FormatOption,
    WriteFormatOption,
    YesOption,
    confirm,
    reading,
    stdin_is_terminal,
)
from kk.errors import KkError
from kk.render import emit_one, resolve

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Notes on customers.")

COLUMNS = [("id", "Id"), ("customer", "Customer"), ("created_at", "When"),
           ("author", "Author"), ("order", "Order"), ("text", "Note")]  # fmt: skip
FIELDS = [("id", "Id"), ("customer", "Customer"), ("author", "Author"),
          ("created_at", "Created"), ("updated_at", "Updated"), ("order", "Order"),
          ("activity", "Activity"), ("text", "Text")]  # fmt: skip

NoteId = Annotated[int, typer.Argument(help="Note id (see 'kk note list').")]
Text = Annotated[
    str | None,
    typer.Argument(help="The text; '-' reads stdin; left out on a terminal: opens $EDITOR."),
]


def _text(given: str | None, current: str = "") -> str:
    """The note's text from the argument, stdin (`-`) or the user's editor."""
    if given == "-":
        return sys.stdin.read()
    if given is not None:
        return given
    if not stdin_is_terminal():
        raise KkError(
            "TEXT: give the note's text, or '-' to read it from stdin "
            "($EDITOR opens only on a terminal)"
        )
    import click

    edited = click.edit(current)
    if edited is None:
        raise KkError("cancelled: the editor closed without a change, nothing saved")
    return edited


def _show(note_id: int) -> dict[str, object]:
    from kk.services import notes

    with reading() as (connection, _actor):
        return notes.get_note(connection, note_id)


@app.command()
def add(
    ref: Annotated[
        str, typer.Argument(help="Customer number (CUS-0001) or an order number (AU-2026-0001).")
    ],
    text: Text = None,
    order: Annotated[
        str | None, typer.Option("--order", help="Link to this quote/order/invoice.")
    ] = None,
    activity: Annotated[
        int | None, typer.Option("--activity", help="Link to this activity (id).")
    ] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Add a note to a customer (or to an order and its customer); prints its id."""
    from kk.services import notes

    body = _text(text)
    with reading() as (connection, actor):
        note_id = notes.add_note(
            connection, ref, text=body, actor=actor, order=order, activity=activity
        )
    r.written(note_id, resolve(fmt), lambda: _show(note_id))


@app.command("list")
def list_(
    ref: r.CustomerRef = None,
    author: Annotated[str | None, typer.Option("--author", help="Only this author's.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Written on or after (2026-11-01, 01.11.2026).")
    ] = None,
    order: Annotated[str | None, typer.Option("--order", help="Only about this order.")] = None,
    limit: r.Limit = 50,
    all_rows: r.AllRows = False,
    after: r.After = None,
    fmt: FormatOption = None,
) -> None:
    """Notes, newest first: of one customer, or of every active customer."""
    from kk.services import notes

    chosen = resolve(fmt)
    with reading() as (connection, _actor):
        rows, token = notes.list_notes(
            connection, ref, author=author, since=since, order=order,
            limit=None if all_rows else limit, after=after,
        )  # fmt: skip
    if chosen == "table":
        rows = [{**row, "text": _first_line(row["text"])} for row in rows]
    r.emit_page(rows, token, chosen, columns=COLUMNS, keys=notes.NOTE_KEYS, times=["created_at"])


def _first_line(text: str, width: int = 80) -> str:
    lines = text.strip().splitlines() or [""]
    first = lines[0]
    if len(first) > width or len(lines) > 1:
        return first[: width - 1].rstrip() + "…"
    return first


@app.command()
def show(note_id: NoteId, fmt: FormatOption = None) -> None:
    """One note with its full text."""
    emit_one(_show(note_id), resolve(fmt), fields=FIELDS)


@app.command()
def edit(note_id: NoteId, text: Text = None, fmt: WriteFormatOption = None) -> None:
    """Replace a note's text (its author or an admin); without TEXT opens $EDITOR."""
    from kk.services import notes

    current = str(_show(note_id)["text"]) if text is None and stdin_is_terminal() else ""
    body = _text(text, current)
    with reading() as (connection, actor):
        notes.edit_note(connection, note_id, text=body, actor=actor)
    r.written(note_id, resolve(fmt), lambda: _show(note_id))


@app.command()
def delete(note_id: NoteId, yes: YesOption = False) -> None:
    """Delete a note (its author or an admin; audited)."""
    from kk.services import notes

    note = _show(note_id)
    confirm(f"Delete note {note_id} of {note['customer']}?", yes=yes)
    with reading() as (connection, actor):
        notes.delete_note(connection, note_id, actor=actor)
