"""`authors.suspended_until` and `author_notes`: timed suspensions and moderators' notes in the author's record.

A moderator could only ban a commenter for good or not at all, and what one moderator learnt about a commenter
was lost to the next. A suspension (24 hours, 7 or 30 days) rejects their comments until it ends; notes stay
with the author. Existing authors are not suspended and have no notes.

Revision ID: 0512
Revises: 0511
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0512'
down_revision = '0511'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('authors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_until', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'author_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['authors.id'], name=op.f('fk_author_notes_author_id_authors'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_author_notes_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_author_notes')),
    )
    with op.batch_alter_table('author_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_author_notes_author_id'), ['author_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('author_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_author_notes_author_id'))
    op.drop_table('author_notes')
    # Never by copying the table: on SQLite that would delete every comment (and its decisions) on the way.
    with op.batch_alter_table('authors', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('suspended_until')
