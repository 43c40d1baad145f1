"""`webhook_deliveries.comment_id`: the comment each event is about, indexed for in-order delivery.

Leasing a delivery asks whether an earlier event about the same comment is still pending; that was a LIKE
over the JSON bodies and is now one index probe. Existing rows get the id parsed from their body
(`comment.id`); rows whose body names no comment keep NULL.

Revision ID: 0502
Revises: 0501
Create Date: 2026-12-09
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0502'
down_revision = '0501'
branch_labels = None
depends_on = None

_deliveries = sa.table("webhook_deliveries", sa.column("id", sa.Integer), sa.column("body", sa.Text),
                       sa.column("comment_id", sa.Integer))
_BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_webhook_deliveries_comment', ['site_id', 'comment_id', 'status', 'id'],
                              unique=False)
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    # In pages by id, so a long delivery history (bodies of up to ~10k characters) is never held at once.
    after = 0
    while True:
        rows = conn.execute(sa.select(_deliveries.c.id, _deliveries.c.body).where(_deliveries.c.id > after)
                            .order_by(_deliveries.c.id).limit(_BATCH)).all()
        if not rows:
            return
        found = [{"row_id": row_id, "comment_id": comment_id} for row_id, body in rows
                 if (comment_id := _comment_id(body)) is not None]
        if found:
            conn.execute(sa.update(_deliveries).where(_deliveries.c.id == sa.bindparam("row_id"))
                         .values(comment_id=sa.bindparam("comment_id")), found)
        after = rows[-1].id


def _comment_id(body: str) -> int | None:
    try:
        comment_id = json.loads(body)["comment"]["id"]
    except (ValueError, TypeError, KeyError):
        return None
    return comment_id if isinstance(comment_id, int) and not isinstance(comment_id, bool) else None


def downgrade() -> None:
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_deliveries_comment')
        batch_op.drop_column('comment_id')
