"""CSV and JSON exports whose lines SQLite renders, for bulk speed.

The generic path (keyset pages → a dict per customer → csv/json writers) spends ~60 µs a
customer, nearly all of it creating and converting Python objects cell by cell. Here a
statement in number order renders each customer's whole output line in SQL and returns it
as one bytes object; Python checks and copies batches of lines. A small export is one
statement (one snapshot); a big one is rendered in id-range chunks by one process per core,
each chunk its own snapshot (as the generic path's keyset pages always were). The output
is byte for byte the generic writers' (the tests hold both side by side), so every rule
they follow is restated here in SQL:

- CSV: None is empty, booleans are ``true``/``false``, roles and labels are joined with
  ``;``, and a cell whose text (``'`` stripped) starts with a formula character gets a
  leading ``'`` unless raw (kk.formats.csv_out). Quoting is csv.writer's QUOTE_MINIMAL; the
  characters that force it are asked of the csv module itself (they differ by version).
  Cells are separated by a byte that never occurs in UTF-8 text, so one ``bytes.translate``
  turns a batch into CSV. The free text that often needs quotes (names, notes) is quoted in
  SQL, with such bytes standing in for the quote-forcing characters. A line with one of
  those characters elsewhere (rare), or with a NUL in a cell (SQLite's printf would end
  the cell there), is read again cell by cell and written by csv.writer itself.
- JSON: ``json_quote`` escapes exactly as ``json.dumps(ensure_ascii=False)`` (every code
  point compared in the tests), and the ``", "``/``": "`` separators are in the template.

The stand-in bytes rely on the database holding valid UTF-8, as everything kk writes does
(SQLite does not check it; the generic path would fail to decode such a value).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, BinaryIO

from kk.errors import KkError
from kk.formats.csv_in import FORMULA_STARTS
from kk.services.queries import CUSTOMER_KEYS, CustomerQuery, number_order

#: Customers rendered per fetch: a batch of JSON lines (~0.9 KB each) stays in the L2 cache.
BATCH = 500
#: The generic path reports progress every this many customers; so does this one.
PROGRESS_EVERY = 2000
FORMATS = ("csv", "jsonl", "json")
_first, _second = itemgetter(0), itemgetter(1)

#: Bytes that never occur in UTF-8: the cell separator and the stand-ins for a quote and for
#: the other quote-forcing characters inside a cell quoted in SQL.
_SEP = 0xFF
_QUOTE = 0xFE
_STAND_INS = (0xFD, 0xFC, 0xFB, 0xFA)
#: Cells quoted in SQL when needed: the free text that often holds a comma or a line break.
_SQL_QUOTED = frozenset({"display_name", "company_name", "notes"})
#: Columns of free text, unchecked by kk.services.customer_rules: the only ones that may hold
#: a NUL (a JSON import's "\\u0000"); the checked ones (e-mail, phone, VAT ID, dates, …) cannot.
_FREE_TEXT = frozenset(
    {"company_name", "salutation", "title", "first_name", "last_name", "display_name",
     "street", "postal_code", "city", "notes", "archive_reason"}
)  # fmt: skip
_BOOLEANS = frozenset({"is_template", "do_not_contact"})
_LABEL_NAMES = (
    "SELECT l.name AS name FROM customer_label cl JOIN label l ON l.id = cl.label_id "
    "WHERE cl.customer_id = c.id ORDER BY l.name"
)


def export(
    connection: sqlite3.Connection,
    query: CustomerQuery,
    out: BinaryIO,
    *,
    fmt: str,
    excel: bool = False,
    raw: bool = False,
    progress: Callable[[int], None] | None = None,
    jobs: int | None = None,
) -> int | None:
    """Write the customers of ``query`` to ``out`` in ``fmt`` and return the count, or
    write nothing and return None where only the generic path writes it exactly.

    That is vCard, a ranked or descending order, JSON without SQLite's built-in JSON
    (3.38), and a label name that is empty or holds the unit separator (the generic reader
    splits the labels on it and drops a lone empty name) or a NUL. The labels are checked
    in the same read transaction as the export reads, so no writer can slip one in.
    """
    if fmt not in FORMATS or query.sort != "number" or query.desc or query.tiers:
        return None
    if fmt != "csv" and sqlite3.sqlite_version_info < (3, 38):
        return None
    path = _file_of(connection)
    chunks = _chunks(connection, jobs, path)
    with _read_transaction(connection):
        if not _labels_fit(connection):
            return None
        lines = _lines(connection, fmt, excel=excel, raw=raw)
        out.write(lines.start())
        count = 0
        if chunks is not None:
            with tempfile.TemporaryDirectory(prefix="kk-export-", dir=_spool_dir()) as spool:
                task = _Task(path, query, fmt, excel, raw, spool)
                for path, rendered in _rendered(task, chunks, jobs or default_jobs()):
                    first = rendered and count == 0 and fmt == "json"
                    if first:  # the first element has no comma before it
                        out.write(b"[\n")
                    _copy(path, out, skip=2 if first else 0)
                    count += rendered
                    if progress is not None:
                        progress(count)
        else:
            sql, params = _select(lines, query)
            with closing(connection.execute(sql, params)) as cursor:
                while rows := cursor.fetchmany(BATCH):
                    out.write(lines.batch(rows, first=count == 0))
                    count += len(rows)
                    if progress is not None and count % PROGRESS_EVERY == 0:
                        progress(count)
        out.write(lines.end(count))
    return count


def _lines(
    connection: sqlite3.Connection, fmt: str, *, excel: bool, raw: bool, labels: str = ""
) -> _CsvLines | _JsonLines:
    """The renderer of ``fmt``; ``labels``: the SQL of a customer's label names in order."""
    labels = labels or _LABEL_NAMES
    if fmt == "csv":
        return _CsvLines(connection, excel=excel, raw=raw, labels=labels)
    return _JsonLines(connection, array=fmt == "json", labels=labels)


def _select(
    lines: _CsvLines | _JsonLines, query: CustomerQuery, ids: tuple[int, int] | None = None
) -> tuple[str, list[Any]]:
    """The statement of ``query``'s lines in number order (with ``ids``: lo <= id < hi)."""
    source, where, params, key = number_order(query)
    if ids is not None:
        where = f"{where} AND {key} >= ? AND {key} < ?"
        params = [*params, *ids]
    return f"SELECT {lines.select()} FROM {source} WHERE {where} ORDER BY {key}", params


# --- on several cores ------------------------------------------------------------------

#: Customer ids per chunk rendered by a worker process (~8 MB of CSV, ~22 MB of JSON,
#: streamed to its spool file): each chunk pays a connection, a compiled statement and its
#: label table; at 10,000 that cost JSON Lines at 1M customers ~4 % more time.
CHUNK_IDS = 25_000


def default_jobs() -> int:
    """One process per core, at most 4 (this one only writes what they render)."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class _Task:
    path: str
    query: CustomerQuery
    fmt: str
    excel: bool
    raw: bool
    spool: str  # a directory for the rendered chunks


def _file_of(connection: sqlite3.Connection) -> str:
    return str(connection.execute("PRAGMA database_list").fetchone()[2] or "")


def _chunks(
    connection: sqlite3.Connection, jobs: int | None, path: str
) -> list[tuple[int, int]] | None:
    """The id ranges to render on several cores, or None to render here in one statement.

    Rendering is SQLite's work in one thread, ~12 µs a customer, so a big export spreads
    it over processes with their own connections (threads measured no faster: this build
    serialises connections of one process). Each chunk is its own read transaction, as
    the keyset pages of the generic path always were; a single statement (small exports,
    one core, an open transaction, a database in memory) reads one snapshot.
    """
    cores = default_jobs() if jobs is None else jobs
    if cores < 2 or connection.in_transaction or not path:
        return None
    low, high = connection.execute("SELECT min(id), max(id) FROM customer").fetchone()
    if low is None or high - low < 4 * CHUNK_IDS:
        return None
    return [(lo, lo + CHUNK_IDS) for lo in range(low, high + 1, CHUNK_IDS)]


def _render(task: _Task, ids: tuple[int, int]) -> tuple[str, int]:
    """One chunk's lines (a JSON array's with their leading comma) in a temporary file of
    ``task.spool``, and their count. A file, not the result itself: shipping the chunks
    through the pool's pipe cost the writing process as much CPU as the workers saved
    (JSON Lines at 1M: 79,000 rows/s); the file goes to the output by the kernel
    (os.sendfile)."""
    with closing(sqlite3.connect(task.path, isolation_level=None)) as connection:
        with _read_transaction(connection):
            if not _labels_fit(connection):
                raise KkError("a label was renamed during the export: run it again")
            lines = _lines(
                connection, task.fmt, excel=task.excel, raw=task.raw,
                labels=_sorted_labels(connection, ids),
            )  # fmt: skip
            sql, params = _select(lines, task.query, ids)
            path, count = os.path.join(task.spool, f"{ids[0]}"), 0
            with open(path, "wb") as spool, closing(connection.execute(sql, params)) as cursor:
                while rows := cursor.fetchmany(BATCH):
                    spool.write(lines.batch(rows, first=False))
                    count += len(rows)
    return path, count


def _sorted_labels(connection: sqlite3.Connection, ids: tuple[int, int]) -> str:
    """The chunk's label names sorted once into a temporary table; returns the SQL of one
    customer's names from it, in name order without a sort per customer (rows inserted
    in order have ascending rowids, which the customer_id index keeps per customer).
    Measured: 1.7 of the ~15 µs a customer costs to render went to those small sorts."""
    connection.execute(
        "CREATE TEMP TABLE chunk_label AS SELECT cl.customer_id AS customer_id, l.name AS name "
        "FROM customer_label cl JOIN label l ON l.id = cl.label_id "
        "WHERE cl.customer_id >= ? AND cl.customer_id < ? ORDER BY cl.customer_id, l.name",
        ids,
    )
    connection.execute("CREATE INDEX temp.chunk_label_customer ON chunk_label (customer_id)")
    return "SELECT name FROM temp.chunk_label WHERE customer_id = c.id"


def _spool_dir() -> str | None:
    """Memory-backed /dev/shm where there is one (Linux): the chunks are written once and
    read once, and a disk file system's journal only slows that down. At most 2 x jobs
    chunks (~10 MB each) exist at a time."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def _copy(path: str, out: BinaryIO, skip: int) -> None:
    """Append the file at ``path`` (without its first ``skip`` bytes) to ``out``; remove it."""
    with open(path, "rb") as spool:
        size = os.fstat(spool.fileno()).st_size - skip
        try:
            target = out.fileno()
        except (AttributeError, OSError, ValueError):  # BytesIO and the like
            spool.seek(skip)
            out.write(spool.read())
        else:
            out.flush()
            offset = skip
            while size > 0:
                sent = os.sendfile(target, spool.fileno(), offset, size)
                offset, size = offset + sent, size - sent
    os.unlink(path)


def _rendered(task: _Task, chunks: list[tuple[int, int]], jobs: int) -> Iterator[tuple[str, int]]:
    """The chunks rendered by ``jobs`` processes, in order, at most 2 x jobs in flight."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with context.Pool(jobs) as pool:
        flight: deque[Any] = deque()
        for ids in chunks:
            flight.append(pool.apply_async(_render, (task, ids)))
            if len(flight) > 2 * jobs:
                yield flight.popleft().get()
        while flight:
            yield flight.popleft().get()


@contextmanager
def _read_transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """One snapshot for all the statements inside (the caller's, if it has one open)."""
    if connection.in_transaction:
        yield
        return
    connection.execute("BEGIN")
    try:
        yield
    finally:
        if connection.in_transaction:  # a broken connection has ended it already
            connection.execute("ROLLBACK")


def _labels_fit(connection: sqlite3.Connection) -> bool:
    odd = connection.execute(
        "SELECT 1 FROM label WHERE name = '' OR instr(name, char(31)) OR instr(name, char(0)) "
        "LIMIT 1"
    ).fetchone()
    return odd is None


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_byte(value: int) -> str:
    """A one-byte text constant (SQLite computes it once per statement)."""
    return f"CAST(X'{value:02X}' AS TEXT)"


# --- JSON ------------------------------------------------------------------------------


class _JsonLines:
    """One JSON object per customer, as ``json.dumps(record, ensure_ascii=False)``."""

    def __init__(self, connection: sqlite3.Connection, *, array: bool, labels: str) -> None:
        self.labels = labels
        self.array = array
        names = [row[0] for row in connection.execute("SELECT name FROM label")]
        # no json_quote per label when no name needs escaping
        self.plain_labels = all(json.dumps(n, ensure_ascii=False) == f'"{n}"' for n in names)

    def select(self) -> str:
        """The object as bytes, keys and separators in a ``format()`` template; an array's
        elements start with their ``,`` and line break (the first one's is replaced)."""
        template = ", ".join(
            json.dumps(key, ensure_ascii=False).replace("%", "%%") + ": %s" for key in CUSTOMER_KEYS
        )
        template = (",\n{" + template + "}") if self.array else ("{" + template + "}\n")
        values = ", ".join(self._value(key) for key in CUSTOMER_KEYS)
        return f"CAST(format({_sql_text(template)}, {values}) AS BLOB)"

    def _value(self, key: str) -> str:
        if key == "labels":
            items = (
                """'["' || group_concat(name, '", "') || '"]'"""
                if self.plain_labels
                else "'[' || group_concat(json_quote(name), ', ') || ']'"
            )
            return f"ifnull((SELECT {items} FROM ({self.labels})), '[]')"
        if key == "roles":
            # stored "customer,supplier": json_quote never writes a comma of its own
            return (
                "CASE WHEN ifnull(c.roles, '') = '' THEN '[]' "
                """ELSE '[' || replace(json_quote(c.roles), ',', '", "') || ']' END"""
            )
        if key == "archived":
            return "CASE WHEN c.archived_at IS NULL THEN 'false' ELSE 'true' END"
        if key in _BOOLEANS:
            return f"CASE WHEN c.{key} THEN 'true' ELSE 'false' END"
        return f"CASE WHEN c.{key} IS NULL THEN 'null' ELSE json_quote(c.{key}) END"

    def start(self) -> bytes:
        return b""

    def batch(self, rows: list[tuple[bytes]], *, first: bool) -> bytes:
        text = b"".join(map(_first, rows))
        return b"[\n" + text[2:] if self.array and first else text

    def end(self, count: int) -> bytes:
        if not self.array:
            return b""
        return b"\n]\n" if count else b"[]\n"


# --- CSV -------------------------------------------------------------------------------


def quote_forcing(delimiter: str, lineterminator: str) -> str:
    """The characters that make csv.writer quote a field, asked of the csv module: Python
    3.11 quotes a CR only when the line terminator holds one, later versions always."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    forcing = ""
    for code in range(128):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["a" + chr(code) + "b", "c"])
        if buffer.getvalue().startswith('"'):
            forcing += chr(code)
    return forcing


def _formula_check(x: str) -> str:
    """SQL: does ``x`` (``'`` stripped) start with a formula character (csv_out.neutralise)?

    Comparisons first pass most cells without a function call: every character that may
    need a ``'`` sorts below the first one that never does, except in one gap (the digits),
    which a second comparison skips. ``ltrim`` (which copies) only for a leading ``'``.
    """
    codes = sorted({ord(char) for char in ("'", *FORMULA_STARTS)})
    after = max(code for code in codes if code < ord("0"))
    before = min(code for code in codes if code > ord("9"))
    below, gap_from, gap_to = (_sql_text(chr(code)) for code in (codes[-1] + 1, after + 1, before))
    starts = ", ".join(str(ord(char)) for char in FORMULA_STARTS)
    return (
        f"{x} < {below} AND ({x} < {gap_from} OR {x} >= {gap_to}) AND (unicode({x}) IN ({starts}) "
        f"OR (unicode({x}) = 39 AND unicode(ltrim({x}, '''')) IN ({starts})))"
    )


def _has(text: str, char: str) -> str:
    return f"instr({text}, char({ord(char)}))"


class _CsvLines:
    """CSV lines as csv.writer writes the generic path's cells."""

    def __init__(
        self, connection: sqlite3.Connection, *, excel: bool, raw: bool, labels: str
    ) -> None:
        self.labels = labels
        self.connection = connection
        self.excel, self.raw = excel, raw
        self.delimiter = ";" if excel else ","
        self.terminator = "\r\n" if excel else "\n"
        forcing = quote_forcing(self.delimiter, self.terminator)
        others = forcing.replace('"', "")
        if '"' not in forcing or len(others) > len(_STAND_INS):
            raise ValueError(f"unexpected csv quoting rules: {forcing!r}")
        self.forcing = forcing.encode("ascii")
        self.stand_ins = dict(zip(others, _STAND_INS, strict=False))
        table = bytearray(range(256))
        table[_SEP] = ord(self.delimiter)
        table[_QUOTE] = ord('"')
        for char, stand_in in self.stand_ins.items():
            table[stand_in] = ord(char)
        self.table = bytes(table)
        self.buffer = io.StringIO()
        # the real line terminator: its characters are among those that force quotes
        self.writer = csv.writer(
            self.buffer, delimiter=self.delimiter, lineterminator=self.terminator
        )
        self.again = (
            f"SELECT {', '.join(self._cell(key, plain=True) for key in CUSTOMER_KEYS)} "
            "FROM customer c WHERE c.id = ?"
        )

    def select(self) -> str:
        """The id (to read an odd line again) and the cells as bytes, separated by the
        separator byte."""
        template = f" || {_sql_byte(_SEP)} || ".join(["'%s'"] * len(CUSTOMER_KEYS))
        cells = ", ".join(self._cell(key) for key in CUSTOMER_KEYS)
        return f"c.id, CAST(format({template}, {cells}) AS BLOB)"

    def _cell(self, key: str, *, plain: bool = False) -> str:
        """SQL of one cell; ``plain``: as csv.writer takes it (no quoting, NUL kept)."""
        if key == "archived":
            return "CASE WHEN c.archived_at IS NULL THEN 'false' ELSE 'true' END"
        if key in _BOOLEANS:
            return f"CASE WHEN c.{key} THEN 'true' ELSE 'false' END"
        if key == "labels":
            text = "group_concat(name, ';')"  # an aggregate named twice is computed once
            cell = self._neutralised(text)
            if self.excel and not plain:
                cell = self._quoted(cell, text, _has(text, self.delimiter))
            return f"(SELECT {cell} FROM ({self.labels}))"
        column = f"c.{key}"
        if key == "roles":
            # the first character decides alone: a ',' and its ';' are both safe
            cell = self._neutralised("replace(c.roles, ',', ';')", column)
            if self.excel and not plain:
                cell = self._quoted(cell, column, f"{_has(column, ',')} OR {_has(column, ';')}")
            return cell
        cell = self._neutralised(column)
        if plain:
            return cell
        if key in _SQL_QUOTED:
            cell = self._quoted(cell, column, _has(column, self.delimiter))
        if key in _FREE_TEXT:  # a quote marks the line to be read again
            cell = f"CASE WHEN {_has(column, chr(0))} THEN '\"' ELSE {cell} END"
        return cell

    def _neutralised(self, x: str, check: str | None = None) -> str:
        """SQL: ``x`` with a leading ``'`` if it would run as a formula (``check``: a
        cheaper expression that starts with the same kind of character)."""
        if self.raw:
            return x
        return f"CASE WHEN {_formula_check(check or x)} THEN '''' || {x} ELSE {x} END"

    def _quoted(self, cell: str, text: str, delimited: str) -> str:
        """SQL: ``cell`` quoted as csv.writer would if ``text`` holds a quote-forcing
        character (``delimited``: whether it holds the delimiter; the ``'`` of neutralising
        forces nothing), with stand-in bytes for the quote and those characters so that
        the batch check still finds none."""
        quote = _sql_byte(_QUOTE)
        others = [char for char in self.stand_ins if char != self.delimiter]
        rare = " OR ".join(_has(text, char) for char in ['"', *others])
        inner = f"replace({cell}, '\"', {quote} || {quote})"
        for char, stand_in in self.stand_ins.items():
            inner = f"replace({inner}, char({ord(char)}), {_sql_byte(stand_in)})"
        # the common case, "Müller, Anna", needs one replace instead of a chain
        delimiter = _sql_byte(self.stand_ins[self.delimiter])
        only_delimiter = f"replace({cell}, {_sql_text(self.delimiter)}, {delimiter})"
        return (
            f"CASE WHEN {rare} THEN {quote} || {inner} || {quote} "
            f"WHEN {delimited} THEN {quote} || {only_delimiter} || {quote} ELSE {cell} END"
        )

    def start(self) -> bytes:
        self.writer.writerow(CUSTOMER_KEYS)
        return (("\ufeff" if self.excel else "") + self._written()).encode("utf-8")

    def batch(self, rows: list[tuple[int, bytes]], *, first: bool) -> bytes:
        """CSV of a batch of lines. The check counts the quote-forcing characters: the
        line terminators joining the batch, and none else unless a line needs csv.writer."""
        terminator, forcing = self.terminator.encode("ascii"), self.forcing
        lines = [*map(_second, rows), b""]  # the empty one: a terminator after the last line
        text = terminator.join(lines)
        if len(text) - len(text.translate(None, forcing)) != len(terminator) * len(rows):
            lines = [
                self._again(row_id) if len(line.translate(None, forcing)) != len(line) else line
                for row_id, line in rows
            ]
            text = terminator.join([*lines, b""])
        return text.translate(self.table)

    def _again(self, row_id: int) -> bytes:
        """One customer read again cell by cell and written by csv.writer (its bytes hold
        no stand-in, so the batch's translate leaves them as they are)."""
        cells: tuple[Any, ...] = self.connection.execute(self.again, (row_id,)).fetchone()
        self.writer.writerow(cells)
        return self._written()[: -len(self.terminator)].encode("utf-8")

    def end(self, count: int) -> bytes:
        return b""

    def _written(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text
