"""Checking import rows in worker processes, in file order, with bounded memory.

Checking a row (mapping its cells, the customer rules, the value libraries) is pure Python
and costs more than writing it, so on a file of more than one batch the batches are checked
by worker processes while this process reads the file and writes to the database. At most
a few batches are in flight (the file is not read ahead without bound), and results come
back in file order. A worker ends by itself when this process dies (kill -9 included): it
watches its parent, so no orphan is left behind.

Workers are forked while this process holds the import's write transaction. That is safe
because a worker never touches the inherited SQLite connection (SQLite's rule for fork) and
ends with os._exit, as multiprocessing's forked workers do, so it never closes it either;
POSIX record locks are not inherited, so the database's locks stay this process's alone.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kk.formats.rows import SourceRow
from kk.services.import_rows import Prepared, Preparer

Build = Callable[[SourceRow], SourceRow | None] | None
Batch = list[SourceRow]

_state: dict[str, Any] = {}


def check(batch: Batch, preparer: Preparer, build: Build) -> list[Prepared | None]:
    """The checked form of each row of ``batch`` (None for a blank row)."""
    out: list[Prepared | None] = []
    for row in batch:
        built = build(row) if build is not None else row
        out.append(None if built is None else preparer.prepare(built))
    return out


def default_jobs() -> int:
    """One worker per core beyond the first, at least one and at most 4: this process
    (reading, writing to SQLite) needs a core of its own. Measured on 2 cores at 46,000
    rows: two workers beside it made the import 20 % slower than one, because the writer,
    which every row waits for, then shares its core."""
    return max(1, min(4, (os.cpu_count() or 1) - 1))


def _init(preparer: Preparer, build: Build) -> None:
    _state["preparer"], _state["build"] = preparer, build
    parent = os.getppid()

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            threading.Event().wait(0.5)

    threading.Thread(target=watch, daemon=True).start()


# Batches travel as plain tuples: pickling dataclasses costs twice as much (measured:
# 11.6 + 9.1 µs a row for SourceRow objects, 5.6 + 5.3 for tuples).
Packed = list[tuple[Any, ...]]


def _pack_rows(batch: Batch) -> Packed:
    return [(r.line, r.record, r.raw, r.error, r.where, r.keys) for r in batch]


def _unpack_rows(packed: Packed) -> Batch:
    return [SourceRow(line, record, raw, error, where, keys)
            for line, record, raw, error, where, keys in packed]  # fmt: skip


def _pack_results(results: list[Prepared | None]) -> list[tuple[Any, ...] | None]:
    return [
        None if p is None
        else (p.line, p.where, p.number, p.values, p.labels, p.changes, p.errors, p.texts)
        for p in results
    ]  # fmt: skip


def _unpack_results(packed: list[tuple[Any, ...] | None]) -> list[Prepared | None]:
    return [None if t is None else Prepared(*t) for t in packed]


def _work(packed: Packed) -> list[tuple[Any, ...] | None]:
    return _pack_results(check(_unpack_rows(packed), _state["preparer"], _state["build"]))


def checked(
    batches: Iterable[Batch], preparer: Preparer, build: Build, jobs: int
) -> Iterator[tuple[Batch, list[Prepared | None]]]:
    """Each batch with its checked rows, in order; ``jobs`` worker processes (0: here)."""
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if second is None or jobs <= 0:
        yield first, check(first, preparer, build)
        if second is not None:
            yield second, check(second, preparer, build)
        for batch in batches:
            yield batch, check(batch, preparer, build)
        return
    import itertools
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with context.Pool(jobs, _init, (preparer, build)) as pool:
        flight: deque[tuple[Batch, Any]] = deque()
        for batch in itertools.chain((first, second), batches):
            flight.append((batch, pool.apply_async(_work, (_pack_rows(batch),))))
            if len(flight) > 2 * jobs:
                done, result = flight.popleft()
                yield done, _unpack_results(result.get())
        while flight:
            done, result = flight.popleft()
            yield done, _unpack_results(result.get())
