"""Shared by the search, filter and selection tests: customers in bulk, and paging a
command through to its end with the token it prints."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from tests.conftest import Kk

STAMP = "2025-01-01T12:00:00+00:00"


def bulk(path: Path, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Customers inserted by SQL (500 `kk customer add` would take a minute), indexed for
    search afterwards like a bulk import does; their numbers."""
    from kk.services import search_index
    from kk.text import fold

    numbers = []
    with closing(sqlite3.connect(path)) as connection:
        last = connection.execute("SELECT max(id) FROM customer").fetchone()[0] or 0
        for i, row in enumerate(rows, last + 1):
            values = {"kind": "private", "created_at": STAMP, "updated_at": STAMP, **row}
            if "display_name" not in values:
                values["display_name"] = values.get("company_name") or (
                    f"{values.get('last_name')}, {values.get('first_name')}"
                )
            values.update(id=i, number=f"CUS-{i:04d}", sort_key=fold(values["display_name"]))
            keys = list(values)
            connection.execute(
                f"INSERT INTO customer ({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})",
                [values[key] for key in keys],
            )
            numbers.append(values["number"])
        connection.execute(
            "UPDATE counter SET value = ? WHERE name = 'customer'", (last + len(rows),)
        )
        search_index.index_after(connection, last)
        connection.commit()
    return numbers


def sql(path: Path, statement: str, *params: Any) -> None:
    """Change rows behind kk's back (timestamps a test needs to control)."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(statement, params)
        connection.commit()


def all_pages(kk: Kk, *args: str, limit: int = 7) -> list[str]:
    """Every customer number of a listing command, page by page in table mode, following
    the `--after TOKEN` line on stderr until there is none."""
    numbers: list[str] = []
    after: list[str] = []
    while True:
        page = kk.json(*args, "--limit", str(limit), *after)
        numbers += [row["number"] for row in page]
        table = kk(*args, "--limit", str(limit), *after)
        assert table.exit_code == 0, table.stderr
        lines = table.stderr.splitlines()
        if not lines:
            assert len(page) <= limit
            return numbers
        assert lines[-1].startswith("--after ") and len(lines[-1].split(" ")) == 2, lines
        assert len(page) == limit
        after = ["--after", lines[-1].split(" ", 1)[1]]
