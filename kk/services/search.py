"""Customer search and filters: one service for the CLI, the export and the TUI.

`search_query` finds customers by what a user types (names, number, e-mail, city, phone …)
through the FTS5 index and ranks them by where the words were found: the customer number,
then the customer's own name as whole words, then its name as prefixes, then anything else
(contact persons, e-mail, city, postal code, phone, VAT ID). Within a rank the order is by
name. The rank is a field-weighted order that keyset paging can carry in its token; bm25
was measured instead and dropped: it scores every hit on every page (≈100 ms for a term in
7 % of 1M customers, bench/search.md), where a rank tier costs a few ms.

`filter_query` turns a `kk customer filter` expression (kk.services.filter_expr) into the
same kind of query; `apply_filter` narrows an existing one (the TUI's search box plus its
filter bar).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

from kk.services import fts_query
from kk.services.queries import CustomerQuery, Tier
from kk.services.search_index import COLUMNS
from kk.text import fold

#: What the table's "Match" column calls each index column.
MATCH_NAMES = {
    "number": "number",
    "name": "name",
    "person": "person",
    "email": "email",
    "city": "city",
    "postal_code": "postal code",
    "phone": "phone",
    "vat_id": "VAT ID",
}


def search_query(text: str, *, archived: str = "active") -> CustomerQuery:
    """A ranked customer query for the fragment `text`; matches nothing if it has no words.

    Ranks: the exact customer number (only when `text` has a digit); names that start with
    `text` (`müller` → "Müller, Anna", "Müller & Lehmann GmbH", "Müllerbau": a range of
    the sort index); every word a whole word of the name; every word a prefix in the name;
    then the words anywhere else. Every rank holds index hits only (a customer missing from
    the index is missing from the search, however its name starts).
    """
    query = CustomerQuery(archived=archived, sort="rank")
    match = fts_query.match_query(text)
    if match is None:
        return query.add("0")
    query.match = match
    # Disjoint by construction, each excluding only the tier it nests in: name words ⊂
    # name prefixes ⊂ everything; the number and the name range are excluded on their own.
    number = f"number : ({exact(match)})" if any(char.isdigit() for char in text) else None
    words, prefixes = f"name : ({exact(match)})", f"name : ({match})"
    tiers = [
        Tier(match=_without(words, number)),
        Tier(match=_without(f"{prefixes} NOT {words}", number)),
        Tier(match=_without(f"({match}) NOT {prefixes}", number)),
    ]
    start = fold(text)
    if start:
        range_ = "c.sort_key >= ? AND c.sort_key < ?"
        tiers.insert(0, Tier(range_, (start, _after(start)), _without(match, number)))
    if number:
        tiers.insert(0, Tier(match=number))
    query.tiers = tiers
    return query


def _without(match: str, excluded: str | None) -> str:
    return match if excluded is None else f"({match}) NOT ({excluded})"


def _after(prefix: str) -> str:
    """The smallest text after every text starting with `prefix` (BINARY order)."""
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return prefix + "\U0010ffff"
    return prefix[:-1] + chr(last + 1)


def exact(match: str) -> str:
    """`match` with every prefix marker dropped: `"mul"*` → `"mul"` (whole words only).

    fts_query puts everything a user typed inside double quotes (a quote doubled), so a
    `*` outside quotes is always a prefix marker.
    """
    out: list[str] = []
    quoted = False
    for char in match:
        if char == '"':
            quoted = not quoted
        elif char == "*" and not quoted:
            continue
        out.append(char)
    return "".join(out)


def matched_fields(
    connection: sqlite3.Connection, text: str, numbers: Iterable[str]
) -> dict[str, str]:
    """For each customer number found by searching `text`, the fields the words were in
    (`"name"`, `"email, city"` …), for the table's Match column."""
    match = fts_query.match_query(text)
    if match is None:
        return {}
    marks = ", ".join(f"highlight(customer_fts, {i}, char(2), '')" for i in range(len(COLUMNS)))
    sql = f"SELECT {marks} FROM customer_fts WHERE customer_fts MATCH ? AND rowid = ?"
    found: dict[str, str] = {}
    for number in numbers:
        row = connection.execute(sql, (match, _id(number))).fetchone()
        if row is not None:
            names = [MATCH_NAMES[c] for c, text in zip(COLUMNS, row, strict=True) if "\x02" in text]
            found[number] = ", ".join(names)
    return found


def _id(number: str) -> int:
    return int(number.rpartition("-")[2])


def filter_query(
    expression: str, *, archived: str = "active", sort: str = "name", desc: bool = False
) -> CustomerQuery:
    """The customers matching a filter expression; raises FilterSyntaxError (with the
    character position) for one that cannot be read."""
    query = CustomerQuery(archived=archived, sort=sort, desc=desc)
    apply_filter(query, expression)
    return query


def apply_filter(query: CustomerQuery, expression: str) -> CustomerQuery:
    """Narrow `query` by a filter expression (ANDed to what it asks already).

    An expression that mentions `archived:` decides on archived customers itself, so the
    query's own archived mode is widened to all customers.
    """
    from kk.services import filter_expr  # ~5 ms: only filters pay it, not a plain search

    parsed = filter_expr.parse(expression)
    if parsed.mentions_archived:
        query.archived = "all"
    compiled = filter_expr.compile(parsed, tz=LOCAL, split_match=True)
    if compiled.match is not None:
        query.add_match(compiled.match)
    if compiled.where != "1":
        query.add(compiled.where, *compiled.params)
    return query


class _LocalZone(tzinfo):
    """The machine's local time with its daylight-saving rules (the C library's), so a
    filter's day is the user's day: `created:26.10.2025` in Berlin starts at 22:00 UTC
    the day before in summer and at 23:00 in winter. No zoneinfo import needed."""

    def utcoffset(self, moment: datetime | None) -> timedelta:
        if moment is None:
            return timedelta(0)
        offset = moment.replace(tzinfo=None).astimezone().utcoffset()
        return offset if offset is not None else timedelta(0)

    def dst(self, moment: datetime | None) -> timedelta | None:
        return None

    def tzname(self, moment: datetime | None) -> str:
        return "local"


LOCAL = _LocalZone()
