"""Rendering of results for the shell: table, json, jsonl, csv. One module, every command.

`table` is a rich table (plain when piped; width from $COLUMNS); rich is imported only
for it, so the json/jsonl/csv paths stay lean.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import Any


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def resolve(fmt: Format | str | None) -> str:
    """The format asked for, else `format` from config.toml, else table."""
    if fmt is not None:
        return fmt.value if isinstance(fmt, Format) else str(fmt)
    from kk import config

    return config.get("format") or "table"


_UTC_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?\+00:00$")


def _cell(value: Any) -> str:
    """A value as a table shows it: stored UTC times in local time, German style."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, str) and _UTC_STAMP.match(value):
        from kk.clock import local

        return local(value)
    return str(value)


def _csv_cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


#: Columns that take up the slack and are cut first; all others keep their natural width.
_FLEXIBLE = {
    "display_name": 16,
    "name": 12,
    "email": 14,
    "text": 20,
    "description": 16,
    "old": 10,
    "new": 10,
    "field": 12,
}
_CAP = 28


def _layout(
    rows: list[dict[str, Any]], columns: Sequence[tuple[str, str]], width: int
) -> list[tuple[str, str, int]]:
    """(key, header, width) of the leading columns that fit the terminal (at least two).

    Columns are listed by importance, so a narrow terminal loses the last ones whole
    instead of showing every cell cut to two letters. Fixed columns keep their natural
    width (up to a cap); the flexible ones (names, emails) share what is left."""
    natural = {
        key: max([len(header), *(len(_cell(row.get(key))) for row in rows)])
        for key, header in columns
    }
    kept: list[tuple[str, str]] = []
    used = -3  # each column costs padding on both sides and a separator; the edges none
    for key, header in columns:
        need = min(natural[key], _FLEXIBLE.get(key, _CAP)) + 3
        if len(kept) >= 2 and used + need > width:
            break
        kept.append((key, header))
        used += need
    widths = {key: min(natural[key], _FLEXIBLE.get(key, _CAP)) for key, _ in kept}
    spare = width - used
    for key, _header in kept:  # give the flexible columns what is left, in order
        if key in _FLEXIBLE and spare > 0:
            grow = min(spare, natural[key] - widths[key])
            widths[key] += grow
            spare -= grow
    return [(key, header, widths[key]) for key, header in kept]


def _fancy() -> bool:
    """Colour and rich only for a terminal (or FORCE_COLOR): piped tables are plain text."""
    return sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))


def _width() -> int:
    """The width of the output: the terminal's, else $COLUMNS, else 80 (as rich does)."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    try:
        return int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return 80


def _cell_len(text: str) -> int:
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _fit(text: str, width: int) -> str:
    """`text` cut to `width` cells (ending in …) and padded with spaces to exactly `width`."""
    text = " ".join(text.split("\n"))
    if _cell_len(text) > width:
        while text and _cell_len(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - _cell_len(text))


def _plain_table(
    rows: list[dict[str, Any]], shown: list[tuple[str, str, int]], title: str | None
) -> None:
    """The same layout as the rich table, written without importing rich (~60 ms saved)."""
    out = sys.stdout
    if title:
        out.write(title + "\n")
    gap = "   "
    out.write(gap.join(_fit(header, width) for _k, header, width in shown).rstrip() + "\n")
    out.write("─" * (sum(w for *_, w in shown) + len(gap) * (len(shown) - 1)) + "\n")
    for row in rows:
        line = gap.join(_fit(_cell(row.get(key)), width) for key, _h, width in shown)
        out.write(line.rstrip() + "\n")


def table(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    styles: Callable[[dict[str, Any]], str | None] | None = None,
    title: str | None = None,
) -> None:
    """One line per row (grep- and eye-friendly); cells too long for the terminal end in …."""
    materialised = list(rows)
    if not _fancy():
        _plain_table(materialised, _layout(materialised, columns, _width()), title)
        return
    from rich import box
    from rich.table import Table

    out = console()
    shown = _layout(materialised, columns, out.width)
    grid = Table(
        box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False,
        show_edge=False,
    )  # fmt: skip
    for _key, header, width in shown:
        grid.add_column(header, no_wrap=True, overflow="ellipsis", width=width)
    for row in materialised:
        style = styles(row) if styles else None
        grid.add_row(*(_cell(row.get(key)) for key, _h, _w in shown), style=style)
    out.print(grid)


def emit_list(
    rows: Iterable[dict[str, Any]],
    fmt: str,
    *,
    columns: Sequence[tuple[str, str]],
    keys: Sequence[str] | None = None,
    styles: Callable[[dict[str, Any]], str | None] | None = None,
) -> int:
    """Write many records; `columns` for the table, `keys` (default: all) for the data formats."""
    out = sys.stdout
    count = 0
    if fmt == "table":
        materialised = list(rows)
        table(materialised, columns, styles=styles)
        return len(materialised)
    if fmt == "json":
        out.write("[")
        for row in rows:
            out.write(
                ("," if count else "") + "\n" + json.dumps(_pick(row, keys), ensure_ascii=False)
            )
            count += 1
        out.write("\n]\n" if count else "]\n")
        return count
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(_pick(row, keys), ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.writer(out, lineterminator="\n")
    header: Sequence[str] | None = keys
    for row in rows:
        if header is None:
            header = list(row)
        if count == 0:
            writer.writerow(header)
        writer.writerow([_csv_cell(row.get(key)) for key in header])
        count += 1
    if count == 0 and header is not None:
        writer.writerow(header)
    return count


def _pick(row: dict[str, Any], keys: Sequence[str] | None) -> dict[str, Any]:
    return row if keys is None else {key: row.get(key) for key in keys}


def emit_one(
    record: dict[str, Any],
    fmt: str,
    *,
    fields: Sequence[tuple[str, str]],
    sections: Sequence[tuple[str, str, Sequence[tuple[str, str]]]] = (),
) -> None:
    """Write one record: a field/value table plus sub-tables, or one JSON object."""
    if fmt in ("json", "jsonl"):
        text = json.dumps(record, ensure_ascii=False, indent=2 if fmt == "json" else None)
        sys.stdout.write(text + "\n")
        return
    if fmt == "csv":
        flat = {k: v for k, v in record.items() if not isinstance(v, list | dict) or k == "labels"}
        emit_list([flat], "csv", columns=[], keys=list(flat))
        return
    pairs = [
        (label, _cell(record.get(key)))
        for key, label in fields
        if record.get(key) not in (None, "", [], False) or key in ("number", "kind")
    ]
    if _fancy():
        from rich.table import Table

        grid = Table(box=None, show_header=False, pad_edge=False)
        grid.add_column(style="bold")
        grid.add_column(overflow="fold")
        for label, value in pairs:
            grid.add_row(label, value)
        console().print(grid)
    else:
        wide = max((len(label) for label, _value in pairs), default=0)
        for label, value in pairs:
            sys.stdout.write(f"{label.ljust(wide)}  {value}\n")
    for key, title, columns in sections:
        items = record.get(key) or []
        if items:
            sys.stdout.write("\n")
            table(items, columns, title=title)


def message(text: str) -> None:
    """A message for the user (not data): always on stderr."""
    sys.stderr.write(text + "\n")
