"""The customer search index (FTS5 over German-folded text), kept in step with every write.

The index stores folded copies (kk.text.fold), so the query side (kk.services.fts_query)
folds the typed text the same way and `Müller`, `Mueller` and `muller` meet. On top of
folding, runs of letters and digits are split apart (`mueller2@aol.de` is stored as
`muller 2@aol.de`): otherwise every numbered e-mail address is a term of its own and a
prefix query like `muller*` has to merge tens of thousands of one-row doclists (measured
at 1M customers: 20,119 terms start with `muller`, and counting its hits took 40 ms
instead of 5). The query side splits typed words the same way (`split_runs`).

Columns, in the order search ranks them (kk.services.search): the number (its digits,
with and without the zeros: `0042 42`; the `cus` every row has would only cost index),
the party's own name, people (contact persons, and a company's contact name), e-mail
addresses, city, postal code, phone digits, VAT ID.

Rows are (re)indexed by one function for one edited customer and a million imported ones:
`index_after` reads the customers in id order and inserts their texts with executemany
(per-row triggers were measured 6x slower on bulk loads). It works inside the caller's
transaction and never commits.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from kk.text import digits, fold

COLUMNS = ("number", "name", "person", "email", "city", "postal_code", "phone", "vat_id")

#: `columnsize=0`: kk ranks by field, not bm25, so the per-row size table is not kept.
#: `prefix='2 3 4 5 6'`: a prefix query (every word typed is one) reads one prefix doclist
#: instead of merging the doclists of every term that starts with it, and such a merge is
#: read again for every rank and probe of a search. Measured at 1M customers (load ~2):
#: `"muller"* AND "berlin"*` counted in 5 ms instead of 35, `"berlin"*` in 6 instead of 19;
#: the price is ~70 % more index (376 MB instead of 221) and ~50 % more time to fill it.
CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS customer_fts USING fts5("
    + ", ".join(COLUMNS)
    + ", tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6', columnsize = 0)"
)

# ASCII classes on purpose: the same function splits the query side, so only agreement
# matters, and these are twice as fast as Unicode ones (fold leaves ASCII in most names).
_RUNS = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")
_HAS_DIGIT = re.compile(r"[0-9]").search


def split_runs(text: str) -> str:
    """A space between a letter and a digit next to each other (`de123` → `de 123`)."""
    return _RUNS.sub(" ", text) if _HAS_DIGIT(text) else text


def index_text(text: str | None) -> str:
    """`text` as the index stores it: folded, letter and digit runs split apart."""
    return split_runs(fold(text)) if text else ""


def _phones(numbers: Iterable[str | None]) -> str:
    # Digits of the E.164 form and of the German national form: '030 1234' finds +49301234.
    out: list[str] = []
    for number in numbers:
        if number:
            clean = digits(number)
            out.append(clean)
            if number.startswith("+49"):
                out.append("0" + clean[2:])
    return " ".join(out)


def _join(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


def number_text(number: str | None) -> str:
    """The number's column: its digits with and without the leading zeros (`0042 42`)."""
    padded = digits(number or "")
    short = padded.lstrip("0")
    return padded if short == padded else f"{padded} {short}"


def texts(row: Sequence[Any], persons: Sequence[Sequence[Any]] = ()) -> tuple[str, ...]:
    """The indexed text of one customer, column by column.

    `row` is (number, kind, display_name, company_name, first_name, last_name, email, phone,
    mobile, city, postal_code, vat_id); `persons` its contact persons as (first_name,
    last_name, email, phone). A person's name is indexed in both orders (display name
    "Müller, Hans" and "Hans Müller"), so a quoted phrase finds it either way; a company's
    own first/last name is its contact, indexed with the people.
    """
    (number, kind, display_name, company_name, first_name, last_name,
     email, phone, mobile, city, postal_code, vat_id) = row  # fmt: skip
    if kind == "company":
        names = (
            display_name
            if company_name in (None, display_name)
            else _join(display_name, company_name)
        )
        people = _join(first_name, last_name)
    else:
        names = _join(display_name, first_name, last_name,
                      None if company_name == display_name else company_name)  # fmt: skip
        people = ""
    mails = email or ""
    phones: list[str | None] = [phone, mobile]
    if persons:
        people = _join(people, *(_join(p[0], p[1]) for p in persons))
        mails = _join(mails, *(p[2] for p in persons))
        phones += [p[3] for p in persons]
    return (
        number_text(number),
        index_text(names),
        index_text(people),
        index_text(mails),
        index_text(city),
        postal_code or "",
        _phones(phones),
        index_text(vat_id),
    )


_CUSTOMER = (
    "SELECT id, number, kind, display_name, company_name, first_name, last_name, email, "
    "phone, mobile, city, postal_code, vat_id FROM customer"
)
_PERSONS = (
    "SELECT customer_id, first_name, last_name, email, phone FROM contact_person "
    "WHERE customer_id {} ORDER BY customer_id, id"
)
_INSERT = (
    f"INSERT INTO customer_fts (rowid, {', '.join(COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(COLUMNS) + 1))})"
)


def create(connection: sqlite3.Connection) -> None:
    connection.execute(CREATE)


def _rows(
    connection: sqlite3.Connection, where: str, params: list[Any]
) -> Iterator[tuple[Any, ...]]:
    # Customers and their persons, both in customer id order, merged as they stream.
    persons = connection.execute(_PERSONS.format(where), params)
    pending = next(persons, None)
    for row in connection.execute(f"{_CUSTOMER} WHERE id {where} ORDER BY id", params):
        own: list[tuple[Any, ...]] = []
        while pending is not None and pending[0] <= row[0]:
            if pending[0] == row[0]:
                own.append(pending[1:])
            pending = next(persons, None)
        yield (row[0], *texts(row[1:], own))


def index_customers(connection: sqlite3.Connection, ids: list[int]) -> None:
    """(Re)index the given customers; call inside the writing transaction."""
    if not ids:
        return
    remove(connection, ids)
    marks = ", ".join("?" * len(ids))
    connection.executemany(_INSERT, list(_rows(connection, f"IN ({marks})", list(ids))))


def index_after(connection: sqlite3.Connection, last_id: int) -> None:
    """Index every customer with an id above `last_id` (after a bulk load), set-based:
    one pass over the new customers and their persons, streamed (memory stays flat)."""
    connection.executemany(_INSERT, _rows(connection, "> ?", [last_id]))


def remove(connection: sqlite3.Connection, ids: list[int]) -> None:
    marks = ", ".join("?" * len(ids))
    connection.execute(f"DELETE FROM customer_fts WHERE rowid IN ({marks})", ids)


def optimize(connection: sqlite3.Connection) -> None:
    """Merge the index into one b-tree segment. A bulk fill leaves a dozen or more, and
    every term a search reads is looked up in each (at 1M customers a rare term took
    8 ms with 12 segments, 5 ms with one). It rewrites the whole index: after a big
    load, not after every small one (FTS5 merges small segments on its own)."""
    connection.execute("INSERT INTO customer_fts (customer_fts) VALUES ('optimize')")


#: FTS5's own default: merge level segments once four of them pile up.
_AUTOMERGE = 4


def defer_merges(connection: sqlite3.Connection) -> None:
    """Stop FTS5 from merging index segments while a bulk load fills the index; call
    :func:`merge_now` before the commit. Merging as it goes rewrites the growing segments
    again and again; one merge at the end is cheaper and leaves a single segment, which
    searches read fastest. Measured on 400,000 imported customers: 56 µs a row with
    merges as it goes (leaving many segments), 53 µs with the one merge at the end."""
    connection.execute("INSERT INTO customer_fts (customer_fts, rank) VALUES ('automerge', 0)")


def merge_now(connection: sqlite3.Connection) -> None:
    """Merge what :func:`defer_merges` left into one segment and merge as usual again."""
    connection.execute(
        "INSERT INTO customer_fts (customer_fts, rank) VALUES ('automerge', ?)", (_AUTOMERGE,)
    )
    optimize(connection)


def rebuild(connection: sqlite3.Connection) -> None:
    """Drop and refill the whole index (`kk db reindex`), in the current layout."""
    connection.execute("DROP TABLE IF EXISTS customer_fts")
    create(connection)
    index_after(connection, 0)
    optimize(connection)
