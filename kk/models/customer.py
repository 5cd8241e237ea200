"""The customer (Kunde) and what hangs off it: persons, addresses, bank accounts, labels."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Customer(SQLModel, table=True):
    """One party: a private person or a company; customer, supplier or both."""

    __tablename__ = "customer"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True)
    kind: str
    company_name: str | None = None
    register_number: str | None = None
    vat_id: str | None = Field(default=None, index=True)
    tax_number: str | None = None
    salutation: str | None = None
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    display_name: str
    sort_key: str
    email: str | None = Field(default=None, index=True)
    phone: str | None = None
    mobile: str | None = None
    website: str | None = None
    street: str | None = None
    postal_code: str | None = Field(default=None, index=True)
    city: str | None = Field(default=None, index=True)
    country: str | None = None
    notes: str | None = None
    discount_percent: str | None = None
    roles: str = "customer"
    is_template: bool = False
    do_not_contact: bool = False
    restricted: bool = False
    created_at: str
    created_by: str | None = None
    updated_at: str
    updated_by: str | None = None
    archived_at: str | None = None
    archived_by: str | None = None
    archive_reason: str | None = None
    last_activity_at: str | None = None
    m365_remote_id: str | None = None
    m365_status: str | None = None
    m365_last_sync: str | None = None
    m365_last_error: str | None = None


class ContactPerson(SQLModel, table=True):
    """An Ansprechpartner at a company customer."""

    __tablename__ = "contact_person"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    salutation: str | None = None
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    created_at: str


class Address(SQLModel, table=True):
    """An extra billing or delivery address."""

    __tablename__ = "address"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    purpose: str
    name: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None


class BankAccount(SQLModel, table=True):
    """How a customer pays: SEPA direct debit (with mandate), PayPal or invoice."""

    __tablename__ = "bank_account"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    method: str
    holder: str | None = None
    iban: str | None = None
    bic: str | None = None
    account_number: str | None = None
    bank_code: str | None = None
    bank_name: str | None = None
    rib: str | None = None
    gui: str | None = None
    mandate: bool = False
    mandate_ref: str | None = None
    mandate_date: str | None = None
    first_debit_date: str | None = None


class Label(SQLModel, table=True):
    """A free tag (Gruppe) such as `VIP` or `SLA Gold`."""

    __tablename__ = "label"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class CustomerLabel(SQLModel, table=True):
    __tablename__ = "customer_label"

    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    label_id: int = Field(foreign_key="label.id", primary_key=True, index=True)


class Consent(SQLModel, table=True):
    """A DSGVO consent for one contact channel, with when and where it was given."""

    __tablename__ = "consent"

    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    channel: str = Field(primary_key=True)
    granted: bool
    date: str | None = None
    source: str | None = None
