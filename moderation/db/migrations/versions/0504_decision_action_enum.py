"""`decisions.action` is one of the decision vocabulary (`DecisionAction`), checked by the database; a comment
held because it could not be scored is its own action, `hold_unscored`, instead of a "hold" whose reason text
`rescore` had to compare.

Revision ID: 0504
Revises: 0503
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0504'
down_revision = '0503'
branch_labels = None
depends_on = None

#: The values as of this revision (the enum may grow later; a migration must not follow it).
_ACTIONS = ("publish", "hold", "hold_unscored", "reject", "approve", "escalate", "edit_approve", "report", "takedown")
_decisions = sa.table("decisions", sa.column("action", sa.String), sa.column("reason", sa.Text))
_NOT_SCORED = "not scored"


def upgrade() -> None:
    op.execute(sa.update(_decisions).where(_decisions.c.action == "hold", _decisions.c.reason == _NOT_SCORED)
               .values(action="hold_unscored"))
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.alter_column('action', existing_type=sa.String(length=32), existing_nullable=False,
                              type_=sa.Enum(*_ACTIONS, name='decision_action', native_enum=False,
                                            create_constraint=True, length=16))


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_decisions_decision_action'), type_='check')
        batch_op.alter_column('action', existing_type=sa.String(length=16), existing_nullable=False,
                              type_=sa.String(length=32))
    op.execute(sa.update(_decisions).where(_decisions.c.action == "hold_unscored").values(action="hold"))
