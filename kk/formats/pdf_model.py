"""What goes into kk's PDFs, as plain data: no fpdf here, so services can build it cheaply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kk.money import Discount
from kk.totals import Totals

__all__ = [
    "INVOICE_KINDS",
    "NOTE_REVERSE_CHARGE",
    "NOTE_SMALL_BUSINESS",
    "AuskunftDoc",
    "InvoiceDoc",
    "InvoiceLine",
    "invoice_lines",
]

INVOICE_KINDS = ("Angebot", "Auftragsbestätigung", "Rechnung", "Stornorechnung")

NOTE_SMALL_BUSINESS = "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet."
NOTE_REVERSE_CHARGE = "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge, § 13b UStG)"


@dataclass(frozen=True)
class InvoiceLine:
    """A printed table row; ``net`` is already computed (see ``invoice_lines``)."""

    position: int
    description: str
    quantity: Decimal
    unit: str | None
    unit_price: Decimal
    discount: Discount | None
    net: Decimal


def invoice_lines(totals: Totals) -> list[InvoiceLine]:
    """The table rows of a ``Totals``, so the printed nets are the computed ones."""
    return [
        InvoiceLine(
            position=lt.position,
            description=lt.line.description,
            quantity=lt.line.quantity,
            unit=lt.line.unit,
            unit_price=lt.line.unit_price,
            discount=lt.line.discount,
            net=lt.net,
        )
        for lt in totals.lines
    ]


@dataclass(frozen=True)
class InvoiceDoc:
    """An offer, order confirmation, invoice or cancellation invoice.

    ``sender`` keys (all optional): name, street, postal_code, city, country, vat_id,
    tax_number, register_number, bank, iban, bic, email, phone. ``recipient`` is the
    address block, one line per entry, as it goes into the envelope window.
    """

    sender: dict[str, str | None]
    recipient: list[str]
    kind: str
    number: str
    date: dt.date
    lines: list[InvoiceLine]
    totals: Totals
    customer_vat_id: str | None = None
    customer_number: str | None = None
    service_date: dt.date | None = None
    due_date: dt.date | None = None
    notes: list[str] = field(default_factory=list)
    #: Free text above the table ("Sehr geehrte Damen und Herren, …"), optional.
    intro: str | None = None
    #: PDF creation date; defaults to midnight UTC of ``date`` so output is reproducible.
    created_at: dt.datetime | None = None


@dataclass(frozen=True)
class AuskunftDoc:
    """A DSGVO Art. 15 access report.

    ``controller`` keys (all optional but name): name, street, postal_code, city, country,
    email, phone, dpo (data protection officer), supervisory_authority. ``data`` is the
    export dict of the subject (the content of data.json); every key is printed.
    """

    controller: dict[str, str | None]
    subject_name: str
    subject_number: str
    created: dt.date
    data: dict[str, Any]
    #: Overrides for the Art. 15 texts; None keeps kk's defaults.
    purposes: list[str] | None = None
    recipients: list[str] | None = None
    #: Art. 15 (2): say here if data leaves the EU/EEA (e.g. a Microsoft 365 sync).
    third_country: str | None = None
    created_at: dt.datetime | None = None
