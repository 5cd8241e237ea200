"""Filling a database with kk's deterministic German sample customers (`kk demo`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kk.services import customer_parts, customers
from kk.services.users import Actor

if TYPE_CHECKING:
    from sqlmodel import Session

_CUSTOMER_KEYS = (
    "kind", "company_name", "register_number", "vat_id", "tax_number", "salutation", "title",
    "first_name", "last_name", "email", "phone", "mobile", "website", "street", "postal_code",
    "city", "country", "notes", "discount_percent", "roles",
)  # fmt: skip


def fill(session: Session, records: list[dict[str, Any]], *, actor: Actor) -> list[str]:
    """Add the sample records with their persons, bank accounts and consents; their numbers."""
    added = []
    for record in records:
        data = {k: record[k] for k in _CUSTOMER_KEYS if record.get(k) not in (None, "")}
        customer = customers.add_customer(
            session, data=data, actor=actor, labels=record.get("labels") or []
        )
        for person in record.get("persons") or []:
            customer_parts.add_person(session, customer.number, data=person, actor=actor)
        for account in record.get("bank_accounts") or []:
            customer_parts.add_bank_account(session, customer.number, data=account, actor=actor)
        for channel, consent in (record.get("consents") or {}).items():
            customers.set_consents(
                session, customer.number, granted={channel: bool(consent.get("granted"))},
                source=consent.get("source"), date=consent.get("date"), do_not_contact=None,
                actor=actor,
            )  # fmt: skip
        added.append(customer.number)
    return added
