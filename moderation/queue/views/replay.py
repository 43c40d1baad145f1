"""The policy preview (admins): what a policy would change on a site's recent comments before it is switched on."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template, request
from werkzeug.datastructures import MultiDict

from moderation.db.base import utcnow
from moderation.db.enums import UserRole
from moderation.extensions import get_session, resources
from moderation.queue import bp
from moderation.queue.access import roles
from moderation.queue.forms import ReplayArgs, ValidationError, load
from moderation.services.learning.replay import ReplayFilter, replay_policy


@bp.get("/replay")
@roles(UserRole.ADMIN)
def replay() -> str:
    """Replay the site's comments of the last days under the chosen policy (the CLI replays any window)."""
    try:
        args, error = load(ReplayArgs(), request.args), None
    except ValidationError:
        args, error = load(ReplayArgs(), MultiDict()), "Some choices were not understood and were ignored."
    policies = resources().policies
    candidate = policies.get(args["policy"] or "")
    if args["policy"] and candidate is None:
        error = "That policy is not loaded."
    flt = ReplayFilter(args["site"], utcnow() - timedelta(days=args["days"]))
    result = replay_policy(get_session(), candidate, policies, flt) if candidate and args["site"] else None
    return render_template("queue/replay.html", report=result.to_dict() if result else None,
                           sites=result.sites if result else sorted_sites(), policies=sorted(policies),
                           args=args, error=error)


def sorted_sites() -> list[str]:
    """The registered sites' names, before a preview has been asked for."""
    from moderation.services.learning.decisions import site_policy_names

    return sorted(site_policy_names(get_session()))
