"""Core schema: customers and their persons, addresses, bank accounts, labels, consents;
users, audit log, counters, saved selections.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = [
    """CREATE TABLE app_user (
        id INTEGER PRIMARY KEY,
        name VARCHAR NOT NULL UNIQUE,
        role VARCHAR NOT NULL CHECK (role IN ('admin', 'user')),
        created_at VARCHAR NOT NULL)""",
    """CREATE TABLE audit_entry (
        id INTEGER PRIMARY KEY,
        at VARCHAR NOT NULL,
        user VARCHAR NOT NULL,
        entity VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        customer_id INTEGER,
        action VARCHAR NOT NULL,
        field VARCHAR,
        old VARCHAR,
        new VARCHAR)""",
    "CREATE INDEX ix_audit_entry_customer_id ON audit_entry (customer_id, id)",
    """CREATE TABLE counter (
        name VARCHAR PRIMARY KEY,
        value INTEGER NOT NULL)""",
    "INSERT INTO counter (name, value) VALUES ('customer', 0)",
    """CREATE TABLE customer (
        id INTEGER PRIMARY KEY,
        number VARCHAR NOT NULL UNIQUE,
        kind VARCHAR NOT NULL CHECK (kind IN ('private', 'company')),
        company_name VARCHAR,
        register_number VARCHAR,
        vat_id VARCHAR,
        tax_number VARCHAR,
        salutation VARCHAR,
        title VARCHAR,
        first_name VARCHAR,
        last_name VARCHAR,
        display_name VARCHAR NOT NULL,
        sort_key VARCHAR NOT NULL,
        email VARCHAR,
        phone VARCHAR,
        mobile VARCHAR,
        website VARCHAR,
        street VARCHAR,
        postal_code VARCHAR,
        city VARCHAR,
        country VARCHAR,
        notes VARCHAR,
        discount_percent VARCHAR,
        roles VARCHAR NOT NULL DEFAULT 'customer',
        is_template BOOLEAN NOT NULL DEFAULT 0,
        do_not_contact BOOLEAN NOT NULL DEFAULT 0,
        restricted BOOLEAN NOT NULL DEFAULT 0,
        created_at VARCHAR NOT NULL,
        created_by VARCHAR,
        updated_at VARCHAR NOT NULL,
        updated_by VARCHAR,
        archived_at VARCHAR,
        archived_by VARCHAR,
        archive_reason VARCHAR,
        last_activity_at VARCHAR,
        m365_remote_id VARCHAR,
        m365_status VARCHAR,
        m365_last_sync VARCHAR,
        m365_last_error VARCHAR)""",
    "CREATE INDEX ix_customer_sort ON customer (sort_key, id)",
    "CREATE INDEX ix_customer_created ON customer (created_at, id)",
    "CREATE INDEX ix_customer_updated ON customer (updated_at, id)",
    "CREATE INDEX ix_customer_last_activity ON customer (last_activity_at, id)",
    "CREATE INDEX ix_customer_email ON customer (email)",
    "CREATE INDEX ix_customer_vat_id ON customer (vat_id)",
    "CREATE INDEX ix_customer_city ON customer (city)",
    "CREATE INDEX ix_customer_postal_code ON customer (postal_code)",
    """CREATE TABLE label (
        id INTEGER PRIMARY KEY,
        name VARCHAR NOT NULL UNIQUE)""",
    """CREATE TABLE customer_label (
        customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        label_id INTEGER NOT NULL REFERENCES label (id) ON DELETE CASCADE,
        PRIMARY KEY (customer_id, label_id))""",
    "CREATE INDEX ix_customer_label_label_id ON customer_label (label_id, customer_id)",
    """CREATE TABLE consent (
        customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        channel VARCHAR NOT NULL CHECK (channel IN ('email', 'phone', 'letter', 'newsletter')),
        granted BOOLEAN NOT NULL,
        date VARCHAR,
        source VARCHAR,
        PRIMARY KEY (customer_id, channel))""",
    """CREATE TABLE contact_person (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        salutation VARCHAR,
        title VARCHAR,
        first_name VARCHAR,
        last_name VARCHAR,
        role VARCHAR,
        email VARCHAR,
        phone VARCHAR,
        created_at VARCHAR NOT NULL)""",
    "CREATE INDEX ix_contact_person_customer_id ON contact_person (customer_id)",
    """CREATE TABLE address (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        purpose VARCHAR NOT NULL CHECK (purpose IN ('billing', 'delivery')),
        name VARCHAR,
        street VARCHAR,
        postal_code VARCHAR,
        city VARCHAR,
        country VARCHAR)""",
    "CREATE INDEX ix_address_customer_id ON address (customer_id)",
    """CREATE TABLE bank_account (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        method VARCHAR NOT NULL CHECK (method IN ('sepa', 'paypal', 'invoice')),
        holder VARCHAR,
        iban VARCHAR,
        bic VARCHAR,
        account_number VARCHAR,
        bank_code VARCHAR,
        bank_name VARCHAR,
        rib VARCHAR,
        gui VARCHAR,
        mandate BOOLEAN NOT NULL DEFAULT 0,
        mandate_ref VARCHAR,
        mandate_date VARCHAR,
        first_debit_date VARCHAR)""",
    "CREATE INDEX ix_bank_account_customer_id ON bank_account (customer_id)",
    """CREATE TABLE selection (
        id INTEGER PRIMARY KEY,
        name VARCHAR NOT NULL UNIQUE,
        expression VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL,
        created_by VARCHAR)""",
]


def upgrade() -> None:
    for statement in TABLES:
        op.execute(statement)


def downgrade() -> None:
    for table in (
        "selection",
        "bank_account",
        "address",
        "contact_person",
        "consent",
        "customer_label",
        "label",
        "customer",
        "counter",
        "audit_entry",
        "app_user",
    ):
        op.execute(f"DROP TABLE {table}")
