"""Checked import rows into the customer table, inside the import's one transaction.

Rows arrive in batches. For each batch the numbers, e-mail addresses and VAT IDs are looked
up in the database at once; rows of the same batch are matched against each other in
memory; earlier batches are in the database already, so duplicates inside the file and
against the database are the same check. New customers are written with one executemany
per batch; their audit entries and search index rows are written set-based at the end.

Numbers: a row with a number keeps it when it is free (the counter moves past it); a row
without one gets the next number above everything used so far. Should a later row bring
exactly a number that was handed to an earlier row without one, that earlier row moves to
a new number (it had none of its own), so the file's own numbers always win.
"""

from __future__ import annotations

import sqlite3
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kk.errors import ValidationFailed
from kk.services import audit, numbers, search_index
from kk.services.customer_rules import FIELDS, clean_customer
from kk.services.import_rows import (
    EMAIL,
    INSERT_COLUMNS,
    VAT_ID,
    Prepared,
    reason_of,
)

_COLUMNS = ("id", "number", *INSERT_COLUMNS)
_INSERT = f"INSERT INTO customer ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_CURRENT = f"SELECT {', '.join(FIELDS)}, number, archived_at, restricted FROM customer WHERE id = ?"
_INSERT_TEXTS = (
    f"INSERT INTO customer_fts (rowid, {', '.join(search_index.COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(search_index.COLUMNS) + 1))})"
)
_CHUNK = 500  # parameters per IN (...) lookup
#: Page cache (KiB) while the dropped indexes are built at the end of a bulk load.
_BUILD_CACHE_KIB = 8 * 1024
#: Past this many rows, and more than the table held, secondary indexes are rebuilt at the
#: end instead of kept up to date row by row (a sorted build is several times cheaper).
BULK_ROWS = 50_000
#: Indexes the import itself reads while it runs (duplicate checks).
_KEPT_INDEX_COLUMNS = frozenset({"email", "vat_id"})
_WHAT = {"number": "number", "email": "e-mail address", "vat_id": "VAT ID"}


@dataclass
class Counts:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


@dataclass
class Refusal:
    """Why the store would not take a checked row: the key at fault, its value, a reason."""

    key: str
    value: Any
    reason: str


@dataclass
class _Lookup:
    """The batch's numbers, e-mails and VAT IDs as the database had them before it."""

    ids: dict[int, tuple[str, str | None, int]] = field(default_factory=dict)
    emails: dict[str, int] = field(default_factory=dict)
    vats: dict[str, int] = field(default_factory=dict)


class Store:
    """Writes one import. Call :meth:`add` per batch, then :meth:`finish` once."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        *,
        actor: str,
        now: str,
        on_duplicate: str,
        source: str,
        default_country: str = "DE",
    ) -> None:
        self.conn = connection
        self.actor = actor
        self.now = now
        self.on_duplicate = on_duplicate
        self.source = source
        self.default_country = default_country
        row = connection.execute("SELECT value FROM counter WHERE name = 'customer'").fetchone()
        highest = connection.execute("SELECT coalesce(max(id), 0) FROM customer").fetchone()[0]
        #: Every id above this one was written by this import.
        self.start: int = max(int(row[0]) if row else 0, int(highest))
        self.existing: int = connection.execute("SELECT count(*) FROM customer").fetchone()[0]
        self.top = self.start
        self.allocated: array[int] = array("q")  # numbers given to rows without one, ascending
        self.lines: array[int] = array("I")  # file line of each new customer, by id - start
        self.counts = Counts()
        self._pending: list[list[Any]] = []
        self._pending_at: dict[int, int] = {}  # id -> index in _pending
        self._batch_emails: dict[str, int] = {}
        self._batch_vats: dict[str, int] = {}
        self._labels: list[tuple[int, list[str]]] = []
        self._texts: dict[int, tuple[str, ...]] = {}  # id -> search texts of pending rows
        self.indexed_as_written = False  # set when every pending row brings its texts
        self._label_ids: dict[str, int] = {}
        self._reindex: list[int] = []
        self._dropped: list[str] = []
        self._bulk = False  # a load larger than the table: indexes are built at the end

    # --- batches ------------------------------------------------------------------------

    def add(self, batch: Sequence[Prepared]) -> list[tuple[Prepared, Refusal]]:
        """Insert, update or skip the checked rows of a batch; return the rows refused
        (duplicates that may not be skipped or updated)."""
        good = [p for p in batch if p.values is not None and not p.errors]
        lookup = self._lookup(good)
        refused = []
        for prepared in good:
            refusal = self._one(prepared, lookup)
            if refusal is not None:
                refused.append((prepared, refusal))
        self._flush()
        if self.counts.imported >= max(BULK_ROWS, self.existing):
            self.expect(self.counts.imported)
        return refused

    def expect(self, rows: int) -> None:
        """Say how many rows the file holds (an estimate will do): a large import, larger
        than the table, builds the indexes it does not read once at the end."""
        if not self._dropped and rows >= max(BULK_ROWS, self.existing):
            self._drop_indexes()
            self._bulk = True
            search_index.defer_merges(self.conn)

    def _lookup(self, rows: Sequence[Prepared]) -> _Lookup:
        found = _Lookup()
        wanted = [p.number for p in rows if p.number is not None]
        for chunk in _chunks(wanted):
            marks = ", ".join("?" * len(chunk))
            for cid, number, archived_at, restricted in self.conn.execute(
                f"SELECT id, number, archived_at, restricted FROM customer WHERE id IN ({marks})",
                chunk,
            ):
                found.ids[cid] = (number, archived_at, restricted)
        for column, index, target in (
            ("email", EMAIL, found.emails),
            ("vat_id", VAT_ID, found.vats),
        ):
            values = list({p.values[index] for p in rows if p.values and p.values[index]})
            for chunk in _chunks(values):
                marks = ", ".join("?" * len(chunk))
                for value, cid in self.conn.execute(
                    f"SELECT {column}, min(id) FROM customer WHERE {column} IN ({marks}) "
                    f"AND restricted = 0 GROUP BY {column}",
                    chunk,
                ):
                    target[value] = cid
        return found

    def _one(self, prepared: Prepared, lookup: _Lookup) -> Refusal | None:
        assert prepared.values is not None
        values = prepared.values
        number = prepared.number
        matches: dict[int, list[str]] = {}
        if number is not None:
            if number in self._pending_at:
                if self._is_allocated(number):
                    self._move_pending(number)
                else:
                    matches[number] = ["number"]
            elif number in lookup.ids:
                if number > self.start and self._is_allocated(number):
                    self._move_stored(number, lookup)
                elif lookup.ids[number][2]:
                    return Refusal(
                        "number", numbers.format_number(number),
                        "this number belonged to a customer erased under the DSGVO; "
                        "numbers are never given again",
                    )  # fmt: skip
                else:
                    matches[number] = ["number"]
            elif number <= self.start:
                return Refusal(
                    "number", numbers.format_number(number),
                    "this number was given before (to a customer since erased); numbers are "
                    "never given again",
                )  # fmt: skip
        for key, value, batch, stored in (
            ("email", values[EMAIL], self._batch_emails, lookup.emails),
            ("vat_id", values[VAT_ID], self._batch_vats, lookup.vats),
        ):
            if value:
                cid = batch.get(value) or stored.get(value)
                if cid is not None:
                    matches.setdefault(cid, []).append(key)
        if not matches:
            self._insert(prepared)
            return None
        return self._duplicate(prepared, matches, lookup)

    # --- numbers ------------------------------------------------------------------------

    def _allocate(self) -> int:
        self.top += 1
        self.allocated.append(self.top)
        return self.top

    def _is_allocated(self, number: int) -> bool:
        i = bisect_left(self.allocated, number)
        return i < len(self.allocated) and self.allocated[i] == number

    def _unallocate(self, number: int) -> None:
        del self.allocated[bisect_left(self.allocated, number)]

    def _move_pending(self, number: int) -> None:
        """Give the not yet written row holding ``number`` (it came without one) another."""
        self._unallocate(number)
        new = self._allocate()
        index = self._pending_at.pop(number)
        row = self._pending[index]
        row[0], row[1] = new, numbers.format_number(new)
        self._pending_at[new] = index
        for mapping in (self._batch_emails, self._batch_vats):
            for key in [k for k, v in mapping.items() if v == number]:
                mapping[key] = new
        self._labels = [(new if cid == number else cid, names) for cid, names in self._labels]
        if number in self._texts:
            self._texts[new] = self._texts.pop(number)
        self._set_line(new, self._line_of(number))

    def _move_stored(self, number: int, lookup: _Lookup) -> None:
        """Give the written row holding ``number`` (it came without one) another; its
        labels follow (foreign keys are checked at commit, see :meth:`begin`)."""
        self._unallocate(number)
        new = self._allocate()
        self.conn.execute(
            "UPDATE customer SET id = ?, number = ? WHERE id = ?",
            (new, numbers.format_number(new), number),
        )
        self.conn.execute(
            "UPDATE customer_label SET customer_id = ? WHERE customer_id = ?", (new, number)
        )
        if self.indexed_as_written:
            search_index.remove(self.conn, [number])
            search_index.index_customers(self.conn, [new])
        del lookup.ids[number]
        for mapping in (lookup.emails, lookup.vats):
            for key in [k for k, v in mapping.items() if v == number]:
                mapping[key] = new
        self._set_line(new, self._line_of(number))

    def _set_line(self, cid: int, line: int) -> None:
        offset = cid - self.start
        lines = self.lines
        if offset == len(lines):  # the usual case: the next number in turn
            lines.append(line)
            return
        if offset >= 10_000_000:
            return
        if offset > len(lines):
            lines.extend([0] * (offset - len(lines)))
            lines.append(line)
        else:
            lines[offset] = line

    def _line_of(self, cid: int) -> int:
        offset = cid - self.start
        return self.lines[offset] if 0 <= offset < len(self.lines) else 0

    # --- writing ------------------------------------------------------------------------

    def _insert(self, prepared: Prepared) -> None:
        assert prepared.values is not None
        if prepared.number is not None:
            cid = prepared.number
            self.top = max(self.top, cid)
        else:
            cid = self._allocate()
        self._pending_at[cid] = len(self._pending)
        self._pending.append([cid, numbers.format_number(cid), *prepared.values])
        if prepared.values[EMAIL]:
            self._batch_emails[prepared.values[EMAIL]] = cid
        if prepared.values[VAT_ID]:
            self._batch_vats[prepared.values[VAT_ID]] = cid
        if prepared.labels:
            self._labels.append((cid, prepared.labels))
        if prepared.texts is not None:
            self._texts[cid] = prepared.texts
        self._set_line(cid, prepared.line)
        self.counts.imported += 1

    def _flush(self) -> None:
        if self._pending:
            self.conn.executemany(_INSERT, self._pending)
        if self._labels:
            self.conn.executemany(
                "INSERT OR IGNORE INTO customer_label (customer_id, label_id) VALUES (?, ?)",
                [(cid, self._label_id(name)) for cid, names in self._labels for name in names],
            )
        if self.indexed_as_written and self._pending:
            self.conn.executemany(
                _INSERT_TEXTS,
                [
                    (row[0], search_index.number_text(row[1]), *self._texts[row[0]])
                    for row in self._pending
                ],
            )
        if self._reindex:
            search_index.index_customers(self.conn, self._reindex)
        self._pending = []
        self._texts = {}
        self._pending_at = {}
        self._batch_emails = {}
        self._batch_vats = {}
        self._labels = []
        self._reindex = []

    def _label_id(self, name: str) -> int:
        cached = self._label_ids.get(name)
        if cached is not None:
            return cached
        row = self.conn.execute(
            "SELECT id FROM label WHERE name = ? COLLATE NOCASE", (name,)
        ).fetchone()
        label_id = int(
            row[0]
            if row
            else self.conn.execute(
                "INSERT INTO label (name) VALUES (?) RETURNING id", (name,)
            ).fetchone()[0]
        )
        self._label_ids[name] = label_id
        return label_id

    # --- duplicates ---------------------------------------------------------------------

    def _describe(self, cid: int, key: str) -> str:
        what = _WHAT[key]
        if cid > self.start:
            line = self._line_of(cid)
            return f"{f'line {line}' if line else 'an earlier row'} has the same {what}"
        if key == "number":
            return f"{numbers.format_number(cid)} exists already"
        return f"{numbers.format_number(cid)} has this {what} already"

    def _duplicate(
        self, prepared: Prepared, matches: dict[int, list[str]], lookup: _Lookup
    ) -> Refusal | None:
        assert prepared.values is not None
        cid, keys = next(iter(matches.items()))
        key = keys[0]
        value = _value_of(prepared, key)
        if self.on_duplicate == "skip":
            self.counts.skipped += 1
            return None
        if self.on_duplicate == "error":
            return Refusal(
                key, value,
                f"duplicate: {self._describe(cid, key)} (--on-duplicate skip or update)",
            )  # fmt: skip
        if len(matches) > 1:
            named = " and ".join(
                f"{_WHAT[k]} {numbers.format_number(c)}"
                for c, ks in matches.items()
                for k in ks[:1]
            )
            return Refusal(key, value, f"matches two customers ({named}): cannot update both")
        if prepared.number is not None and prepared.number != cid:
            return Refusal(
                "number", numbers.format_number(prepared.number),
                f"the {_WHAT[key]} belongs to {numbers.format_number(cid)}, which has another "
                "number: cannot tell which customer to update",
            )  # fmt: skip
        return self._update(prepared, cid, lookup)

    def _update(self, prepared: Prepared, cid: int, lookup: _Lookup) -> Refusal | None:
        if cid in self._pending_at:
            self._flush()
        row = self.conn.execute(_CURRENT, (cid,)).fetchone()
        current = dict(zip(FIELDS, row[: len(FIELDS)], strict=True))
        current["is_template"] = bool(current["is_template"])
        current["do_not_contact"] = bool(current["do_not_contact"])
        number, archived_at, restricted = row[len(FIELDS) :]
        if restricted:
            return Refusal("number", number, f"{number} was erased under the DSGVO")
        try:
            record = clean_customer(
                prepared.changes or {}, current=current, default_country=self.default_country
            )
        except ValidationFailed as error:
            key = error.field or "number"
            return Refusal(key, (prepared.changes or {}).get(key), reason_of(error))
        changed = audit.diff(current, {key: record[key] for key in FIELDS})
        labels_before = self._labels_of(cid)
        labels = prepared.labels
        if labels is not None and _folded(labels) != _folded(labels_before):
            changed["labels"] = (labels_before, labels)
        if not changed:
            self.counts.unchanged += 1
            return None
        if archived_at:
            return Refusal(
                "number", number,
                f"{number} is archived: an admin must restore it before it can be changed",
            )  # fmt: skip
        columns = [key for key in changed if key != "labels"]
        assignments = ", ".join(f"{key} = ?" for key in columns)
        self.conn.execute(
            f"UPDATE customer SET {assignments}{', ' if columns else ''}display_name = ?, "
            "sort_key = ?, updated_at = ?, updated_by = ? WHERE id = ?",
            [record[key] for key in columns]
            + [record["display_name"], record["sort_key"], self.now, self.actor, cid],
        )
        if "labels" in changed and labels is not None:
            self.conn.execute("DELETE FROM customer_label WHERE customer_id = ?", (cid,))
            self.conn.executemany(
                "INSERT OR IGNORE INTO customer_label (customer_id, label_id) VALUES (?, ?)",
                [(cid, self._label_id(name)) for name in labels],
            )
        if cid <= self.start:  # a customer of the file itself gets its one 'import' entry
            audit.record(
                self.conn, user=self.actor, entity="customer", entity_id=number,
                customer_id=cid, action="import", changes=changed,
            )  # fmt: skip
        if cid <= self.start or self.indexed_as_written:
            self._reindex.append(cid)
        for key, mapping in (("email", lookup.emails), ("vat_id", lookup.vats)):
            if key in changed:
                old, new = changed[key]
                if old and mapping.get(old) == cid:
                    del mapping[old]
                if new:
                    mapping[new] = cid
        self.counts.updated += 1
        return None

    def _labels_of(self, cid: int) -> list[str]:
        return [
            name
            for (name,) in self.conn.execute(
                "SELECT l.name FROM customer_label cl JOIN label l ON l.id = cl.label_id "
                "WHERE cl.customer_id = ? ORDER BY l.name",
                (cid,),
            )
        ]

    # --- the end ------------------------------------------------------------------------

    def _drop_indexes(self) -> None:
        """Drop the customer indexes the import does not read; :meth:`finish` builds them
        again from their own SQL, sorted in one pass."""
        for name, sql in self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('customer', 'customer_label')"
        ).fetchall():
            columns = {info[2] for info in self.conn.execute(f"PRAGMA index_info({_quote(name)})")}
            if "UNIQUE" in sql.upper() or columns & _KEPT_INDEX_COLUMNS:
                continue
            self.conn.execute(f"DROP INDEX {_quote(name)}")
            self._dropped.append(sql)

    def finish(self) -> None:
        """Write what is set-based: the counter, one 'import' audit entry per new customer,
        the dropped indexes, the search index rows of the new customers."""
        self._flush()
        numbers.reserve(self.conn, self.top)
        self.conn.execute(
            "INSERT INTO audit_entry (at, user, entity, entity_id, customer_id, action, field, "
            "old, new) SELECT ?, ?, 'customer', number, id, 'import', NULL, NULL, ? "
            "FROM customer WHERE id > ? ORDER BY id",
            (self.now, self.actor, self.source, self.start),
        )
        if self._dropped:
            # Each index build sorts in memory up to the page cache's size, on top of the
            # cache the load no longer needs; shrunk first, the builds reuse its memory
            # (measured at 300,000 rows: +8 MB peak RSS instead of +14).
            self.conn.execute(f"PRAGMA cache_size = -{_BUILD_CACHE_KIB}")
            for sql in self._dropped:
                self.conn.execute(sql)
            self._dropped = []
        if self.counts.imported and not self.indexed_as_written:
            search_index.index_after(self.conn, self.start)
        if self._bulk:
            search_index.merge_now(self.conn)


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _folded(names: Sequence[str]) -> list[str]:
    return sorted(name.casefold() for name in names)


def _value_of(prepared: Prepared, key: str) -> Any:
    assert prepared.values is not None
    if key == "number":
        return numbers.format_number(prepared.number) if prepared.number else None
    return prepared.values[EMAIL if key == "email" else VAT_ID]
