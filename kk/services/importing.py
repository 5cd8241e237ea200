"""Bulk import of customers: `kk import csv|jsonl|json|vcard FILE`.

One pass over the file, streamed in batches, inside ONE write transaction: every row is
checked with the rules of `kk customer add` (kk.services.import_rows), written or matched
against earlier rows and the database (kk.services.import_store), and every bad row is
reported by line, column, value and reason. At the end the transaction is committed only if
nothing was wrong (or --skip-invalid was given); a dry run always rolls back. A crash or a
kill -9 at any moment leaves the database as it was: SQLite undoes the open transaction.

Memory stays flat in the size of the file: a batch of rows, the numbers handed out (8 bytes
each), and the database's page cache.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from kk.clock import now_iso
from kk.errors import KkError
from kk.formats.rows import SourceRow
from kk.services import search_index
from kk.services.import_rejects import RejectWriter
from kk.services.import_rows import Preparer, RowError, Rules
from kk.services.import_sources import Counting, Source, open_source
from kk.services.import_store import Store
from kk.services.import_workers import checked, default_jobs
from kk.services.users import Actor

ON_DUPLICATE = ("error", "skip", "update")
#: The search index rows of new customers are computed with their checks (in the workers)
#: and written with each batch. kk.services.search_index.index_after, run once at the end,
#: does the same work in this process: measured at 20,000 rows it took as long as all the
#: inserts (its per-row Python text building), time the workers can take over.
TEXTS_IN_WORKERS = hasattr(search_index, "texts")
BATCH = 2000
#: Page cache of the import's connection (KiB; SQLite's default is 2 MiB). Index pages of
#: a million customers do not fit in 2 MiB; 32 MiB keeps the peak RSS under 200 MB.
CACHE_KIB = 32 * 1024


@dataclass
class ImportOptions:
    fmt: str
    on_duplicate: str = "error"
    kind: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    ignore_unknown: bool = False
    mapping: Mapping[str, str] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    default_country: str = "DE"
    source_name: str = "-"
    #: Worker processes that check rows (0: check in this process; None: one per core
    #: beyond the first). Files of one batch are always checked here.
    jobs: int | None = None


@dataclass
class ImportSummary:
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: int = 0
    seconds: float = 0.0
    committed: bool = False
    dry_run: bool = False
    describe: str = ""

    def line(self) -> str:
        """``read 6, imported 3, updated 0, skipped 0, rejected 3, 0.04 s``"""
        skipped = self.skipped + self.unchanged
        text = (
            f"read {self.read}, imported {self.imported}, updated {self.updated}, "
            f"skipped {skipped}, rejected {self.rejected}, {self.seconds:.2f} s"
        )
        if self.unchanged:
            text += f" ({self.unchanged} unchanged)"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read, "imported": self.imported, "updated": self.updated,
            "unchanged": self.unchanged, "skipped": self.skipped, "rejected": self.rejected,
            "seconds": round(self.seconds, 3), "committed": self.committed,
            "dry_run": self.dry_run,
        }  # fmt: skip


#: One line per bad row, as it is found: ``line 5, column 'PLZ', value '1067': …``.
ErrorSink = Callable[[str], None]
#: (rows read, bytes read) after each batch.
ProgressSink = Callable[[int, int], None]


def import_customers(
    connection: sqlite3.Connection,
    stream: BinaryIO,
    options: ImportOptions,
    *,
    actor: Actor,
    on_error: ErrorSink,
    rejects: Callable[[Source], RejectWriter | None] | None = None,
    progress: ProgressSink | None = None,
) -> ImportSummary:
    """Import the customers in ``stream`` (binary) in one transaction.

    Bad rows go to ``on_error`` as they are found (and to the reject writer ``rejects``
    opens, given the opened source). Without ``skip_invalid`` one bad row means nothing is
    written. Raises KkError for a problem with the whole file (an unknown column, an
    unreadable header) before anything is written.
    """
    if options.on_duplicate not in ON_DUPLICATE:
        raise KkError(f"--on-duplicate: '{options.on_duplicate}' is not one of error, skip, update")
    started = time.perf_counter()
    size = _size(stream)
    counting = Counting(stream)
    source = open_source(
        counting, options.fmt, mapping=options.mapping, encoding=options.encoding,  # type: ignore[arg-type]
        delimiter=options.delimiter,
    )  # fmt: skip
    if source.unknown and not options.ignore_unknown:
        names = ", ".join(repr(name) for name in source.unknown)
        first = source.unknown[0]
        raise KkError(
            f"unknown column{'s' if len(source.unknown) > 1 else ''} {names}: map "
            f"{'them' if len(source.unknown) > 1 else 'it'} with --map '{first}=FIELD' (FIELD: "
            "a JSON key such as notes, or ignore) or pass --ignore-unknown; nothing imported"
        )
    now = now_iso()
    rules = Rules(
        actor=actor.name,
        now=now,
        kind=options.kind,
        default_country=options.default_country,
        keep_changes=options.on_duplicate == "update",
        stated=source.stated,
        ignore_unknown=options.ignore_unknown,
        extra_to_notes=source.extra_to_notes,
        index_texts=TEXTS_IN_WORKERS,
    )
    preparer = Preparer(rules, source.columns)
    summary = ImportSummary(dry_run=options.dry_run, describe=source.describe)
    writer = rejects(source) if rejects is not None else None
    connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    connection.execute("BEGIN IMMEDIATE")
    try:
        # A row that moves to another number takes its labels along; checked at COMMIT.
        connection.execute("PRAGMA defer_foreign_keys = ON")
        store = Store(
            connection, actor=actor.name, now=now, on_duplicate=options.on_duplicate,
            source=options.source_name, default_country=options.default_country,
        )  # fmt: skip
        store.indexed_as_written = TEXTS_IN_WORKERS
        label = source.columns.label

        def bad(error: RowError, row: SourceRow) -> None:
            summary.rejected += 1
            text = error.text(label)
            on_error(text)
            if writer is not None:
                writer.write(row, text)

        jobs = default_jobs() if options.jobs is None else options.jobs

        def estimate(first: int) -> None:
            if size:  # the bytes the first batch took tell how many rows the file holds
                store.expect(int(size / max(counting.count, 1) * first))

        batches = _batches(source.rows, estimate)
        for batch, results in checked(batches, preparer, source.build, jobs):
            rows = [row for row, p in zip(batch, results, strict=True) if p is not None]
            prepared = [p for p in results if p is not None]
            summary.read += len(rows)
            position = {id(p): i for i, p in enumerate(prepared)}
            found = [(i, _combined(p.errors, label)) for i, p in enumerate(prepared) if p.errors]
            for p, refusal in store.add(prepared):
                i = position[id(p)]
                column, value = source.columns.place(refusal.key, rows[i], refusal.value)
                found.append((i, RowError(p.line, p.where, column, value, refusal.reason)))
            for i, error in sorted(found, key=lambda item: item[0]):
                bad(error, rows[i])
            if progress is not None:
                progress(summary.read, counting.count)
        store.finish()
        counts = store.counts
        summary.imported, summary.updated = counts.imported, counts.updated
        summary.unchanged, summary.skipped = counts.unchanged, counts.skipped
        commit = not options.dry_run and (options.skip_invalid or summary.rejected == 0)
        connection.execute("COMMIT" if commit else "ROLLBACK")
        summary.committed = commit
    except UnicodeError as error:  # a byte sequence the file's encoding does not have
        connection.execute("ROLLBACK")
        raise KkError(
            f"after line ~{summary.read + 1} the file is not readable as {source.describe}: "
            f"{error} (try --encoding); nothing imported"
        ) from None
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        if writer is not None:
            writer.close()
    summary.seconds = time.perf_counter() - started
    if not summary.committed and not options.dry_run:
        summary.imported = summary.updated = 0  # rolled back: nothing was imported
    return summary


def _combined(errors: list[RowError], label: str) -> RowError:
    """All problems of one row as one report line: the first, then the others' places."""
    first = errors[0]
    if len(errors) == 1:
        return first
    rest = "; ".join(
        f"{label} {e.column!r}, value {e.value or ''!r}: {e.reason}" if e.column else e.reason
        for e in errors[1:]
    )
    return RowError(first.line, first.where, first.column, first.value, f"{first.reason}; {rest}")


def _size(stream: BinaryIO) -> int | None:
    """The size of a regular file (None for a pipe)."""
    import os
    import stat

    try:
        info = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _batches(rows: Iterator[SourceRow], first: Callable[[int], None]) -> Iterator[list[SourceRow]]:
    batch: list[SourceRow] = []
    started = False
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            if not started:
                first(len(batch))
                started = True
            yield batch
            batch = []
    if batch:
        yield batch
