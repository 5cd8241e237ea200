"""Options and output helpers shared by `kk note|activity|product|order` (defined once)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer

from kk.render import emit_list, message

Limit = Annotated[int, typer.Option("--limit", min=1, help="Rows per page.")]
AllRows = Annotated[bool, typer.Option("--all", help="Every row (no paging).")]
After = Annotated[str | None, typer.Option("--after", help="Paging token of the next page.")]
CustomerRef = Annotated[
    str | None, typer.Argument(help="Customer number (CUS-0001, cus-1, 1); all when left out.")
]


def local_times(rows: list[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """Stored UTC stamps shown in local time (table mode only; data formats keep ISO)."""
    from kk.clock import local

    return [
        {**row, **{key: local(row[key]) for key in keys if row.get(key) and len(row[key]) > 10}}
        for row in rows
    ]


def emit_page(
    rows: list[dict[str, Any]],
    token: str | None,
    fmt: str,
    *,
    columns: Sequence[tuple[str, str]],
    keys: Sequence[str],
    times: Sequence[str] = (),
    styles: Callable[[dict[str, Any]], str | None] | None = None,
) -> None:
    """One page of records; in table mode the next page's token goes to stderr."""
    if fmt == "table":
        emit_list(local_times(rows, times), fmt, columns=columns, styles=styles)
        if token:
            message(f"--after {token}")
        return
    emit_list(rows, fmt, columns=columns, keys=keys)


def written(identifier: str | int, fmt: str, shown: Callable[[], dict[str, Any]]) -> None:
    """What a writing command prints: the id/number, or with --format json the object."""
    if fmt == "json":
        from kk.render import emit_one

        emit_one(shown(), "json", fields=[])
        return
    sys.stdout.write(f"{identifier}\n")
