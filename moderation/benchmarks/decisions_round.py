"""A training round with a site's moderator decisions, measured on the site's later comments (docs/model.md,
"Learning the line").

Real comments (one source's validation rows of a labelled file: never trained on by the encoder or the heads)
are spread over 30 days on a simulated site whose moderators draw the line where that source's annotators did on
one label (Civil Comments' `insult`: a personal attack), which the default policy draws elsewhere. The first
EARLIER_DAYS are scored, held and decided as a newsroom would (every held comment, one published comment in
SPOT_CHECK), and their decisions exported as `flask moderation export-decisions` writes them. The later days are
the check: each comment scored by the policy before and after a round that learns from those decisions, against
what the moderators would decide.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from moderation.benchmarks.newsroom_sim import Simulated, seed_site
from moderation.db.base import utcnow
from moderation.enums import Action
from moderation.policy.model import Outcome, Policy
from moderation.scoring.clauses import CLAUSE_LABELS
from moderation.scoring.dataset import LabelledComment, hash_percentile
from moderation.services.learning.decisions import DecisionFilter
from moderation.services.learning.export import export_rows

DAYS = 30
EARLIER_DAYS = 20
SPOT_CHECK = 10


@dataclass(frozen=True)
class SiteComment:
    text: str
    day: int
    #: The moderators' verdict for the clause: the source's annotators' majority on the label.
    removed: bool


def site_comments(rows: Sequence[LabelledComment], source: str, label: str) -> list[SiteComment]:
    """The source's rows that say yes or no about `label`, each given a day by a hash of its id, oldest first."""
    picked = [SiteComment(r.text, int(hash_percentile(r.id, part=2) * DAYS / 100), bool(r.labels[label]))
              for r in rows if r.source == source and r.labels.get(label) is not None]
    return sorted(picked, key=lambda c: c.day)


def held_for(outcome: Outcome, clause: str) -> bool:
    """Whether the policy held or rejected the comment for `clause`."""
    return any(c.clause == clause and c.action is not Action.PUBLISH for c in outcome.clauses)


def seed_and_export(engine: Engine, policy: Policy, comments: Sequence[SiteComment], outcomes: Sequence[Outcome],
                    clause: str, out: Path, *, seed: int = 7) -> int:
    """The comments on a simulated site, decided by the moderators' line, and their decisions exported to `out`
    (JSON Lines, the export command's rows); how many were exported."""
    start = utcnow() - timedelta(days=DAYS)
    simulated = [Simulated(c.text, start + timedelta(days=c.day, minutes=i % 1440), dict(o.scores),
                           [r.to_dict() for r in o.clauses if r.action is not Action.PUBLISH], c.removed)
                 for i, (c, o) in enumerate(zip(comments, outcomes, strict=True))]
    site = seed_site(engine, policy, simulated, clause=clause, spot_check=SPOT_CHECK, rnd=random.Random(seed))
    count = 0
    with Session(engine) as session, out.open("w", encoding="utf-8") as handle:
        for row in export_rows(session, {policy.name: policy}, DecisionFilter(site=site), CLAUSE_LABELS):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def agreement(comments: Sequence[SiteComment], outcomes: Sequence[Outcome], clause: str) -> dict[str, Any]:
    """How the policy's holds for `clause` agree with the moderators' removals over the comments."""
    held = [held_for(o, clause) for o in outcomes]
    removed = [c.removed for c in comments]
    both = sum(h and r for h, r in zip(held, removed, strict=True))
    return {
        "comments": len(comments), "removed": sum(removed), "held": sum(held),
        "agreement": round(sum(h == r for h, r in zip(held, removed, strict=True)) / max(len(comments), 1), 4),
        "precision": round(both / sum(held), 4) if sum(held) else None,
        "recall": round(both / sum(removed), 4) if sum(removed) else None,
    }
