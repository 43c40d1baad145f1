"""`comments.risk_rank` on the harm ladder: threats, then hate, then other harms, then checks; the band within each.

The queues ranked a clause's band above its harm, so an insult in its reject band came before a dehumanising remark
held for review, and a threat found by a detector under a milder clause ranked as that clause. The rank is now twice
the step of the clause's kind on the ladder (threat 3, hate 2, harm 1, check 0), lifted by a threat (3) or
dehumanising (2) detector finding among its signals, plus one in its reject band; the score is the top clause's. Existing comments get it from
their latest score's clauses as stored (their kind and signals); a clause stored before it had a kind counts as a
harm, and the outside-links check as a check.

Revision ID: 0510
Revises: 0505
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0510'
down_revision = '0505'
branch_labels = None
depends_on = None

_comments = sa.table("comments", sa.column("id", sa.Integer), sa.column("risk_rank", sa.SmallInteger),
                     sa.column("risk_score", sa.Float))
_scores = sa.table("scores", sa.column("id", sa.Integer), sa.column("comment_id", sa.Integer),
                   sa.column("clauses", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")))
_BATCH = 1000
_KINDS = {"threat": 3, "hate": 2, "harm": 1, "check": 0}
_SIGNALS = {"threat": 3, "dehumanising": 2}


def _ladder(clause: dict[str, Any]) -> int:
    kind = clause.get("kind") or ("check" if clause.get("clause") == "outside_links" else "harm")
    step = max([_KINDS.get(kind, 1), *(_SIGNALS.get(s, 0) for s in clause.get("signals") or ())])
    return 2 * step + (1 if clause["action"] == "reject" else 0)


def _banded(clause: dict[str, Any]) -> int:
    """The rank before this revision: 3 a threat, 2 in a reject band, 1 a harm, 0 a check."""
    if clause.get("kind") == "threat":
        return 3
    if clause["action"] == "reject":
        return 2
    return 0 if (clause.get("kind") or "") == "check" or clause.get("clause") == "outside_links" else 1


def _rerank(conn: sa.Connection, rank: Callable[[dict[str, Any]], int]) -> None:
    # In pages of comments by id, each with its newest score's clauses; comments with no fired clause keep -1.
    latest = sa.select(sa.func.max(_scores.c.id)).group_by(_scores.c.comment_id)
    after = 0
    while True:
        rows = conn.execute(sa.select(_scores.c.comment_id, _scores.c.clauses)
                            .where(_scores.c.id.in_(latest), _scores.c.comment_id > after)
                            .order_by(_scores.c.comment_id).limit(_BATCH)).all()
        if not rows:
            return
        values = []
        for comment_id, clauses in rows:
            fired = [c for c in clauses or () if isinstance(c, dict) and c.get("action") in ("review", "reject")]
            if fired:
                top, score = max((rank(c), float(c.get("score") or 0.0)) for c in fired)
                values.append({"row_id": comment_id, "rank": top, "score": score})
        if values:
            conn.execute(sa.update(_comments).where(_comments.c.id == sa.bindparam("row_id"))
                         .values(risk_rank=sa.bindparam("rank"), risk_score=sa.bindparam("score")), values)
        after = rows[-1].comment_id


def upgrade() -> None:
    _rerank(op.get_bind(), _ladder)


def downgrade() -> None:
    _rerank(op.get_bind(), _banded)
