"""Keeping the insights page's daily tallies as decisions and reports are recorded (inside the caller's
transaction), so the page's cost does not grow with the number of comments."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.enums import WAIT_BUCKETS, CommentStatus, DecisionAction, Queue, TallyMetric
from moderation.db.models import Comment, Decision, InsightStoryMonth, InsightTally, Report

_ACTIVE = (Queue.REVIEW, Queue.LEGAL, Queue.REPORTED)
_ARRIVED = {CommentStatus.PUBLISHED: "published", CommentStatus.PENDING: "held", CommentStatus.REJECTED: "rejected"}
_MODERATOR = (DecisionAction.APPROVE, DecisionAction.REJECT, DecisionAction.ESCALATE, DecisionAction.EDIT_APPROVE)
#: The per-story tallies also kept by month (`insight_story_months`).
STORY_METRICS = (TallyMetric.ARTICLE_HELD, TallyMetric.ARTICLE_REPORTS)
_STORY_VALUES = frozenset(m.value for m in STORY_METRICS)

Key = tuple[TallyMetric, str]


def waiting(status: CommentStatus | None, queue: Queue | None) -> bool:
    """Whether a comment in this state waits for a moderator."""
    return status is CommentStatus.PENDING or queue in _ACTIVE


def wait_bucket(minutes: float) -> int:
    """The time-to-decision bucket (its upper bound in minutes) that `minutes` falls in."""
    return WAIT_BUCKETS[min(bisect_left(WAIT_BUCKETS, minutes), len(WAIT_BUCKETS) - 1)]


def decision_counts(comment: Comment, decision: Decision, *, initial: bool) -> Counter[Key]:
    """What one decision adds to the day's tallies (pure: read from the comment and the decision)."""
    out: Counter[Key] = Counter()
    clauses = comment.fired_clauses.split()
    was = False if initial else waiting(decision.from_status, decision.from_queue)
    now = waiting(decision.to_status, decision.to_queue)
    if was != now:
        out[(TallyMetric.BACKLOG, "")] += 1 if now else -1
    if initial:
        out[(TallyMetric.ARRIVED, _ARRIVED.get(decision.to_status, decision.to_status.value))] += 1
        out[(TallyMetric.LANGUAGE, comment.language or "unknown")] += 1
        if decision.to_status is CommentStatus.PENDING:
            out[(TallyMetric.ARTICLE_HELD, str(comment.article_id))] += 1
            for clause in clauses:
                out[(TallyMetric.CLAUSE_HELD, clause)] += 1
    if decision.to_status is CommentStatus.TAKEN_DOWN and decision.from_status is not CommentStatus.TAKEN_DOWN:
        out[(TallyMetric.TAKEN_DOWN, "")] += 1
    if decision.from_queue is Queue.REPORTED and decision.to_queue is not Queue.REPORTED:
        out[(TallyMetric.REPORT_OUTCOME, decision.action.value)] += 1
    if decision.user_id is not None and decision.action in _MODERATOR:
        out[(TallyMetric.DECIDED_BY, str(decision.user_id))] += 1
        minutes = ((decision.created_at or utcnow()) - comment.created_at).total_seconds() / 60
        out[(TallyMetric.WAIT, str(wait_bucket(minutes)))] += 1
        if decision.action is DecisionAction.REJECT:
            for clause in clauses:
                out[(TallyMetric.CLAUSE_UPHELD, clause)] += 1
        elif decision.action in (DecisionAction.APPROVE, DecisionAction.EDIT_APPROVE):
            for clause in clauses:
                out[(TallyMetric.CLAUSE_OVERTURNED, clause)] += 1
    return out


def report_counts(comment: Comment) -> Counter[Key]:
    """What one stored reader report adds."""
    return Counter({(TallyMetric.REPORTS, ""): 1, (TallyMetric.ARTICLE_REPORTS, str(comment.article_id)): 1})


def add(session: Session, site_id: int, day: date, counts: Counter[Key], *, months: bool = True) -> None:
    """Add to the site's tallies for `day`, and to the month's per-story tallies unless `months` is off (one upsert
    per tally, in a fixed order so that concurrent transactions take the rows' locks in the same order)."""
    rows = [{"site_id": site_id, "day": day, "metric": m.value, "key": k[:64], "count": n}
            for (m, k), n in sorted(counts.items()) if n]
    if not rows:
        return
    _upsert(session, InsightTally, "day", rows)
    story_rows = [{**{c: r[c] for c in ("site_id", "metric", "key", "count")}, "month": month_of(day)}
                  for r in rows if r["metric"] in _STORY_VALUES]
    if months and story_rows:
        _upsert(session, InsightStoryMonth, "month", story_rows)


def _upsert(session: Session, model: type[InsightTally] | type[InsightStoryMonth], period: str,
            rows: list[dict[str, object]]) -> None:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(model)
    stmt = stmt.on_conflict_do_update(index_elements=["metric", period, "site_id", "key"],
                                      set_={"count": model.count + stmt.excluded["count"]})
    # One execution for all the rows (executemany, in their order): one round trip rather than one per tally.
    session.execute(stmt, rows)


def month_of(day: date) -> date:
    """The first day of `day`'s month: the key of its monthly tallies."""
    return day.replace(day=1)


def day_of(moment: datetime | None) -> date:
    """The UTC day a tally counts in."""
    return (moment or utcnow()).date()


def rebuild(session: Session, site_id: int, since: date, *, batch: int = 5000) -> int:
    """Recount the site's tallies from `since` (a UTC day) from the decision log and the reports, as recording them
    would have kept them (clause counts use each comment's current clauses); commits. Returns the decisions read."""
    start = datetime.combine(since, time.min, tzinfo=UTC)
    session.execute(sa.delete(InsightTally).where(InsightTally.site_id == site_id, InsightTally.day >= since))
    read, after = 0, 0
    while True:
        rows = session.execute(
            sa.select(Decision, Comment).join(Comment, Comment.id == Decision.comment_id)
            .where(Comment.site_id == site_id, Decision.created_at >= start, Decision.id > after)
            .order_by(Decision.id).limit(batch)
        ).all()
        if not rows:
            break
        by_day: dict[date, Counter[Key]] = {}
        for decision, comment in rows:
            counts = decision_counts(comment, decision, initial=decision.from_status is None)
            by_day.setdefault(day_of(decision.created_at), Counter()).update(counts)
        for day, counts in sorted(by_day.items()):
            add(session, site_id, day, counts, months=False)
        read += len(rows)
        after = rows[-1][0].id
        session.expunge_all()
    reports = session.execute(
        sa.select(Report.created_at, Comment.article_id).join(Comment, Comment.id == Report.comment_id)
        .where(Comment.site_id == site_id, Report.created_at >= start)
    ).all()
    by_report_day: dict[date, Counter[Key]] = {}
    for created_at, article_id in reports:
        by_report_day.setdefault(day_of(created_at), Counter()).update(
            {(TallyMetric.REPORTS, ""): 1, (TallyMetric.ARTICLE_REPORTS, str(article_id)): 1})
    for day, counts in sorted(by_report_day.items()):
        add(session, site_id, day, counts, months=False)
    _resum_months(session, site_id, since)
    session.commit()
    return read


def _resum_months(session: Session, site_id: int, since: date) -> None:
    """Sum the site's monthly per-story tallies again from the daily ones, from `since`'s month on (its days before
    `since` were kept, not recounted)."""
    first = month_of(since)
    session.execute(sa.delete(InsightStoryMonth).where(InsightStoryMonth.site_id == site_id,
                                                       InsightStoryMonth.month >= first))
    sums: Counter[tuple[str, date, str]] = Counter()
    for metric, day, key, count in session.execute(
            sa.select(InsightTally.metric, InsightTally.day, InsightTally.key, InsightTally.count)
            .where(InsightTally.metric.in_(_STORY_VALUES), InsightTally.site_id == site_id, InsightTally.day >= first)):
        sums[(metric, month_of(day), key)] += count
    rows = [{"metric": m, "month": month, "site_id": site_id, "key": k, "count": n}
            for (m, month, k), n in sorted(sums.items()) if n]
    for start in range(0, len(rows), 5000):
        session.execute(sa.insert(InsightStoryMonth), rows[start:start + 5000])
