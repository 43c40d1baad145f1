"""The newsroom's insights: charts of what came in, what was held and how long readers waited, each chart's data
as a table and as CSV. Editors (legal and admin) see everything; moderators see their own figures."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as WerkzeugResponse

from moderation.db.base import utcnow
from moderation.db.enums import UserRole
from moderation.extensions import get_session
from moderation.queue import bp
from moderation.queue.access import current, roles
from moderation.queue.forms import load
from moderation.schemas.insights import InsightsArgs
from moderation.services.comments.surge import lift_surge
from moderation.services.errors import NotFoundError
from moderation.services.insights.charts import draw
from moderation.services.insights.figures import Scope, gather, table_csv

#: The range shown when none is chosen: the last 30 days.
DEFAULT_DAYS = 30


def _scope() -> tuple[Scope, str | None]:
    try:
        args, error = load(InsightsArgs(), request.args), None
    except ValidationError as exc:
        args = load(InsightsArgs(), MultiDict())
        error = "The range was not understood and the last 30 days are shown: " + "; ".join(
            f"{k}: {' '.join(map(str, v))}" for k, v in exc.normalized_messages().items())
    end = args["end"] or (args["start"] + timedelta(days=DEFAULT_DAYS - 1) if args["start"] else utcnow().date())
    start = args["start"] or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end or (end - start).days >= 366:
        start, end = end - timedelta(days=DEFAULT_DAYS - 1), end
    moderator = current()
    return Scope(start, end, args["site"], moderator.id, moderator.decides_legal), error


@bp.get("/insights")
def insights() -> str:
    """Charts of the chosen range and site, each with the table it was drawn from."""
    scope, error = _scope()
    figures = gather(get_session(), scope)
    charts = [draw(t) for t in figures.tables]
    return render_template("queue/insights.html", f=figures, charts=charts, error=error, active_queue="insights")


@bp.get("/insights/<chart_id>.csv")
def insights_csv(chart_id: str) -> Response:
    """One chart's table as CSV, for the same range and site."""
    scope, _error = _scope()
    table = gather(get_session(), scope).table(chart_id)
    if table is None:
        abort(404)
    name = f"insights-{chart_id}-{scope.start.isoformat()}-{scope.end.isoformat()}.csv"
    return Response(table_csv(table), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/insights/surge/<id:article_id>/lift")
@roles(UserRole.LEGAL, UserRole.ADMIN)
def lift_surge_view(article_id: int) -> WerkzeugResponse:
    """Take a story off surge watch: its new comments are decided by the policy again."""
    try:
        article = lift_surge(get_session(), f"user:{current().id}", article_id)
    except NotFoundError:
        flash("That story is not on surge watch.", "error")
    else:
        flash(f"Surge watch lifted on “{article.title}”: its comments are decided by the policy again.", "success")
    return redirect(url_for("queue.insights"), 303)
