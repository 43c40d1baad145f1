"""The surge watch: when a story was flagged (its held share or report rate jumped), and why.

Revision ID: 0542
Revises: 0541
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0542'
down_revision = '0541'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('surge_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('surge_reason', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_articles_surge_at'), ['surge_at'], unique=False)



def downgrade() -> None:
    # Plain ALTER TABLE rather than batch mode: on SQLite, batch mode copies `articles` and drops the original,
    # and that drop would cascade to every comment.
    op.drop_index('ix_articles_surge_at', table_name='articles')
    op.execute("ALTER TABLE articles DROP COLUMN surge_reason")
    op.execute("ALTER TABLE articles DROP COLUMN surge_at")
