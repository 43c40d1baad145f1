"""Timing the moderator queue on a large backlog: a list page, a filtered page, and a comment's place in its list."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from moderation.benchmarks.timing import best_ms
from moderation.db.base import utcnow
from moderation.db.enums import CommentStatus, Queue
from moderation.db.models import Article, Author, Comment, Site
from moderation.enums import Action, Lane
from moderation.policy.model import ClauseResult, Named, Outcome
from moderation.services.comments.outcome_store import store_score
from moderation.services.queue.lists import Filters, QueueName, list_queue, place_in_list

_CLAUSES = ("obscene", "personal_attack", "inflammatory", "outside_links")


def seed_backlog(engine: Engine, count: int, *, seed: int = 1) -> None:
    """`count` scored comments pending review on one site, each with one fired clause of a random score."""
    rnd = random.Random(seed)
    now = utcnow()
    with Session(engine) as session:
        site = Site(name=f"bench-{rnd.getrandbits(32):08x}", domains=[], policy_name="default")
        article = Article(site=site, external_id="a", url="https://example.in/a", title="Backlog")
        author = Author(site=site, external_id="u", display_name="Reader")
        session.add_all([site, article, author])
        session.flush()
        for first in range(0, count, 1000):
            for i in range(first, min(count, first + 1000)):
                clause = ClauseResult(rnd.choice(_CLAUSES), Action.REVIEW, rnd.random(), "held")
                created = now - timedelta(seconds=count - i)
                comment = Comment(site_id=site.id, external_id=f"c{i}", article_id=article.id, author_id=author.id,
                                  text=f"backlog comment {i} " * 8, request_sha256="0" * 64, status=CommentStatus.PENDING,
                                  queue=Queue.REVIEW, hidden=True, scored=True, created_at=created, updated_at=created)
                session.add(comment)
                store_score(session, comment, Outcome(Action.REVIEW, Lane.REVIEW, (clause,), {}, "en",
                                                      Named("bench", "1"), Named("default", "1")))
            session.commit()


def time_queue(engine: Engine, *, repeats: int = 5) -> dict[str, float]:
    """Best-of-`repeats` milliseconds for the pending queue's first page (risk order, then filtered by a clause)
    and for the place (Previous/Next) of the comment in the middle of it."""
    with Session(engine) as session:
        middle = session.scalar(
            sa.select(Comment.id).where(Comment.queue == Queue.REVIEW).order_by(Comment.id)
            .offset(session.scalar(sa.select(sa.func.count(Comment.id))) // 2).limit(1)
        )
        pending = QueueName.PENDING
        return {
            "page_ms": best_ms(lambda: list_queue(session, pending, Filters(), user_id=0), repeats),
            "filtered_page_ms": best_ms(
                lambda: list_queue(session, pending, Filters(clause="obscene"), user_id=0), repeats),
            "place_ms": best_ms(lambda: place_in_list(session, middle, pending, Filters()), repeats),
        }
