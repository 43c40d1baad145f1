"""A simulated newsroom: scored comments spread over past days on one site, each held one decided by the
moderators' written rule and one published comment in `spot_check` decided the same way (the spot-check queue).
Shared by the calibration benchmark (synthetic scores) and the decisions round (real texts and outcomes)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from moderation.db.enums import CommentStatus, DecisionAction, Queue, UserRole
from moderation.db.models import Article, Author, Comment, Decision, Score, Site, User
from moderation.policy.model import Policy

NO_SIGN_IN = "!"


@dataclass(frozen=True)
class Simulated:
    """One comment as the policy scored it, and whether the site's moderators remove it for `clause`."""

    text: str
    created_at: datetime
    label_scores: dict[str, float]
    #: The policy's clause results that held it (empty: published), as `ClauseResult.to_dict` stores them.
    clauses: list[dict[str, Any]] = field(default_factory=list)
    removed: bool = False


def seed_site(engine: Engine, policy: Policy, comments: Iterable[Simulated], *, clause: str, spot_check: int,
              rnd: random.Random, decide: Callable[[Simulated], bool] | None = None) -> str:
    """The comments on a new site of their own, decided as the module says (by `decide`, when given, instead of
    each comment's `removed`, called only for the comments a moderator sees); the site's name."""
    with Session(engine) as session:
        site = Site(name=f"simulated-{rnd.getrandbits(32):08x}", domains=[], policy_name=policy.name)
        article = Article(site=site, external_id="a", url="https://example.in/a", title="Simulated")
        author = Author(site=site, external_id="u", display_name="Reader")
        # No password hash a sign-in could match: the account only signs the simulated decisions.
        moderator = User(email=f"rule-{site.name}@example.in", password_hash=NO_SIGN_IN, role=UserRole.MODERATOR)
        session.add_all([site, article, author, moderator])
        session.flush()
        for i, item in enumerate(comments):
            held = bool(item.clauses)
            created = item.created_at
            comment = Comment(site=site, external_id=f"c{i}", article=article, author=author, text=item.text,
                              request_sha256="0" * 64,
                              status=CommentStatus.PENDING if held else CommentStatus.PUBLISHED,
                              queue=Queue.REVIEW if held else None, hidden=held, scored=True, language="en",
                              created_at=created, updated_at=created)
            session.add_all([
                comment,
                Score(comment=comment, model_name="simulated", model_version="1", policy_name=policy.name,
                      policy_version=policy.version, label_scores=item.label_scores, clauses=item.clauses,
                      action="review" if held else "publish", lane="review" if held else None, language="en",
                      created_at=created),
                Decision(comment=comment, actor="system", action=DecisionAction.HOLD if held else DecisionAction.PUBLISH,
                         to_status=comment.status, created_at=created),
            ])
            if held or rnd.randrange(spot_check) == 0:
                removed = decide(item) if decide else item.removed
                session.add(Decision(
                    comment=comment, actor=f"user:{moderator.id}", user_id=moderator.id,
                    action=DecisionAction.REJECT if removed else DecisionAction.APPROVE,
                    reason=clause if removed else "", from_status=comment.status,
                    to_status=CommentStatus.REJECTED if removed else CommentStatus.PUBLISHED,
                    created_at=created + timedelta(minutes=30)))
            if i % 1000 == 999:
                session.flush()
        session.commit()
        return site.name
