"""A simulated newsroom whose moderators follow a written rule that disagrees with the default policy on one
clause, to show what calibration from their decisions does (docs/model.md, "Calibration from decisions").

The rule: a comment is a personal attack only when the model's personal_attack score is at least RULE_CUT
(the default policy holds from 0.5). Every comment the policy holds is decided by the rule, with NOISE of the
decisions going the other way; one published comment in SPOT_CHECK is spot-checked and decided the same way.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.enums import CommentStatus, DecisionAction, Queue, UserRole
from moderation.db.models import Article, Author, Comment, Decision, Score, Site, User
from moderation.policy.model import Policy
from moderation.services.learning.calibrate import calibrate_site

RULE_CUT = 0.75
NOISE = 0.05
SPOT_CHECK = 10
CLAUSE, LABEL = "personal_attack", "personal_attack"
NO_SIGN_IN = "!"


def seed_newsroom(engine: Engine, count: int, policy: Policy, *, seed: int = 7) -> str:
    """`count` scored comments over 30 days on one site, decided by the policy and then by the rule; the site's
    name."""
    rnd = random.Random(seed)
    now = utcnow()
    threshold = next(ls.review for ls in policy.clause(CLAUSE).labels if ls.label == LABEL)
    with Session(engine) as session:
        site = Site(name=f"simulated-{rnd.getrandbits(32):08x}", domains=[], policy_name=policy.name)
        article = Article(site=site, external_id="a", url="https://example.in/a", title="Simulated")
        author = Author(site=site, external_id="u", display_name="Reader")
        # No password hash a sign-in could match: the account only signs the simulated decisions.
        moderator = User(email=f"rule-{site.name}@example.in", password_hash=NO_SIGN_IN, role=UserRole.MODERATOR)
        session.add_all([site, article, author, moderator])
        session.flush()
        for i in range(count):
            created = now - timedelta(seconds=(count - i) * 30 * 86400 / count)
            score = round(rnd.random(), 4)
            held = score >= threshold
            comment = Comment(site=site, external_id=f"c{i}", article=article, author=author,
                              text=f"simulated comment {i}", request_sha256="0" * 64,
                              status=CommentStatus.PENDING if held else CommentStatus.PUBLISHED,
                              queue=Queue.REVIEW if held else None, hidden=held, scored=True, language="en",
                              created_at=created, updated_at=created)
            clauses = [{"clause": CLAUSE, "action": "review", "score": score, "reason": "", "kind": "harm"}] if held else []
            session.add_all([
                comment,
                Score(comment=comment, model_name="simulated", model_version="1", policy_name=policy.name,
                      policy_version=policy.version, label_scores={LABEL: score}, clauses=clauses,
                      action="review" if held else "publish", lane="review" if held else None, language="en",
                      created_at=created),
                Decision(comment=comment, actor="system", action=DecisionAction.HOLD if held else DecisionAction.PUBLISH,
                         to_status=comment.status, created_at=created),
            ])
            if held or rnd.randrange(SPOT_CHECK) == 0:
                attack = (score >= RULE_CUT) != (rnd.random() < NOISE)
                session.add(Decision(
                    comment=comment, actor=f"user:{moderator.id}", user_id=moderator.id,
                    action=DecisionAction.REJECT if attack else DecisionAction.APPROVE,
                    reason=CLAUSE if attack else "", from_status=comment.status,
                    to_status=CommentStatus.REJECTED if attack else CommentStatus.PUBLISHED,
                    created_at=created + timedelta(minutes=30)))
            if i % 1000 == 999:
                session.flush()
        session.commit()
        return site.name


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
