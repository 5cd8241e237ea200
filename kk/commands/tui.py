"""`kk tui`: the full-screen browser (Textual, imported only here, ~300 ms)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

app = typer.Typer(rich_markup_mode=None, add_completion=False)


class Theme(StrEnum):
    dark = "dark"
    light = "light"


@app.command()
def tui(
    theme: Annotated[
        Theme, typer.Option("--theme", case_sensitive=False, help="Colour theme.")
    ] = Theme.dark,
) -> None:
    """Browse, search and edit customers full-screen (q quits, ? lists the keys)."""
    from kk import config, context
    from kk.commands._common import reading

    with reading() as (_connection, actor):
        path = context.db_path()
    from kk.tui.app import KkApp

    KkApp(path, actor, theme=theme.value, default_country=config.get("country") or "DE").run()
