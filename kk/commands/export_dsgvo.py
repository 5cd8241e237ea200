"""`kk export-dsgvo CUS-0001 [-o FILE.zip] [--format json]`: the DSGVO access export."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kk.commands._common import reading

app = typer.Typer(rich_markup_mode=None, help="DSGVO access export (Art. 15/20) as ZIP.")


class ExportFormat(StrEnum):
    zip = "zip"
    json = "json"


@app.command()
def export_dsgvo(
    ref: Annotated[str, typer.Argument(help="Customer number: CUS-0001, cus-1 or 1.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="ZIP file (or folder) to write; default CUS-0001-dsgvo-<date>.zip here.",
        ),
    ] = None,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="zip: data.json, documents, auskunft.pdf, manifest.json; "
            "json: only the data, to stdout.",
        ),
    ] = ExportFormat.zip,
) -> None:
    """Everything kk holds about a person (Art. 15/20 DSGVO): a ZIP with data.json, the
    documents, a German Auskunft PDF and a SHA-256 manifest; prints the ZIP's path."""
    from kk.services import dsgvo

    if fmt is ExportFormat.json and output is not None:
        raise typer.BadParameter("--format json writes to stdout; leave out -o")
    with reading() as (connection, actor):
        if fmt is ExportFormat.json:
            data = dsgvo.export_json(connection, ref, actor=actor)
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
            return
        path = dsgvo.export_zip(connection, ref, actor=actor, target=output)
    sys.stdout.write(f"{path}\n")
