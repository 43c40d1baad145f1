"""Scoring texts without storing anything: for previews and for warning a reader before they post."""

from __future__ import annotations

from collections.abc import Sequence

from moderation.errors import ScoringError
from moderation.policy.model import Outcome, Policy
from moderation.scoring.base import Scorer
from moderation.services.guarded_scoring import score_within


def preview_texts(
    scorer: Scorer, policy: Policy, texts: Sequence[str], *, site_domains: Sequence[str], timeout_s: float
) -> list[Outcome]:
    """The policy outcome for each text; ScoringError when the model cannot answer now."""
    outcomes = score_within(scorer, policy, texts, site_domains=site_domains, timeout_s=timeout_s)
    if outcomes is None:
        raise ScoringError("the scoring model could not score these texts; try again shortly")
    return outcomes
