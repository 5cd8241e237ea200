"""Open an import file in its format: the rows, how its places are named in reports, which
keys it states, and how its rejected rows are written back in the same format."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO

from kk.errors import KkError, ValidationFailed
from kk.formats.rows import KK_KEYS, LIST_KEYS, SourceRow
from kk.services.import_rejects import (
    CsvRejects,
    JsonlRejects,
    JsonRejects,
    RejectWriter,
    VcardRejects,
)
from kk.services.import_rows import Columns

FORMATS = ("csv", "jsonl", "json", "vcard")
#: The column (CSV), key (JSON) or property (vCard) a reject file adds; ignored on import,
#: so a corrected reject file can be imported as it is.
REJECT_REASON = "reject_reason"

#: Where a vCard keeps each kk key (for reports).
_VCARD_PLACES = {
    "display_name": "FN",
    "company_name": "ORG",
    "first_name": "N",
    "last_name": "N",
    "salutation": "N",
    "title": "N",
    "email": "EMAIL",
    "phone": "TEL",
    "mobile": "TEL",
    "website": "URL",
    "street": "ADR",
    "postal_code": "ADR",
    "city": "ADR",
    "country": "ADR",
    "notes": "NOTE",
    "labels": "CATEGORIES",
}
#: The keys a vCard states by its standard properties (absent ones are empty).
_VCARD_STATED = frozenset(_VCARD_PLACES)


class Counting(io.RawIOBase):
    """A binary stream that counts the bytes read through it (for the progress bar)."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


@dataclass
class Source:
    """An opened import file."""

    fmt: str
    rows: Iterator[SourceRow]
    columns: Columns
    rejects: Any  # Callable[[BinaryIO], RejectWriter]
    #: Maps a row of ``rows`` to its record (None: a blank row); picklable, so that it can
    #: run in a worker process. None when ``rows`` come mapped already.
    build: Callable[[SourceRow], SourceRow | None] | None = None
    stated: frozenset[str] | None = None
    extra_to_notes: bool = True
    unknown: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    describe: str = ""


def open_source(
    stream: BinaryIO,
    fmt: str,
    *,
    mapping: Mapping[str, str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Source:
    """Open ``stream`` (binary) as ``fmt``; a header problem raises before any row."""
    if fmt == "csv":
        return _csv(stream, dict(mapping or {}), encoding, delimiter)
    if fmt in ("jsonl", "json"):
        return _json(stream, fmt, dict(mapping or {}))
    if fmt == "vcard":
        return _vcard(stream)
    raise ValidationFailed(f"format '{fmt}' is not one of {', '.join(FORMATS)}", field="format")


def _csv(
    stream: BinaryIO, mapping: dict[str, str], encoding: str | None, delimiter: str | None
) -> Source:
    from kk.formats.csv_in import read_csv
    from kk.formats.headers import norm

    if delimiter is not None and len(delimiter) != 1:
        if delimiter.lower() in ("tab", "\\t"):
            delimiter = "\t"
        else:
            raise ValidationFailed(
                f"--delimiter: {delimiter!r} is not one character (use ';', ',' or tab)",
                field="delimiter",
            )
    try:
        source = read_csv(stream, encoding=encoding, delimiter=delimiter, mapping=mapping)
    except LookupError:
        raise ValidationFailed(
            f"--encoding: {encoding!r} is not an encoding Python knows (e.g. utf-8, cp1252, "
            "utf-16)",
            field="encoding",
        ) from None
    except UnicodeDecodeError as error:
        what = f"is not {encoding}" if encoding else "is not readable text"
        raise KkError(
            f"the file {what} ({error.reason} at byte {error.start}); name its encoding with "
            "--encoding; nothing imported"
        ) from None
    header_map = source.header_map
    if not header_map.headers:
        raise KkError("the file is empty (no header line)")
    if REJECT_REASON in header_map.headers and norm(REJECT_REASON) not in map(norm, mapping):
        from kk.formats.headers import map_headers

        mapping[REJECT_REASON] = "ignore"
        source.header_map = map_headers(header_map.headers, mapping)
        header_map = source.header_map
    names: dict[str, tuple[str, ...]] = {}
    index: dict[str, tuple[int, ...]] = {}

    def place(key: str, i: int) -> None:
        names[key] = (*names.get(key, ()), header_map.headers[i])
        index[key] = (*index.get(key, ()), i)

    derived = {
        "name_prefix": ("salutation", "title"),
        "house_number": ("street",),
        "middle_name": ("first_name",),
        "display_name": ("display_name", "company_name", "first_name", "last_name"),
        "phone": ("phone", "mobile"),
        "phone_label": (),
        "extra": (),
    }
    for i, target in enumerate(header_map.targets):
        if target is None:
            continue
        for key in derived.get(target.field, (target.field,)):
            if key == target.field or key not in names:
                place(key, i)
    stated = frozenset(
        key
        for target in header_map.targets
        if target is not None
        for key in derived.get(target.field, (target.field,))
        if key in KK_KEYS
    )
    encoding_used = source.encoding
    delimiter_used = source.delimiter
    headers = list(header_map.headers)

    def rejects(out: BinaryIO) -> RejectWriter:
        return CsvRejects(out, headers, delimiter=delimiter_used, encoding=encoding_used)

    shown = {"\t": "tab", ";": "';'", ",": "','"}.get(delimiter_used, repr(delimiter_used))
    return Source(
        fmt="csv",
        rows=source.raw_rows(),
        build=source.builder(),
        columns=Columns("column", names, index),
        rejects=rejects,
        stated=stated,
        unknown=list(header_map.unknown),
        ignored=[h for h in header_map.ignored if h != REJECT_REASON],
        describe=f"{encoding_used}, delimiter {shown}, {header_map.family} headers",
    )


def _json(stream: BinaryIO, fmt: str, mapping: dict[str, str]) -> Source:
    from kk.formats.jsonl import read_json, read_jsonl

    for target in mapping.values():
        if target != "ignore" and target not in KK_KEYS:
            raise ValidationFailed(
                f"--map: {target!r} is not a field (use one of the JSON keys, or 'ignore')",
                field="map",
            )
    names = {key: (source,) for source, key in mapping.items() if key != "ignore"}
    reader = read_jsonl(stream) if fmt == "jsonl" else read_json(stream)
    rows = (_remap(row, mapping) for row in reader)
    return Source(
        fmt=fmt,
        rows=rows,
        columns=Columns("key", names),
        rejects=JsonlRejects if fmt == "jsonl" else JsonRejects,
        extra_to_notes=False,
        describe="JSON Lines" if fmt == "jsonl" else "JSON array",
    )


def _remap(row: SourceRow, mapping: Mapping[str, str]) -> SourceRow:
    """Apply --map to the keys a JSON object has that kk does not know; drop the reject
    file's own reason key."""
    extra = row.record.get("extra")
    if not extra:
        return row
    rest: dict[str, Any] = {}
    keys = set(row.keys or ())
    for key, value in extra.items():
        target = mapping.get(key)
        if key in (REJECT_REASON, "reject_line") or target == "ignore":
            continue
        if target is None:
            rest[key] = value
            continue
        keys.add(target)
        if value is None or value == "":
            continue
        if target in LIST_KEYS:
            items = value if isinstance(value, list) else [value]
            row.record[target] = [str(item).strip() for item in items if item is not None]
        else:
            row.record[target] = str(value).strip()
    if rest:
        row.record["extra"] = rest
    else:
        del row.record["extra"]
    row.keys = frozenset(keys)
    return row


def _vcard(stream: BinaryIO) -> Source:
    from kk.formats.vcard import X_KEYS, read_vcards

    def rows() -> Iterator[SourceRow]:
        for row in read_vcards(stream):
            if not row.error:
                own = frozenset(X_KEYS) if "number" in row.record else frozenset(row.record)
                row.keys = _VCARD_STATED | (own & frozenset(KK_KEYS))
            yield row

    names = {key: (place,) for key, place in _VCARD_PLACES.items()}
    names.update({key: ("X-KK-" + key.upper().replace("_", "-"),) for key in X_KEYS})
    return Source(
        fmt="vcard",
        rows=rows(),
        columns=Columns("property", names),
        rejects=VcardRejects,
        describe="vCard",
    )
