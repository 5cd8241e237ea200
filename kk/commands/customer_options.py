"""The customer field options, declared once and shared by `add` and `edit`."""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import Annotated, Any

import typer


class Kind(StrEnum):
    private = "private"
    company = "company"


class Role(StrEnum):
    customer = "customer"
    supplier = "supplier"


class Sort(StrEnum):
    name = "name"
    created = "created"
    number = "number"
    last_activity = "last_activity"


Opt = typer.Option
KindOpt = Annotated[Kind | None, Opt("--kind", case_sensitive=False, help="private or company")]
CompanyName = Annotated[str | None, Opt("--company-name", help="Firma")]
RegisterNumber = Annotated[
    str | None, Opt("--register-number", help="Handelsregister, e.g. 'HRB 12345 Berlin'")
]
VatId = Annotated[str | None, Opt("--vat-id", help="USt-IdNr, e.g. DE123456789")]
TaxNumber = Annotated[str | None, Opt("--tax-number", help="Steuernummer")]
Salutation = Annotated[str | None, Opt("--salutation", help="Anrede (Herr, Frau …)")]
Title = Annotated[str | None, Opt("--title", help="Titel (Dr., Prof. …)")]
FirstName = Annotated[str | None, Opt("--first-name", help="Vorname")]
LastName = Annotated[str | None, Opt("--last-name", help="Nachname")]
Email = Annotated[str | None, Opt("--email", help="E-Mail")]
Phone = Annotated[str | None, Opt("--phone", help="Telefon (stored as +49…)")]
Mobile = Annotated[str | None, Opt("--mobile", help="Mobil")]
Website = Annotated[str | None, Opt("--website", help="Webseite")]
Street = Annotated[str | None, Opt("--street", help="Straße und Hausnummer")]
PostalCode = Annotated[str | None, Opt("--postal-code", help="PLZ (kept as text: 01067)")]
City = Annotated[str | None, Opt("--city", help="Ort")]
Country = Annotated[str | None, Opt("--country", help="ISO 3166 code or name (default DE)")]
Notes = Annotated[str | None, Opt("--notes", help="Notizen")]
Discount = Annotated[str | None, Opt("--discount", help="customer discount in percent")]
Labels = Annotated[list[str] | None, Opt("--label", help="label (repeatable)")]
Roles = Annotated[
    list[Role] | None, Opt("--role", case_sensitive=False, help="customer/supplier (repeatable)")
]
Template = Annotated[bool | None, Opt("--template/--no-template", help="mark as Musterkunde")]


def field_values(**values: Any) -> dict[str, Any]:
    """The options a user actually gave, keyed by the customer's JSON keys."""
    renamed = {"discount": "discount_percent", "template": "is_template"}
    out: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, Enum):
            value = value.value
        if isinstance(value, list):
            value = [v.value if isinstance(v, Enum) else v for v in value]
        out[renamed.get(name, name)] = value
    return out
