"""`kk document add|list|export|remove`: files attached to customers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kk.commands._common import FormatOption, WriteFormatOption, YesOption, confirm, reading
from kk.render import emit_list, emit_one, resolve

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Files attached to customers.")

COLUMNS = [
    ("id", "Id"),
    ("name", "File"),
    ("title", "Title"),
    ("media_type", "Type"),
    ("size", "Bytes"),
    ("uploaded_by", "By"),
    ("uploaded_at", "Uploaded"),
]
FIELDS = [
    ("id", "Id"), ("customer", "Customer"), ("name", "File"), ("title", "Title"),
    ("media_type", "Type"), ("size", "Bytes"), ("sha256", "SHA-256"), ("uploaded_by", "By"),
    ("uploaded_at", "Uploaded"),
]  # fmt: skip

Ref = Annotated[str, typer.Argument(help="Customer number: CUS-0001, cus-1 or 1.")]
DocId = Annotated[int, typer.Argument(help="Document id (see 'kk document list').")]


@app.command()
def add(
    ref: Ref,
    file: Annotated[Path, typer.Argument(help="The file to attach.")],
    title: Annotated[str | None, typer.Option("--title", help="What it is.")] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Attach a file to a customer (stored once by SHA-256); prints the document id."""
    from kk.services import documents

    with reading() as (connection, actor):
        doc_id = documents.add_document(connection, ref, path=file, title=title, actor=actor)
        if resolve(fmt) == "json":
            emit_one(documents.get_document(connection, doc_id), "json", fields=FIELDS)
            return
    sys.stdout.write(f"{doc_id}\n")


@app.command("list")
def list_(ref: Ref, fmt: FormatOption = None) -> None:
    """The documents of one customer."""
    from kk.services import documents

    with reading() as (connection, _actor):
        rows = documents.customer_documents(connection, ref)
    emit_list(rows, resolve(fmt), columns=COLUMNS, keys=documents.DOCUMENT_KEYS)


@app.command()
def export(
    doc_id: DocId,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File or folder to write to; '-' for stdout "
            "(default: the original file name here).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a document's file back out (checked against its SHA-256); prints the path."""
    from kk.services import documents

    with reading() as (connection, _actor):
        if output == "-":
            documents.write_to(connection, doc_id, sys.stdout.buffer)
            sys.stdout.flush()
            return
        target = Path(output) if output else None
        written = documents.export_document(connection, doc_id, target, overwrite=force)
    sys.stdout.write(f"{written}\n")


@app.command()
def remove(doc_id: DocId, yes: YesOption = False) -> None:
    """Delete a document (audited); its file goes once no other document shares it."""
    from kk.services import documents

    with reading() as (connection, _actor):
        document = documents.get_document(connection, doc_id)
    confirm(f"Remove document {doc_id} ({document['name']}) of {document['customer']}?", yes=yes)
    with reading() as (connection, actor):
        documents.remove_document(connection, doc_id, actor=actor)
