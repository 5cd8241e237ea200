"""Shared bits of the import/export tests: files written the way real programs write them,
and reading a database back through `kk export jsonl`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "examples"


def csv_bytes(
    rows: list[list[str]], *, delimiter: str = ";", encoding: str = "utf-8", crlf: bool = True
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def ready(kk: Any) -> list[str]:
    """The dump of the test database once its first user exists (the first command of a
    test creates the admin; "nothing changed" is measured after that)."""
    from tests.conftest import dump

    kk.ok("user", "list")
    return dump(kk.path)


def customers(kk: Any, *args: str) -> list[dict[str, Any]]:
    """Every customer (archived ones too) as kk exports them, in number order."""
    out = kk.ok("export", "jsonl", "--include-archived", *args)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def by_name(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["display_name"]: r for r in records}
