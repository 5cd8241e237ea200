"""Read and write customer records as vCards (2.1, 3.0 and 4.0).

Reading: the file is split into cards here (so a broken card is one error row and line
numbers are exact), each card is cleaned up here and then parsed by vobject (imported lazily:
it costs start-up time the other commands should not pay). Lines are decoded one by one:
UTF-8 if they are, else their ``CHARSET`` parameter, else cp1252 — Outlook's 2.1 export
writes raw Windows-1252 bytes beside ``QUOTED-PRINTABLE`` lines.

The clean-up exists because vobject 0.9.9 loses data on real files: it cuts a text value at
its first unescaped comma (``NOTE:Lieferung Mo, Di`` reads as ``Lieferung Mo``), and vCard 2.1
never escapes commas; it also only joins quoted-printable soft line breaks when asked. So
before vobject sees a card, ``QUOTED-PRINTABLE`` values are decoded here (with their
``CHARSET``), 2.1 values are re-escaped the 3.0 way, stray commas in single-valued 3.0/4.0
values are escaped, and binary properties (PHOTO, LOGO, SOUND, KEY) are dropped.

Writing is done by hand, not through vobject: its serialiser speaks 3.0 only. Fields with a
standard property go there (FN, N, ORG, ADR, TEL, EMAIL, URL, NOTE, CATEGORIES); every other
kk key goes to an ``X-KK-…`` property (``X-KK-NUMBER``, ``X-KK-KIND``, ``X-KK-VAT-ID`` …) and
wins over the standard one on reading, so a kk export re-imports to the same record.
"""

from __future__ import annotations

import codecs
import io
import quopri
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any, TextIO

from kk.formats.rows import KK_KEYS, LIST_KEYS, Record, SourceRow, cell_text, split_prefix

#: kk keys that have a standard vCard home; the others travel as X-KK-… properties.
_STANDARD = frozenset(
    {
        "display_name",
        "company_name",
        "first_name",
        "last_name",
        "email",
        "phone",
        "mobile",
        "website",
        "street",
        "postal_code",
        "city",
        "country",
        "notes",
        "labels",
    }
)
X_KEYS = tuple(k for k in KK_KEYS if k not in _STANDARD)
_CHARSET = re.compile(rb";CHARSET=([A-Za-z0-9_.:-]+)", re.IGNORECASE)
UID_PREFIX = "urn:kk:customer:"


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _CHARSET.search(raw)
    if match:
        try:
            return raw.decode(match.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return raw.decode("cp1252", errors="replace")


def _lines(stream: IO[bytes]) -> Iterator[str]:
    """Decoded physical lines without their line ends (UTF-16 files included)."""
    head = stream.read(2)
    if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        text = io.TextIOWrapper(io.BufferedReader(_Rejoin(head, stream)), encoding="utf-16")
        for line in text:
            yield line.rstrip("\r\n")
        return
    first = True
    rest = head + stream.readline()
    while rest:
        if first:
            rest = rest.removeprefix(codecs.BOM_UTF8)
            first = False
        yield _decode_line(rest.rstrip(b"\r\n"))
        rest = stream.readline()


class _Rejoin(io.RawIOBase):
    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._head[: len(buffer)] or self._rest.read(len(buffer))
        self._head = self._head[len(data) :] if self._head else b""
        buffer[: len(data)] = data
        return len(data)


def _cards(stream: IO[bytes]) -> Iterator[tuple[int, list[str], str | None]]:
    """Each card's first line number and its lines; an unclosed last card is an error."""
    depth = 0
    start = 0
    card: list[str] = []
    for number, line in enumerate(_lines(stream), start=1):
        word = line.rstrip().upper()  # a folded line (leading space) is never BEGIN/END
        if depth == 0:
            if word == "BEGIN:VCARD":
                depth, start, card = 1, number, [line]
            continue
        card.append(line)
        if word == "BEGIN:VCARD":
            depth += 1
        elif word == "END:VCARD":
            depth -= 1
            if depth == 0:
                yield start, card, None
    if depth:
        yield start, card, "the card has no END:VCARD"


_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_STRUCTURED = frozenset({"N", "ADR", "ORG", "GENDER", "CLIENTPIDMAP"})
_LISTS = frozenset({"CATEGORIES", "NICKNAME"})


def _head_params(head: str) -> list[str]:
    return [p.strip().upper() for p in head.split(";")[1:]]


def _is_qp(head: str) -> bool:
    return any(p in ("QUOTED-PRINTABLE", "ENCODING=QUOTED-PRINTABLE") for p in _head_params(head))


def _unfold(lines: list[str]) -> list[str]:
    """Logical lines: folded lines joined, quoted-printable soft breaks (``=`` at the end)
    joined, blank lines dropped."""
    logical: list[str] = []
    soft_break = False
    for line in lines:
        if soft_break:
            logical[-1] = logical[-1][:-1] + line
        elif line[:1] in (" ", "\t") and logical:
            logical[-1] += line[1:]
        elif line.strip():
            logical.append(line)
        else:
            continue
        head = logical[-1].split(":", 1)[0]
        soft_break = logical[-1].endswith("=") and _is_qp(head)
    return logical


def _escape_raw(value: str, name: str) -> str:
    """Escape a 2.1 (or quoted-printable decoded) value the 3.0 way. 2.1 escapes only
    ``\\;`` in compound values; everything else is literal."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    chars = iter(range(len(value)))
    for i in chars:
        char = value[i]
        if char == "\\" and value[i + 1 : i + 2] == ";":
            out.append("\\;")
            next(chars, None)
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == ",":
            out.append("," if name in _LISTS else "\\,")
        elif char == ";" and name in _LISTS:
            out.append(",")
        elif char == ";" and name not in _STRUCTURED:
            out.append("\\;")
        else:
            out.append(char)
    return "".join(out)


def _escape_commas(value: str) -> str:
    """Escape the commas of a single-valued 3.0/4.0 value that its writer left bare."""
    out: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            out.append("\\")
        out.append(char)
    return "".join(out)


def _decode_qp(value: str, head: str) -> str:
    charset = next((p[8:] for p in _head_params(head) if p.startswith("CHARSET=")), "")
    data = quopri.decodestring(value.encode("utf-8"))
    for codec in (charset, "utf-8", "cp1252"):
        if codec:
            try:
                return data.decode(codec)
            except (LookupError, UnicodeDecodeError):
                continue
    return data.decode("cp1252", errors="replace")


def sanitise(lines: list[str]) -> str:
    """Turn the lines of one card into text vobject reads without losing data."""
    logical = _unfold(lines)
    v21 = any(line.replace(" ", "").upper() == "VERSION:2.1" for line in logical)
    out: list[str] = []
    for line in logical:
        head, sep, value = line.partition(":")
        name = head.split(";", 1)[0].rsplit(".", 1)[-1].strip().upper()
        params = _head_params(head)
        if name in _BINARY or any(p in ("BASE64", "ENCODING=B", "ENCODING=BASE64") for p in params):
            continue
        if not sep or name in ("BEGIN", "END", "VERSION"):
            out.append(line)
            continue
        qp = _is_qp(head)
        if qp or v21:
            if qp:
                value = _decode_qp(value, head)
            kept = [
                p
                for p in head.split(";")[1:]
                if p.strip().upper()
                not in ("QUOTED-PRINTABLE", "ENCODING=QUOTED-PRINTABLE", "8BIT", "ENCODING=8BIT")
                and not p.strip().upper().startswith("CHARSET=")
            ]
            head = ";".join([head.split(";", 1)[0], *kept])
            value = _escape_raw(value, name)
        elif name not in _STRUCTURED and name not in _LISTS:
            value = _escape_commas(value)
        out.append(f"{head}:{value}")
    return "\r\n".join(out) + "\r\n"


def read_vcards(stream: IO[bytes]) -> Iterator[SourceRow]:
    """One row per card; ``line`` is the line of its BEGIN:VCARD."""
    import vobject  # deferred: ~60 ms of imports only vCard work needs

    for number, (line, lines, error) in enumerate(_cards(stream), start=1):
        where = f"card {number} (line {line})"
        if error is None:
            try:
                card = vobject.readOne(sanitise(lines))
                record = _card_record(card)
            except Exception as exc:  # noqa: BLE001 - vobject raises anything on bad input
                error = f"unreadable vCard: {exc}".splitlines()[0]
            else:
                yield SourceRow(line=line, record=record, raw=lines, where=where)
                continue
        yield SourceRow(line=line, record={}, raw=lines, error=error, where=where)


def _types(prop: Any) -> set[str]:
    found = {p.lower() for p in prop.singletonparams}
    for name, values in prop.params.items():
        if name == "TYPE":
            for value in values:
                found.update(v.strip().lower() for v in value.split(","))
        elif name == "PREF":
            found.add("pref")
    return found


def _text(value: Any, sep: str = " ") -> str:
    if isinstance(value, list):
        return sep.join(str(v) for v in value).strip()
    return str(value or "").strip()


def _by_preference(props: list[Any]) -> list[Any]:
    return sorted(props, key=lambda p: "pref" not in _types(p))


def _card_record(card: Any) -> Record:
    contents: dict[str, list[Any]] = card.contents
    record: Record = {}
    extra: dict[str, str] = {}

    def first(name: str) -> list[Any]:
        return contents.get(name, [])

    def put(key: str, value: str, label: str) -> None:
        if not value:
            return
        if key in record:
            extra[label if label not in extra else f"{label} {len(extra) + 1}"] = value
        else:
            record[key] = value

    list_sep = " "
    for prop in first("n")[:1]:
        name = prop.value
        put("last_name", _text(name.family, list_sep), "N")
        given = " ".join(
            t for t in (_text(name.given, list_sep), _text(name.additional, list_sep)) if t
        )
        put("first_name", given, "N")
        salutation, title = split_prefix(_text(name.prefix, list_sep))
        put("salutation", salutation or "", "N")
        put("title", title or "", "N")
        put("suffix", _text(name.suffix, list_sep), "N")
    for prop in first("fn"):
        put("display_name", _text(prop.value), "FN")
    for prop in first("org"):
        units = prop.value if isinstance(prop.value, list) else [prop.value]
        put("company_name", _text(units[0] if units else ""), "ORG")
    for prop in first("kind")[:1]:
        kind = _text(prop.value).lower()
        put("kind", {"org": "company", "individual": "private"}.get(kind, kind), "KIND")
    for prop in first("x-abshowas")[:1]:
        if _text(prop.value).upper() == "COMPANY":
            put("kind", "company", "X-ABShowAs")
    for index, prop in enumerate(_by_preference(first("adr"))):
        adr = prop.value
        parts = {
            "street": _text(adr.street, ", "),
            "postal_code": _text(adr.code, ", "),
            "city": _text(adr.city, ", "),
            "country": _text(adr.country, ", "),
        }
        if index == 0:
            for key, value in parts.items():
                put(key, value, "ADR")
        else:
            text = ", ".join(v for v in parts.values() if v)
            if text:
                extra[f"ADR {index + 1}"] = text
    for prop in _by_preference(first("tel")):
        types = _types(prop)
        number = _text(prop.value).removeprefix("tel:")
        label = "TEL;" + ",".join(sorted(types - {"pref"})) if types - {"pref"} else "TEL"
        if "fax" in types or "pager" in types:
            put("fax", number, label)
        elif "cell" in types:
            put("mobile", number, label)
        else:
            put("phone", number, label)
    for prop in _by_preference(first("email")):
        put("email", _text(prop.value).removeprefix("mailto:"), "EMAIL")
    for prop in _by_preference(first("url")):
        put("website", _text(prop.value), "URL")
    for prop in first("note"):
        put("notes", _text(prop.value).replace("\r\n", "\n"), "NOTE")
    labels: list[str] = []
    for prop in first("categories"):
        values = prop.value if isinstance(prop.value, list) else [prop.value]
        labels.extend(v.strip() for v in values if v.strip())
    if labels:
        record["labels"] = list(dict.fromkeys(labels))
    for prop in first("uid"):
        uid = _text(prop.value)
        if uid and not uid.startswith(UID_PREFIX):
            extra["UID"] = uid
    if any(name.startswith("x-kk-") for name in contents):
        # a kk export: its X-KK-SALUTATION/-TITLE are exact, the N prefix is only a guess
        record.pop("salutation", None)
        record.pop("title", None)
    for name, props in contents.items():
        key = name[5:].replace("-", "_") if name.startswith("x-kk-") else ""
        if key in X_KEYS and props:
            value = _text(props[0].value, ",")
            if key in LIST_KEYS:
                record[key] = [v.strip() for v in value.split(",") if v.strip()]
            elif value:
                record[key] = value
    for key in ("suffix", "fax"):
        if key in record:
            extra[key] = record.pop(key)
    if extra:
        record["extra"] = extra
    return record


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 sequence (RFC 6350 3.2)."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out) + "\r\n"


def _display_name(record: Mapping[str, Any]) -> str:
    if record.get("display_name"):
        return cell_text(record["display_name"])
    if record.get("kind") == "company" and record.get("company_name"):
        return cell_text(record["company_name"])
    name = " ".join(cell_text(record.get(k)) for k in ("first_name", "last_name")).strip()
    return name or cell_text(record.get("company_name")) or cell_text(record.get("number"))


def write_vcards(records: Iterable[Mapping[str, Any]], out: TextIO, version: str = "4.0") -> int:
    """Write one card per record (CRLF, folded, UTF-8 text); return the cards written."""
    if version not in ("3.0", "4.0"):
        raise ValueError(f"vCard version must be 3.0 or 4.0, not {version!r}")
    count = 0
    for record in records:
        out.write("".join(_fold(line) for line in _card_lines(record, version)))
        count += 1
    return count


def _card_lines(record: Mapping[str, Any], version: str) -> list[str]:
    v4 = version == "4.0"

    def types(*names: str) -> str:
        return ",".join(n if v4 else n.upper() for n in names)

    def get(key: str) -> str:
        return cell_text(record.get(key))

    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    if get("number"):
        lines.append(f"UID:{UID_PREFIX}{_escape(get('number'))}")
    if v4 and get("kind") in ("company", "private"):
        lines.append("KIND:" + ("org" if get("kind") == "company" else "individual"))
    lines.append("FN:" + _escape(_display_name(record)))
    prefix = " ".join(p for p in (get("salutation"), get("title")) if p)
    n_parts = (get("last_name"), get("first_name"), "", prefix, "")
    lines.append("N:" + ";".join(_escape(p) for p in n_parts))
    if get("company_name"):
        lines.append("ORG:" + _escape(get("company_name")))
    address = (get("street"), get("city"), get("postal_code"), get("country"))
    if any(address):
        street, city, code, country = (_escape(p) for p in address)
        lines.append(f"ADR;TYPE={types('work')}:;;{street};{city};;{code};{country}")
    if get("phone"):
        lines.append(f"TEL;TYPE={types('work', 'voice')}:" + _escape(get("phone")))
    if get("mobile"):
        lines.append(f"TEL;TYPE={types('cell')}:" + _escape(get("mobile")))
    if get("email"):
        kind = "work" if v4 else "INTERNET,WORK"
        lines.append(f"EMAIL;TYPE={kind}:" + _escape(get("email")))
    if get("website"):
        lines.append("URL:" + _escape(get("website")))
    if get("notes"):
        lines.append("NOTE:" + _escape(get("notes")))
    labels = record.get("labels") or []
    if labels:
        lines.append("CATEGORIES:" + ",".join(_escape(str(label)) for label in labels))
    for key in X_KEYS:
        value = record.get(key)
        if value is None or value == "" or value == []:
            continue
        if key in LIST_KEYS:
            # escaped: vobject keeps only the first of unescaped comma-separated values
            text = _escape(",".join(str(v) for v in value))
        else:
            text = _escape(cell_text(value))
        lines.append(f"X-KK-{key.upper().replace('_', '-')}:{text}")
    lines.append("END:VCARD")
    return lines
