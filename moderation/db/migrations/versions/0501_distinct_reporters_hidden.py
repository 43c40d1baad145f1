"""One report per reader and comment; `hidden` set on every comment the site should not render.

Duplicate reports by one reader are dropped (the first is kept) and `report_count` becomes the number of
distinct reporters (reports without a reporter id together count as one). Comments that are not published
(pending, rejected, taken down) are marked hidden.

Revision ID: 0501
Revises: 0500
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0501'
down_revision = '0500'
branch_labels = None
depends_on = None

_reports = sa.table("reports", sa.column("id", sa.Integer), sa.column("comment_id", sa.Integer),
                    sa.column("reporter_external_id", sa.String))
_comments = sa.table("comments", sa.column("id", sa.Integer), sa.column("status", sa.String),
                     sa.column("hidden", sa.Boolean), sa.column("report_count", sa.Integer))


def upgrade() -> None:
    first = (sa.select(sa.func.min(_reports.c.id)).where(_reports.c.reporter_external_id.is_not(None))
             .group_by(_reports.c.comment_id, _reports.c.reporter_external_id))
    op.execute(sa.delete(_reports).where(_reports.c.reporter_external_id.is_not(None),
                                         _reports.c.id.not_in(first)))
    of_comment = _reports.c.comment_id == _comments.c.id
    named = (sa.select(sa.func.count(sa.distinct(_reports.c.reporter_external_id))).where(of_comment)
             .scalar_subquery())
    anonymous = sa.case((sa.exists().where(of_comment, _reports.c.reporter_external_id.is_(None)), 1), else_=0)
    op.execute(sa.update(_comments).values(report_count=named + anonymous))
    op.execute(sa.update(_comments).where(_comments.c.status != "published").values(hidden=True))
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_reports_comment_id_reporter_external_id'),
                                          ['comment_id', 'reporter_external_id'])


def downgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_reports_comment_id_reporter_external_id'), type_='unique')
