"""Perspective suggestions and analyses, Coral signing secrets (the Perspective drop-in and Coral phase).

Revision ID: 0500
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0500'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('coral_secrets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_coral_secrets_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coral_secrets'))
    )
    with op.batch_alter_table('coral_secrets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coral_secrets_site_id'), ['site_id'], unique=False)

    op.create_table('perspective_analyses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('scores', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
        ['site_id'], ['sites.id'], name=op.f('fk_perspective_analyses_site_id_sites'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_perspective_analyses'))
    )
    with op.batch_alter_table('perspective_analyses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_perspective_analyses_site_id'), ['site_id'], unique=False)

    op.create_table('perspective_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('attribute_scores', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('labels', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('languages', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('client_token', sa.String(length=200), nullable=True),
    sa.Column('community_id', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
        ['site_id'], ['sites.id'], name=op.f('fk_perspective_suggestions_site_id_sites'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_perspective_suggestions'))
    )
    with op.batch_alter_table('perspective_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_perspective_suggestions_site_id'), ['site_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('perspective_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_perspective_suggestions_site_id'))

    op.drop_table('perspective_suggestions')
    with op.batch_alter_table('perspective_analyses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_perspective_analyses_site_id'))

    op.drop_table('perspective_analyses')
    with op.batch_alter_table('coral_secrets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coral_secrets_site_id'))

    op.drop_table('coral_secrets')
