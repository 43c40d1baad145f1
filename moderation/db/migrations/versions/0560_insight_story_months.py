"""Per-story tallies by month beside the daily ones, so ranking the stories over a long range stays fast; filled
from the daily tallies already kept.

Revision ID: 0560
Revises: 0542
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0560'
down_revision = '0542'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('insight_story_months',
    sa.Column('metric', sa.String(length=24), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_insight_story_months_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('metric', 'month', 'site_id', 'key', name=op.f('pk_insight_story_months')),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('insight_story_months', schema=None) as batch_op:
        batch_op.create_index('ix_insight_story_months_site', ['site_id'], unique=False)
    month = ("CAST(date_trunc('month', day) AS date)" if op.get_bind().dialect.name == "postgresql"
             else "date(day, 'start of month')")
    op.execute(f"INSERT INTO insight_story_months (metric, month, site_id, key, count) "  # noqa: S608 (no input)
               f"SELECT metric, {month}, site_id, key, SUM(count) FROM insight_tallies "
               f"WHERE metric IN ('article_held', 'article_reports') GROUP BY metric, {month}, site_id, key")


def downgrade() -> None:
    with op.batch_alter_table('insight_story_months', schema=None) as batch_op:
        batch_op.drop_index('ix_insight_story_months_site')
    op.drop_table('insight_story_months')
