"""A simulated newsroom whose moderators follow a written rule that disagrees with the default policy on one
clause, to show what calibration from their decisions does (docs/model.md, "Calibration from decisions").

The rule: a comment is a personal attack only when the model's personal_attack score is at least RULE_CUT
(the default policy holds from 0.5). Every comment the policy holds is decided by the rule, with NOISE of the
decisions going the other way; one published comment in SPOT_CHECK is spot-checked and decided the same way.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from moderation.benchmarks.newsroom_sim import Simulated, seed_site
from moderation.db.base import utcnow
from moderation.policy.model import Policy
from moderation.services.learning.calibrate import calibrate_site

RULE_CUT = 0.75
NOISE = 0.05
SPOT_CHECK = 10
CLAUSE, LABEL = "personal_attack", "personal_attack"


def seed_newsroom(engine: Engine, count: int, policy: Policy, *, seed: int = 7) -> str:
    """`count` scored comments over 30 days on one site, decided by the policy and then by the rule; the site's
    name."""
    rnd = random.Random(seed)
    now = utcnow()
    threshold = next(ls.review for ls in policy.clause(CLAUSE).labels if ls.label == LABEL)

    def comments() -> Iterator[Simulated]:  # drawn one at a time: the seeder's own draws come between them
        for i in range(count):
            score = round(rnd.random(), 4)
            clauses = [{"clause": CLAUSE, "action": "review", "score": score, "reason": "", "kind": "harm"}]
            yield Simulated(f"simulated comment {i}", now - timedelta(seconds=(count - i) * 30 * 86400 / count),
                            {LABEL: score}, clauses if score >= threshold else [])

    def rule(item: Simulated) -> bool:
        return (item.label_scores[LABEL] >= RULE_CUT) != (rnd.random() < NOISE)

    return seed_site(engine, policy, comments(), clause=CLAUSE, spot_check=SPOT_CHECK, rnd=rnd, decide=rule)


def simulate(engine: Engine, count: int, policy: Policy) -> dict[str, Any]:
    """Seed the newsroom and calibrate on it: the clause's figures on the held-out decisions, before and after."""
    site = seed_newsroom(engine, count, policy)
    with Session(engine) as session:
        run = calibrate_site(session, policy, site, precision=0.9)
    fit = next(f for f in run.fits if f.label == LABEL)
    advice = next((a for a in run.advice if a.label == LABEL), None)
    return {
        "comments": count, "rule_cut": RULE_CUT, "noise": NOISE, "label": LABEL, "policy_threshold": fit.threshold,
        "fitted_on": fit.fitted, "held_out": fit.held_out, "skipped": fit.skipped,
        "curve": {"a": round(fit.curve.a, 3), "b": round(fit.curve.b, 3)} if fit.curve else None,
        "before": fit.before.to_dict() if fit.before else None, "after": fit.after.to_dict() if fit.after else None,
        "advice_precision_0.9": {"threshold": advice.threshold, "precision": advice.precision,
                                 "recall": advice.recall, "held_per_day": advice.held_per_day} if advice else None,
    }
