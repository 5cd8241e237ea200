"""CRM records: notes, activities, products, quotes/orders/invoices with lines, documents.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STATEMENTS = [
    """CREATE TABLE product (
        id INTEGER PRIMARY KEY,
        sku VARCHAR NOT NULL UNIQUE,
        name VARCHAR NOT NULL,
        unit VARCHAR,
        unit_price VARCHAR NOT NULL,
        vat_rate VARCHAR NOT NULL,
        archived_at VARCHAR,
        created_at VARCHAR NOT NULL,
        updated_at VARCHAR NOT NULL)""",
    """CREATE TABLE sales_order (
        id INTEGER PRIMARY KEY,
        number VARCHAR NOT NULL UNIQUE,
        kind VARCHAR NOT NULL CHECK (kind IN ('quote', 'order', 'invoice')),
        status VARCHAR NOT NULL,
        customer_id INTEGER NOT NULL REFERENCES customer (id),
        name VARCHAR NOT NULL,
        description VARCHAR,
        booking_date VARCHAR NOT NULL,
        service_date VARCHAR,
        due_date VARCHAR,
        discount_kind VARCHAR CHECK (discount_kind IN ('percent', 'amount')),
        discount_value VARCHAR,
        source_id INTEGER REFERENCES sales_order (id),
        cancels_id INTEGER REFERENCES sales_order (id),
        recipient VARCHAR,
        customer_vat_id VARCHAR,
        reverse_charge BOOLEAN NOT NULL DEFAULT 0,
        small_business BOOLEAN NOT NULL DEFAULT 0,
        issued_at VARCHAR,
        paid_at VARCHAR,
        created_at VARCHAR NOT NULL,
        created_by VARCHAR,
        updated_at VARCHAR NOT NULL)""",
    "CREATE INDEX ix_sales_order_customer ON sales_order (customer_id, booking_date)",
    "CREATE INDEX ix_sales_order_booking ON sales_order (booking_date, id)",
    "CREATE INDEX ix_sales_order_source ON sales_order (source_id)",
    "CREATE INDEX ix_sales_order_cancels ON sales_order (cancels_id)",
    """CREATE TABLE order_line (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES sales_order (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        product_id INTEGER REFERENCES product (id),
        description VARCHAR NOT NULL,
        quantity VARCHAR NOT NULL,
        unit VARCHAR,
        unit_price VARCHAR NOT NULL,
        vat_rate VARCHAR NOT NULL,
        discount_kind VARCHAR CHECK (discount_kind IN ('percent', 'amount')),
        discount_value VARCHAR)""",
    "CREATE INDEX ix_order_line_order ON order_line (order_id, position)",
    """CREATE TABLE order_label (
        order_id INTEGER NOT NULL REFERENCES sales_order (id) ON DELETE CASCADE,
        label_id INTEGER NOT NULL REFERENCES label (id) ON DELETE CASCADE,
        PRIMARY KEY (order_id, label_id))""",
    """CREATE TABLE activity (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        name VARCHAR NOT NULL,
        description VARCHAR,
        kind VARCHAR NOT NULL DEFAULT 'task'
            CHECK (kind IN ('call', 'email', 'meeting', 'letter', 'task', 'other')),
        author VARCHAR NOT NULL,
        assignee VARCHAR,
        person_id INTEGER REFERENCES contact_person (id) ON DELETE SET NULL,
        due VARCHAR,
        done_at VARCHAR,
        created_at VARCHAR NOT NULL,
        updated_at VARCHAR NOT NULL)""",
    "CREATE INDEX ix_activity_customer ON activity (customer_id, due)",
    "CREATE INDEX ix_activity_open ON activity (done_at, due)",
    """CREATE TABLE note (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        order_id INTEGER REFERENCES sales_order (id) ON DELETE SET NULL,
        activity_id INTEGER REFERENCES activity (id) ON DELETE SET NULL,
        text VARCHAR NOT NULL,
        author VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL,
        updated_at VARCHAR NOT NULL)""",
    "CREATE INDEX ix_note_customer ON note (customer_id, created_at)",
    "CREATE INDEX ix_note_created ON note (created_at)",
    """CREATE TABLE document (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        sha256 VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        title VARCHAR,
        media_type VARCHAR,
        size INTEGER NOT NULL,
        uploaded_by VARCHAR NOT NULL,
        uploaded_at VARCHAR NOT NULL)""",
    "CREATE INDEX ix_document_customer ON document (customer_id)",
    "CREATE INDEX ix_document_sha256 ON document (sha256)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for table in ("document", "note", "activity", "order_label", "order_line", "sales_order",
                  "product"):  # fmt: skip
        op.execute(f"DROP TABLE {table}")
