"""Timing policy replay on a large history: seed scored, decided comments, then replay them under a policy."""

from __future__ import annotations

import random
import resource
import time
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.enums import CommentStatus, DecisionAction, Queue
from moderation.db.models import Article, Author, Comment, Decision, Score, Site
from moderation.policy.model import Policy
from moderation.services.learning.replay import ReplayFilter, replay_policy

#: Comment shapes the detectors treat differently: plain English, Hinglish, Devanagari, links, insult words.
_TEXTS = (
    "Thoughtful piece on the monsoon session number {i}, thank you for the reporting.",
    "Bahut accha article hai {i}, sarkar ko yeh padhna chahiye",
    "यह लेख {i} बहुत अच्छा है, धन्यवाद",
    "Full data for ward {i} is at https://example.com/wards/{i} if anyone wants it",
    "What an idiot take on budget item {i}, the minister never reads these",
    "The opposition will fight clause {i} of this bill in committee and in the streets",
)
_LABELS = ("toxicity", "insult", "obscene", "threat", "identity_attack", "severe_toxicity", "personal_attack",
           "inflammatory", "violent_threat", "defamation_risk", "obscenity")
_CHUNK = 5000


def seed_history(engine: Engine, count: int, *, seed: int = 1) -> str:
    """`count` scored comments on one site over 30 days, each with its automatic decision and one in ten with a
    moderator's; returns the site's name."""
    rnd = random.Random(seed)
    now = utcnow()
    with Session(engine) as session:
        site = Site(name=f"bench-{rnd.getrandbits(32):08x}", domains=["dailychronicle.in"], policy_name="default")
        article = Article(site=site, external_id="a", url="https://example.in/a", title="History")
        authors = [Author(site=site, external_id=f"u{i}", display_name="Reader") for i in range(200)]
        session.add_all([site, article, *authors])
        session.commit()
        site_id, article_id, author_ids, name = site.id, article.id, [a.id for a in authors], site.name
    with engine.begin() as conn:
        for first in range(0, count, _CHUNK):
            ids = range(first + 1, min(count, first + _CHUNK) + 1)
            comments, scores, decisions = [], [], []
            for i in ids:
                created = now - timedelta(seconds=(count - i) * 30 * 86400 / count)
                risky = rnd.random() < 0.3
                held = risky and rnd.random() < 0.6
                status = CommentStatus.PENDING if held else CommentStatus.PUBLISHED
                comments.append({"id": i, "site_id": site_id, "external_id": f"c{i}", "article_id": article_id,
                                 "author_id": rnd.choice(author_ids), "text": rnd.choice(_TEXTS).format(i=i),
                                 "request_sha256": "0" * 64, "revision": 1, "status": status,
                                 "queue": Queue.REVIEW if held else None, "hidden": held, "scored": True,
                                 "created_at": created, "updated_at": created})
                label_scores = {label: round(rnd.random() * (0.9 if risky else 0.3), 4) for label in _LABELS}
                scores.append({"comment_id": i, "revision": 1, "model_name": "bench", "model_version": "1",
                               "policy_name": "default", "policy_version": "1", "label_scores": label_scores,
                               "clauses": [], "holds": [], "action": "review" if held else "publish",
                               "lane": "review" if held else None, "language": "en", "created_at": created})
                decisions.append({"comment_id": i, "actor": "system", "reason": "",
                                  "action": DecisionAction.HOLD if held else DecisionAction.PUBLISH,
                                  "to_status": status, "created_at": created})
                if held and rnd.random() < 0.5:
                    verdict = rnd.choice((DecisionAction.APPROVE, DecisionAction.REJECT))
                    decisions.append({"comment_id": i, "actor": "user:1", "reason": "personal_attack",
                                      "action": verdict, "from_status": status,
                                      "to_status": CommentStatus.PUBLISHED if verdict is DecisionAction.APPROVE
                                      else CommentStatus.REJECTED, "created_at": created + timedelta(hours=1)})
            conn.execute(sa.insert(Comment), comments)
            conn.execute(sa.insert(Score), scores)
            conn.execute(sa.insert(Decision), decisions)
    return name


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def time_replay(engine: Engine, site: str, candidate: Policy, policies: dict[str, Policy], *,
                batch: int = 1000) -> dict[str, Any]:
    """Seconds and memory for one replay of the site's comments under `candidate`."""
    with Session(engine) as session:
        before = _rss_mb()
        start = time.perf_counter()
        report = replay_policy(session, candidate, policies, ReplayFilter(site), batch=batch)
        seconds = time.perf_counter() - start
    return {"replayed": report.comments, "seconds": round(seconds, 1),
            "comments_per_second": round(report.comments / seconds), "rss_before_mb": before,
            "rss_after_mb": _rss_mb(), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "changed": sum(report.changes.values())}
