"""`comment_revisions.editor_id`: the moderator who redacted a comment into this revision (edit and approve).

The comment page named the editor by searching the audit log for the edit; the log is a record of what happened,
not a table to read the current state from. Existing revisions get the editor from those audit rows
(`comment.moderator_edit`, actor "user:<id>", detail.revision) where that account still exists; the others keep
NULL, as do revisions the reader wrote.

Revision ID: 0505
Revises: 0504
Create Date: 2026-12-14
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0505'
down_revision = '0504'
branch_labels = None
depends_on = None

_revisions = sa.table("comment_revisions", sa.column("comment_id", sa.Integer), sa.column("number", sa.Integer),
                      sa.column("editor_id", sa.Integer))
_audit = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("actor", sa.String),
                  sa.column("action", sa.String), sa.column("entity_type", sa.String),
                  sa.column("entity_id", sa.Integer),
                  sa.column("detail", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")))
_users = sa.table("users", sa.column("id", sa.Integer))
_BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table('comment_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('editor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_comment_revisions_editor_id_users'), 'users', ['editor_id'],
                                    ['id'], ondelete='SET NULL')
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    # In pages of audit rows by id; a later edit of the same revision (there is none today) would win.
    users = set(conn.execute(sa.select(_users.c.id)).scalars())
    after = 0
    while True:
        rows = conn.execute(sa.select(_audit.c.id, _audit.c.actor, _audit.c.entity_id, _audit.c.detail)
                            .where(_audit.c.action == "comment.moderator_edit", _audit.c.entity_type == "comment",
                                   _audit.c.id > after)
                            .order_by(_audit.c.id).limit(_BATCH)).all()
        if not rows:
            return
        values = [{"cid": comment_id, "num": number, "editor": editor} for _, actor, comment_id, detail in rows
                  if (editor := _user_id(actor)) in users and (number := _revision(detail)) is not None
                  and comment_id is not None]
        if values:
            conn.execute(sa.update(_revisions)
                         .where(_revisions.c.comment_id == sa.bindparam("cid"),
                                _revisions.c.number == sa.bindparam("num"))
                         .values(editor_id=sa.bindparam("editor")), values)
        after = rows[-1].id


def _user_id(actor: str | None) -> int | None:
    prefix, _, rest = (actor or "").partition(":")
    return int(rest) if prefix == "user" and rest.isdigit() else None


def _revision(detail: Any) -> int | None:
    number = detail.get("revision") if isinstance(detail, dict) else None
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def downgrade() -> None:
    with op.batch_alter_table('comment_revisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comment_revisions_editor_id_users'), type_='foreignkey')
        batch_op.drop_column('editor_id')
