"""The editors' agreement page (legal reviewers and admins): how far the moderators uphold the policy."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from werkzeug.datastructures import MultiDict

from moderation.db.enums import UserRole
from moderation.extensions import get_session, resources
from moderation.queue import bp
from moderation.queue.access import roles
from moderation.queue.forms import AgreementArgs, ValidationError, load
from moderation.services.learning.agreement import measure_agreement
from moderation.services.learning.decisions import DecisionFilter


@bp.get("/agreement")
@roles(UserRole.LEGAL, UserRole.ADMIN)
def agreement() -> str:
    """Per clause: held, upheld, precision, missed; by language; identity terms held then approved."""
    try:
        args, error = load(AgreementArgs(), request.args), None
    except ValidationError:
        args, error = load(AgreementArgs(), MultiDict()), "Some filters were not understood and were ignored."
    zone = ZoneInfo(current_app.config["QUEUE_TIMEZONE"])
    since = datetime.combine(args["since"], time(), zone) if args["since"] else None
    result = measure_agreement(get_session(), resources().policies, DecisionFilter(args["site"], since))
    return render_template("queue/agreement.html", report=result.to_dict(), sites=result.sites, site=args["site"],
                           since=args["since"], error=error)
