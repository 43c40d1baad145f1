"""Coordinated comments: each comment's MinHash signature and LSH bands, and the groups of near-identical ones.

Existing comments get no fingerprint here; `flask moderation group-comments` groups a past period.

Revision ID: 0540
Revises: 0512
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0540'
down_revision = '0512'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('comment_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_comment_groups_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_groups'))
    )
    with op.batch_alter_table('comment_groups', schema=None) as batch_op:
        batch_op.create_index('ix_comment_groups_site_last', ['site_id', 'last_at'], unique=False)

    op.create_table('comment_bands',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_bands_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_comment_bands_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', 'key', name=op.f('pk_comment_bands'))
    )
    with op.batch_alter_table('comment_bands', schema=None) as batch_op:
        batch_op.create_index('ix_comment_bands_lookup', ['site_id', 'key', 'created_at'], unique=False)

    op.create_table('comment_fingerprints',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('signature', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_fingerprints_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['comment_groups.id'], name=op.f('fk_comment_fingerprints_group_id_comment_groups'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_comment_fingerprints_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', name=op.f('pk_comment_fingerprints'))
    )
    with op.batch_alter_table('comment_fingerprints', schema=None) as batch_op:
        batch_op.create_index('ix_comment_fingerprints_group', ['group_id', 'created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('comment_fingerprints', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_fingerprints_group')

    op.drop_table('comment_fingerprints')
    with op.batch_alter_table('comment_bands', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_bands_lookup')

    op.drop_table('comment_bands')
    with op.batch_alter_table('comment_groups', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_groups_site_last')

    op.drop_table('comment_groups')
