"""Read and write customer records as JSON Lines and as a JSON array, streaming.

Readers turn JSON values into the raw record shape all readers share: strings (numbers and
booleans as their JSON text, so ``10.00`` stays ``"10.00"``), lists of strings for
``labels``/``roles``, nulls dropped. Keys kk does not know go to ``extra`` for the importer
to report. A JSON array is parsed element by element, never loaded whole.
"""

from __future__ import annotations

import codecs
import datetime as dt
import decimal
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any, TextIO

from kk.formats.rows import KK_KEYS, LIST_KEYS, Record, SourceRow

_KNOWN = frozenset(KK_KEYS)
_CHUNK = 64 * 1024
#: An element still unparsed after this many characters is broken, not merely long.
MAX_ELEMENT_CHARS = 16 * 1024 * 1024


def _text_lines(stream: IO[bytes] | IO[str]) -> Iterator[str]:
    """Lines of a text or binary stream (binary: UTF-8, an optional BOM dropped)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    for line in stream:
        yield decoder.decode(line) if isinstance(line, bytes) else line.lstrip("\ufeff")


def _chunks(stream: IO[bytes] | IO[str]) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    while True:
        data = stream.read(_CHUNK)
        if not data:
            tail = decoder.decode(b"", final=True)
            if tail:
                yield tail
            return
        yield decoder.decode(data) if isinstance(data, bytes) else data


def _scalar(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    raise ValueError(f"{key}: expected a text value, got {json.dumps(value)[:60]}")


def stated_keys(obj: Any) -> frozenset[str]:
    """The kk keys a decoded JSON object states, with null or empty values too."""
    return frozenset(_KNOWN.intersection(obj)) if isinstance(obj, dict) else frozenset()


def to_record(obj: Any) -> Record:
    """Turn one decoded JSON object into a record; ValueError names the bad key."""
    if not isinstance(obj, dict):
        kind = {list: "an array", str: "a number or string", bool: "a boolean"}.get(
            type(obj), "null"
        )
        raise ValueError(f"expected a JSON object, got {kind}")
    record: Record = {}
    extra: dict[str, Any] = {}
    for key, value in obj.items():
        if key not in _KNOWN:
            if value is not None:
                extra[key] = value
            continue
        if value is None:
            continue
        if key in LIST_KEYS:
            items = value if isinstance(value, list) else [value]
            record[key] = [_scalar(key, item) for item in items if item is not None]
            continue
        text = _scalar(key, value)
        if text:
            record[key] = text
    if extra:
        record["extra"] = extra
    return record


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=str, parse_int=str)


def read_jsonl(stream: IO[bytes] | IO[str]) -> Iterator[SourceRow]:
    """One record per line; blank lines are skipped; a bad line is a row with ``error``."""
    for number, line in enumerate(_text_lines(stream), start=1):
        if not line.strip():
            continue
        text = line.rstrip("\r\n")
        try:
            obj = _loads(line)
            record = to_record(obj)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            yield SourceRow(line=number, record={}, raw=[text], error=str(exc))
            continue
        yield SourceRow(line=number, record=record, raw=[text], keys=stated_keys(obj))


def read_json(stream: IO[bytes] | IO[str]) -> Iterator[SourceRow]:
    """The elements of one JSON array, one row each (``line`` is the element number,
    ``where`` also names the physical line). Broken JSON ends the file with an error row:
    past a syntax error no element boundary can be trusted."""
    decoder = json.JSONDecoder(parse_float=str, parse_int=str)
    chunks = _chunks(stream)
    buffer = ""
    pos = 0
    line = 1  # physical line at buffer[pos]
    eof = False
    element = 0

    def more() -> bool:
        nonlocal buffer, pos, eof
        if eof:
            return False
        chunk = next(chunks, None)
        if chunk is None:
            eof = True
            return False
        buffer = buffer[pos:] + chunk
        pos = 0
        return True

    def skip(chars: str) -> str:
        """Skip ``chars`` (whitespace and the like); return the next character or ''."""
        nonlocal pos, line
        while True:
            while pos < len(buffer) and buffer[pos] in chars:
                line += buffer[pos] == "\n"
                pos += 1
            if pos < len(buffer):
                return buffer[pos]
            if not more():
                return ""

    def fail(message: str) -> SourceRow:
        n = max(element, 1)
        return SourceRow(line=n, record={}, error=message, where=f"element {n} (line {line})")

    first = skip(" \t\r\n")
    if first != "[":
        yield fail("expected a JSON array ('[')" if first else "the file is empty")
        return
    pos += 1
    expect_comma = False
    while True:
        char = skip(" \t\r\n")
        if char == "]":
            return
        if char == "":
            yield fail("the JSON array is not closed (']' missing)")
            return
        if expect_comma:
            if char != ",":
                yield fail(f"expected ',' or ']' between elements, found {char!r}")
                return
            pos += 1
            expect_comma = False
            continue
        element += 1
        while True:
            try:
                obj, end = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError as exc:
                if len(buffer) - pos < MAX_ELEMENT_CHARS and more():
                    continue
                yield fail(f"invalid JSON: {exc.msg}")
                return
            if end == len(buffer) and more():
                continue  # a number or literal may go on in the next chunk
            break
        where = f"element {element} (line {line})"
        text = buffer[pos:end]
        line += text.count("\n")
        pos = end
        expect_comma = True
        try:
            record = to_record(obj)
        except ValueError as exc:
            yield SourceRow(line=element, record={}, raw=[text], error=str(exc), where=where)
            continue
        yield SourceRow(line=element, record=record, raw=[text], where=where, keys=stated_keys(obj))


def _default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _dumps(record: Mapping[str, Any]) -> str:
    return json.dumps(dict(record), ensure_ascii=False, default=_default)


def write_jsonl(records: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """One JSON object per line (UTF-8, LF); return the records written."""
    count = 0
    for record in records:
        out.write(_dumps(record) + "\n")
        count += 1
    return count


def write_json(records: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """A JSON array, one object per line, written as the records come; ``[]`` if none."""
    count = 0
    for record in records:
        out.write(("[\n" if count == 0 else ",\n") + _dumps(record))
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count
