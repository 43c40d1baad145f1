"""Timing the insights page on a large store: a year of comments on two sites, with the daily and monthly tallies
that recording them would have kept."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from moderation.benchmarks.timing import best_ms
from moderation.db.base import utcnow
from moderation.db.enums import CommentStatus, DecisionAction, Queue, TallyMetric, UserRole
from moderation.db.models import Article, Author, Comment, InsightStoryMonth, InsightTally, Site, User
from moderation.services.comments.tallies import STORY_METRICS, month_of, wait_bucket
from moderation.services.insights.charts import draw
from moderation.services.insights.figures import Scope, gather

_BATCH = 20_000
_CLAUSES = ("obscene", "personal_attack", "inflammatory", "outside_links", "threats", "defamatory")
_LANGUAGES = ("en", "en", "en", "hi-latn", "hi-deva", "other")
_STORY_VALUES = frozenset(m.value for m in STORY_METRICS)


def seed_store(engine: Engine, count: int, *, days: int = 365, pending: int = 2000, seed: int = 1) -> None:
    """`count` comments over `days` on two sites (bulk inserts; the last `pending` still waiting), and the tallies
    that recording their decisions and reports keeps."""
    rnd = random.Random(seed)
    now = utcnow()
    tallies: Counter[tuple[int, date, str, str]] = Counter()
    with Session(engine) as session:
        sites = [Site(name=f"bench-{i}-{rnd.getrandbits(24):06x}", domains=[], policy_name="default") for i in range(2)]
        # Accounts with no usable password hash: they only own decisions.
        users = [User(email=f"moderator{i}@bench.example", password_hash="!", role=UserRole.MODERATOR)  # noqa: S106
                 for i in range(8)]
        session.add_all([*sites, *users])
        session.flush()
        articles = [Article(site_id=sites[i % 2].id, external_id=f"a{i}", url=f"https://example.in/a{i}",
                            title=f"Story {i}") for i in range(2000)]
        authors = [Author(site_id=sites[i % 2].id, external_id=f"u{i}", display_name=f"Reader {i}")
                   for i in range(5000)]
        session.add_all([*articles, *authors])
        session.flush()
        by_site = {s.id: ([a.id for a in articles if a.site_id == s.id], [a.id for a in authors if a.site_id == s.id])
                   for s in sites}
        table, rows = Comment.__table__, list[dict[str, Any]]()
        for i in range(count):
            site_id = sites[i % 2].id
            article_ids, author_ids = by_site[site_id]
            created = now - timedelta(seconds=(count - i) * days * 86_400 / count)
            day, article = created.date(), rnd.choice(article_ids)
            language = rnd.choice(_LANGUAGES)
            roll = rnd.random()
            status, queue, clause = CommentStatus.PUBLISHED, None, ""
            tallies[(site_id, day, TallyMetric.LANGUAGE.value, language)] += 1
            if i >= count - pending:
                status, queue, clause = CommentStatus.PENDING, Queue.REVIEW, rnd.choice(_CLAUSES)
                _held(tallies, site_id, day, article, clause)
            elif roll < 0.12:  # held, then decided by a moderator
                clause = rnd.choice(_CLAUSES)
                _held(tallies, site_id, day, article, clause)
                upheld = rnd.random() < 0.6
                status = CommentStatus.REJECTED if upheld else CommentStatus.PUBLISHED
                minutes = rnd.expovariate(1 / 45)
                decided = (created + timedelta(minutes=minutes)).date()
                tallies[(site_id, decided, TallyMetric.BACKLOG.value, "")] -= 1
                tallies[(site_id, decided, TallyMetric.DECIDED_BY.value, str(rnd.choice(users).id))] += 1
                tallies[(site_id, decided, TallyMetric.WAIT.value, str(wait_bucket(minutes)))] += 1
                metric = TallyMetric.CLAUSE_UPHELD if upheld else TallyMetric.CLAUSE_OVERTURNED
                tallies[(site_id, decided, metric.value, clause)] += 1
            elif roll < 0.2:
                status = CommentStatus.REJECTED
                tallies[(site_id, day, TallyMetric.ARRIVED.value, "rejected")] += 1
            else:
                tallies[(site_id, day, TallyMetric.ARRIVED.value, "published")] += 1
            if status is CommentStatus.PUBLISHED and rnd.random() < 0.03:
                tallies[(site_id, day, TallyMetric.REPORTS.value, "")] += 1
                tallies[(site_id, day, TallyMetric.ARTICLE_REPORTS.value, str(article))] += 1
                tallies[(site_id, day, TallyMetric.REPORT_OUTCOME.value, rnd.choice(
                    (DecisionAction.APPROVE.value, DecisionAction.REJECT.value)))] += 1
            rows.append({
                "site_id": site_id, "external_id": f"c{i}", "article_id": article, "author_id": rnd.choice(author_ids),
                "text": f"comment {i}", "request_sha256": "0" * 64, "revision": 1, "status": status, "queue": queue,
                "hidden": status is not CommentStatus.PUBLISHED, "scored": True, "report_count": 0,
                "risk_rank": -1, "risk_score": 0.0, "fired_clauses": f" {clause} " if clause else "",
                "language": language, "created_at": created, "updated_at": created,
            })
            if len(rows) == _BATCH:
                session.execute(table.insert(), rows)
                rows = []
        if rows:
            session.execute(table.insert(), rows)
        tally_rows = [{"site_id": s, "day": d, "metric": m, "key": k, "count": n}
                      for (s, d, m, k), n in tallies.items() if n]
        for start in range(0, len(tally_rows), _BATCH):
            session.execute(InsightTally.__table__.insert(), tally_rows[start:start + _BATCH])
        months: Counter[tuple[int, date, str, str]] = Counter()
        for (s, d, m, k), n in tallies.items():
            if m in _STORY_VALUES:
                months[(s, month_of(d), m, k)] += n
        month_rows = [{"site_id": s, "month": d, "metric": m, "key": k, "count": n}
                      for (s, d, m, k), n in months.items() if n]
        for start in range(0, len(month_rows), _BATCH):
            session.execute(InsightStoryMonth.__table__.insert(), month_rows[start:start + _BATCH])
        session.commit()


def _held(tallies: Counter[tuple[int, date, str, str]], site_id: int, day: date, article: int, clause: str) -> None:
    tallies[(site_id, day, TallyMetric.ARRIVED.value, "held")] += 1
    tallies[(site_id, day, TallyMetric.BACKLOG.value, "")] += 1
    tallies[(site_id, day, TallyMetric.ARTICLE_HELD.value, str(article))] += 1
    tallies[(site_id, day, TallyMetric.CLAUSE_HELD.value, clause)] += 1


def time_insights(engine: Engine, render: Callable[[Any], str], *, repeats: int = 5) -> dict[str, float]:
    """Best-of-`repeats` milliseconds for the page's figures and charts (`render` draws one chart as the page
    does): the last 30 days of every site, of one site, and a whole year of every site and of one."""
    today = utcnow().date()
    with Session(engine) as session:
        site_id = session.scalar(Site.__table__.select().with_only_columns(Site.__table__.c.id).limit(1))
        month = Scope(today - timedelta(days=29), today)

        def page(scope: Scope) -> str:
            session.rollback()  # each page is its own read, as each request is
            return "".join(render(draw(t)) for t in gather(session, scope).tables)

        return {
            "month_ms": best_ms(lambda: page(month), repeats),
            "month_site_ms": best_ms(lambda: page(Scope(month.start, today, site_id)), repeats),
            "year_ms": best_ms(lambda: page(Scope(today - timedelta(days=364), today)), repeats),
            "year_site_ms": best_ms(lambda: page(Scope(today - timedelta(days=364), today, site_id)), repeats),
        }
