"""One imported row, checked: from a reader's SourceRow to the values of a customer row, or
to the list of what is wrong with it (line, column as the file names it, value, reason).

No database here, so this step can run in worker processes. The rules are the ones of
``kk customer add``: :func:`kk.services.customer_rules.clean_customer` and ``clean_labels``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kk.errors import ValidationFailed
from kk.formats.rows import SourceRow
from kk.services import numbers
from kk.services.customer_rules import FIELDS, clean_customer, clean_labels

#: The columns an import writes into ``customer`` (besides id and number), in this order.
INSERT_COLUMNS: tuple[str, ...] = (
    "kind", "company_name", "register_number", "vat_id", "tax_number", "salutation", "title",
    "first_name", "last_name", "display_name", "sort_key", "email", "phone", "mobile",
    "website", "street", "postal_code", "city", "country", "notes", "discount_percent", "roles",
    "is_template", "do_not_contact", "created_at", "created_by", "updated_at", "updated_by",
    "archived_at", "archived_by", "archive_reason", "last_activity_at",
)  # fmt: skip
#: The columns clean_customer's record fills; the rest are the row's history (stamps).
_RECORD_COLUMNS = INSERT_COLUMNS[:24]
EMAIL = INSERT_COLUMNS.index("email")
VAT_ID = INSERT_COLUMNS.index("vat_id")

#: Keys of kk's own export that describe the record's history, kept on a new customer.
_STAMPS = ("created_at", "updated_at", "archived_at", "last_activity_at")
_NAME_FIELDS = ("company_name", "first_name", "last_name")
_COMPANY_WORDS = re.compile(
    r"\b(gmbh|ag|kg|ohg|gbr|ug|eg|e\.?\s?v|e\.?\s?k|se|mbh|ltd|inc|llc|co|gmbh\s*&\s*co|"
    r"partg|stiftung|verein|verlag|bank|sparkasse|holding|gruppe|werke?)\b\.?|&",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"""^(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s""")


@dataclass(slots=True)
class RowError:
    """One problem with one row: where, which column (as the file names it), the value as
    written, and why."""

    line: int
    where: str
    column: str | None
    value: str | None
    reason: str

    def text(self, label: str = "column") -> str:
        """``line 5, column 'PLZ', value '1067': not a valid postal code for DE (5 digits)``"""
        if self.column is None:
            return f"{self.where}: {self.reason}"
        return f"{self.where}, {label} {self.column!r}, value {self.value or ''!r}: {self.reason}"


@dataclass(slots=True)
class Prepared:
    """A checked row. ``values`` follow :data:`INSERT_COLUMNS` (None when the row is bad);
    ``changes`` are the stated fields as ``clean_customer`` input, kept for an upsert."""

    line: int
    where: str
    number: int | None = None
    values: tuple[Any, ...] | None = None
    labels: list[str] | None = None
    changes: dict[str, Any] | None = None
    errors: list[RowError] = field(default_factory=list)
    #: The search index texts of the new customer, all columns but the number's (which is
    #: known only when the row is written): computed here, in the worker, not in the writer.
    texts: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Columns:
    """How a format names the place a field came from, for error reports.

    ``names`` maps a kk key to the source's names for it (CSV headers, JSON keys, vCard
    properties), ``index`` to CSV cell positions (so the report shows the cell as written).
    """

    label: str
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    index: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def place(self, key: str, row: SourceRow, fallback: Any) -> tuple[str | None, str | None]:
        """(column name, value as written) of ``key`` in ``row``."""
        positions = self.index.get(key, ())
        if positions:
            cells = row.raw
            filled = [i for i in positions if i < len(cells) and cells[i].strip()]
            i = (filled or list(positions))[0]
            return self.names[key][positions.index(i)], cells[i] if i < len(cells) else ""
        names = self.names.get(key)
        name = names[0] if names else key
        return name, None if fallback is None else _shown(fallback)


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Rules:
    """What the whole import decides once: a forced kind, the default country, who and when
    (for the stamps of new customers), and which keys the file states for every row."""

    actor: str
    now: str
    kind: str | None = None
    default_country: str = "DE"
    keep_changes: bool = False
    stated: frozenset[str] | None = None
    ignore_unknown: bool = False
    extra_to_notes: bool = True
    index_texts: bool = False


#: The customer fields the search index reads, in the order of search_index.texts' row.
_INDEXED = ("kind", "display_name", "company_name", "first_name", "last_name", "email", "phone",
            "mobile", "city", "postal_code", "vat_id")  # fmt: skip


def index_texts(number: str | None, record: Mapping[str, Any]) -> tuple[str, ...]:
    """kk.services.search_index.texts for a new customer (no contact persons yet)."""
    from kk.services import search_index

    return search_index.texts((number, *map(record.get, _INDEXED)))


def reason_of(error: ValidationFailed) -> str:
    """The reason part of a validation message, without the flag and the quoted value
    (the report names both itself): ``--plz: '1067' is not …`` → ``not …``."""
    text = error.message
    if text.startswith("--") and ": " in text:
        text = text.split(": ", 1)[1]
    text = _QUOTED.sub("", text, count=1)
    return text[3:] if text.startswith("is ") else text


def split_name(name: str, kind: str | None) -> dict[str, str]:
    """A whole name (a lone "Name" column, a vCard FN): "Last, First", "First Last", or a
    company name when it looks like one, is one word, or the kind says so."""
    name = " ".join(name.split())
    if kind == "company" or (kind != "private" and _COMPANY_WORDS.search(name)):
        return {"company_name": name}
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        if first and last:
            return {"first_name": first, "last_name": last}
    parts = name.rsplit(" ", 1)
    if len(parts) == 2:
        return {"first_name": parts[0], "last_name": parts[1]}
    return {"last_name": name} if kind == "private" else {"company_name": name}


#: How kk writes a moment (UTC, seconds): such a stamp is kept as it is once it parses.
_CANONICAL_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+00:00")


def _stamp(value: str, key: str) -> str:
    text = value.strip()
    if _CANONICAL_STAMP.fullmatch(text):
        try:
            datetime.fromisoformat(text)
            return text
        except ValueError:
            pass  # e.g. a 31st of June: the general path below says so
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed(
            f"--{key}: {text!r} is not a timestamp (e.g. 2026-11-23T13:44:59+00:00)", field=key
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


_TRUE = frozenset({"1", "yes", "true", "ja", "y", "j", "x"})
_FALSE = frozenset({"", "0", "no", "false", "nein", "n"})


def _flag(value: Any, key: str) -> bool:
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationFailed(f"--{key}: {value!r} is not yes or no", field=key)


class Preparer:
    """Checks rows of one file; holds what every row shares."""

    def __init__(self, rules: Rules, columns: Columns) -> None:
        self.rules = rules
        self.columns = columns

    def prepare(self, row: SourceRow) -> Prepared:
        out = Prepared(line=row.line, where=row.where)
        if row.error is not None:
            out.errors.append(RowError(row.line, row.where, None, None, row.error))
            return out
        record = row.record
        fail = self._failer(row, out)
        raw, meta, out.number = self._split(record, fail)
        stated = row.keys if row.keys is not None else self.rules.stated
        labels: list[str] | None = None
        if "labels" in record or (stated is not None and "labels" in stated):
            labels = []
        if "labels" in record:
            try:
                labels = clean_labels(record["labels"])
            except ValidationFailed as error:
                fail("labels", record["labels"], reason_of(error))
        result = self._clean(raw, record, fail)
        if result is None or out.errors:
            return out
        out.labels = labels
        out.values = tuple(map(result.get, _RECORD_COLUMNS)) + meta
        if self.rules.index_texts:
            out.texts = index_texts(None, result)[1:]
        if self.rules.keep_changes:
            out.changes = self._stated(raw, row)
        return out

    def _failer(self, row: SourceRow, out: Prepared) -> Callable[[str, Any, str], None]:
        def fail(key: str, value: Any, reason: str) -> None:
            column, shown = self.columns.place(key, row, value)
            out.errors.append(RowError(row.line, row.where, column, shown, reason))

        return fail

    def _split(
        self, record: Mapping[str, Any], fail: Callable[[str, Any, str], None]
    ) -> tuple[dict[str, Any], tuple[Any, ...], int | None]:
        """The clean_customer input and the history values (stamps, archive) of a record."""
        rules = self.rules
        raw: dict[str, Any] = {key: record[key] for key in FIELDS if key in record}
        if rules.kind:
            raw["kind"] = rules.kind
        number = None
        if record.get("number"):
            try:
                number = numbers.number_value(record["number"])
            except ValidationFailed:
                fail("number", record["number"], "not a customer number (write CUS-0001 or 1)")
        if not any(raw.get(key) for key in _NAME_FIELDS) and record.get("display_name"):
            raw.update(split_name(record["display_name"], raw.get("kind") or None))
        extra = record.get("extra")
        if extra:
            self._extra(extra, raw, fail)
        stamps: dict[str, str | None] = {}
        for key in _STAMPS:
            value = record.get(key)
            if value:
                try:
                    stamps[key] = _stamp(value, key)
                except ValidationFailed as error:
                    fail(key, value, reason_of(error))
        archived = False
        if record.get("archived"):
            try:
                archived = _flag(record["archived"], "archived")
            except ValidationFailed as error:
                fail("archived", record["archived"], reason_of(error))
        archived = archived or bool(stamps.get("archived_at"))
        created_at = stamps.get("created_at") or rules.now
        meta = (
            created_at,
            record.get("created_by") or rules.actor,
            stamps.get("updated_at") or rules.now,
            record.get("updated_by") or rules.actor,
            (stamps.get("archived_at") or rules.now) if archived else None,
            (record.get("archived_by") or rules.actor) if archived else None,
            record.get("archive_reason") if archived else None,
            stamps.get("last_activity_at"),
        )
        return raw, meta, number

    def _extra(
        self, extra: Mapping[str, Any], raw: dict[str, Any], fail: Callable[[str, Any, str], None]
    ) -> None:
        """Values the reader could not place: unknown JSON keys are reported (or dropped with
        --ignore-unknown); a fax number or a second address from a CSV or vCard is kept in
        the notes, one "Header: value" line each, rather than lost."""
        if not self.rules.extra_to_notes:
            if not self.rules.ignore_unknown:
                for key, value in extra.items():
                    fail(
                        key,
                        value,
                        "unknown key (map it with --map 'KEY=FIELD' or pass --ignore-unknown)",
                    )
            return
        lines = [f"{key}: {value}" for key, value in extra.items() if str(value).strip()]
        if lines:
            notes = str(raw.get("notes") or "").strip()
            raw["notes"] = "\n".join([notes, *lines] if notes else lines)

    def _clean(
        self, raw: dict[str, Any], record: Mapping[str, Any], fail: Callable[[str, Any, str], None]
    ) -> dict[str, Any] | None:
        """clean_customer, asked again without each bad field so that one report names every
        bad field of the row, not only the first."""
        given = dict(raw)
        bad = False
        for _attempt in range(len(FIELDS)):
            try:
                result = clean_customer(given, default_country=self.rules.default_country)
            except ValidationFailed as error:
                key = error.field or ""
                fail(key, record.get(key, given.get(key)), reason_of(error))
                bad = True
                if key not in given or key in ("kind",) or not given.get(key):
                    return None
                del given[key]
                continue
            return None if bad else result
        return None

    def _stated(self, raw: dict[str, Any], row: SourceRow) -> dict[str, Any]:
        """The fields the source states for this row (an empty stated field clears it)."""
        stated = row.keys if row.keys is not None else self.rules.stated
        changes = dict(raw)
        if stated is not None:
            for key in FIELDS:
                if key in stated and key not in changes:
                    changes[key] = None
        return changes
