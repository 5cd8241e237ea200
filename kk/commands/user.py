"""`kk user add|list|role`: who may use this database, and as what."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from kk.commands._common import FormatOption, reading
from kk.render import emit_list, resolve

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Users and roles.")


class Role(StrEnum):
    admin = "admin"
    user = "user"


Name = Annotated[str, typer.Argument(help="The user's name (as given to --user).")]


@app.command()
def add(
    name: Name,
    role: Annotated[Role, typer.Option("--role", case_sensitive=False)] = Role.user,
) -> None:
    """Add a user (admins only)."""
    from kk.services.users import add_user

    with reading() as (connection, actor):
        add_user(connection, name=name, role=role.value, actor=actor)


@app.command("list")
def list_(fmt: FormatOption = None) -> None:
    """Every user with role and creation time."""
    from kk.services.users import list_users

    with reading() as (connection, _actor):
        rows = list_users(connection)
    emit_list(rows, resolve(fmt), columns=[("name", "Name"), ("role", "Role"),
                                           ("created_at", "Created")])  # fmt: skip


@app.command()
def role(name: Name, new_role: Annotated[Role, typer.Argument(case_sensitive=False)]) -> None:
    """Give a user another role (admins only)."""
    from kk.services.users import set_role

    with reading() as (connection, actor):
        set_role(connection, name=name, role=new_role.value, actor=actor)
