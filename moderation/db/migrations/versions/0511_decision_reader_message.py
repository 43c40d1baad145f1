"""`decisions.reader_message`: what the commenter is told about a moderator's rejection, apart from the audit note.

The note a moderator writes is for the audit log; the site had only the clause id to tell its reader why. Existing
decisions have no message (NULL): the site falls back to its own wording for the reason, as before.

Revision ID: 0511
Revises: 0510
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0511'
down_revision = '0510'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reader_message', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('reader_message')
