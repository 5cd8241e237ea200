"""Read customer CSV files as a stream of :class:`SourceRow`.

The first 64 KiB are sniffed for encoding and delimiter, then the rest streams through
``csv.reader``: memory stays constant however long the file (a million rows flow through).
Physical line numbers are kept so that the importer can say "line 4711" even after quoted
multi-line notes.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from kk.formats.headers import HeaderMap, map_headers
from kk.formats.rows import SourceRow
from kk.formats.sniff import detect_delimiter, detect_encoding, sep_line

SNIFF_BYTES = 64 * 1024
#: Characters a spreadsheet takes as the start of a formula (see :mod:`kk.formats.csv_out`).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FALLBACK = "kk-utf8-or-cp1252"


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that are not UTF-8 as cp1252: a file whose first 64 KiB were ASCII
    and whose later rows come from German Excel still reads right."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("cp1252", errors="replace"), error.end


codecs.register_error(_FALLBACK, _cp1252_fallback)


class _Prefixed(io.RawIOBase):
    """The sniffed head followed by the rest of the stream (works for pipes and stdin)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head.nbytes:
            n = min(len(buffer), self._head.nbytes)
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def unneutralise(value: str) -> str:
    """Undo kk's formula protection: drop one ``'`` before ``=``, ``+``, ``-``, ``@``, tab,
    CR or another such ``'``-run, so a kk export re-imports to the same values."""
    if value.startswith("'"):
        rest = value.lstrip("'")
        if rest.startswith(FORMULA_STARTS):
            return value[1:]
    return value


def _clean(cell: str) -> str:
    if "'" in cell or "\r" in cell:
        return unneutralise(cell.strip().replace("\r\n", "\n"))
    return cell


def _head_text(head: bytes, encoding: str) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return str(decoder.decode(head, final=False))


class CsvSource:
    """An open CSV file: its header map, encoding and delimiter; iterate for the rows."""

    def __init__(
        self,
        stream: BinaryIO,
        *,
        encoding: str | None = None,
        delimiter: str | None = None,
        mapping: dict[str, str] | None = None,
    ) -> None:
        head = stream.read(SNIFF_BYTES)
        self.encoding = encoding or detect_encoding(head)
        sample = _head_text(head, self.encoding)
        self.delimiter = delimiter or detect_delimiter(sample)
        errors = _FALLBACK if self.encoding == "utf-8" else "strict"
        self._text = io.TextIOWrapper(
            io.BufferedReader(_Prefixed(head, stream)),
            encoding=self.encoding,
            errors=errors,
            newline="",
        )
        self._reader = csv.reader(self._text, delimiter=self.delimiter, strict=False)
        self._consumed = 0  # physical lines before the next row
        self._has_sep_line = sep_line(sample.split("\n", 1)[0]) is not None
        if self._has_sep_line:
            self._text.readline()
            self._consumed = 1
        self.header_line = 0
        header: list[str] = []
        for line, cells, _error in self._rows():
            if any(c.strip() for c in cells):
                header, self.header_line = cells, line
                break
        self.header_map: HeaderMap = map_headers(header, mapping)
        self._width = len(header)

    def _rows(self) -> Iterator[tuple[int, list[str], str | None]]:
        """Rows with the line they start on; a csv error is a row of its own."""
        while True:
            start = self._consumed + 1
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self._consumed = self._reader.line_num + (1 if self._has_sep_line else 0)
                yield start, [], f"unreadable CSV: {exc}"
                continue
            self._consumed = self._reader.line_num + (1 if self._has_sep_line else 0)
            yield start, cells, None

    def __iter__(self) -> Iterator[SourceRow]:
        build = self.builder()
        for line, raw, error in self._rows():
            row = build(SourceRow(line=line, record={}, raw=raw, error=error))
            if row is not None:
                yield row

    def raw_rows(self) -> Iterator[SourceRow]:
        """The rows as read, not yet mapped (``record`` empty, blank rows included): a
        :meth:`builder` maps them, possibly in another process."""
        for line, raw, error in self._rows():
            yield SourceRow(line=line, record={}, raw=raw, error=error)

    def builder(self) -> RowBuilder:
        return RowBuilder(self.header_map, self._width)


class RowBuilder:
    """Maps one row as read to its record (picklable: it holds only the header map)."""

    def __init__(self, header_map: HeaderMap, width: int) -> None:
        self.header_map = header_map
        self.width = width

    def __call__(self, row: SourceRow) -> SourceRow | None:
        """The row with its record, or with ``error`` set; None for a blank row."""
        if row.error is not None:
            return row
        raw = row.raw
        joined = "".join(raw)
        if not joined or joined.isspace():
            return None
        width = self.width
        if "\x00" in joined:
            row.error = "the row contains a NUL byte (binary data, not text)"
        elif len(raw) > width and "".join(raw[width:]).strip():
            row.error = f"the row has {len(raw)} cells but the header has {width}"
        else:
            # only pay for the clean-up where it can change something
            clean = _clean if "'" in joined or "\r" in joined else None
            row.record = self.header_map.record(raw, clean)
        return row


def read_csv(
    stream: BinaryIO,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    mapping: dict[str, str] | None = None,
) -> CsvSource:
    """Open a CSV stream (binary; a file, a pipe or ``sys.stdin.buffer``).

    ``encoding``/``delimiter`` override the sniffing; ``mapping`` is ``--map``
    (header → field). Rows with more non-empty cells than the header, or with a NUL byte,
    come with ``error`` set and an empty record; blank rows (``;;;;`` too) are skipped.
    Values are trimmed and line ends inside a cell become ``\n`` (Outlook writes CRLF in
    notes); nothing else is changed: decimal commas, country names stay as written.
    """
    return CsvSource(stream, encoding=encoding, delimiter=delimiter, mapping=mapping)
