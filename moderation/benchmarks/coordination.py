"""Timing the grouping of coordinated comments: a period of stored comments, some of them campaigns of
near-identical copies, fingerprinted and grouped in one pass."""

from __future__ import annotations

import itertools
import random
import time
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.enums import CommentStatus
from moderation.db.models import Article, Author, Comment, Site
from moderation.services.comments.coordination import group_stored

_SYLLABLES = ("ka", "ri", "to", "man", "sa", "pe", "lo", "vin", "dra", "mu", "ne", "shi", "ta", "gor", "bi",
              "ha", "ja", "ro", "ki", "len", "di", "pra", "su", "ve", "no", "mi", "char", "at", "ul", "en")


def _vocabulary(rnd: random.Random, size: int = 20_000) -> list[str]:
    """Made-up words, so readers' comments share about as little wording as real ones do."""
    return ["".join(rnd.choices(_SYLLABLES, k=rnd.randint(1, 4))) for _ in range(size)]


_EDITS = ("", "!!", " Share this.", " Jai hind.", " Wake up people.", " #truth")
_BATCH = 10_000


def _reader_text(rnd: random.Random, words: list[str], cumulative: list[float]) -> str:
    return " ".join(rnd.choices(words, cum_weights=cumulative, k=rnd.randint(12, 40))).capitalize() + "."


def seed_period(engine: Engine, count: int, *, campaigns: int = 25, copies: int = 200, seed: int = 1) -> int:
    """`count` comments posted over the last day on one site (bulk inserts): `campaigns` campaigns of `copies`
    near-identical comments each (a word changed, an ending added), each posted within half an hour, the rest
    readers' own words. Returns the site id."""
    rnd = random.Random(seed)
    words = _vocabulary(rnd)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))  # Zipf: a few in every comment
    now = utcnow()
    with Session(engine) as session:
        site = Site(name=f"bench-{rnd.getrandbits(32):08x}", domains=[], policy_name="default")
        session.add(site)
        session.flush()
        articles = [Article(site_id=site.id, external_id=f"a{i}", url=f"https://example.in/a{i}", title=f"Story {i}")
                    for i in range(50)]
        authors = [Author(site_id=site.id, external_id=f"u{i}", display_name=f"Reader {i}") for i in range(2000)]
        session.add_all([*articles, *authors])
        session.flush()
        article_ids, author_ids = [a.id for a in articles], [a.id for a in authors]
        bases = [_reader_text(rnd, words, weights) for _ in range(campaigns)]
        copied = {rnd.randrange(count): rnd.randrange(campaigns) for _ in range(campaigns * copies)}
        # Each campaign posts its copies within half an hour, at some time of the day.
        bursts = [now - timedelta(minutes=rnd.randint(40, 23 * 60)) for _ in range(campaigns)]
        rows: list[dict[str, Any]] = []
        comments = Comment.__table__
        for i in range(count):
            if i in copied:
                copy = bases[copied[i]].split()
                copy[rnd.randrange(len(copy))] = rnd.choice(words)
                text = " ".join(copy) + rnd.choice(_EDITS)
            else:
                text = _reader_text(rnd, words, weights)
            created = now - timedelta(seconds=(count - i) * 86_400 / count)
            if i in copied:
                created = bursts[copied[i]] + timedelta(seconds=rnd.randint(0, 1800))
            rows.append({
                "site_id": site.id, "external_id": f"c{i}", "article_id": rnd.choice(article_ids),
                "author_id": rnd.choice(author_ids), "text": text, "request_sha256": "0" * 64, "revision": 1,
                "status": CommentStatus.PUBLISHED, "queue": None, "hidden": False, "scored": True, "report_count": 0,
                "risk_rank": -1, "risk_score": 0.0, "fired_clauses": "", "language": "en",
                "created_at": created, "updated_at": created,
            })
            if len(rows) == _BATCH:
                session.execute(comments.insert(), rows)
                rows = []
        if rows:
            session.execute(comments.insert(), rows)
        session.commit()
        return site.id


def time_grouping(engine: Engine, site_id: int, *, window: timedelta = timedelta(hours=1)) -> dict[str, Any]:
    """Seconds to fingerprint and group the site's last day of comments, and what it found."""
    now = utcnow()
    with Session(engine) as session:
        start = time.perf_counter()
        run = group_stored(session, site_id, now - timedelta(days=2), now + timedelta(minutes=1), window)
        seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 1), "comments": run.comments, "groups": run.groups, "grouped": run.grouped,
            "largest": max(run.sizes, default=0)}
