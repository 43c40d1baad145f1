"""Perspective attribute names ↔ our model labels and guideline clauses.

Perspective clients ask for attributes such as TOXICITY or PROFANITY; we answer from the scorer's labels
(detoxify's names) and from the site's policy clauses, which are exposed as NEWSROOM_<CLAUSE_ID>.

SEVERE_TOXICITY comes from the model's own `severe_toxicity` label when it has one (detoxify's published
models do). The bundled model has no such label, so it is derived as

    SEVERE_TOXICITY = toxicity × max(insult, obscene, threat, identity_attack)

which is never above TOXICITY, stays near zero for a comment that is merely rude or crude, and is high only
when the model is confident both that the comment is toxic and that it carries a specific harm; this is the
"very hateful, aggressive" reading Perspective gives the attribute.

The attributes Perspective's moderation clients used (its experimental newsroom set) are answered from our
clause heads: OBSCENE from `obscenity`, INFLAMMATORY from `inflammatory`, and ATTACK_ON_AUTHOR and
ATTACK_ON_COMMENTER both from `personal_attack` (the clause does not tell an attack on the article's author from
one on another reader). LIKELY_TO_REJECT answers "would this site's moderators reject it": the strongest harm
clause label on the policy's scale, which is the share of such comments the site's moderators removed once the
policy names a calibration from their decisions (`flask moderation calibrate`), and the model's own score before.
"""

from __future__ import annotations

from collections.abc import Mapping

from moderation.enums import ClauseKind
from moderation.policy.model import Outcome, Policy

#: Perspective attribute → the scorer label it is read from.
LABEL_ATTRIBUTES: dict[str, str] = {
    "TOXICITY": "toxicity",
    "SEVERE_TOXICITY": "severe_toxicity",
    "IDENTITY_ATTACK": "identity_attack",
    "INSULT": "insult",
    "PROFANITY": "obscene",
    "THREAT": "threat",
    "SEXUALLY_EXPLICIT": "sexual_explicit",
}

#: Perspective's moderation attributes → the clause-head label each is read from.
MODERATION_ATTRIBUTES: dict[str, str] = {
    "OBSCENE": "obscenity",
    "INFLAMMATORY": "inflammatory",
    "ATTACK_ON_AUTHOR": "personal_attack",
    "ATTACK_ON_COMMENTER": "personal_attack",
}
LIKELY_TO_REJECT = "LIKELY_TO_REJECT"

#: The labels SEVERE_TOXICITY is derived from when the model has no severe_toxicity label.
SEVERE_PARTS = ("insult", "obscene", "threat", "identity_attack")

#: Attributes every deployment answers, whatever the model (SEVERE_TOXICITY derived if need be).
CORE_ATTRIBUTES = ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT")

CLAUSE_PREFIX = "NEWSROOM_"


def clause_attribute(clause_id: str) -> str:
    """The attribute name a policy clause is published under, e.g. defamatory → NEWSROOM_DEFAMATORY."""
    return CLAUSE_PREFIX + clause_id.upper()


def available_attributes(labels: tuple[str, ...], policy: Policy) -> dict[str, str]:
    """Attribute name → what answers it ("label:<name>", "derived:severe_toxicity" or "clause:<id>")."""
    out: dict[str, str] = {}
    for attribute, label in LABEL_ATTRIBUTES.items():
        if label in labels:
            out[attribute] = f"label:{label}"
        elif attribute == "SEVERE_TOXICITY" and "toxicity" in labels:
            out[attribute] = "derived:severe_toxicity"
    for attribute, label in MODERATION_ATTRIBUTES.items():
        if label in labels:
            out[attribute] = f"label:{label}"
    if any(ls.label in labels for c in policy.clauses if c.kind is not ClauseKind.CHECK for ls in c.labels):
        out[LIKELY_TO_REJECT] = "derived:likely_to_reject"
    for clause in policy.clauses:
        out[clause_attribute(clause.id)] = f"clause:{clause.id}"
    return out


def likely_to_reject(policy: Policy, scores: Mapping[str, float]) -> float:
    """The strongest harm clause label on the policy's scale (calibrated to the site's moderators when the
    policy names a calibration); checks such as links are not reasons to reject."""
    scaled = policy.scale(scores)
    return max((float(scaled[ls.label]) for c in policy.clauses if c.kind is not ClauseKind.CHECK
                for ls in c.labels if ls.label in scaled), default=0.0)


def derived_severe_toxicity(scores: Mapping[str, float]) -> float:
    """SEVERE_TOXICITY for a model without that label (see the module docstring)."""
    strongest = max((float(scores.get(label, 0.0)) for label in SEVERE_PARTS), default=0.0)
    return float(scores.get("toxicity", 0.0)) * strongest


def clause_score(policy: Policy, outcome: Outcome, clause_id: str) -> float:
    """How strongly a clause applies: its fired score, else the highest model score among its labels."""
    clause = policy.clause(clause_id)
    scaled = policy.scale(outcome.scores)  # the fired score is on the policy's (perhaps calibrated) scale too
    from_labels = max((float(scaled.get(s.label, 0.0)) for s in clause.labels), default=0.0)
    fired = next((c.score for c in outcome.clauses if c.clause == clause_id), 0.0)
    return max(from_labels, float(fired))


def attribute_value(source: str, policy: Policy, outcome: Outcome) -> float:
    """The probability for one attribute, from the source `available_attributes` named for it."""
    kind, _, name = source.partition(":")
    if kind == "label":
        value = float(outcome.scores.get(name, 0.0))
    elif kind == "derived" and name == "likely_to_reject":
        value = likely_to_reject(policy, outcome.scores)
    elif kind == "derived":
        value = derived_severe_toxicity(outcome.scores)
    else:
        value = clause_score(policy, outcome, name)
    return min(1.0, max(0.0, value))
