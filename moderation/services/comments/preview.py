"""Scoring texts without storing anything: for previews and for warning a reader before they post."""

from __future__ import annotations

import math
from collections.abc import Sequence

from moderation.errors import ScoringError
from moderation.policy.model import Outcome, Policy
from moderation.scoring.base import Scorer
from moderation.services.comments.guarded_scoring import score_within

#: Texts the deadline is meant for; a larger request gets one more deadline per batch, up to MAX_BATCHES.
BATCH = 32
MAX_BATCHES = 4


def preview_deadline(timeout_s: float, count: int) -> float:
    """The scoring deadline for `count` texts: the per-comment deadline for each batch of 32, at most four."""
    return timeout_s * min(MAX_BATCHES, max(1, math.ceil(count / BATCH)))


def preview_texts(
    scorer: Scorer, policy: Policy, texts: Sequence[str], *, site_domains: Sequence[str], timeout_s: float
) -> list[Outcome]:
    """The policy outcome for each text; ScoringError when the model cannot answer in time."""
    deadline = preview_deadline(timeout_s, len(texts))
    outcomes = score_within(scorer, policy, texts, site_domains=site_domains, timeout_s=deadline, preview=True)
    if outcomes is None:
        raise ScoringError("the scoring model could not score these texts; try again shortly")
    return outcomes
