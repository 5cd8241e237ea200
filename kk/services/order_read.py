"""Quotes, orders and invoices as data: numbers, lookups, totals, the stable JSON shapes.

Stdlib only (the read path: `kk order show|list`, the customer overview). The totals come
from kk.totals.compute_totals, the one place money is computed; nothing here rounds twice.
A cancellation invoice (Storno) stores its lines with negated quantities and shows negated
totals: they are computed on the positive lines and then negated, so a Storno is always
exactly the mirror of the invoice it cancels.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kk.errors import NotFound, ValidationFailed
from kk.services import queries
from kk.services.record_base import decode_token, dicts, encode_token, money, plain, rate

if TYPE_CHECKING:  # imported where used: `kk customer show` without orders skips them
    from kk.money import Discount
    from kk.totals import Line, LineTotal, Totals

KINDS = ("quote", "order", "invoice")
PREFIXES = {"quote": "AN", "order": "AU", "invoice": "RE"}
_KIND_OF_PREFIX = {prefix: kind for kind, prefix in PREFIXES.items()}
STATUSES: dict[str, tuple[str, ...]] = {
    "quote": ("draft", "sent", "accepted", "rejected"),
    "order": ("open", "done", "cancelled"),
    "invoice": ("open", "paid", "cancelled"),
}

#: The JSON keys of one quote/order/invoice (`kk order show`), in output order.
ORDER_KEYS = (
    "number", "kind", "status", "customer", "customer_name", "name", "description",
    "booking_date", "service_date", "due_date", "lines", "discount", "net_before_discount",
    "net_total", "vat_breakdown", "vat_total", "gross_total", "small_business",
    "reverse_charge", "customer_vat_id", "recipient", "labels", "source", "converted_to",
    "cancels", "cancelled_by", "issued_at", "paid_at", "created_at", "created_by", "updated_at",
)  # fmt: skip
#: The JSON keys of a row of `kk order list` (and of the customer overview).
SUMMARY_KEYS = (
    "number", "kind", "status", "customer", "customer_name", "name", "booking_date",
    "due_date", "net_total", "gross_total",
)  # fmt: skip

_REF = re.compile(r"^\s*(AN|AU|RE)-?(\d{4})-?0*(\d{1,9})\s*$", re.IGNORECASE)
_SELECT = (
    "SELECT o.*, c.number AS customer, c.display_name AS customer_name, "
    "c.archived_at AS customer_archived_at, "
    "(SELECT s.number FROM sales_order s WHERE s.id = o.source_id) AS source, "
    "(SELECT s.number FROM sales_order s WHERE s.id = o.cancels_id) AS cancels, "
    "(SELECT s.number FROM sales_order s WHERE s.source_id = o.id ORDER BY s.id LIMIT 1) "
    "AS converted_to, "
    "(SELECT s.number FROM sales_order s WHERE s.cancels_id = o.id ORDER BY s.id LIMIT 1) "
    "AS cancelled_by "
    # Records of an erased (restricted) customer stay visible: they are kept by law for the
    # books, with the anonymised customer name and their frozen recipient block.
    "FROM sales_order o JOIN customer c ON c.id = o.customer_id WHERE 1 = 1"
)


def format_order_number(kind: str, year: int, value: int) -> str:
    return f"{PREFIXES[kind]}-{year:04d}-{value:04d}"


def is_order_number(ref: str) -> bool:
    return _REF.match(ref) is not None


def canonical(ref: str) -> str:
    """`AN-2026-0001` for `an-2026-1`; anything else is refused with a hint."""
    match = _REF.match(ref)
    if not match or int(match.group(3)) == 0:
        raise ValidationFailed(
            f"'{ref}' is not a quote, order or invoice number "
            "(write AN-2026-0001, AU-2026-0001 or RE-2026-0001)",
            field="number",
        )
    prefix, year, value = match.group(1).upper(), int(match.group(2)), int(match.group(3))
    return format_order_number(_KIND_OF_PREFIX[prefix], year, value)


def find(connection: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """The stored row of a quote/order/invoice with its customer's number and name."""
    number = canonical(ref)
    rows = dicts(connection.execute(f"{_SELECT} AND o.number = ?", (number,)))
    if not rows:
        raise NotFound(f"no quote, order or invoice {number}")
    return rows[0]


def row_by_id(connection: sqlite3.Connection, order_id: int) -> dict[str, Any]:
    return dicts(connection.execute(f"{_SELECT} AND o.id = ?", (order_id,)))[0]


def line_rows(
    connection: sqlite3.Connection, order_ids: Iterable[int]
) -> dict[int, list[dict[str, Any]]]:
    """The lines of several orders at once, by position."""
    ids = list(order_ids)
    found: dict[int, list[dict[str, Any]]] = {order_id: [] for order_id in ids}
    if not ids:
        return found
    marks = ", ".join("?" for _ in ids)
    for row in dicts(connection.execute(
        "SELECT l.*, p.sku AS sku FROM order_line l LEFT JOIN product p ON p.id = l.product_id "
        f"WHERE l.order_id IN ({marks}) ORDER BY l.order_id, l.position", ids,
    )):  # fmt: skip
        found[row["order_id"]].append(row)
    return found


def discount_of(kind: str | None, value: str | None) -> Discount | None:
    if not kind or value is None:
        return None
    from kk.money import Discount

    return Discount(kind, Decimal(value))  # type: ignore[arg-type]


def discount_text(kind: str | None, value: str | None) -> str | None:
    """How a stored discount is written on the command line: `10%` or `25.00`."""
    if not kind or value is None:
        return None
    return f"{plain(Decimal(value).normalize())}%" if kind == "percent" else value


def _line(row: Mapping[str, Any]) -> Line:
    from kk.totals import Line

    return Line(
        description=row["description"],
        quantity=abs(Decimal(row["quantity"])),
        unit_price=Decimal(row["unit_price"]),
        vat_rate=Decimal(row["vat_rate"]),
        discount=discount_of(row["discount_kind"], row["discount_value"]),
        unit=row["unit"],
    )


def _neg(value: Decimal) -> Decimal:
    """Negated without a "-0.00"."""
    return Decimal(0) - value


def _negated(t: Totals) -> Totals:
    from kk.totals import VatRow

    lines = tuple(
        replace(
            lt,
            line=replace(lt.line, quantity=_neg(lt.line.quantity)),
            amount=_neg(lt.amount),
            discount_amount=_neg(lt.discount_amount),
            net=_neg(lt.net),
        )  # fmt: skip
        for lt in t.lines
    )
    return replace(
        t,
        lines=lines,
        net_before_discount=_neg(t.net_before_discount),
        discount_amount=_neg(t.discount_amount),
        discount_shares=tuple((r, _neg(s)) for r, s in t.discount_shares),
        net_total=_neg(t.net_total),
        vat_breakdown=tuple(VatRow(r.rate, _neg(r.net_base), _neg(r.vat)) for r in t.vat_breakdown),
        vat_total=_neg(t.vat_total),
        gross_total=_neg(t.gross_total),
    )


def totals_of(order: Mapping[str, Any], lines: list[dict[str, Any]]) -> Totals:
    """The totals of a stored order (§ 19 and reverse charge: no VAT; Storno: negated)."""
    from kk.totals import compute_totals

    totals = compute_totals(
        [_line(row) for row in lines],
        discount_of(order["discount_kind"], order["discount_value"]),
        vat_exempt=bool(order["small_business"] or order["reverse_charge"]),
    )
    return _negated(totals) if order["cancels_id"] else totals


def _discount_record(kind: str | None, value: str | None, amount: Decimal) -> dict[str, Any] | None:
    if not kind or value is None:
        return None
    shown = plain(Decimal(value).normalize()) if kind == "percent" else value
    return {"kind": kind, "value": shown, "amount": money(amount)}


def _line_record(row: Mapping[str, Any], total: LineTotal) -> dict[str, Any]:
    return {
        "position": row["position"],
        "product": row["sku"],
        "description": row["description"],
        "quantity": plain(Decimal(row["quantity"]).normalize()),
        "unit": row["unit"],
        "unit_price": row["unit_price"],
        "vat_rate": rate(row["vat_rate"]),
        "discount": _discount_record(
            row["discount_kind"], row["discount_value"], total.discount_amount
        ),
        "amount": money(total.amount),
        "net": money(total.net),
    }


def labels_of(connection: sqlite3.Connection, order_id: int) -> list[str]:
    rows = connection.execute(
        "SELECT l.name FROM order_label ol JOIN label l ON l.id = ol.label_id "
        "WHERE ol.order_id = ? ORDER BY l.name",
        (order_id,),
    )
    return [row[0] for row in rows]


def order_record(
    connection: sqlite3.Connection, row: Mapping[str, Any], lines: list[dict[str, Any]]
) -> dict[str, Any]:
    """The stable JSON dict of one quote/order/invoice (ORDER_KEYS)."""
    totals = totals_of(row, lines)
    return {
        "number": row["number"],
        "kind": row["kind"],
        "status": row["status"],
        "customer": row["customer"],
        "customer_name": row["customer_name"],
        "name": row["name"],
        "description": row["description"],
        "booking_date": row["booking_date"],
        "service_date": row["service_date"],
        "due_date": row["due_date"],
        "lines": [_line_record(r, t) for r, t in zip(lines, totals.lines, strict=True)],
        "discount": _discount_record(
            row["discount_kind"], row["discount_value"], totals.discount_amount
        ),
        "net_before_discount": money(totals.net_before_discount),
        "net_total": money(totals.net_total),
        "vat_breakdown": [
            {"rate": rate(r.rate), "net": money(r.net_base), "vat": money(r.vat)}
            for r in totals.vat_breakdown
        ],
        "vat_total": money(totals.vat_total),
        "gross_total": money(totals.gross_total),
        "small_business": bool(row["small_business"]),
        "reverse_charge": bool(row["reverse_charge"]),
        "customer_vat_id": row["customer_vat_id"],
        "recipient": (row["recipient"] or "").split("\n") if row["recipient"] else [],
        "labels": labels_of(connection, row["id"]),
        "source": row["source"],
        "converted_to": row["converted_to"],
        "cancels": row["cancels"],
        "cancelled_by": row["cancelled_by"],
        "issued_at": row["issued_at"],
        "paid_at": row["paid_at"],
        "created_at": row["created_at"],
        "created_by": row["created_by"],
        "updated_at": row["updated_at"],
    }


def get_order(connection: sqlite3.Connection, ref: str) -> dict[str, Any]:
    row = find(connection, ref)
    return order_record(connection, row, line_rows(connection, [row["id"]])[row["id"]])


def summaries(connection: sqlite3.Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """List rows (SUMMARY_KEYS) with their totals; the lines are read in one query."""
    lines = line_rows(connection, [row["id"] for row in rows])
    result = []
    for row in rows:
        totals = totals_of(row, lines[row["id"]])
        result.append({
            **{key: row[key] for key in SUMMARY_KEYS if key in row},
            "net_total": money(totals.net_total),
            "gross_total": money(totals.gross_total),
        })  # fmt: skip
    return result


def select(
    connection: sqlite3.Connection,
    where: str = "",
    params: Iterable[Any] = (),
    *,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Stored rows, newest booking first (the shared query of lists and the overview)."""
    sql = f"{_SELECT}{' AND ' + where if where else ''} ORDER BY o.booking_date DESC, o.id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return dicts(connection.execute(sql, list(params)))


def list_orders(
    connection: sqlite3.Connection,
    ref: str | None = None,
    *,
    kind: str | None = None,
    status: str | None = None,
    limit: int | None = 50,
    after: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Quotes/orders/invoices, newest booking date first, of one customer or of all
    (archived customers included: their invoices still count); one keyset page."""
    where: list[str] = []
    params: list[Any] = []
    if ref is not None:
        cid, _customer = queries.lookup(connection, ref)
        where.append("o.customer_id = ?")
        params.append(cid)
    if kind is not None:
        if kind not in KINDS:
            raise ValidationFailed(f"--kind: '{kind}' is not one of {', '.join(KINDS)}")
        where.append("o.kind = ?")
        params.append(kind)
    if status is not None:
        known = sorted({s for kind_statuses in STATUSES.values() for s in kind_statuses})
        if status not in known:
            raise ValidationFailed(f"--status: '{status}' is not one of {', '.join(known)}")
        where.append("o.status = ?")
        params.append(status)
    if after:
        booked, last_id = decode_token(after)
        where.append("(o.booking_date, o.id) < (?, ?)")
        params += [booked, last_id]
    rows = select(
        connection, " AND ".join(where), params, limit=None if limit is None else limit + 1
    )
    token = None
    if limit is not None and len(rows) > limit:
        rows = rows[:limit]
        token = encode_token(rows[-1]["booking_date"], rows[-1]["id"])
    return summaries(connection, rows), token
