"""Every read query of kk, over a stdlib sqlite3 connection.

The hot read commands (list, search, filter, show, export) and the TUI use only this
module, so they never import SQLModel/SQLAlchemy (~480 ms). Paging is keyset everywhere:
a token carries the last row's sort value and id; OFFSET is never used.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kk.errors import NotFound, ValidationFailed
from kk.services import numbers

#: The stable JSON keys of a customer, in output order. Scripts depend on them.
CUSTOMER_KEYS: tuple[str, ...] = (
    "number", "kind", "display_name", "company_name", "register_number", "vat_id",
    "tax_number", "salutation", "title", "first_name", "last_name", "email", "phone", "mobile",
    "website", "street", "postal_code", "city", "country", "notes", "discount_percent", "roles",
    "labels", "is_template", "do_not_contact", "archived", "archived_at", "archived_by",
    "archive_reason", "created_at", "created_by", "updated_at", "updated_by", "last_activity_at",
)  # fmt: skip

_COLUMNS = [k for k in CUSTOMER_KEYS if k not in ("labels", "archived")]
_LABELS = (
    "(SELECT group_concat(name, char(31)) FROM (SELECT l.name FROM customer_label cl "
    "JOIN label l ON l.id = cl.label_id WHERE cl.customer_id = c.id ORDER BY l.name))"
)
_SELECT = f"SELECT c.id, {', '.join('c.' + k for k in _COLUMNS)}, {_LABELS} FROM customer c"

#: sort name → (SQL key expression, JSON key holding it). Each has an index (key, id).
SORTS: dict[str, str] = {
    "name": "c.sort_key",
    "number": "c.id",
    "created": "c.created_at",
    "updated": "c.updated_at",
    "last_activity": "c.last_activity_at",
}
ARCHIVED_MODES = ("active", "archived", "all")


def customer_row(row: sqlite3.Row | tuple[Any, ...]) -> dict[str, Any]:
    """A result row of `_SELECT` as the stable JSON dict."""
    values = dict(zip(_COLUMNS, row[1:-1], strict=True))
    record: dict[str, Any] = {}
    for key in CUSTOMER_KEYS:
        if key == "labels":
            record[key] = row[-1].split("\x1f") if row[-1] else []
        elif key == "archived":
            record[key] = values["archived_at"] is not None
        elif key == "roles":
            record[key] = values["roles"].split(",") if values["roles"] else []
        elif key in ("is_template", "do_not_contact"):
            record[key] = bool(values[key])
        else:
            record[key] = values[key]
    return record


@dataclass
class CustomerQuery:
    """What a list, search or filter asks for; `where` parts are ANDed SQL with params."""

    archived: str = "active"
    sort: str = "name"
    desc: bool = False
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    order_sql: str | None = None

    def add(self, sql: str, *params: Any) -> CustomerQuery:
        self.where.append(sql)
        self.params.extend(params)
        return self


def encode_token(value: Any, row_id: int) -> str:
    raw = json.dumps([value, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        value, row_id = json.loads(raw)
        return value, int(row_id)
    except (ValueError, TypeError) as error:
        raise ValidationFailed(
            f"--after: '{token}' is not a paging token from kk", field="after"
        ) from error


def _base(query: CustomerQuery) -> tuple[list[str], list[Any]]:
    if query.sort not in SORTS:
        raise ValidationFailed(f"--sort: '{query.sort}' is not one of {', '.join(SORTS)}")
    if query.archived not in ARCHIVED_MODES:
        raise ValidationFailed(f"archived mode '{query.archived}' is unknown")
    where = ["c.restricted = 0", *query.where]
    if query.archived == "active":
        where.append("c.archived_at IS NULL")
    elif query.archived == "archived":
        where.append("c.archived_at IS NOT NULL")
    return where, list(query.params)


def page(
    connection: sqlite3.Connection,
    query: CustomerQuery,
    *,
    limit: int | None = 50,
    after: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of customers and the token of the next page (None on the last page)."""
    rows = list(_rows(connection, query, limit=limit, after=after))
    token = None
    if limit is not None and len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        token = encode_token(last[1], last[0])
    return [r[2] for r in rows], token


def iterate(connection: sqlite3.Connection, query: CustomerQuery, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every matching customer, streamed in keyset batches (constant memory)."""
    after = None
    while True:
        rows = list(_rows(connection, query, limit=batch - 1, after=after))
        for row in rows[: batch - 1]:
            yield row[2]
        if len(rows) < batch:
            return
        last = rows[batch - 2]
        after = encode_token(last[1], last[0])


def _rows(
    connection: sqlite3.Connection, query: CustomerQuery, *, limit: int | None, after: str | None
) -> Iterator[tuple[int, Any, dict[str, Any]]]:
    where, params = _base(query)
    key = SORTS[query.sort]
    if query.sort == "last_activity":
        key = "coalesce(c.last_activity_at, '')"
    op, direction = ("<", "DESC") if query.desc else (">", "ASC")
    if after:
        value, row_id = decode_token(after)
        where.append(f"({key}, c.id) {op} (?, ?)")
        params += [value, row_id]
    statement = (
        f"SELECT {key}, c.id, {', '.join('c.' + k for k in _COLUMNS)}, {_LABELS} "
        f"FROM customer c WHERE {' AND '.join(where)} "
        f"ORDER BY {key} {direction}, c.id {direction}"
    )
    if limit is not None:
        statement += f" LIMIT {int(limit) + 1}"
    for row in connection.execute(statement, params):
        yield row[1], row[0], customer_row(row[1:])


def lookup(
    connection: sqlite3.Connection, ref: str, *, include_restricted: bool = False
) -> tuple[int, dict[str, Any]]:
    """(id, JSON dict) of one customer by number; archived ones too."""
    number = numbers.parse_ref(ref)
    sql = f"{_SELECT} WHERE c.number = ?"
    if not include_restricted:
        sql += " AND c.restricted = 0"
    row = connection.execute(sql, (number,)).fetchone()
    if row is None:
        raise NotFound(f"no customer {number}")
    return int(row[0]), customer_row(row)


def get_customer(connection: sqlite3.Connection, ref: str) -> dict[str, Any]:
    return lookup(connection, ref)[1]


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def persons(connection: sqlite3.Connection, customer: int) -> list[dict[str, Any]]:
    return _dicts(connection.execute(
        "SELECT id, salutation, title, first_name, last_name, role, email, phone, created_at "
        "FROM contact_person WHERE customer_id = ? ORDER BY id", (customer,),
    ))  # fmt: skip


def addresses(connection: sqlite3.Connection, customer: int) -> list[dict[str, Any]]:
    return _dicts(connection.execute(
        "SELECT id, purpose, name, street, postal_code, city, country "
        "FROM address WHERE customer_id = ? ORDER BY id", (customer,),
    ))  # fmt: skip


def bank_accounts(connection: sqlite3.Connection, customer: int) -> list[dict[str, Any]]:
    rows = _dicts(connection.execute(
        "SELECT id, method, holder, iban, bic, account_number, bank_code, bank_name, rib, gui, "
        "mandate, mandate_ref, mandate_date, first_debit_date "
        "FROM bank_account WHERE customer_id = ? ORDER BY id", (customer,),
    ))  # fmt: skip
    for row in rows:
        row["mandate"] = bool(row["mandate"])
    return rows


def consents(connection: sqlite3.Connection, customer: int) -> dict[str, dict[str, Any]]:
    rows = connection.execute(
        "SELECT channel, granted, date, source FROM consent WHERE customer_id = ?", (customer,)
    )
    return {c: {"granted": bool(g), "date": d, "source": s} for c, g, d, s in rows}


def history(connection: sqlite3.Connection, customer: int, limit: int | None = None) -> list[dict[str, Any]]:
    """Audit entries about a customer and its records, newest first."""
    sql = (
        "SELECT at, user, entity, entity_id, action, field, old, new FROM audit_entry "
        "WHERE customer_id = ? ORDER BY id DESC"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _dicts(connection.execute(sql, (customer,)))


def customer_detail(
    connection: sqlite3.Connection, ref: str, *, recent: int = 10, records: int = 5
) -> dict[str, Any]:
    """Everything about one customer: fields, persons, addresses, bank accounts, consents,
    the most recent history, and the overview of its records (`records` newest of each)."""
    cid, record = lookup(connection, ref)
    record["persons"] = persons(connection, cid)
    record["addresses"] = addresses(connection, cid)
    record["bank_accounts"] = bank_accounts(connection, cid)
    record["consents"] = consents(connection, cid)
    record["history"] = history(connection, cid, limit=recent)
    # Issue 6: `statistics` and `recent` (notes, activities, quotes, orders, invoices).
    from kk.services import overview

    record.update(overview.customer_overview(connection, cid, recent_limit=records))
    return record


def labels(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every label with the number of active customers carrying it."""
    return _dicts(connection.execute(
        "SELECT l.name AS name, count(c.id) AS customers FROM label l "
        "LEFT JOIN customer_label cl ON cl.label_id = l.id "
        "LEFT JOIN customer c ON c.id = cl.customer_id AND c.archived_at IS NULL "
        "AND c.restricted = 0 GROUP BY l.id ORDER BY l.name COLLATE NOCASE",
    ))  # fmt: skip
