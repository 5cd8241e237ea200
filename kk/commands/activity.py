"""`kk activity add|list|show|edit|done|reopen|delete`: calls, meetings, tasks."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from kk.commands import record_options as r
from kk.commands._common import FormatOption, WriteFormatOption, YesOption, confirm, reading
from kk.render import emit_one, resolve

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Calls, meetings, tasks: open and done."
)


class Kind(StrEnum):
    call = "call"
    email = "email"
    meeting = "meeting"
    letter = "letter"
    task = "task"
    other = "other"


class Clearable(StrEnum):
    description = "description"
    assignee = "assignee"
    person = "person"
    due = "due"


COLUMNS = [("id", "Id"), ("status", "Status"), ("due", "Due"), ("customer", "Customer"),
           ("name", "Activity"), ("kind", "Kind"), ("assignee", "Assignee"),
           ("person_name", "Person")]  # fmt: skip
FIELDS = [("id", "Id"), ("customer", "Customer"), ("name", "Name"), ("kind", "Kind"),
          ("status", "Status"), ("due", "Due"), ("done_at", "Done"), ("assignee", "Assignee"),
          ("author", "Author"), ("person_name", "Person"), ("description", "Description"),
          ("created_at", "Created"), ("updated_at", "Updated")]  # fmt: skip

ActivityId = Annotated[int, typer.Argument(help="Activity id (see 'kk activity list').")]
NameOpt = Annotated[str | None, typer.Option("--name", help="What (required).")]
KindOpt = Annotated[Kind | None, typer.Option("--kind", case_sensitive=False, help="Kind.")]
Description = Annotated[str | None, typer.Option("--description", help="Details.")]
Assignee = Annotated[str | None, typer.Option("--assignee", help="A kk user who does it.")]
Person = Annotated[int | None, typer.Option("--person", help="Contact person id of that customer.")]
Due = Annotated[
    str | None,
    typer.Option("--due", help="Due date or date and time: 2026-12-01, 01.12.2026 14:30."),
]


def style(row: dict[str, Any]) -> str | None:
    """Open ones red (overdue bold), done ones green."""
    if row.get("status") == "done":
        return "green"
    return "bold red" if row.get("overdue") else "red"


def _show(activity_id: int) -> dict[str, Any]:
    from kk.services import activities

    with reading() as (connection, _actor):
        return activities.get_activity(connection, activity_id)


@app.command()
def add(
    ref: Annotated[str, typer.Argument(help="Customer number: CUS-0001, cus-1 or 1.")],
    name: NameOpt = None,
    kind: KindOpt = Kind.task,
    description: Description = None,
    assignee: Assignee = None,
    person: Person = None,
    due: Due = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Add an open activity for a customer; prints its id."""
    from kk.services import activities

    with reading() as (connection, actor):
        activity_id = activities.add_activity(
            connection, ref, name=name or "", kind=(kind or Kind.task).value,
            description=description, assignee=assignee, person=person, due=due, actor=actor,
        )  # fmt: skip
    r.written(activity_id, resolve(fmt), lambda: _show(activity_id))


@app.command("list")
def list_(
    ref: r.CustomerRef = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only open ones.")] = False,
    done_only: Annotated[bool, typer.Option("--done", help="Only done ones.")] = False,
    due_before: Annotated[
        str | None, typer.Option("--due-before", help="Due before this date.")
    ] = None,
    assignee: Annotated[str | None, typer.Option("--assignee", help="Only this user's.")] = None,
    kind: KindOpt = None,
    limit: r.Limit = 50,
    all_rows: r.AllRows = False,
    after: r.After = None,
    fmt: FormatOption = None,
) -> None:
    """Activities of one customer or of every active one: overdue first, then by due date,
    done ones last (table: open red, done green)."""
    from kk.services import activities

    if open_only and done_only:
        raise typer.BadParameter("--open and --done exclude each other")
    status = "open" if open_only else "done" if done_only else None
    with reading() as (connection, _actor):
        rows, token = activities.list_activities(
            connection, ref, status=status, due_before=due_before, assignee=assignee,
            kind=kind.value if kind else None, limit=None if all_rows else limit, after=after,
        )  # fmt: skip
    r.emit_page(
        rows, token, resolve(fmt), columns=COLUMNS, keys=activities.ACTIVITY_KEYS,
        times=["due", "done_at"], styles=style,
    )  # fmt: skip


@app.command()
def show(activity_id: ActivityId, fmt: FormatOption = None) -> None:
    """One activity."""
    emit_one(_show(activity_id), resolve(fmt), fields=FIELDS)


@app.command()
def edit(
    activity_id: ActivityId,
    name: NameOpt = None,
    kind: KindOpt = None,
    description: Description = None,
    assignee: Assignee = None,
    person: Person = None,
    due: Due = None,
    unset: Annotated[
        list[Clearable] | None,
        typer.Option("--unset", case_sensitive=False, help="Clear this field (repeatable)."),
    ] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Change an activity's fields."""
    from kk.services import activities

    given: dict[str, Any] = {
        "name": name, "kind": kind.value if kind else None, "description": description,
        "assignee": assignee, "person": person, "due": due,
    }  # fmt: skip
    changes = {key: value for key, value in given.items() if value is not None}
    for field in unset or []:
        changes[field.value] = None
    if not changes:
        raise typer.BadParameter("give at least one field to change (see --help)")
    with reading() as (connection, actor):
        activities.edit_activity(connection, activity_id, changes=changes, actor=actor)
    r.written(activity_id, resolve(fmt), lambda: _show(activity_id))


@app.command()
def done(activity_id: ActivityId, fmt: WriteFormatOption = None) -> None:
    """Mark an activity done."""
    from kk.services import activities

    with reading() as (connection, actor):
        activities.mark_done(connection, activity_id, actor=actor)
    r.written(activity_id, resolve(fmt), lambda: _show(activity_id))


@app.command()
def reopen(activity_id: ActivityId, fmt: WriteFormatOption = None) -> None:
    """Open a done activity again."""
    from kk.services import activities

    with reading() as (connection, actor):
        activities.reopen(connection, activity_id, actor=actor)
    r.written(activity_id, resolve(fmt), lambda: _show(activity_id))


@app.command()
def delete(activity_id: ActivityId, yes: YesOption = False) -> None:
    """Delete an activity (its author or an admin; audited)."""
    from kk.services import activities

    activity = _show(activity_id)
    confirm(
        f"Delete activity {activity_id} ({activity['name']}) of {activity['customer']}?", yes=yes
    )
    with reading() as (connection, actor):
        activities.delete_activity(connection, activity_id, actor=actor)
