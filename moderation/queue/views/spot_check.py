"""The spot check ("Published"): auto-published comments nearest a threshold, for moderators to look at."""

from __future__ import annotations

from flask import render_template

from moderation.extensions import get_session
from moderation.queue import bp
from moderation.queue.views.common import policies
from moderation.services.queue.spot_check import spot_check_sample


@bp.get("/spot-check")
def spot_check() -> str:
    """A sample of what the policy published, nearest a threshold first; open one to approve or reject it."""
    return render_template("queue/spot_check.html", rows=spot_check_sample(get_session(), policies()))
