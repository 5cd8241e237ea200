"""Full-text search index over customers (FTS5, German-folded), filled from existing rows.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from kk.services import search_index

    connection = op.get_bind().connection.driver_connection
    assert connection is not None
    search_index.create(connection)
    search_index.rebuild(connection)


def downgrade() -> None:
    op.execute("DROP TABLE customer_fts")
