"""Products and prices: add, list, show, edit, archive, restore.

A product is addressed by its SKU (unique, case-insensitively). Its unit price is a Decimal
in EUR (typed `95,00` or `95.00`), its VAT rate one of the German 19, 7 or 0 %. Archived
products stay on the lines that use them but cannot be put on new lines.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from kk import validation
from kk.clock import now_iso
from kk.errors import Conflict, NotFound, ValidationFailed
from kk.services import audit
from kk.services.record_base import (
    decode_token,
    dicts,
    encode_token,
    plain,
    rate,
    text,
    transaction,
)
from kk.services.users import Actor
from kk.totals import VAT_RATES

#: The JSON keys of a product, in output order (scripts depend on them).
PRODUCT_KEYS = (
    "sku", "name", "unit", "unit_price", "vat_rate", "archived", "archived_at", "created_at",
    "updated_at",
)  # fmt: skip
#: Fields `edit` may change; None clears `unit`.
FIELDS = ("sku", "name", "unit", "unit_price", "vat_rate")
MAX_PRICE_PLACES = 4

_SELECT = (
    "SELECT id, sku, name, unit, unit_price, vat_rate, archived_at, created_at, updated_at "
    "FROM product"
)


def vat_rate(value: str | Decimal, field: str = "vat") -> Decimal:
    """19, 7 or 0 (`19 %`, `7,0` too): the VAT rates of German invoices."""
    raw = str(value)
    cleaned = raw.strip().removesuffix("%").strip()
    try:
        number = validation.decimal_amount(cleaned, field=field) if cleaned else None
    except ValidationFailed:
        number = None
    if number is None or number not in VAT_RATES:
        raise ValidationFailed(
            f"{validation.flag(field)}: {raw!r} is not a German VAT rate (19, 7 or 0)",
            field=field,
        )
    return Decimal(int(number))


def unit_price(value: str, field: str = "price") -> Decimal:
    """A unit price in EUR, not negative, cents or up to four places (`0,335` per sheet)."""
    number = validation.decimal_amount(value, field=field)
    flag = validation.flag(field)
    if number < 0:
        raise ValidationFailed(f"{flag}: {value!r} must not be negative", field=field)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_PRICE_PLACES:
        raise ValidationFailed(
            f"{flag}: {value!r} has more than {MAX_PRICE_PLACES} decimal places", field=field
        )
    if isinstance(exponent, int) and exponent > -2:
        number = number.quantize(Decimal("0.01"))
    return number


def _sku(value: str | None) -> str:
    sku = text(value)
    if not sku:
        raise ValidationFailed("--sku: a product needs a SKU", field="sku")
    if any(ch.isspace() for ch in sku):
        raise ValidationFailed(f"--sku: {sku!r} must not contain spaces", field="sku")
    return sku


def _name(value: str | None) -> str:
    name = text(value)
    if not name:
        raise ValidationFailed("--name: a product needs a name", field="name")
    return name


def product_record(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "sku": row["sku"],
        "name": row["name"],
        "unit": row["unit"],
        "unit_price": row["unit_price"],
        "vat_rate": row["vat_rate"],
        "archived": row["archived_at"] is not None,
        "archived_at": row["archived_at"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def _row(connection: sqlite3.Connection, sku: str) -> dict[str, Any]:
    rows = dicts(connection.execute(f"{_SELECT} WHERE sku = ? COLLATE NOCASE", (sku.strip(),)))
    if not rows:
        raise NotFound(f"no product '{sku.strip()}'")
    return rows[0]


def find(connection: sqlite3.Connection, sku: str) -> dict[str, Any]:
    """The stored row (with `id`) of a product by SKU, archived ones too."""
    return _row(connection, sku)


def get_product(connection: sqlite3.Connection, sku: str) -> dict[str, Any]:
    return product_record(_row(connection, sku))


def _check_unique(connection: sqlite3.Connection, sku: str, own_id: int | None = None) -> None:
    row = connection.execute(
        "SELECT sku FROM product WHERE sku = ? COLLATE NOCASE AND id IS NOT ?", (sku, own_id)
    ).fetchone()
    if row:
        raise Conflict(f"--sku: product {row[0]} exists already", field="sku")


def add_product(
    connection: sqlite3.Connection,
    *,
    sku: str,
    name: str,
    price: str,
    vat: str = "19",
    unit: str | None = None,
    actor: Actor,
) -> str:
    """A new product; returns its SKU."""
    values: dict[str, Any] = {
        "sku": _sku(sku),
        "name": _name(name),
        "unit": text(unit),
        "unit_price": plain(unit_price(price)),
        "vat_rate": rate(vat_rate(vat)),
    }
    with transaction(connection):
        _check_unique(connection, values["sku"])
        stamp = now_iso()
        connection.execute(
            "INSERT INTO product (sku, name, unit, unit_price, vat_rate, created_at, updated_at) "
            "VALUES (:sku, :name, :unit, :unit_price, :vat_rate, :at, :at)",
            {**values, "at": stamp},
        )
        audit.record(
            connection, user=actor.name, entity="product", entity_id=values["sku"],
            action="create", changes={k: (None, v) for k, v in values.items() if v is not None},
        )  # fmt: skip
    return str(values["sku"])


def edit_product(
    connection: sqlite3.Connection, sku: str, *, changes: Mapping[str, Any], actor: Actor
) -> str:
    """Change the given fields (`unit` None clears it); returns the (maybe new) SKU.

    Lines already on quotes, orders and invoices keep their own copy of price and VAT."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationFailed(f"unknown product field(s): {', '.join(sorted(unknown))}")
    cleaners: dict[str, Callable[[Any], Any]] = {
        "sku": _sku,
        "name": _name,
        "unit": text,
        "unit_price": lambda v: plain(unit_price(v)),
        "vat_rate": lambda v: rate(vat_rate(v)),
    }
    cleaned = {key: cleaners[key](value) for key, value in changes.items()}
    with transaction(connection):
        row = _row(connection, sku)
        if "sku" in cleaned:
            _check_unique(connection, cleaned["sku"], own_id=row["id"])
        changed = audit.diff({k: row[k] for k in cleaned}, cleaned)
        if not changed:
            return str(row["sku"])
        stamp = now_iso()
        assignments = ", ".join(f"{key} = ?" for key in changed)
        connection.execute(
            f"UPDATE product SET {assignments}, updated_at = ? WHERE id = ?",
            [new for _old, new in changed.values()] + [stamp, row["id"]],
        )
        audit.record(
            connection, user=actor.name, entity="product", entity_id=row["sku"],
            action="edit", changes=changed,
        )  # fmt: skip
        return str(cleaned["sku"] if "sku" in cleaned else row["sku"])


def set_archived(connection: sqlite3.Connection, sku: str, *, archived: bool, actor: Actor) -> str:
    """Archive (no new lines with it) or restore a product; returns its SKU."""
    with transaction(connection):
        row = _row(connection, sku)
        if archived == (row["archived_at"] is not None):
            state = "archived already" if archived else "not archived"
            raise Conflict(f"product {row['sku']} is {state}")
        stamp = now_iso()
        connection.execute(
            "UPDATE product SET archived_at = ?, updated_at = ? WHERE id = ?",
            (stamp if archived else None, stamp, row["id"]),
        )
        audit.record(
            connection, user=actor.name, entity="product", entity_id=row["sku"],
            action="archive" if archived else "restore",
            changes={"archived": (not archived, archived)},
        )  # fmt: skip
        return str(row["sku"])


def list_products(
    connection: sqlite3.Connection,
    *,
    archived: str = "active",
    search: str | None = None,
    limit: int | None = 50,
    after: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Products by SKU, one keyset page and the next page's token; `archived` is
    active, archived or all; `search` matches SKU or name (case-insensitive)."""
    where: list[str] = []
    params: list[Any] = []
    if archived == "active":
        where.append("archived_at IS NULL")
    elif archived == "archived":
        where.append("archived_at IS NOT NULL")
    if search:
        where.append("(sku LIKE ? OR name LIKE ?)")
        params += [f"%{search}%", f"%{search}%"]
    if after:
        last_sku, last_id = decode_token(after)
        where.append("(sku, id) > (?, ?)")
        params += [last_sku, last_id]
    sql = _SELECT + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY sku, id"
    if limit is not None:
        sql += f" LIMIT {int(limit) + 1}"
    rows = dicts(connection.execute(sql, params))
    token = None
    if limit is not None and len(rows) > limit:
        rows = rows[:limit]
        token = encode_token(rows[-1]["sku"], rows[-1]["id"])
    return [product_record(r) for r in rows], token
