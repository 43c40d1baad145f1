"""`comments.risk_rank`, `risk_score`, `fired_clauses`: what the moderator queues sort and filter by.

The queues read these from each comment's latest score; they were the clauses' JSON, read for every comment of a
queue on every page. Now the database sorts, counts and pages. Existing comments get them from their latest score:
the most severe fired clause's rank (2 in its reject band, 1 a harm held for review, 0 the outside-links check;
-1 when no clause fired), its score, and the ids of the fired clauses (" a b ").

Revision ID: 0503
Revises: 0502
Create Date: 2026-12-10
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0503'
down_revision = '0502'
branch_labels = None
depends_on = None

_comments = sa.table("comments", sa.column("id", sa.Integer), sa.column("risk_rank", sa.SmallInteger),
                     sa.column("risk_score", sa.Float), sa.column("fired_clauses", sa.Text))
_scores = sa.table("scores", sa.column("id", sa.Integer), sa.column("comment_id", sa.Integer),
                   sa.column("clauses", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")))
_BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('risk_rank', sa.SmallInteger(), server_default='-1', nullable=False))
        batch_op.add_column(sa.Column('risk_score', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('fired_clauses', sa.Text(), server_default='', nullable=False))
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    # In pages of comments by id, each with its newest score's clauses.
    latest = sa.select(sa.func.max(_scores.c.id)).group_by(_scores.c.comment_id)
    after = 0
    while True:
        rows = conn.execute(sa.select(_scores.c.id, _scores.c.comment_id, _scores.c.clauses)
                            .where(_scores.c.id.in_(latest), _scores.c.comment_id > after)
                            .order_by(_scores.c.comment_id).limit(_BATCH)).all()
        if not rows:
            return
        values = [{"row_id": comment_id, **_risk(clauses)} for _, comment_id, clauses in rows]
        conn.execute(sa.update(_comments).where(_comments.c.id == sa.bindparam("row_id"))
                     .values(risk_rank=sa.bindparam("rank"), risk_score=sa.bindparam("score"),
                             fired_clauses=sa.bindparam("fired")), values)
        after = rows[-1].comment_id


def _risk(clauses: Any) -> dict[str, Any]:
    fired = [c for c in clauses or () if isinstance(c, dict) and c.get("action") in ("review", "reject")]
    if not fired:
        return {"rank": -1, "score": 0.0, "fired": ""}
    ranked = [(2 if c["action"] == "reject" else 0 if c.get("clause") == "outside_links" else 1,
               float(c.get("score") or 0.0)) for c in fired]
    rank, score = max(ranked)
    names = sorted({str(c.get("clause")) for c in fired})
    return {"rank": rank, "score": score, "fired": "".join(f" {n}" for n in names) + " "}


def downgrade() -> None:
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('fired_clauses')
        batch_op.drop_column('risk_score')
        batch_op.drop_column('risk_rank')
