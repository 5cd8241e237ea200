"""Records that hang off a customer: contact persons, extra addresses, bank accounts.

They may be deleted (unlike customers); every change is audited on the customer's trail.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kk import validation
from kk.clock import now_iso
from kk.db import raw
from kk.errors import NotFound, ValidationFailed
from kk.services import audit, search_index
from kk.services.customers import load_writable
from kk.services.users import Actor

if TYPE_CHECKING:
    from sqlmodel import Session

    from kk.models import Customer

PERSON_FIELDS = ("salutation", "title", "first_name", "last_name", "role", "email", "phone")
ADDRESS_FIELDS = ("purpose", "name", "street", "postal_code", "city", "country")
BANK_FIELDS = (
    "method", "holder", "iban", "bic", "account_number", "bank_code", "bank_name", "rib",
    "gui", "mandate", "mandate_ref", "mandate_date", "first_debit_date",
)  # fmt: skip
PURPOSES = ("billing", "delivery")
METHODS = ("sepa", "paypal", "invoice")


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _choice(value: Any, allowed: tuple[str, ...], flag: str, field: str) -> str:
    text = (_text(value) or "").lower()
    if text not in allowed:
        raise ValidationFailed(
            f"{flag}: '{value or ''}' is not one of {', '.join(allowed)}", field=field
        )
    return text


def clean_person(
    raw_values: Mapping[str, Any], current: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    record = dict(current or {})
    for field in PERSON_FIELDS:
        if field in raw_values:
            record[field] = _text(raw_values[field])
    if record.get("email") and "email" in raw_values:
        record["email"] = validation.email(record["email"], field="email")
    if record.get("phone") and "phone" in raw_values:
        record["phone"] = validation.phone(record["phone"], field="phone")
    if not (record.get("first_name") or record.get("last_name")):
        raise ValidationFailed(
            "--last-name: a contact person needs a first or a last name", field="last_name"
        )
    return {field: record.get(field) for field in PERSON_FIELDS}


def clean_address(raw_values: Mapping[str, Any], default_country: str = "DE") -> dict[str, Any]:
    record = {field: _text(raw_values.get(field)) for field in ADDRESS_FIELDS}
    record["purpose"] = _choice(record["purpose"], PURPOSES, "--purpose", "purpose")
    country = validation.country(record["country"] or default_country, field="country")
    record["country"] = country
    if record["postal_code"]:
        record["postal_code"] = validation.postal_code(
            record["postal_code"], country=country, field="postal_code"
        )
    if not (record["street"] and record["city"]):
        raise ValidationFailed("--street and --city: an address needs both", field="street")
    return record


def clean_bank_account(raw_values: Mapping[str, Any]) -> dict[str, Any]:
    """IBAN and BIC, or account number and bank code (BLZ) where no IBAN is known."""
    record: dict[str, Any] = {field: _text(raw_values.get(field)) for field in BANK_FIELDS}
    record["method"] = _choice(record["method"], METHODS, "--method", "method")
    if record["iban"]:
        record["iban"] = validation.iban(record["iban"], field="iban")
    if record["bic"]:
        record["bic"] = validation.bic(record["bic"], field="bic")
    if record["bank_code"] and not record["bank_code"].replace(" ", "").isdigit():
        raise ValidationFailed(
            f"--bank-code: '{record['bank_code']}' is not a bank code (digits)", field="bank_code"
        )
    for field in ("mandate_date", "first_debit_date"):
        if record[field]:
            record[field] = validation.date_value(record[field], field=field).isoformat()
    record["mandate"] = bool(
        raw_values.get("mandate") or record["mandate_ref"] or record["mandate_date"]
    )
    if record["method"] == "sepa" and not (
        record["iban"] or (record["account_number"] and record["bank_code"])
    ):
        raise ValidationFailed(
            "--iban: a SEPA account needs an IBAN (or --account-number and --bank-code)",
            field="iban",
        )
    return record


def _audit(session: Session, customer: Customer, actor: Actor, entity: str, entity_id: int,
           action: str, changes: dict[str, tuple[Any, Any]] | None) -> None:  # fmt: skip
    customer.updated_at = now_iso()
    customer.updated_by = actor.name
    session.add(customer)
    session.flush()
    audit.record(
        raw(session),
        user=actor.name,
        entity=entity,
        entity_id=entity_id,
        customer_id=customer.id,
        action=action,
        changes=changes,
    )


def add_person(session: Session, ref: str, *, data: Mapping[str, Any], actor: Actor) -> int:
    from kk.models import ContactPerson

    customer = load_writable(session, ref)
    person = ContactPerson(customer_id=customer.id or 0, created_at=now_iso(), **clean_person(data))
    session.add(person)
    session.flush()
    assert person.id is not None
    _audit(session, customer, actor, "person", person.id, "create",
           {k: (None, v) for k, v in clean_person(data).items() if v})  # fmt: skip
    search_index.index_customers(raw(session), [customer.id or 0])
    return person.id


def _owned(session: Session, model: Any, ref: str, item_id: int, what: str) -> tuple[Customer, Any]:
    customer = load_writable(session, ref)
    item = session.get(model, item_id)
    if item is None or item.customer_id != customer.id:
        raise NotFound(f"{customer.number} has no {what} {item_id}")
    return customer, item


def edit_person(session: Session, ref: str, person_id: int, *, changes: Mapping[str, Any],
                actor: Actor) -> None:  # fmt: skip
    from kk.models import ContactPerson

    customer, person = _owned(session, ContactPerson, ref, person_id, "contact person")
    before = {field: getattr(person, field) for field in PERSON_FIELDS}
    after = clean_person(changes, before)
    changed = audit.diff(before, after)
    for field, (_old, new) in changed.items():
        setattr(person, field, new)
    session.add(person)
    if changed:
        _audit(session, customer, actor, "person", person_id, "edit", changed)
        search_index.index_customers(raw(session), [customer.id or 0])


def remove_person(session: Session, ref: str, person_id: int, *, actor: Actor) -> None:
    from kk.models import ContactPerson

    customer, person = _owned(session, ContactPerson, ref, person_id, "contact person")
    name = " ".join(p for p in (person.first_name, person.last_name) if p)
    session.delete(person)
    _audit(session, customer, actor, "person", person_id, "delete", {"name": (name, None)})
    search_index.index_customers(raw(session), [customer.id or 0])


def add_address(session: Session, ref: str, *, data: Mapping[str, Any], actor: Actor) -> int:
    from kk.models import Address

    customer = load_writable(session, ref)
    record = clean_address(data, default_country=customer.country or "DE")
    address = Address(customer_id=customer.id or 0, **record)
    session.add(address)
    session.flush()
    assert address.id is not None
    _audit(session, customer, actor, "address", address.id, "create",
           {k: (None, v) for k, v in record.items() if v})  # fmt: skip
    return address.id


def remove_address(session: Session, ref: str, address_id: int, *, actor: Actor) -> None:
    from kk.models import Address

    customer, address = _owned(session, Address, ref, address_id, "address")
    session.delete(address)
    _audit(session, customer, actor, "address", address_id, "delete",
           {"street": (address.street, None), "city": (address.city, None)})  # fmt: skip


def add_bank_account(session: Session, ref: str, *, data: Mapping[str, Any], actor: Actor) -> int:
    from kk.models import BankAccount

    customer = load_writable(session, ref)
    record = clean_bank_account(data)
    account = BankAccount(customer_id=customer.id or 0, **record)
    session.add(account)
    session.flush()
    assert account.id is not None
    _audit(session, customer, actor, "bank_account", account.id, "create",
           {k: (None, v) for k, v in record.items() if v})  # fmt: skip
    return account.id


def remove_bank_account(session: Session, ref: str, account_id: int, *, actor: Actor) -> None:
    from kk.models import BankAccount

    customer, account = _owned(session, BankAccount, ref, account_id, "bank account")
    session.delete(account)
    _audit(session, customer, actor, "bank_account", account_id, "delete",
           {"iban": (account.iban, None), "method": (account.method, None)})  # fmt: skip
