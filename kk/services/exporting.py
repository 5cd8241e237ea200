"""Bulk export of customers: `kk export csv|jsonl|json|vcard [EXPR | --selection NAME]`.

CSV and JSON come from kk.services.export_fast, where SQLite renders each customer's line
(several times the speed of building a dict per customer); vCard, and what that path
cannot write exactly, streams out of the read path (kk.services.queries.iterate, keyset
batches in number order) into the writers of kk.formats. Memory stays flat either way.
Which customers: a filter expression and/or a saved selection (the same language as
`kk customer filter`), active ones unless told otherwise, and with ``consent`` only those
who agreed to that channel and are not marked do-not-contact (for mailings).
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from kk.errors import ValidationFailed
from kk.services import queries
from kk.services.queries import CUSTOMER_KEYS, CustomerQuery

FORMATS = ("csv", "jsonl", "json", "vcard")
CHANNELS = ("email", "phone", "letter", "newsletter")
VCARD_VERSIONS = ("3.0", "4.0")


@dataclass
class ExportOptions:
    fmt: str
    expression: str | None = None
    selection: str | None = None
    archived: str = "active"
    consent: str | None = None
    excel: bool = False
    raw: bool = False
    vcard_version: str = "4.0"


def export_query(connection: sqlite3.Connection, options: ExportOptions) -> CustomerQuery:
    """The customers an export writes, in number order."""
    from kk.services import search

    if options.consent is not None and options.consent not in CHANNELS:
        raise ValidationFailed(
            f"--consent: '{options.consent}' is not one of {', '.join(CHANNELS)}", field="consent"
        )
    if options.selection:
        from kk.services.selections import selection_query

        query = selection_query(
            connection, options.selection, archived=options.archived, sort="number"
        )
    else:
        query = CustomerQuery(archived=options.archived, sort="number")
    if options.expression and options.expression.strip():
        search.apply_filter(query, options.expression)
    if options.consent:
        # the filter language's own rule: granted for the channel, not do-not-contact
        search.apply_filter(query, f"consent:{options.consent}")
    return query


def export_customers(
    connection: sqlite3.Connection,
    out: BinaryIO,
    options: ExportOptions,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the chosen customers to ``out`` (binary) in ``options.fmt``; return the count."""
    if options.fmt not in FORMATS:
        raise ValidationFailed(f"format '{options.fmt}' is not one of {', '.join(FORMATS)}")
    if options.vcard_version not in VCARD_VERSIONS:
        raise ValidationFailed(
            f"--vcard-version: '{options.vcard_version}' is not 3.0 or 4.0", field="vcard_version"
        )
    query = export_query(connection, options)
    from kk.services import export_fast

    written = export_fast.export(
        connection, query, out, fmt=options.fmt, excel=options.excel, raw=options.raw,
        progress=progress,
    )  # fmt: skip
    if written is not None:
        return written
    records: Iterable[dict[str, Any]] = queries.iterate(connection, query)
    if progress is not None:
        records = _counted(records, progress)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        if options.fmt == "csv":
            from kk.formats.csv_out import write_csv

            written = write_csv(
                records, text, columns=list(CUSTOMER_KEYS), excel=options.excel, raw=options.raw
            )
        elif options.fmt == "jsonl":
            from kk.formats.jsonl import write_jsonl

            written = write_jsonl(records, text)
        elif options.fmt == "json":
            from kk.formats.jsonl import write_json

            written = write_json(records, text)
        else:
            from kk.formats.vcard import write_vcards

            written = write_vcards(records, text, version=options.vcard_version)
    finally:
        text.flush()
        text.detach()
    return written


def _counted(
    records: Iterable[dict[str, Any]], progress: Callable[[int], None]
) -> Iterator[dict[str, Any]]:
    for n, record in enumerate(records, start=1):
        yield record
        if n % 2000 == 0:
            progress(n)
