"""The filter expression language of ``kk customer filter EXPR``: parse, print, compile to SQL.

Pure: no database, no clock. ``parse`` turns text into an ``Expr``, ``to_text`` prints an
``Expr`` canonically (``parse(to_text(e)) == e``), ``compile`` turns it into an SQL condition
over the customer table (alias ``c``) with ``?`` parameters.

Grammar
-------
An expression is a list of terms separated by whitespace; a customer matches when it matches
every term (AND). An empty expression matches every customer. A term is one of::

    [-]FIELD:VALUE          kind:company   city:"Frankfurt am Main"   -label:churned
    [-]DATEFIELD OP DATE    created>=2025-01-01   last_activity<26.10.2017   (no spaces)
    [-]has:WHAT             has:email   -has:bank
    [-]WORD                 müller   @gmx.de   030/123456   (searched in the full-text index)
    [-]"PHRASE"             "sla gold"   "Hans Müller"

``-`` in front of any term negates it: ``-X`` matches exactly the customers that ``X`` does
not match (so ``-city:Berlin`` includes customers without a city). Field names are
case-insensitive and may be written with ``-`` for ``_`` (``postal-code:``). A value may be
quoted with double quotes; inside quotes a backslash takes the next character literally
(``label:"say \\"hi\\""``). Values are trimmed and must not be empty; an unquoted value or word
runs to the next whitespace and may not contain ``"``. A word that looks like ``name:`` is
read as a field (``citty:x`` is an error): quote it to search for it as text. ``=`` may be
written for ``:`` in every field.

Fields
------
``kind``           ``private`` or ``company``.
``city``           the words of the value appear in this order in the city, compared
                   folded (case, accents and umlaut spellings ignored): ``city:münchen``,
                   ``city:MUENCHEN`` and ``city:Munchen`` find München; ``city:frankfurt``
                   finds "Frankfurt am Main" and "Frankfurt (Oder)", but not
                   "Frankfurter Berg". A trailing ``*`` makes the last word a prefix
                   (``city:frank*``). Runs through the FTS index's ``city`` column.
``postal_code``    exact (``postal_code:01067``) or, with a trailing ``*``, a prefix
                   (``postal_code:01*``); ``*`` is allowed only at the end.
``country``        ISO 3166 alpha-2 code, any case (``country:de``).
``label``          the customer has a label with exactly this name, case-insensitively —
                   also for umlauts (``label:über`` finds "Über"; SQLite's NOCASE only folds
                   ASCII, so the non-ASCII case variants of the name are spelled out).
``role``           ``customer`` or ``supplier``.
``consent``        ``email``, ``phone``, ``letter`` or ``newsletter``: consent for that
                   channel is recorded as granted AND the customer is not marked
                   do-not-contact.
``created``, ``updated``, ``last_activity``
                   dates, ``2017-10-26`` or ``26.10.2017``. ``:`` (or ``=``) means that
                   day; ``<`` before the day, ``<=`` up to the end of the day, ``>`` after the
                   day, ``>=`` from the start of the day. Days are UTC days unless
                   ``compile`` gets a time zone. A customer without any activity has no
                   ``last_activity`` and matches NO comparison on it (neither
                   ``last_activity<X`` nor ``last_activity>=X``); ``-has:activity`` finds them.
``has``            ``email``, ``phone`` (phone or mobile), ``vat_id``, ``bank`` (a bank
                   account or payment method), ``address`` (a street and a city of its own,
                   or an extra billing/delivery address), ``person`` (a contact person),
                   ``labels`` (any label), ``activity`` (a last activity date).
``archived``       ``yes``/``true`` or ``no``/``false``. An expression that mentions
                   ``archived`` decides on archived customers itself
                   (``Expr.mentions_archived``): the caller's ``--archived`` /
                   ``--include-archived`` default does not apply then.

Free words are searched in the full-text index (names, contact persons, e-mail, city,
postal code, phone, VAT ID, number) as prefixes, folded: ``mül`` finds Müller and Mueller.
A quoted phrase must match whole words, in order. See kk.services.fts_query for e-mail and
phone handling. All full-text terms of an expression become one FTS5 MATCH.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from kk.errors import ValidationFailed
from kk.services import fts_query

__all__ = [
    "Compiled",
    "Expr",
    "FieldTerm",
    "FilterSyntaxError",
    "TextTerm",
    "compile",
    "parse",
    "to_text",
]

FIELDS = (
    "kind", "city", "postal_code", "country", "label", "role", "consent",
    "created", "updated", "last_activity", "has", "archived",
)  # fmt: skip
DATE_COLUMNS = {
    "created": "c.created_at",
    "updated": "c.updated_at",
    "last_activity": "c.last_activity_at",
}
KINDS = ("private", "company")
ROLES = ("customer", "supplier")
CHANNELS = ("email", "phone", "letter", "newsletter")
HAS = ("email", "phone", "vat_id", "bank", "address", "person", "labels", "activity")
_ARCHIVED = {"yes": True, "true": True, "no": False, "false": False}
_CHOICES = {"kind": KINDS, "role": ROLES, "consent": CHANNELS, "has": HAS}
_DATE_OPS = ("<", "<=", ">", ">=")

_FIELD = re.compile(r"([^\W\d_][\w-]*)(>=|<=|[:<>=])")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
#: Past this many non-ASCII case variants of a label name only a few spellings are tried.
_MAX_LABEL_VARIANTS = 64


class FilterSyntaxError(ValidationFailed):
    """A filter expression that cannot be read; ``position`` is 1-based."""

    def __init__(self, position: int, detail: str) -> None:
        super().__init__(f"filter: position {position}: {detail}", field="filter")
        self.position = position
        self.detail = detail


@dataclass(frozen=True)
class FieldTerm:
    """``[-]name op value``; ``value`` is normalised by ``parse`` (see ``_value``)."""

    name: str
    op: str  # ":" or, for date fields, one of "<", "<=", ">", ">="
    value: str | date | bool
    negated: bool = False


@dataclass(frozen=True)
class TextTerm:
    """A free word (``phrase=False``, no whitespace) or a quoted phrase for the FTS index."""

    text: str
    phrase: bool = False
    negated: bool = False


Term = FieldTerm | TextTerm


@dataclass(frozen=True)
class Expr:
    terms: tuple[Term, ...] = ()

    @property
    def mentions_archived(self) -> bool:
        """True when the expression itself decides on archived customers."""
        return any(isinstance(t, FieldTerm) and t.name == "archived" for t in self.terms)


@dataclass
class Compiled:
    """An SQL boolean expression over ``customer c`` and its ``?`` parameters, in order;
    with ``compile(…, split_match=True)``, ``match`` is the FTS5 MATCH string the customers
    must also satisfy (None: no full-text term), left out of ``where``."""

    where: str
    params: list[Any] = field(default_factory=list)
    match: str | None = None


# --- parsing ---------------------------------------------------------------------------


def parse(text: str) -> Expr:
    """Read a filter expression; raises FilterSyntaxError naming the position."""
    terms: list[Term] = []
    i = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return Expr(tuple(terms))
        term, i = _term(text, i)
        terms.append(term)


def _error(index: int, detail: str) -> FilterSyntaxError:
    return FilterSyntaxError(index + 1, detail)


def _term(text: str, i: int) -> tuple[Term, int]:
    negated = text[i] == "-"
    if negated:
        i += 1
        if i >= len(text) or text[i].isspace():
            raise _error(i - 1, "expected a term after '-'")
        if text[i] == "-":
            raise _error(i, "expected a term after '-', got a second '-'")
    if text[i] == '"':
        phrase, end = _quoted(text, i)
        if fts_query.phrase_query(phrase) is None:
            raise _error(i, f"the phrase {_show(phrase)} has no letters or digits to search for")
        return TextTerm(_nfc(phrase), phrase=True, negated=negated), end
    match = _FIELD.match(text, i)
    if match:
        return _field_term(text, match, negated)
    word, end = _bare(text, i)
    if fts_query.match_query(word) is None:
        raise _error(i, f"'{word}' has no letters or digits to search for")
    return TextTerm(_nfc(word), negated=negated), end


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The content of the quoted string opening at ``start`` and the index after it."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        elif char == '"':
            i += 1
            if i < len(text) and not text[i].isspace():
                raise _error(i, f"expected a space after the closing quote, got '{text[i]}'")
            return "".join(out), i
        else:
            out.append(char)
            i += 1
    raise _error(start, "unclosed quote: expected a closing '\"'")


def _bare(text: str, start: int) -> tuple[str, int]:
    i = start
    while i < len(text) and not text[i].isspace():
        if text[i] == '"':
            raise _error(i, "unexpected '\"' inside a word (quote the whole value)")
        i += 1
    return text[start:i], i


def _field_term(text: str, match: re.Match[str], negated: bool) -> tuple[FieldTerm, int]:
    written, op = match.group(1), match.group(2)
    name = written.lower().replace("-", "_")
    if name not in FIELDS:
        import difflib  # only to suggest a field name in an error message

        close = difflib.get_close_matches(name, FIELDS, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise _error(
            match.start(1),
            f"unknown field '{written}' ({hint}known: {', '.join(FIELDS)}; "
            "quote it to search for the text)",
        )
    if op == "=":
        op = ":"
    if op != ":" and name not in DATE_COLUMNS:
        raise _error(
            match.start(2),
            f"operator '{op}' works only with the date fields "
            f"{', '.join(DATE_COLUMNS)}; write '{written}:…'",
        )
    start = match.end()
    after = f"'{written}{match.group(2)}'"
    if start >= len(text) or text[start].isspace():
        raise _error(start, f"expected a value after {after}")
    raw, end = _quoted(text, start) if text[start] == '"' else _bare(text, start)
    raw = _nfc(raw.strip())
    if not raw:
        raise _error(start, f"expected a value after {after}, got an empty one")
    value = _value(name, raw, after, start)
    return FieldTerm(name, op, value, negated), end


def _value(name: str, raw: str, after: str, at: int) -> str | date | bool:
    """The normalised value of field ``name``: lower-case choices, upper-case country, …"""
    if name in _CHOICES:
        choices = _CHOICES[name]
        if raw.lower() not in choices:
            raise _error(at, f"expected {_one_of(choices)} after {after}, got {_show(raw)}")
        return raw.lower()
    if name == "archived":
        if raw.lower() not in _ARCHIVED:
            raise _error(at, f"expected yes, no, true or false after {after}, got {_show(raw)}")
        return _ARCHIVED[raw.lower()]
    if name in DATE_COLUMNS:
        day = _date(raw)
        if day is None:
            raise _error(
                at, f"expected a date (YYYY-MM-DD or DD.MM.YYYY) after {after}, got {_show(raw)}"
            )
        return day
    if name == "country":
        if not _COUNTRY.fullmatch(raw):
            raise _error(
                at, f"expected a two-letter country code (e.g. DE) after {after}, got {_show(raw)}"
            )
        return raw.upper()
    if name in ("postal_code", "city") and not raw.rstrip("*"):
        raise _error(at, f"expected a value before the '*' after {after}")
    if name == "postal_code" and "*" in raw.rstrip("*"):
        raise _error(
            at, f"expected a postal code with '*' only at its end after {after}, got {_show(raw)}"
        )
    if name == "city" and fts_query.column_filter("city", raw) is None:
        raise _error(at, f"the city {_show(raw)} has no letters or digits to search for")
    return raw


def _date(raw: str) -> date | None:
    iso = _ISO_DATE.fullmatch(raw)
    german = _GERMAN_DATE.fullmatch(raw)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if german:
            return date(int(german[3]), int(german[2]), int(german[1]))
    except ValueError:
        return None
    return None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _one_of(choices: tuple[str, ...]) -> str:
    quoted = [f"'{c}'" for c in choices]
    return " or ".join(quoted) if len(quoted) == 2 else f"one of {', '.join(quoted)}"


def _show(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


# --- printing --------------------------------------------------------------------------


def to_text(expr: Expr) -> str:
    """The canonical text of ``expr``: ``parse(to_text(e)) == e``."""
    return " ".join(_term_text(term) for term in expr.terms)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _term_text(term: Term) -> str:
    sign = "-" if term.negated else ""
    if isinstance(term, TextTerm):
        return sign + (_quote(term.text) if term.phrase else term.text)
    value = term.value
    if isinstance(value, bool):
        shown = "yes" if value else "no"
    elif isinstance(value, date):
        shown = value.isoformat()
    elif value and not any(c.isspace() or c == '"' for c in value):
        shown = value
    else:
        shown = _quote(value)
    return f"{sign}{term.name}{term.op}{shown}"


# --- compiling -------------------------------------------------------------------------


def compile(  # noqa: A001
    expr: Expr, *, tz: tzinfo | None = None, split_match: bool = False
) -> Compiled:
    """The SQL condition for ``expr`` over ``customer c`` (``1`` for an empty expression).

    Every term compiles to a condition that is never NULL, so ``NOT`` is an exact
    complement. ``tz`` is the zone whose days date values mean (UTC without it).
    ``split_match`` hands the positive full-text part back as ``Compiled.match`` instead of
    a ``c.id IN (… MATCH ?)`` condition, so the caller can plan how to join the index
    (kk.services.queries: read the hits first when they are few, else walk the sort index).
    """
    parts: list[tuple[str, list[Any]]] = []
    found: list[str] = []
    excluded: list[str] = []
    for term in expr.terms:
        if isinstance(term, TextTerm) or term.name == "city":
            query = _fts(term)
            (excluded if term.negated else found).append(f"({query})")
            continue
        sql, params = _field_sql(term, tz)
        parts.append((f"NOT ({sql})" if term.negated else sql, params))
    fts = "c.id {} (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?)"
    match = None
    if found:
        match = " AND ".join(found)
        if excluded:
            match = f"({match}) NOT ({' OR '.join(excluded)})"
        if not split_match:
            parts.insert(0, (fts.format("IN"), [match]))
            match = None
    elif excluded:
        parts.insert(0, (fts.format("NOT IN"), [" OR ".join(excluded)]))
    if not parts:
        return Compiled("1", [], match)
    return Compiled(
        " AND ".join(f"({sql})" for sql, _ in parts),
        [param for _, params in parts for param in params],
        match,
    )


def _fts(term: Term) -> str:
    if isinstance(term, TextTerm):
        query = (fts_query.phrase_query if term.phrase else fts_query.match_query)(term.text)
    else:
        assert isinstance(term.value, str)
        prefix = term.value.endswith("*")
        query = fts_query.column_filter("city", term.value.rstrip("*"), prefix=prefix)
    if query is None:
        raise ValueError(f"nothing to search for in {term!r}")
    return query


def _field_sql(term: FieldTerm, tz: tzinfo | None) -> tuple[str, list[Any]]:
    name, value = term.name, term.value
    if name in DATE_COLUMNS:
        assert isinstance(value, date)
        return _date_sql(DATE_COLUMNS[name], term.op, value, tz)
    if name == "archived":
        return f"c.archived_at IS {'NOT ' if value else ''}NULL", []
    assert isinstance(value, str)
    if name == "has":
        return _HAS[value], []
    if name == "kind":
        return "c.kind = ?", [value]
    if name == "country":
        return "c.country IS NOT NULL AND c.country = ? COLLATE NOCASE", [value]
    if name == "role":
        return "instr(',' || coalesce(c.roles, '') || ',', ?) > 0", [f",{value},"]
    if name == "consent":
        return (
            "c.do_not_contact = 0 AND EXISTS (SELECT 1 FROM consent k WHERE "
            "k.customer_id = c.id AND k.channel = ? AND k.granted <> 0)",
            [value],
        )
    if name == "postal_code":
        return _postal_code_sql(value)
    if name == "label":
        variants = _case_variants(value)
        marks = ", ".join("?" * len(variants))
        # EXISTS, not c.id IN (…): measured at 1M rows with ORDER BY sort_key LIMIT 51, IN
        # sorts every member (250 ms for a 7 % label, seconds for a 50 % one, again on each
        # page), EXISTS walks the sort index until the page is full (2 ms for 7 %; its worst
        # case, a label of a handful of customers, is one walk of the index, 1.3 s).
        return (
            "EXISTS (SELECT 1 FROM customer_label cl JOIN label l ON l.id = cl.label_id "
            f"WHERE cl.customer_id = c.id AND l.name COLLATE NOCASE IN ({marks}))",
            variants,
        )
    raise ValueError(f"cannot compile field {name!r}")


def _filled(column: str) -> str:
    return f"({column} IS NOT NULL AND {column} <> '')"


def _exists(table: str) -> str:
    return f"EXISTS (SELECT 1 FROM {table} x WHERE x.customer_id = c.id)"


_HAS = {
    "email": _filled("c.email"),
    "phone": f"{_filled('c.phone')} OR {_filled('c.mobile')}",
    "vat_id": _filled("c.vat_id"),
    "bank": _exists("bank_account"),
    "address": f"({_filled('c.street')} AND {_filled('c.city')}) OR {_exists('address')}",
    "person": _exists("contact_person"),
    "labels": _exists("customer_label"),
    "activity": "c.last_activity_at IS NOT NULL",
}


def _instant(day: date, tz: tzinfo | None) -> str:
    """The stored-timestamp text at which ``day`` starts; compares as text with them."""
    if tz is None:
        return day.isoformat()
    try:
        start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    except OverflowError:
        return "0000" if day.year == 1 else "9999-12-32"
    return start.isoformat()


def _next_instant(day: date, tz: tzinfo | None) -> str:
    # '9999-12-32' sorts after every timestamp of 9999-12-31.
    return "9999-12-32" if day == date.max else _instant(day + timedelta(days=1), tz)


def _date_sql(column: str, op: str, day: date, tz: tzinfo | None) -> tuple[str, list[Any]]:
    start, end = _instant(day, tz), _next_instant(day, tz)
    sql, params = {
        ":": (f"{column} >= ? AND {column} < ?", [start, end]),
        "<": (f"{column} < ?", [start]),
        "<=": (f"{column} < ?", [end]),
        ">": (f"{column} >= ?", [end]),
        ">=": (f"{column} >= ?", [start]),
    }[op]
    if column == "c.last_activity_at":
        sql = f"{column} IS NOT NULL AND {sql}"
    return sql, params


def _postal_code_sql(value: str) -> tuple[str, list[Any]]:
    if not value.endswith("*"):
        return "c.postal_code IS NOT NULL AND c.postal_code = ?", [value]
    prefix = value.rstrip("*")
    last = ord(prefix[-1])
    if last == 0x10FFFF:
        return "c.postal_code IS NOT NULL AND substr(c.postal_code, 1, ?) = ?", [
            len(prefix),
            prefix,
        ]
    # A range on the BINARY index: every text starting with prefix sorts inside it.
    upper = prefix[:-1] + chr(last + 1)
    return "c.postal_code IS NOT NULL AND c.postal_code >= ? AND c.postal_code < ?", [
        prefix,
        upper,
    ]


def _case_variants(name: str) -> list[str]:
    """Spellings of ``name`` differing in the case of non-ASCII letters (NOCASE does ASCII)."""
    options = [
        sorted({c, *(v for v in (c.lower(), c.upper()) if len(v) == 1)}) if ord(c) > 127 else [c]
        for c in name
    ]
    count = 1
    for option in options:
        count *= len(option)
    if count > _MAX_LABEL_VARIANTS:
        spellings = [name, name.lower(), name.upper(), name.capitalize(), name.title()]
    else:
        spellings = ["".join(chars) for chars in itertools.product(*options)]
    return list(dict.fromkeys([name, *spellings]))
