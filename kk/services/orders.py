"""Quotes (AN-), orders (AU-) and invoices (RE-): one table, `kind` tells which.

Numbers run per kind and year (`RE-2026-0001`) from a counter row allocated inside the
writing transaction: sequential, never reused, safe under concurrent writers.

Life cycle:
- quote: draft → sent → accepted | rejected (draft may go straight to either); a draft or
  sent quote may be changed; a draft quote may be deleted, nothing else ever is;
- order: open → done | cancelled, done → open;
- invoice: open ↔ paid; `cancel` makes a cancellation invoice (Storno) with the negated lines
  and marks the original cancelled. An invoice is *issued* when its PDF is made, when it is
  paid or cancelled, or with `issue`; from then on it is immutable (GoBD).
`convert` turns a quote (not rejected) into an order and an order (open or done) into an
invoice, copying the lines, the discount and the labels.

Every write recomputes the totals (so a discount above the total is refused), refreshes the
tax snapshot of a changeable record (recipient address, customer VAT ID, § 19, reverse
charge), writes the audit entries and the customer's last activity in one transaction.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kk import validation
from kk.clock import now_iso
from kk.errors import Conflict, NotFound, ValidationFailed
from kk.money import Discount, parse_discount
from kk.services import audit, numbers, products
from kk.services.order_read import (
    KINDS,
    STATUSES,
    discount_text,
    find,
    format_order_number,
    line_rows,
    row_by_id,
    totals_of,
)
from kk.services.record_base import (
    archived_conflict,
    money,
    plain,
    rate,
    text,
    today,
    touch,
    transaction,
    writable_customer,
)
from kk.services.users import Actor
from kk.totals import Totals

INITIAL = {"quote": "draft", "order": "open", "invoice": "open"}
#: status → the statuses `set_status` may move it to. Invoices are cancelled by `cancel`.
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "quote": {"draft": ("sent", "accepted", "rejected"), "sent": ("accepted", "rejected")},
    "order": {"open": ("done", "cancelled"), "done": ("open",)},
    "invoice": {"open": ("paid",), "paid": ("open",)},
}
#: Statuses in which a record's name, dates, discount and lines may change.
CHANGEABLE = {"quote": ("draft", "sent"), "order": ("open",), "invoice": ("open",)}
NEXT_KIND = {"quote": "order", "order": "invoice"}
CONVERTIBLE = {"quote": ("draft", "sent", "accepted"), "order": ("open", "done")}
#: Fields `edit_order` may change; None clears description, dates and the discount.
FIELDS = ("name", "description", "date", "service_date", "due_date", "discount")
#: VAT ID prefixes of the other EU member states (EL is Greece, XI Northern Ireland).
EU_VAT_PREFIXES = frozenset(
    "AT BE BG CY CZ DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK XI".split()
)
DEFAULT_PAYMENT_DAYS = 14
_WORDS = {"quote": "a quote", "order": "an order", "invoice": "an invoice"}


# --- settings and snapshots ---------------------------------------------------------------


def small_business() -> bool:
    """`kk config set invoice.small_business yes`: § 19 UStG, no VAT on anything."""
    from kk import config

    value = (config.get("invoice.small_business") or "").strip().lower()
    return value in ("yes", "true", "1", "ja", "on", "y", "j")


def payment_days() -> int:
    from kk import config

    raw = (config.get("invoice.payment_days") or "").strip()
    if not raw:
        return DEFAULT_PAYMENT_DAYS
    if not raw.isdigit():
        raise ValidationFailed(
            f"invoice.payment_days: {raw!r} is not a number of days "
            "(kk config set invoice.payment_days 14)",
            field="invoice.payment_days",
        )
    return int(raw)


def _country_line(code: str | None) -> str | None:
    if not code or code.upper() == "DE":
        return None
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    return (country.name if country else code).upper()


def recipient_lines(connection: sqlite3.Connection, customer_id: int) -> list[str]:
    """The address block for the envelope window: the billing address if there is one."""
    row = connection.execute(
        "SELECT kind, company_name, salutation, title, first_name, last_name, display_name, "
        "street, postal_code, city, country FROM customer WHERE id = ?",
        (customer_id,),
    ).fetchone()
    kind, company, salutation, title, first, last, display, street, plz, city, country = row
    if kind == "company":
        lines = [company or display]
    else:
        person = " ".join(p for p in (salutation, title, first, last) if p)
        lines = [person if (first or last) else display]
    billing = connection.execute(
        "SELECT name, street, postal_code, city, country FROM address "
        "WHERE customer_id = ? AND purpose = 'billing' ORDER BY id LIMIT 1",
        (customer_id,),
    ).fetchone()
    if billing:
        name, street, plz, city, country = billing
        if name:
            lines.append(name)
    lines += [
        street,
        " ".join(p for p in (plz, city) if p),
        _country_line(country),
    ]
    return [line for line in lines if line]


def snapshot(connection: sqlite3.Connection, customer_id: int) -> dict[str, Any]:
    """What an order freezes of its customer and the settings: the address block, the
    customer's VAT ID, § 19 (small business) and reverse charge (EU business customer
    with a foreign VAT ID; not for small businesses, which charge no VAT anyway)."""
    kind, vat_id = connection.execute(
        "SELECT kind, vat_id FROM customer WHERE id = ?", (customer_id,)
    ).fetchone()
    exempt = small_business()
    reverse = (
        not exempt and kind == "company" and bool(vat_id) and vat_id[:2].upper() in EU_VAT_PREFIXES
    )
    return {
        "recipient": "\n".join(recipient_lines(connection, customer_id)),
        "customer_vat_id": vat_id,
        "small_business": exempt,
        "reverse_charge": reverse,
    }


def _refresh_snapshot(connection: sqlite3.Connection, order: Mapping[str, Any]) -> None:
    connection.execute(
        "UPDATE sales_order SET recipient = :recipient, customer_vat_id = :customer_vat_id, "
        "small_business = :small_business, reverse_charge = :reverse_charge WHERE id = :id",
        {**snapshot(connection, order["customer_id"]), "id": order["id"]},
    )


# --- checks ---------------------------------------------------------------------------------


def _kind(value: str) -> str:
    kind = (value or "").strip().lower()
    if kind not in KINDS:
        raise ValidationFailed(f"--kind: {value!r} is not one of {', '.join(KINDS)}", field="kind")
    return kind


def _name(value: str | None, kind: str) -> str:
    name = text(value)
    if not name:
        raise ValidationFailed(f"--name: {_WORDS[kind]} needs a name", field="name")
    return name


def _date(value: str | None, field: str) -> dt.date | None:
    cleaned = text(value)
    return validation.date_value(cleaned, field=field) if cleaned else None


def _quantity(value: str) -> Decimal:
    quantity = validation.decimal_amount(value, field="qty")
    if quantity <= 0:
        problem = "must not be negative" if quantity < 0 else "must be more than 0"
        raise ValidationFailed(f"--qty: {value!r} {problem}", field="qty")
    return quantity


def _discount(value: str | None) -> Discount | None:
    """`10%` percent, `25.00` EUR; nothing for an empty value."""
    cleaned = text(value)
    return parse_discount(cleaned) if cleaned else None


def _discount_columns(discount: Discount | None) -> tuple[str | None, str | None]:
    if discount is None or discount.value == 0:
        return None, None
    value = plain(discount.value) if discount.kind == "percent" else money(discount.value)
    return discount.kind, value


def _customer_discount(connection: sqlite3.Connection, customer_id: int) -> Discount | None:
    row = connection.execute(
        "SELECT discount_percent FROM customer WHERE id = ?", (customer_id,)
    ).fetchone()
    if not row or not row[0] or Decimal(row[0]) == 0:
        return None
    return Discount.percent(Decimal(row[0]))


def _writable_order(connection: sqlite3.Connection, ref: str) -> dict[str, Any]:
    order = find(connection, ref)
    if order["customer_archived_at"]:
        raise archived_conflict(order["customer"])
    return order


def _changeable(connection: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """An order whose content may change; an issued invoice never may."""
    order = _writable_order(connection, ref)
    number, status = order["number"], order["status"]
    if order["kind"] == "invoice" and order["issued_at"]:
        raise Conflict(
            f"{number} is issued: an issued invoice can no longer be changed (GoBD); "
            f"correct it with 'kk order cancel {number}' and a new invoice"
        )
    if status not in CHANGEABLE[order["kind"]]:
        raise Conflict(f"{number} is {status}: it can no longer be changed")
    return order


def check_totals(connection: sqlite3.Connection, order_id: int) -> Totals:
    """Recompute the totals; an impossible discount raises and rolls the change back."""
    order = row_by_id(connection, order_id)
    return totals_of(order, line_rows(connection, [order_id])[order_id])


def _allocate(connection: sqlite3.Connection, kind: str, year: int) -> str:
    return format_order_number(kind, year, numbers.allocate(connection, f"{kind}-{year}"))


def _audit(
    connection: sqlite3.Connection,
    order: Mapping[str, Any],
    actor: Actor,
    action: str,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> None:
    audit.record(
        connection, user=actor.name, entity=order["kind"], entity_id=order["number"],
        customer_id=order["customer_id"], action=action, changes=changes,
    )  # fmt: skip


def _after_change(
    connection: sqlite3.Connection,
    order: Mapping[str, Any],
    actor: Actor,
    action: str,
    changes: dict[str, tuple[Any, Any]],
) -> None:
    stamp = now_iso()
    _refresh_snapshot(connection, order)
    connection.execute("UPDATE sales_order SET updated_at = ? WHERE id = ?", (stamp, order["id"]))
    check_totals(connection, order["id"])
    _audit(connection, order, actor, action, changes)
    touch(connection, order["customer_id"], stamp)


# --- creating -------------------------------------------------------------------------------


def _insert(connection: sqlite3.Connection, values: Mapping[str, Any]) -> int:
    columns = ", ".join(values)
    marks = ", ".join(f":{key}" for key in values)
    row = connection.execute(
        f"INSERT INTO sales_order ({columns}) VALUES ({marks}) RETURNING id", dict(values)
    ).fetchone()
    return int(row[0])


def _copy_labels(connection: sqlite3.Connection, target: int, *, customer: int | None = None,
                 order: int | None = None) -> None:  # fmt: skip
    if customer is not None:
        connection.execute(
            "INSERT INTO order_label (order_id, label_id) "
            "SELECT ?, label_id FROM customer_label WHERE customer_id = ?",
            (target, customer),
        )
    else:
        connection.execute(
            "INSERT INTO order_label (order_id, label_id) "
            "SELECT ?, label_id FROM order_label WHERE order_id = ?",
            (target, order),
        )


def _invoice_dates(
    booking: dt.date, service: dt.date | None, due: dt.date | None
) -> tuple[str, str]:
    """§ 14 UStG: an invoice names its service date (default: the booking date) and when
    it is due (default: `invoice.payment_days` after the booking date)."""
    service = service or booking
    due = due or booking + dt.timedelta(days=payment_days())
    return service.isoformat(), due.isoformat()


def add_order(
    connection: sqlite3.Connection,
    ref: str,
    *,
    kind: str,
    name: str,
    actor: Actor,
    description: str | None = None,
    date: str | None = None,
    service_date: str | None = None,
    due_date: str | None = None,
    discount: str | None = None,
) -> str:
    """A new quote, order or invoice for customer `ref`; returns its number.

    It takes the customer's discount (percent) unless `discount` is given (`10%` percent,
    `25.00` EUR), and copies the customer's labels."""
    kind = _kind(kind)
    title = _name(name, kind)
    booking = _date(date, "date") or today()
    service = _date(service_date, "service_date")
    due = _date(due_date, "due_date")
    chosen = _discount(discount)
    with transaction(connection):
        cid, _customer = writable_customer(connection, ref)
        number = _allocate(connection, kind, booking.year)
        discount_kind, discount_value = _discount_columns(
            chosen if text(discount) else _customer_discount(connection, cid)
        )
        service_text: str | None
        due_text: str | None
        if kind == "invoice":
            service_text, due_text = _invoice_dates(booking, service, due)
        else:
            service_text = service.isoformat() if service else None
            due_text = due.isoformat() if due else None
        stamp = now_iso()
        values = {
            "number": number, "kind": kind, "status": INITIAL[kind], "customer_id": cid,
            "name": title, "description": text(description), "booking_date": booking.isoformat(),
            "service_date": service_text, "due_date": due_text, "discount_kind": discount_kind,
            "discount_value": discount_value, **snapshot(connection, cid), "created_at": stamp,
            "created_by": actor.name, "updated_at": stamp,
        }  # fmt: skip
        order_id = _insert(connection, values)
        _copy_labels(connection, order_id, customer=cid)
        check_totals(connection, order_id)
        shown = ("kind", "status", "name", "description", "booking_date", "service_date",
                 "due_date")  # fmt: skip
        changes = {key: (None, values[key]) for key in shown if values[key] is not None}
        if discount_kind:
            changes["discount"] = (None, discount_text(discount_kind, discount_value))
        _audit(connection, {**values, "id": order_id}, actor, "create", changes)
        touch(connection, cid, stamp)
    return number


# --- changing -------------------------------------------------------------------------------


def edit_order(
    connection: sqlite3.Connection, ref: str, *, changes: Mapping[str, str | None], actor: Actor
) -> str:
    """Change name, description, dates (`date` is the booking date) or the order discount
    (`10%` percent, `25.00` EUR, None for none); returns the number."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationFailed(f"unknown order field(s): {', '.join(sorted(unknown))}")
    with transaction(connection):
        order = _changeable(connection, ref)
        after: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "name":
                after["name"] = _name(value, order["kind"])
            elif key == "description":
                after["description"] = text(value)
            elif key == "discount":
                chosen = _discount(value)
                after["discount_kind"], after["discount_value"] = _discount_columns(chosen)
            else:
                column = "booking_date" if key == "date" else key
                day = _date(value, key)
                if column == "booking_date" and day is None:
                    raise ValidationFailed(
                        "--date: the booking date cannot be removed", field="date"
                    )
                after[column] = day.isoformat() if day else None
        changed = audit.diff({key: order[key] for key in after}, after)
        if not changed:
            return str(order["number"])
        assignments = ", ".join(f"{key} = :{key}" for key in changed)
        connection.execute(
            f"UPDATE sales_order SET {assignments} WHERE id = :id",
            {**{key: new for key, (_old, new) in changed.items()}, "id": order["id"]},
        )
        shown = {k: v for k, v in changed.items() if not k.startswith("discount_")}
        if "discount_kind" in changed or "discount_value" in changed:
            shown["discount"] = (
                discount_text(order["discount_kind"], order["discount_value"]),
                discount_text(after["discount_kind"], after["discount_value"]),
            )
        _after_change(connection, order, actor, "edit", shown)
        return str(order["number"])


def _line_values(
    connection: sqlite3.Connection,
    *,
    product: str | None,
    text_value: str | None,
    price: str | None,
    vat: str | None,
    unit: str | None,
    current: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    values: dict[str, Any] = dict(current or {})
    if product:
        try:
            item = products.find(connection, product)
        except NotFound:
            raise NotFound(
                f"--product: no product '{product.strip()}' (see 'kk product list')"
            ) from None
        if item["archived_at"]:
            raise Conflict(f"--product: {item['sku']} is archived")
        values.update(
            product_id=item["id"], description=item["name"], unit=item["unit"],
            unit_price=item["unit_price"], vat_rate=item["vat_rate"],
        )  # fmt: skip
    if text(text_value):
        values["description"] = text(text_value)
    if text(unit):
        values["unit"] = text(unit)
    if text(price):
        values["unit_price"] = plain(products.unit_price(price or ""))
    if text(vat):
        values["vat_rate"] = rate(products.vat_rate(vat or ""))
    if not values.get("description"):
        raise ValidationFailed("--text: a line needs --product or a --text", field="text")
    if values.get("unit_price") is None:
        raise ValidationFailed("--price: a line without --product needs a --price", field="price")
    values.setdefault("vat_rate", "19")
    values.setdefault("product_id", None)
    values.setdefault("unit", None)
    return values


def _line_summary(values: Mapping[str, Any]) -> str:
    summary = f"{values['quantity']} × {values['description']} à {values['unit_price']}"
    summary += f", {values['vat_rate']} %"
    if values.get("discount_kind"):
        summary += f", discount {discount_text(values['discount_kind'], values['discount_value'])}"
    return summary


def add_line(
    connection: sqlite3.Connection,
    ref: str,
    *,
    actor: Actor,
    product: str | None = None,
    text_value: str | None = None,
    price: str | None = None,
    vat: str | None = None,
    qty: str = "1",
    unit: str | None = None,
    discount: str | None = None,
) -> int:
    """A product (its name, unit, price and VAT, each overridable) or a free-text line with
    its price; `discount` on the line: `10%` or EUR. Returns the line's position."""
    quantity = _quantity(qty)
    line_discount = _discount(discount)
    with transaction(connection):
        order = _changeable(connection, ref)
        values = _line_values(
            connection, product=product, text_value=text_value, price=price, vat=vat, unit=unit
        )
        values["quantity"] = plain(quantity)
        values["discount_kind"], values["discount_value"] = _discount_columns(line_discount)
        position = int(connection.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM order_line WHERE order_id = ?",
            (order["id"],),
        ).fetchone()[0])  # fmt: skip
        connection.execute(
            "INSERT INTO order_line (order_id, position, product_id, description, quantity, "
            "unit, unit_price, vat_rate, discount_kind, discount_value) VALUES (:order_id, "
            ":position, :product_id, :description, :quantity, :unit, :unit_price, :vat_rate, "
            ":discount_kind, :discount_value)",
            {**values, "order_id": order["id"], "position": position},
        )
        _after_change(
            connection,
            order,
            actor,
            "line-add",
            {f"line {position}": (None, _line_summary(values))},
        )
    return position


def _line_row(
    connection: sqlite3.Connection, order: Mapping[str, Any], position: int
) -> dict[str, Any]:
    for row in line_rows(connection, [order["id"]])[order["id"]]:
        if row["position"] == position:
            return row
    raise NotFound(f"{order['number']} has no line {position}")


def edit_line(
    connection: sqlite3.Connection,
    ref: str,
    position: int,
    *,
    actor: Actor,
    product: str | None = None,
    text_value: str | None = None,
    price: str | None = None,
    vat: str | None = None,
    qty: str | None = None,
    unit: str | None = None,
    discount: str | None = None,
) -> None:
    """Change a line; `discount` "" or "0" removes the line's discount."""
    with transaction(connection):
        order = _changeable(connection, ref)
        row = _line_row(connection, order, position)
        keys = ("product_id", "description", "quantity", "unit", "unit_price", "vat_rate",
                "discount_kind", "discount_value")  # fmt: skip
        before = {key: row[key] for key in keys}
        values = _line_values(
            connection, product=product, text_value=text_value, price=price, vat=vat, unit=unit,
            current=before,
        )  # fmt: skip
        if qty is not None:
            values["quantity"] = plain(_quantity(qty))
        if discount is not None:
            chosen = _discount(discount)
            values["discount_kind"], values["discount_value"] = _discount_columns(chosen)
        if values == before:
            return
        connection.execute(
            "UPDATE order_line SET product_id = :product_id, description = :description, "
            "quantity = :quantity, unit = :unit, unit_price = :unit_price, "
            "vat_rate = :vat_rate, discount_kind = :discount_kind, "
            "discount_value = :discount_value WHERE id = :id",
            {**values, "id": row["id"]},
        )
        _after_change(
            connection, order, actor, "line-edit",
            {f"line {position}": (_line_summary(before), _line_summary(values))},
        )  # fmt: skip


def remove_line(connection: sqlite3.Connection, ref: str, position: int, *, actor: Actor) -> None:
    """Remove a line; the ones after it move up."""
    with transaction(connection):
        order = _changeable(connection, ref)
        row = _line_row(connection, order, position)
        connection.execute("DELETE FROM order_line WHERE id = ?", (row["id"],))
        connection.execute(
            "UPDATE order_line SET position = position - 1 WHERE order_id = ? AND position > ?",
            (order["id"], position),
        )
        _after_change(
            connection,
            order,
            actor,
            "line-remove",
            {f"line {position}": (_line_summary(row), None)},
        )


# --- status, convert, cancel, issue, delete ----------------------------------------------


def _issue_now(connection: sqlite3.Connection, order: Mapping[str, Any], stamp: str) -> None:
    """Freeze an invoice: the current tax snapshot is the one it keeps."""
    _refresh_snapshot(connection, order)
    check_totals(connection, order["id"])
    connection.execute("UPDATE sales_order SET issued_at = ? WHERE id = ?", (stamp, order["id"]))


def issue(connection: sqlite3.Connection, ref: str, *, actor: Actor) -> bool:
    """Issue an invoice (it is immutable from now on); False if it was issued already or
    is no invoice (quotes and orders stay changeable)."""
    first = find(connection, ref)
    if first["kind"] != "invoice" or first["issued_at"]:
        return False  # no write lock for a quote's or an issued invoice's PDF
    with transaction(connection):
        order = find(connection, ref)
        if order["issued_at"]:
            return False
        order = _changeable(connection, ref)
        stamp = now_iso()
        _issue_now(connection, order, stamp)
        _audit(connection, order, actor, "issue", {"issued_at": (None, stamp)})
        touch(connection, order["customer_id"], stamp)
        return True


def set_status(connection: sqlite3.Connection, ref: str, status: str, *, actor: Actor) -> str:
    """Move to another status of its kind, along the allowed transitions; returns it."""
    with transaction(connection):
        order = _writable_order(connection, ref)
        kind, number, old = order["kind"], order["number"], order["status"]
        new = (status or "").strip().lower()
        if new not in STATUSES[kind]:
            raise ValidationFailed(
                f"STATUS: '{status}' is not a status of {_WORDS[kind]} "
                f"({', '.join(STATUSES[kind])})",
                field="status",
            )
        if new == old:
            raise Conflict(f"{number} is {old} already")
        if kind == "invoice" and new == "cancelled":
            raise Conflict(
                f"an invoice is cancelled by a cancellation invoice: kk order cancel {number}"
            )
        allowed = TRANSITIONS[kind].get(old, ())
        if new not in allowed:
            hint = f"; from {old} it may go to {', '.join(allowed)}" if allowed else ""
            raise Conflict(f"{number} is {old}: it cannot become {new}{hint}")
        stamp = now_iso()
        changes: dict[str, tuple[Any, Any]] = {"status": (old, new)}
        paid_at = order["paid_at"]
        if kind == "invoice":
            if not order["issued_at"]:
                _issue_now(connection, order, stamp)
                changes["issued_at"] = (None, stamp)
            paid_at = stamp if new == "paid" else None
            changes["paid_at"] = (order["paid_at"], paid_at)
        connection.execute(
            "UPDATE sales_order SET status = ?, paid_at = ?, updated_at = ? WHERE id = ?",
            (new, paid_at, stamp, order["id"]),
        )
        _audit(connection, order, actor, "status", changes)
        touch(connection, order["customer_id"], stamp)
        return new


def _copy_lines(
    connection: sqlite3.Connection, source: int, target: int, *, negate: bool = False
) -> None:
    for row in line_rows(connection, [source])[source]:
        quantity = Decimal(row["quantity"])
        connection.execute(
            "INSERT INTO order_line (order_id, position, product_id, description, quantity, "
            "unit, unit_price, vat_rate, discount_kind, discount_value) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (target, row["position"], row["product_id"], row["description"],
             plain(Decimal(0) - quantity if negate else quantity), row["unit"],
             row["unit_price"], row["vat_rate"], row["discount_kind"], row["discount_value"]),
        )  # fmt: skip


def convert(
    connection: sqlite3.Connection,
    ref: str,
    *,
    actor: Actor,
    to: str | None = None,
    date: str | None = None,
) -> str:
    """Quote → order, order → invoice (an open order too), keeping lines, discount and
    labels; the source becomes accepted/done. Returns the new number."""
    booking = _date(date, "date") or today()
    with transaction(connection):
        order = _writable_order(connection, ref)
        kind, number, status = order["kind"], order["number"], order["status"]
        if kind not in NEXT_KIND:
            raise Conflict(f"{number} is an invoice: there is nothing to convert it to")
        target = _kind(to) if to else NEXT_KIND[kind]
        if target != NEXT_KIND[kind]:
            hint = " (convert it to an order first)" if target == "invoice" else ""
            raise Conflict(
                f"{number}: {_WORDS[kind]} converts to {_WORDS[NEXT_KIND[kind]]}, "
                f"not to {_WORDS[target]}{hint}"
            )
        if order["converted_to"]:
            raise Conflict(f"{number} was converted to {order['converted_to']} already")
        if status not in CONVERTIBLE[kind]:
            raise Conflict(f"{number} is {status}: it cannot be converted")
        new_number = _allocate(connection, target, booking.year)
        service_text: str | None
        due_text: str | None
        if target == "invoice":
            service = (
                dt.date.fromisoformat(order["service_date"]) if order["service_date"] else None
            )
            service_text, due_text = _invoice_dates(booking, service, None)
        else:
            service_text, due_text = order["service_date"], None
        stamp = now_iso()
        values = {
            "number": new_number, "kind": target, "status": INITIAL[target],
            "customer_id": order["customer_id"], "name": order["name"],
            "description": order["description"], "booking_date": booking.isoformat(),
            "service_date": service_text, "due_date": due_text,
            "discount_kind": order["discount_kind"], "discount_value": order["discount_value"],
            "source_id": order["id"], **snapshot(connection, order["customer_id"]),
            "created_at": stamp, "created_by": actor.name, "updated_at": stamp,
        }  # fmt: skip
        new_id = _insert(connection, values)
        _copy_lines(connection, order["id"], new_id)
        _copy_labels(connection, new_id, order=order["id"])
        check_totals(connection, new_id)
        done = {"quote": "accepted", "order": "done"}[kind]
        changes: dict[str, tuple[Any, Any]] = {"converted_to": (None, new_number)}
        if status != done:
            changes["status"] = (status, done)
        connection.execute(
            "UPDATE sales_order SET status = ?, updated_at = ? WHERE id = ?",
            (done, stamp, order["id"]),
        )
        _audit(connection, order, actor, "convert", changes)
        _audit(connection, {**values, "id": new_id}, actor, "create",
               {"source": (None, number), "status": (None, values["status"])})  # fmt: skip
        touch(connection, order["customer_id"], stamp)
        return new_number


def cancel_invoice(
    connection: sqlite3.Connection, ref: str, *, actor: Actor, date: str | None = None
) -> str:
    """Cancel an invoice with a cancellation invoice (Storno): a new RE- number with the
    negated lines that references the original; the original becomes cancelled.

    The Storno is `open` when the original had been paid (a refund is due; mark it paid
    when refunded) and `paid` otherwise (it settles the original, no money flows).
    Returns the Storno's number."""
    booking = _date(date, "date") or today()
    with transaction(connection):
        order = _writable_order(connection, ref)
        number = order["number"]
        if order["kind"] != "invoice":
            raise Conflict(
                f"{number} is {_WORDS[order['kind']]}: only invoices are cancelled with a "
                f"cancellation invoice (see 'kk order status {number} …')"
            )
        if order["cancels_id"]:
            raise Conflict(f"{number} is a cancellation invoice itself; it cannot be cancelled")
        if order["status"] == "cancelled":
            raise Conflict(f"{number} is cancelled already (by {order['cancelled_by']})")
        stamp = now_iso()
        if not order["issued_at"]:
            _issue_now(connection, order, stamp)
        order = find(connection, number)
        storno_number = _allocate(connection, "invoice", booking.year)
        values = {
            "number": storno_number, "kind": "invoice",
            "status": "open" if order["status"] == "paid" else "paid",
            "customer_id": order["customer_id"], "name": f"Stornorechnung zu {number}",
            "description": order["name"], "booking_date": booking.isoformat(),
            "service_date": order["service_date"], "due_date": None,
            "discount_kind": order["discount_kind"], "discount_value": order["discount_value"],
            "cancels_id": order["id"], "recipient": order["recipient"],
            "customer_vat_id": order["customer_vat_id"],
            "small_business": order["small_business"], "reverse_charge": order["reverse_charge"],
            "issued_at": stamp, "created_at": stamp, "created_by": actor.name,
            "updated_at": stamp,
        }  # fmt: skip
        storno_id = _insert(connection, values)
        _copy_lines(connection, order["id"], storno_id, negate=True)
        _copy_labels(connection, storno_id, order=order["id"])
        check_totals(connection, storno_id)
        connection.execute(
            "UPDATE sales_order SET status = 'cancelled', updated_at = ? WHERE id = ?",
            (stamp, order["id"]),
        )
        changes = {"status": (order["status"], "cancelled"), "cancelled_by": (None, storno_number)}
        _audit(connection, order, actor, "cancel", changes)
        _audit(connection, {**values, "id": storno_id}, actor, "create",
               {"cancels": (None, number), "status": (None, values["status"])})  # fmt: skip
        touch(connection, order["customer_id"], stamp)
        return storno_number


def delete_quote(connection: sqlite3.Connection, ref: str, *, actor: Actor) -> None:
    """Delete a draft quote (its number is never reused); everything else is cancelled by
    its status, never deleted."""
    with transaction(connection):
        order = _writable_order(connection, ref)
        if order["kind"] != "quote" or order["status"] != "draft":
            raise Conflict(
                f"{order['number']} is {_WORDS[order['kind']]} ({order['status']}): only draft "
                "quotes can be deleted; everything else is cancelled by its status"
            )
        connection.execute("DELETE FROM sales_order WHERE id = ?", (order["id"],))
        _audit(connection, order, actor, "delete", {"name": (order["name"], None)})
        touch(connection, order["customer_id"], now_iso())
