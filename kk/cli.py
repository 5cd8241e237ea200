"""The root of the `kk` command line: global options and lazily loaded command groups.

Each noun lives in its own module under `kk/commands/` and is imported only when it is
invoked, so `kk --help` pays for typer alone (measured: ~90 ms of a ~110 ms start; the
heavy SQLModel import, ~480 ms, is paid only by writing commands).
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kk import __version__
from kk.errors import KkError

#: command name → (module, one-line help). The help text is here so that `kk --help`
#: can list the commands without importing them.
COMMANDS: dict[str, tuple[str, str]] = {
    "customer": ("kk.commands.customer", "Add, show, find, edit, archive customers."),
    "label": ("kk.commands.label", "List the labels (groups) in use."),
    "selection": ("kk.commands.selection", "Saved filters (Selektionen): save, run, list."),
    "note": ("kk.commands.note", "Notes on customers."),
    "activity": ("kk.commands.activity", "Calls, meetings, tasks: open and done."),
    "product": ("kk.commands.product", "Products and prices."),
    "order": ("kk.commands.order", "Quotes, orders, invoices and their PDFs."),
    "document": ("kk.commands.document", "Files attached to customers."),
    "import": ("kk.commands.import_", "Import customers from CSV, JSON Lines, JSON, vCard."),
    "export": ("kk.commands.export", "Export customers to CSV, JSON Lines, JSON, vCard."),
    "export-dsgvo": ("kk.commands.export_dsgvo", "DSGVO access export (Art. 15/20) as ZIP."),
    "dsgvo": ("kk.commands.dsgvo", "DSGVO housekeeping: retention periods that ended."),
    "tui": ("kk.commands.tui", "The full-screen browser."),
    "user": ("kk.commands.user", "Manage the users of this database and their roles."),
    "config": ("kk.commands.config", "Read and write defaults in config.toml."),
    "db": ("kk.commands.db", "Upgrade, check, back up the database."),
    "demo": ("kk.commands.demo", "Fill a throw-away database with sample customers."),
}


def available() -> list[str]:
    """The commands whose module is installed (features land one by one)."""
    from importlib.util import find_spec

    return [name for name, (module, _help) in COMMANDS.items() if find_spec(module)]


class LazyGroup(TyperGroup):
    """A Typer group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: Any) -> list[str]:
        return available()

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        spec = COMMANDS.get(cmd_name)
        if spec is None or cmd_name not in available():
            return None
        module = importlib.import_module(spec[0])
        module.app._add_completion = False  # completion belongs to the root, not each noun
        command = typer.main.get_command(module.app)
        command.name = cmd_name
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        self.commands = {name: typer.core.TyperCommand(name=name) for name in available()}
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, COMMANDS[name][1]) for name in available()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KkError as error:
            sys.stderr.write(f"kk: {error.message}\n")
            raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    cls=LazyGroup,
    name="kk",
    help="kk: customer management for German small businesses.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"kk {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="KK_DB", help="Database file (default: user data dir)."),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", envvar="KK_USER", help="Acting user (default: OS login)."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """kk: customer management for German small businesses, in the terminal."""
    from kk import context

    context.set_globals(db=db, user=user)


def run() -> None:
    """Run the CLI as the `kk` console script."""
    app(prog_name="kk")
