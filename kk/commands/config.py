"""`kk config get|set|list|unset`: defaults in `<user config dir>/kk/config.toml`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kk.commands._common import FormatOption
from kk.render import emit_list, resolve

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Read and write defaults.")

Key = Annotated[str, typer.Argument(help="A key such as db, user, format, country, company.name")]


@app.command()
def get(key: Key) -> None:
    """Print one value (exit 1 if it is not set)."""
    from kk import config
    from kk.errors import NotFound

    config._check_key(key)
    value = config.get(key)
    if value is None:
        raise NotFound(f"config key '{key}' is not set")
    sys.stdout.write(value + "\n")


@app.command("set")
def set_(key: Key, value: Annotated[str, typer.Argument()]) -> None:
    """Set a value (written with tomli-w)."""
    from kk import config

    config.set_value(key, value)


@app.command()
def unset(key: Key) -> None:
    """Remove a value."""
    from kk import config

    config.unset(key)


@app.command("list")
def list_(fmt: FormatOption = None) -> None:
    """Every value set, and the path of the file."""
    from kk import config

    rows = [{"key": k, "value": v} for k, v in config.items().items()]
    emit_list(rows, resolve(fmt), columns=[("key", "Key"), ("value", "Value")])
    if resolve(fmt) == "table":
        sys.stderr.write(f"({config.config_path()})\n")
