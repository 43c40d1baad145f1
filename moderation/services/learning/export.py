"""Moderator decisions as training rows in the shared JSON Lines format (`moderation.scoring.dataset`).

A row carries the text the moderator saw and what the decision says about it; never the author's name or id.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy.orm import Session

from moderation.policy.model import Policy
from moderation.scoring.dataset import DECISIONS_PREFIX
from moderation.services.learning.chunks import IdRange
from moderation.services.learning.decisions import DecisionFilter, LabelledDecision, iter_labelled, site_policy_names


def policy_heads(policy: Policy | None, heads: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Clause id → the model's clause-head labels that feed it (`heads`: the labels the clause heads score)."""
    if policy is None:
        return {}
    return {c.id: tuple(ls.label for ls in c.labels if ls.label in heads) for c in policy.clauses}


def decision_row(item: LabelledDecision, heads: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """One decision as a training row: `labels` names the clause heads, `clauses` the site's guideline clauses."""
    labels: dict[str, int | None] = {}
    for clause, value in item.clauses.items():
        for label in heads.get(clause, ()):
            # One head feeding two clauses: a 1 from either wins over a 0, and a 0 over no word at all.
            said = [v for v in (labels.get(label), value) if v is not None]
            labels[label] = max(said) if said else None
    return {
        "id": f"decision-{item.decision_id}",
        "source": f"{DECISIONS_PREFIX}{item.site}",
        "lang": item.language or "",
        "text": item.text,
        "labels": labels,
        "clauses": item.clauses,
        "source_labels": {
            "decision": item.action.value,
            "reason": item.reason,
            "role": item.role,
            "decided_at": item.decided_at.isoformat(),
            "queue": item.from_queue.value if item.from_queue else None,
            "policy_action": item.policy_action,
            "held_by": list(item.held_by),
            "legal_outcome": item.legal_outcome.value if item.legal_outcome else None,
        },
    }


def export_rows(
    session: Session, policies: Mapping[str, Policy], flt: DecisionFilter, heads: tuple[str, ...], *,
    ids: IdRange | None = None,
) -> Iterator[dict[str, Any]]:
    """The training rows of every decision the filter selects (with an id within `ids`, when given: one part of an
    export split across the scoring workers), oldest first."""
    site_policies = site_policy_names(session)
    cache: dict[str, dict[str, tuple[str, ...]]] = {}
    for item in iter_labelled(session, policies, flt, ids=ids):
        if item.site not in cache:
            cache[item.site] = policy_heads(policies.get(site_policies.get(item.site, "")), heads)
        yield decision_row(item, cache[item.site])
