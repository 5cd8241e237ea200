"""DSGVO erasure: when a customer's master record was anonymised (records kept by law).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for every customer; set by `kk customer erase` when invoices or orders must be
    # kept (§ 147 AO, § 257 HGB) and the master record is anonymised and restricted instead
    # of removed. `kk dsgvo due` reads it to find erasures that can now be completed.
    op.execute("ALTER TABLE customer ADD COLUMN erased_at VARCHAR")


def downgrade() -> None:
    op.execute("ALTER TABLE customer DROP COLUMN erased_at")
