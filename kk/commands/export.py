"""`kk export csv|jsonl|json|vcard [EXPR | --selection NAME] [-o FILE]`: customers out."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer

from kk.commands import listing as ls
from kk.commands._common import reading

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help=(
        "Export customers to CSV, JSON Lines, JSON, vCard: all active ones, or those of a "
        "filter expression or saved selection. Streams: memory stays flat."
    ),
)


class Channel(StrEnum):
    email = "email"
    phone = "phone"
    letter = "letter"
    newsletter = "newsletter"


class VcardVersion(StrEnum):
    v3 = "3.0"
    v4 = "4.0"


Expression = Annotated[
    list[str] | None,
    typer.Argument(
        help="Filter expression as for 'kk customer filter' (e.g. city:Berlin label:VIP); "
        "put -- before a leading '-'."
    ),
]
SelectionOpt = Annotated[
    str | None, typer.Option("--selection", help="Export the customers of this saved selection.")
]
Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
]
ConsentOpt = Annotated[
    Channel | None,
    typer.Option(
        "--consent",
        case_sensitive=False,
        help="Only customers who agreed to this channel and are not do-not-contact.",
    ),
]


def _run(fmt: str, expression: list[str] | None, output: Path | None, **settings: Any) -> None:
    from kk.services.exporting import ExportOptions, export_customers

    options = ExportOptions(fmt=fmt, expression=" ".join(expression or []) or None, **settings)
    with ExitStack() as stack:
        out: BinaryIO = (
            sys.stdout.buffer if output is None or str(output) == "-"
            else stack.enter_context(output.open("wb"))
        )  # fmt: skip
        progress = stack.enter_context(_Progress()) if sys.stderr.isatty() else None
        with reading() as (connection, _actor):
            count = export_customers(connection, out, options, progress=progress)
        out.flush()
    if output is not None and str(output) != "-":
        from kk.render import message

        message(f"{count} customers written to {output}")


class _Progress:
    """Rows written so far, on stderr (only on a terminal; rich is imported only then)."""

    def __init__(self) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from kk.render import console

        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("exporting {task.completed:,} customers"),
            TimeElapsedColumn(),
            console=console(stderr=True),
            transient=True,
        )
        self.task = self.bar.add_task("export", total=None)

    def __enter__(self) -> _Progress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def __call__(self, done: int) -> None:
        self.bar.update(self.task, completed=done)


def _settings(
    selection: str | None, archived: bool, include_archived: bool, consent: Channel | None
) -> dict[str, Any]:
    return {
        "selection": selection,
        "archived": ls.archived_mode(archived, include_archived),
        "consent": consent.value if consent else None,
    }


@app.command()
def csv(
    expression: Expression = None,
    selection: SelectionOpt = None,
    output: Output = None,
    excel: Annotated[
        bool,
        typer.Option("--excel", help="For German Excel (double click): UTF-8 BOM, ';', CRLF."),
    ] = False,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="Do not neutralise cells that start with = + - @ (default: a leading ' "
            "keeps spreadsheets from running them as formulas).",
        ),
    ] = False,
    archived: ls.Archived = False,
    include_archived: ls.IncludeArchived = False,
    consent: ConsentOpt = None,
) -> None:
    """CSV with kk's JSON keys as header (UTF-8, ',' and LF unless --excel)."""
    _run("csv", expression, output, excel=excel, raw=raw,
         **_settings(selection, archived, include_archived, consent))  # fmt: skip


@app.command()
def jsonl(
    expression: Expression = None,
    selection: SelectionOpt = None,
    output: Output = None,
    archived: ls.Archived = False,
    include_archived: ls.IncludeArchived = False,
    consent: ConsentOpt = None,
) -> None:
    """JSON Lines: one customer object per line, with the stable JSON keys."""
    _run("jsonl", expression, output, **_settings(selection, archived, include_archived, consent))


@app.command()
def json(
    expression: Expression = None,
    selection: SelectionOpt = None,
    output: Output = None,
    archived: ls.Archived = False,
    include_archived: ls.IncludeArchived = False,
    consent: ConsentOpt = None,
) -> None:
    """One JSON array of customer objects (written as they come)."""
    _run("json", expression, output, **_settings(selection, archived, include_archived, consent))


@app.command()
def vcard(
    expression: Expression = None,
    selection: SelectionOpt = None,
    output: Output = None,
    vcard_version: Annotated[
        VcardVersion,
        typer.Option("--vcard-version", help="4.0 (default) or 3.0 (older address books)."),
    ] = VcardVersion.v4,
    archived: ls.Archived = False,
    include_archived: ls.IncludeArchived = False,
    consent: ConsentOpt = None,
) -> None:
    """vCards (4.0 or 3.0); kk's own fields ride along as X-KK-… properties."""
    _run("vcard", expression, output, vcard_version=vcard_version.value,
         **_settings(selection, archived, include_archived, consent))  # fmt: skip
