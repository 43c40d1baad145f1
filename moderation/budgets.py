"""Each API key's budget for previews (texts scored and not stored: `POST /api/v1/score`, Perspective's
`comments:analyze`), counted in characters, beside its request rate limit: one request of 100 texts of 10,000
characters costs as much model time as a thousand comments, so counting requests alone cannot keep one key's
previews from taking a worker's CPU and memory."""

from __future__ import annotations

import math
import time

from flask import Flask, current_app
from flask_limiter import Limiter
from limits import parse
from werkzeug.exceptions import TooManyRequests

from moderation.services.sites import key_prefix

#: Where `moderation.api.limits` leaves the app's limiter (its storage and strategy count the budget too).
LIMITER_KEY = "moderation.limiter"


def init_app(app: Flask, limiter: Limiter) -> None:
    """Count preview budgets with `limiter`'s storage (memory, or Redis shared by every worker)."""
    app.extensions[LIMITER_KEY] = limiter


def charge_preview(token: str, chars: int) -> None:
    """Count `chars` characters against the preview budget (PREVIEW_BUDGET) of API key `token` (already checked
    live); 429 with Retry-After when it is spent. A single request larger than the whole budget is charged the
    whole budget, so it can still run when the key's budget is untouched."""
    limiter: Limiter = current_app.extensions[LIMITER_KEY]
    budget = parse(current_app.config["PREVIEW_BUDGET"])
    cost = max(1, min(chars, budget.amount))
    key = key_prefix(token) or token
    strategy = limiter.limiter
    if strategy.test(budget, "preview", key, cost=cost) and strategy.hit(budget, "preview", key, cost=cost):
        return
    reset_at, _remaining = strategy.get_window_stats(budget, "preview", key)
    raise TooManyRequests(description=f"preview budget spent: {budget.amount} characters of text per "
                                      f"{budget.GRANULARITY.name}", retry_after=max(1, math.ceil(reset_at - time.time())))
