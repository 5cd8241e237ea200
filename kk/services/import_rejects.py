"""Reject files: the rows an import refused, written back in the input's own format with a
reason added, so that a user can correct them and import that file again.

CSV keeps the header, delimiter and encoding of the input and adds a ``reject_reason``
column; JSON Lines and JSON get a ``reject_reason`` key; a vCard gets an
``X-KK-REJECT-REASON`` property. The importer ignores all three.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any, BinaryIO, Protocol

from kk.formats.rows import SourceRow

REASON = "reject_reason"


class RejectWriter(Protocol):
    def write(self, row: SourceRow, reason: str) -> None: ...

    def close(self) -> None: ...


class CsvRejects:
    """The input's header plus ``reject_reason``; each refused row's cells as read."""

    def __init__(
        self, out: BinaryIO, header: Sequence[str], *, delimiter: str, encoding: str
    ) -> None:
        self._text = io.TextIOWrapper(out, encoding=encoding, errors="replace", newline="")
        crlf = encoding.replace("_", "-").lower() not in ("utf-8", "utf8")
        self._writer = csv.writer(
            self._text, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n"
        )
        self._width = len(header)
        self._writer.writerow([*header, REASON])

    def write(self, row: SourceRow, reason: str) -> None:
        cells = list(row.raw)
        cells += [""] * (self._width - len(cells))
        self._writer.writerow([*cells, reason])

    def close(self) -> None:
        self._text.flush()
        self._text.detach()


def _object(row: SourceRow, reason: str) -> dict[str, Any]:
    text = row.raw[0] if row.raw else ""
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if isinstance(value, dict):
        value.pop(REASON, None)
        return {**value, REASON: reason}
    return {"reject_line": text, REASON: reason}


class JsonlRejects:
    """One JSON object per refused line, with ``reject_reason`` added (a line that is not a
    JSON object comes as ``reject_line``)."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out

    def write(self, row: SourceRow, reason: str) -> None:
        line = json.dumps(_object(row, reason), ensure_ascii=False) + "\n"
        self._out.write(line.encode("utf-8"))

    def close(self) -> None:
        self._out.flush()


class JsonRejects:
    """A JSON array of the refused elements, each with ``reject_reason``."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._count = 0

    def write(self, row: SourceRow, reason: str) -> None:
        text = json.dumps(_object(row, reason), ensure_ascii=False)
        self._out.write((("[\n" if self._count == 0 else ",\n") + text).encode("utf-8"))
        self._count += 1

    def close(self) -> None:
        self._out.write(b"\n]\n" if self._count else b"[]\n")
        self._out.flush()


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("\r\n", "\n").replace("\n", "\\n")
    return text.replace(",", "\\,").replace(";", "\\;")


class VcardRejects:
    """Each refused card as read, with ``X-KK-REJECT-REASON`` before its END:VCARD."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out

    def write(self, row: SourceRow, reason: str) -> None:
        lines = [line for line in row.raw if not line.upper().startswith("X-KK-REJECT-REASON")]
        property_ = f"X-KK-REJECT-REASON:{_escape(reason)}"
        if lines and lines[-1].strip().upper() == "END:VCARD":
            lines.insert(len(lines) - 1, property_)
        else:
            lines += [property_, "END:VCARD"] if lines else []
        self._out.write(("\r\n".join(lines) + "\r\n").encode("utf-8"))

    def close(self) -> None:
        self._out.flush()
