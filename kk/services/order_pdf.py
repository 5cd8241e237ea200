"""The printable form of a quote, order or invoice: the sender from `kk config`, the
customer's address block, lines, totals and the legal notes, as a pdf_model.InvoiceDoc.

No fpdf here (the face renders with kk.formats.pdf_invoice). An invoice that was not issued
yet is shown with the customer's current data; issuing it (`orders.issue`) freezes exactly
that snapshot.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from kk.errors import ValidationFailed
from kk.formats.pdf_model import (
    NOTE_REVERSE_CHARGE,
    NOTE_SMALL_BUSINESS,
    InvoiceDoc,
    invoice_lines,
)
from kk.money import format_de_date, format_eur
from kk.services.order_read import find, line_rows, totals_of
from kk.services.orders import snapshot

#: `kk config` keys of the sender, in the order the PDF uses them.
SENDER_KEYS = (
    "name", "street", "postal_code", "city", "country", "vat_id", "tax_number",
    "register_number", "bank", "iban", "bic", "email", "phone",
)  # fmt: skip
_TITLES = {"quote": "Angebot", "order": "Auftragsbestätigung", "invoice": "Rechnung"}


def sender_from_config() -> tuple[dict[str, str | None], list[str]]:
    """The sender block and the `company.*` keys that are not set (left out of the PDF).

    `company.name` alone is enough; without it there is no letter to write."""
    from kk import config

    sender = {key: (config.get(f"company.{key}") or "").strip() or None for key in SENDER_KEYS}
    if not sender["name"]:
        raise ValidationFailed(
            "company.name is not set: PDFs need a sender, set it with "
            'kk config set company.name "Your Company GmbH"',
            field="company.name",
        )
    missing = [f"company.{key}" for key in SENDER_KEYS if not sender[key]]
    return sender, missing


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def order_document(connection: sqlite3.Connection, ref: str) -> tuple[InvoiceDoc, list[str]]:
    """The document of `ref` and the sender keys left out (for a warning)."""
    sender, missing = sender_from_config()
    order = find(connection, ref)
    if order["kind"] == "invoice" and not order["issued_at"]:
        order = {**order, **snapshot(connection, order["customer_id"])}
    totals = totals_of(order, line_rows(connection, [order["id"]])[order["id"]])
    kind = "Stornorechnung" if order["cancels_id"] else _TITLES[order["kind"]]
    notes: list[str] = []
    if order["cancels_id"]:
        original = find(connection, order["cancels"])
        notes.append(
            f"Diese Stornorechnung hebt die Rechnung {original['number']} vom "
            f"{format_de_date(dt.date.fromisoformat(original['booking_date']))} auf."
        )
    if order["small_business"]:
        notes.append(NOTE_SMALL_BUSINESS)
    if order["reverse_charge"]:
        notes.append(NOTE_REVERSE_CHARGE)
    due = _date(order["due_date"])
    if order["kind"] == "invoice" and not order["cancels_id"] and due:
        notes.append(
            f"Bitte überweisen Sie {format_eur(totals.gross_total)} ohne Abzug bis zum "
            f"{format_de_date(due)}."
        )
    doc = InvoiceDoc(
        sender=sender,
        recipient=(order["recipient"] or "").split("\n") if order["recipient"] else [],
        kind=kind,
        number=order["number"],
        date=dt.date.fromisoformat(order["booking_date"]),
        lines=invoice_lines(totals),
        totals=totals,
        customer_vat_id=order["customer_vat_id"],
        customer_number=order["customer"],
        service_date=_date(order["service_date"]),
        due_date=due,
        notes=notes,
        intro=order["description"] if order["kind"] == "quote" else None,
    )
    return doc, missing
