"""How the TUI reaches the database from its worker threads.

sqlite3 connections belong to the thread that opened them, so every worker call opens its
own short-lived connection (measured ~0.25 ms) instead of sharing one. Writes import
SQLModel (~480 ms) on first use only, inside a worker, so the first screen never pays it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session


@contextmanager
def read(path: Path) -> Iterator[sqlite3.Connection]:
    """A stdlib connection for one worker call, closed afterwards."""
    from kk import db

    connection = db.connect(path)
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def write(path: Path) -> Iterator[Session]:
    """One IMMEDIATE write transaction: committed on success, rolled back on any error."""
    from kk.db import write_session

    with write_session(path) as session:
        yield session


def warm_up_writes() -> None:
    """Import the write path (SQLModel, models, services) before the first save needs it."""
    import kk.models  # noqa: F401
    import kk.services.customer_parts  # noqa: F401
    import kk.services.customers  # noqa: F401


class Interruptible:
    """The connection of the query running now, so a newer keystroke can cut it short.

    A search for a common word sorts tens of thousands of hits; when the user has typed
    on, that result is useless, and `sqlite3.Connection.interrupt()` (thread-safe by
    design) stops it at once instead of letting it hold the next query up.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    @contextmanager
    def running(self, connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._connection = connection
        try:
            yield connection
        finally:
            with self._lock:
                if self._connection is connection:
                    self._connection = None

    def interrupt(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.interrupt()
