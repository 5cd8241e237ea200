"""What happens with a customer: notes, activities, products, quotes/orders/invoices, documents.

Money columns hold decimal strings ("1234.56"), never floats: SQLite has no decimal type
and REAL would round.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Note(SQLModel, table=True):
    """Free text on a customer, optionally about one order or activity."""

    __tablename__ = "note"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="sales_order.id")
    activity_id: int | None = Field(default=None, foreign_key="activity.id")
    text: str
    author: str
    created_at: str
    updated_at: str


class Activity(SQLModel, table=True):
    """A call, email, meeting, letter or task; open until done."""

    __tablename__ = "activity"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    name: str
    description: str | None = None
    kind: str = "task"
    author: str
    assignee: str | None = None
    person_id: int | None = Field(default=None, foreign_key="contact_person.id")
    due: str | None = None
    done_at: str | None = None
    created_at: str
    updated_at: str


class Product(SQLModel, table=True):
    """Something sold: unit price in EUR (decimal string) and a VAT rate of 19, 7 or 0."""

    __tablename__ = "product"

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(unique=True)
    name: str
    unit: str | None = None
    unit_price: str
    vat_rate: str
    archived_at: str | None = None
    created_at: str
    updated_at: str


class SalesOrder(SQLModel, table=True):
    """A quote (AN-), order (AU-) or invoice (RE-); one table, `kind` tells which."""

    __tablename__ = "sales_order"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True)
    kind: str
    status: str
    customer_id: int = Field(foreign_key="customer.id", index=True)
    name: str
    description: str | None = None
    booking_date: str
    service_date: str | None = None
    due_date: str | None = None
    discount_kind: str | None = None
    discount_value: str | None = None
    source_id: int | None = Field(default=None, foreign_key="sales_order.id")
    cancels_id: int | None = Field(default=None, foreign_key="sales_order.id")
    recipient: str | None = None
    customer_vat_id: str | None = None
    reverse_charge: bool = False
    small_business: bool = False
    issued_at: str | None = None
    #: When the payment was recorded (status paid); kept when the invoice is cancelled later.
    paid_at: str | None = None
    created_at: str
    created_by: str | None = None
    updated_at: str


class OrderLine(SQLModel, table=True):
    """One position: a product or free text, quantity × unit price, VAT rate, discount."""

    __tablename__ = "order_line"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    position: int
    product_id: int | None = Field(default=None, foreign_key="product.id")
    description: str
    quantity: str
    unit: str | None = None
    unit_price: str
    vat_rate: str
    discount_kind: str | None = None
    discount_value: str | None = None


class OrderLabel(SQLModel, table=True):
    __tablename__ = "order_label"

    order_id: int = Field(foreign_key="sales_order.id", primary_key=True)
    label_id: int = Field(foreign_key="label.id", primary_key=True)


class Document(SQLModel, table=True):
    """A file attached to a customer, stored once by SHA-256 beside the database."""

    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    sha256: str
    name: str
    title: str | None = None
    media_type: str | None = None
    size: int
    uploaded_by: str
    uploaded_at: str
