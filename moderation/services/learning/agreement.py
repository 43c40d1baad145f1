"""How far the moderators agree with the policy: per clause, how often they upheld what it held (precision) and
how many comments it published that they then removed (misses: found through reports and the spot-check queue).

A held comment counts for each clause that held it once a moderator decides it. The moderator upheld a clause's
hold when they removed the comment for that clause, or for a reason that names no clause ("other", a site's
take-down), or edited it before approving; an approval overturns every hold. A removal of a comment the policy
had published is a miss of the clause it names. An escalation is counted through its legal outcome (the legal
reviewer's decision), not on its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from moderation.db.enums import DecisionAction
from moderation.policy.model import Policy
from moderation.services.learning.decisions import DecisionFilter, LabelledDecision, iter_labelled, site_policy_names

#: Words naming a group of people: comments that name one and are held, then approved, point at a model that
#: confuses talk about a group with an attack on it.
IDENTITY_TERMS = (
    "muslim", "hindu", "christian", "sikh", "jain", "buddhist", "jew", "jewish", "parsi", "dalit", "brahmin",
    "adivasi", "tribal", "bihari", "kashmiri", "tamil", "bengali", "pakistani", "bangladeshi", "rohingya",
    "immigrant", "migrant", "refugee", "woman", "women", "gay", "lesbian", "transgender", "trans", "black",
    "white", "african", "chinese", "musalman", "मुसलमान", "हिंदू", "दलित",
)
_TERMS = re.compile(r"(?i)(?<!\w)(" + "|".join(sorted(map(re.escape, IDENTITY_TERMS), key=len, reverse=True)) + r")s?(?!\w)")
TOP_TERMS = 20


@dataclass
class Tally:
    """Counts for one clause or one language."""

    held: int = 0
    upheld: int = 0
    missed: int = 0
    decisions: int = 0

    @property
    def precision(self) -> float | None:
        return round(self.upheld / self.held, 4) if self.held else None

    @property
    def recall_estimate(self) -> float | None:
        """Upheld holds over upheld holds plus misses: the share of the removals the policy caught."""
        found = self.upheld + self.missed
        return round(self.upheld / found, 4) if found else None


@dataclass
class Agreement:
    """The tallies over a window of decisions."""

    site: str | None
    since: datetime | None
    until: datetime | None = None
    decisions: int = 0
    clauses: dict[str, Tally] = field(default_factory=dict)
    languages: dict[str, Tally] = field(default_factory=dict)
    term_held: Counter[str] = field(default_factory=Counter)
    term_approved: Counter[str] = field(default_factory=Counter)
    #: Every registered site's name (for a page's site filter); not part of the report.
    sites: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The report as `flask moderation agreement --json` prints it."""
        terms = sorted(self.term_approved, key=lambda t: (-self.term_approved[t], -self.term_held[t], t))[:TOP_TERMS]
        return {
            "window": {"site": self.site, "since": _iso(self.since), "until": _iso(self.until),
                       "decisions": self.decisions},
            "clauses": {cid: {"held": t.held, "upheld": t.upheld, "precision": t.precision, "missed": t.missed,
                              "recall_estimate": t.recall_estimate} for cid, t in sorted(self.clauses.items())},
            "by_language": {lang: {"decisions": t.decisions, "held": t.held, "upheld": t.upheld,
                                   "precision": t.precision, "missed": t.missed}
                            for lang, t in sorted(self.languages.items())},
            "false_hold_terms": [{"term": t, "held": self.term_held[t], "approved": self.term_approved[t],
                                  "approved_share": round(self.term_approved[t] / self.term_held[t], 4)}
                                 for t in terms if self.term_approved[t]],
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def identity_terms(text: str) -> set[str]:
    """The identity terms a text names (lower case, singular)."""
    return {m.group(1).lower() for m in _TERMS.finditer(text)}


def _verdict(item: LabelledDecision) -> tuple[bool, str] | None:
    """(removed, reason) for a decision that judges the text: an escalation waits for its legal outcome."""
    if item.action is DecisionAction.ESCALATE:
        return None
    return item.action is not DecisionAction.APPROVE, item.reason


def tally(items: Iterable[LabelledDecision], clause_ids: Mapping[str, tuple[str, ...]], agreement: Agreement) -> Agreement:
    """Add the decisions to `agreement` (`clause_ids`: site → its policy's clause ids)."""
    for item in items:
        verdict = _verdict(item)
        if verdict is None:
            continue
        removed, reason = verdict
        known = clause_ids.get(item.site, ())
        agreement.decisions += 1
        agreement.until = max(agreement.until or item.decided_at, item.decided_at)
        language = agreement.languages.setdefault(item.language or "unknown", Tally())
        language.decisions += 1
        if item.held_by:
            upheld = [c for c in item.held_by if removed and (reason == c or reason not in known)]
            for clause in item.held_by:
                agreement.clauses.setdefault(clause, Tally()).held += 1
            for clause in upheld:
                agreement.clauses[clause].upheld += 1
            language.held += 1
            language.upheld += 1 if upheld else 0
            for term in identity_terms(item.text):
                agreement.term_held[term] += 1
                agreement.term_approved[term] += 0 if removed else 1
        elif item.missed:
            language.missed += 1
            if reason in known:
                agreement.clauses.setdefault(reason, Tally()).missed += 1
    for site_clauses in clause_ids.values():
        for clause in site_clauses:
            agreement.clauses.setdefault(clause, Tally())
    return agreement


def measure_agreement(session: Session, policies: Mapping[str, Policy], flt: DecisionFilter) -> Agreement:
    """The agreement of the moderators with the policy over the decisions the filter selects."""
    site_policies = site_policy_names(session)
    sites = [flt.site] if flt.site else list(site_policies)
    clause_ids = {s: tuple(c.id for c in policies[site_policies[s]].clauses)
                  for s in sites if site_policies.get(s) in policies}
    agreement = Agreement(flt.site, flt.since, sites=sorted(site_policies))
    return tally(iter_labelled(session, policies, flt), clause_ids, agreement)
