"""What `kk customer list|search|filter` and `kk selection run` share: the paging and
archive options, and printing one keyset page of customers.

In table mode, when there is a next page, the last line on stderr is exactly
`--after TOKEN`: paste it behind the same command for the next page. json, jsonl and csv
stay pure data on stdout (no rich import on their path).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from kk.render import emit_list, message, resolve

if TYPE_CHECKING:
    from kk.services.queries import CustomerQuery

LIST_COLUMNS = [
    ("number", "Number"),
    ("display_name", "Name"),
    ("kind", "Kind"),
    ("postal_code", "PLZ"),
    ("city", "City"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("labels", "Labels"),
]


class Sort(StrEnum):
    name = "name"
    created = "created"
    number = "number"
    last_activity = "last_activity"


Limit = Annotated[
    int, typer.Option("--limit", min=1, help="Rows per page (the next: see --after).")
]
AllRows = Annotated[bool, typer.Option("--all", help="Every row, streamed (no paging).")]
After = Annotated[
    str | None, typer.Option("--after", help="Paging token printed under the previous page.")
]
Archived = Annotated[bool, typer.Option("--archived", help="Only archived customers.")]
IncludeArchived = Annotated[
    bool, typer.Option("--include-archived", help="Archived and active customers.")
]
SortOpt = Annotated[
    Sort, typer.Option("--sort", case_sensitive=False, help="Order by this (then number).")
]
Desc = Annotated[bool, typer.Option("--desc", help="Sort descending.")]


_WORD = "\x00"  # marks a word that looked like an option: see ExpressionCommand


class ExpressionCommand(TyperCommand):
    """A command taking a filter expression as its arguments, where `-label:churned` is a
    negated term, not an unknown option: `kk customer filter kind:company -label:churned`.

    Arguments that start with `-` but are none of the command's options (and are not an
    option's value) are marked so the parser passes them on as words; `expression()` takes
    the mark off again. `--` works as usual.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        known: set[str] = set()
        valued: set[str] = set()
        for param in self.get_params(ctx):
            names = [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]
            known.update(names)
            if param.param_type_name == "option" and not getattr(param, "is_flag", False):
                valued.update(names)
        marked: list[str] = []
        value_next = False
        for i, arg in enumerate(args):
            if arg == "--":
                marked += args[i:]
                break
            if not value_next and arg.startswith("-") and arg.split("=", 1)[0] not in known:
                marked.append(_WORD + arg)
                continue
            value_next = not value_next and arg in valued
            marked.append(arg)
        return list(super().parse_args(ctx, marked))


def expression(words: list[str]) -> str:
    """The filter expression the words of an ExpressionCommand spell."""
    return " ".join(word.removeprefix(_WORD) for word in words)


def archived_mode(archived: bool, include_archived: bool) -> str:
    """The service's archive mode for the two flags."""
    if archived and include_archived:
        raise typer.BadParameter("--archived and --include-archived exclude each other")
    return "archived" if archived else "all" if include_archived else "active"


def emit_page(
    query: CustomerQuery,
    fmt: Any,
    limit: int,
    all_rows: bool,
    after: str | None,
    *,
    extra: Callable[[Any, list[dict[str, Any]]], Sequence[tuple[str, str]]] | None = None,
) -> None:
    """Print one keyset page (or with `all_rows` every row) of a customer query.

    `extra(connection, rows)` may add table-only columns to the rows (search's Match) and
    returns their (key, header) pairs, shown after the name; the data formats never see
    them.
    """
    from kk.commands._common import reading
    from kk.services import queries

    chosen = resolve(fmt)
    columns = list(LIST_COLUMNS)
    with reading() as (connection, _actor):
        if all_rows and chosen != "table":
            emit_list(queries.iterate(connection, query), chosen, columns=columns,
                      keys=queries.CUSTOMER_KEYS)  # fmt: skip
            return
        if all_rows:
            rows, token = list(queries.iterate(connection, query)), None
        else:
            rows, token = queries.page(connection, query, limit=limit, after=after)
        if chosen == "table" and extra is not None:
            columns[2:2] = extra(connection, rows)  # after the name: narrow terminals drop the last
    emit_list(rows, chosen, columns=columns, keys=queries.CUSTOMER_KEYS)
    if token and chosen == "table":
        message(f"--after {token}")
