"""Daily tallies behind the insights page, kept as decisions and reports are recorded.

They start empty: `flask moderation rebuild-tallies` recounts past days from the decision log and the reports.

Revision ID: 0541
Revises: 0540
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0541'
down_revision = '0540'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('insight_tallies',
    sa.Column('metric', sa.String(length=24), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_insight_tallies_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('metric', 'day', 'site_id', 'key', name=op.f('pk_insight_tallies')),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('insight_tallies', schema=None) as batch_op:
        batch_op.create_index('ix_insight_tallies_site', ['site_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('insight_tallies', schema=None) as batch_op:
        batch_op.drop_index('ix_insight_tallies_site')
    op.drop_table('insight_tallies')
