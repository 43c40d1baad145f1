"""The decision log (legal reviewers and admins): filterable, and exportable as CSV."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Response, current_app, render_template, request
from werkzeug.datastructures import MultiDict

from moderation.db.enums import UserRole
from moderation.extensions import get_session
from moderation.queue import bp
from moderation.queue.access import roles
from moderation.queue.forms import AuditArgs, ValidationError, load
from moderation.services.queue.audit import AuditFilters, action_names, audit_csv, audit_page


def _filters() -> tuple[AuditFilters, int, str | None]:
    try:
        args, error = load(AuditArgs(), request.args), None
    except ValidationError:
        args, error = load(AuditArgs(), MultiDict()), "Some filters were not understood and were ignored."
    zone = ZoneInfo(current_app.config["QUEUE_TIMEZONE"])
    filters = AuditFilters(args["who"], args["action"], args["comment"], args["since"], args["until"], zone)
    return filters, args["page"], error


@bp.get("/audit")
@roles(UserRole.LEGAL, UserRole.ADMIN)
def audit() -> str:
    """Every decision, newest first."""
    filters, page, error = _filters()
    session = get_session()
    rows, more = audit_page(session, filters, page=page)
    return render_template(
        "queue/audit.html",
        rows=rows,
        more=more,
        page=page,
        f=filters,
        error=error,
        action_names=action_names(session),
        query=_query(filters),
    )


def _query(filters: AuditFilters) -> dict[str, str]:
    """The filters as link parameters; only these, so nothing else from the query string reaches url_for."""
    values = {
        "who": filters.who,
        "action": filters.action,
        "comment": filters.comment_id,
        "since": filters.since,
        "until": filters.until,
    }
    return {k: v.isoformat() if isinstance(v, date) else str(v) for k, v in values.items() if v not in (None, "")}


@bp.get("/audit.csv")
@roles(UserRole.LEGAL, UserRole.ADMIN)
def audit_export() -> Response:
    """The filtered log as a CSV download."""
    filters, _page, _error = _filters()
    return Response(
        audit_csv(get_session(), filters),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="moderation-decisions.csv"'},
    )
