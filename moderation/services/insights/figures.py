"""The insights page's figures, read from the daily tallies (`insight_tallies`), the monthly per-story ones
(`insight_story_months`) and two indexed lookups, so the page costs the same with a thousand comments or millions."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.enums import WAIT_BUCKETS, CommentStatus, DecisionAction, Queue, TallyMetric
from moderation.db.models import Article, Comment, InsightStoryMonth, InsightTally, Site, User

#: The stories listed by held comments and reports.
TOP_STORIES = 10
#: Tallies with a key per story: many per day, so they are summed and ranked in SQL.
_ARTICLE_METRICS = (TallyMetric.ARTICLE_HELD, TallyMetric.ARTICLE_REPORTS)
#: Tallies drawn day by day; the rest are summed over the range.
_DAILY = (TallyMetric.ARRIVED, TallyMetric.TAKEN_DOWN, TallyMetric.BACKLOG)


@dataclass(frozen=True)
class Scope:
    """Which figures: a date range (UTC days, both included), a site or all, and whose (an editor sees everyone's;
    a moderator only their own)."""

    start: date
    end: date
    site_id: int | None = None
    user_id: int | None = None
    editor: bool = True

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class Table:
    """One chart's data: its id (also the CSV's name), title, how to draw it, column headings and rows (the first
    column labels the row)."""

    id: str
    title: str
    kind: str  # "stacked" (columns over days), "line", "bars" (horizontal)
    columns: tuple[str, ...]
    rows: list[tuple[str, ...] | tuple[object, ...]]
    summary: str = ""


@dataclass(frozen=True)
class SurgeRow:
    """A story on surge watch."""

    article_id: int
    title: str
    url: str
    site: str
    since: datetime
    reason: str
    premoderated: bool


@dataclass
class Insights:
    """Every chart of the page, in order, and the headline figures."""

    scope: Scope
    tables: list[Table] = field(default_factory=list)
    headline: dict[str, str] = field(default_factory=dict)
    #: Every site (id, name), for the filter.
    sites: list[tuple[int, str]] = field(default_factory=list)
    #: Stories on surge watch now (editors only), the most recent first.
    surges: list[SurgeRow] = field(default_factory=list)

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)


def table_csv(table: Table) -> str:
    """A chart's table as CSV text, header first; a text cell a spreadsheet would run as a formula is quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    writer.writerows([_cell(v) for v in row] for row in table.rows)
    return buffer.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _tallies(session: Session, scope: Scope, metrics: Sequence[TallyMetric], *, before: bool = False
             ) -> list[tuple[date, str, str, int]]:
    stmt = sa.select(InsightTally.day, InsightTally.metric, InsightTally.key, sa.func.sum(InsightTally.count))
    stmt = stmt.where(InsightTally.metric.in_([m.value for m in metrics]))
    stmt = stmt.where(InsightTally.day < scope.start) if before else stmt.where(
        InsightTally.day >= scope.start, InsightTally.day <= scope.end)
    if scope.site_id is not None:
        stmt = stmt.where(InsightTally.site_id == scope.site_id)
    stmt = stmt.group_by(InsightTally.day, InsightTally.metric, InsightTally.key)
    return [(d, m, k, int(n or 0)) for d, m, k, n in session.execute(stmt)]


def _totals(session: Session, scope: Scope, metrics: Sequence[TallyMetric]) -> list[tuple[str, str, int]]:
    stmt = (sa.select(InsightTally.metric, InsightTally.key, sa.func.sum(InsightTally.count))
            .where(InsightTally.metric.in_([m.value for m in metrics]), InsightTally.day >= scope.start,
                   InsightTally.day <= scope.end)
            .group_by(InsightTally.metric, InsightTally.key))
    if scope.site_id is not None:
        stmt = stmt.where(InsightTally.site_id == scope.site_id)
    return [(m, k, int(n or 0)) for m, k, n in session.execute(stmt)]


def _percentile(buckets: dict[int, int], share: float) -> int | None:
    total = sum(buckets.values())
    if not total:
        return None
    seen = 0
    for bound in WAIT_BUCKETS:
        seen += buckets.get(bound, 0)
        if seen >= share * total:
            return bound
    return WAIT_BUCKETS[-1]


def minutes_label(bound: int) -> str:
    """A time-to-decision bucket's upper bound as people read it: "≤ 15 min", "≤ 4 h", "≤ 2 d", "longer"."""
    if bound >= WAIT_BUCKETS[-1]:
        return "longer"
    if bound < 60:
        return f"≤ {bound} min"
    if bound < 1440:
        return f"≤ {bound // 60} h"
    return f"≤ {bound // 1440} d"


def _oldest_waiting(session: Session, scope: Scope) -> datetime | None:
    """The oldest comment still pending: one lookup per queue on (queue, status, id), so it reads the backlog's
    rows only, never the table (grouped by site rather than filtered, so no planner takes the site's index)."""
    oldest: list[datetime] = []
    for queue in (*Queue, None):
        in_queue = Comment.queue.is_(None) if queue is None else Comment.queue == queue
        stmt = (sa.select(Comment.site_id, sa.func.min(Comment.created_at))
                .where(in_queue, Comment.status == CommentStatus.PENDING).group_by(Comment.site_id))
        oldest += [when for site_id, when in session.execute(stmt)
                   if when is not None and scope.site_id in (None, site_id)]
    return min(oldest, default=None)


def gather(session: Session, scope: Scope) -> Insights:
    """Every figure of the insights page for `scope`."""
    out = Insights(scope, sites=[(i, n) for i, n in session.execute(sa.select(Site.id, Site.name).order_by(Site.name))])
    daily = _DAILY if scope.editor else (TallyMetric.DECIDED_BY,)
    by: dict[str, dict[tuple[date, str], int]] = defaultdict(dict)
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, metric, key, n in _tallies(session, scope, daily):
        by[metric][(day, key)] = n
        totals[metric][key] += n
    if scope.editor:  # the others are only ever summed over the range: the database sums them
        for metric, key, n in _totals(session, scope, [m for m in TallyMetric
                                                       if m not in _DAILY and m not in _ARTICLE_METRICS]):
            totals[metric][key] += n
    days = scope.days
    if scope.editor:
        out.surges = _surges(session, scope)
        _outcomes(out, by, days)
        _backlog(session, out, scope, by, days)
        _wait(session, out, scope, totals)
        _moderators(session, out, totals, by, days, None)
        _clauses(out, totals)
        _stories(session, out, scope)
        _languages(out, totals)
        _reports(out, totals)
    else:
        _moderators(session, out, totals, by, days, scope.user_id)
    return out


def _surges(session: Session, scope: Scope) -> list[SurgeRow]:
    stmt = (sa.select(Article, Site.name).join(Site, Site.id == Article.site_id)
            .where(Article.surge_at.is_not(None)).order_by(Article.surge_at.desc()).limit(100))
    if scope.site_id is not None:
        stmt = stmt.where(Article.site_id == scope.site_id)
    return [SurgeRow(a.id, a.title, a.url, site, a.surge_at, a.surge_reason or "", a.premoderate_all)
            for a, site in session.execute(stmt) if a.surge_at is not None]


def _outcomes(out: Insights, by: dict[str, dict[tuple[date, str], int]], days: list[date]) -> None:
    arrived = by[TallyMetric.ARRIVED.value]
    taken = by[TallyMetric.TAKEN_DOWN.value]
    daily, share = [], []
    for d in days:
        pub, held, rej = (arrived.get((d, k), 0) for k in ("published", "held", "rejected"))
        daily.append((d.isoformat(), pub, held, rej, taken.get((d, ""), 0)))
        total = pub + held + rej
        share.append((d.isoformat(), round(100 * held / total, 1) if total else 0.0))
    n = sum(sum(r[1:4]) for r in daily)
    held_total = sum(r[2] for r in daily)
    out.headline["comments"] = f"{n:,}"
    out.headline["held share"] = f"{100 * held_total / n:.1f}%" if n else "–"
    out.tables.append(Table("outcomes", "Comments a day by outcome", "stacked",
                            ("Day", "Published", "Held", "Rejected", "Taken down"), daily,
                            f"{n:,} comments; {held_total:,} held"))
    out.tables.append(Table("held-share", "Held share a day (%)", "line", ("Day", "Held %"), share))


def _backlog(session: Session, out: Insights, scope: Scope, by: dict[str, dict[tuple[date, str], int]],
             days: list[date]) -> None:
    level = sum(n for _d, _m, _k, n in _tallies(session, scope, [TallyMetric.BACKLOG], before=True))
    deltas = by[TallyMetric.BACKLOG.value]
    series = []
    for d in days:
        level += deltas.get((d, ""), 0)
        series.append((d.isoformat(), max(level, 0)))
    out.tables.append(Table("backlog", "Comments waiting at the end of each day", "line", ("Day", "Waiting"), series))


def _wait(session: Session, out: Insights, scope: Scope, totals: dict[str, dict[str, int]]) -> None:
    buckets = {int(k): n for k, n in totals[TallyMetric.WAIT.value].items()}
    p50, p90 = _percentile(buckets, 0.5), _percentile(buckets, 0.9)
    oldest = _oldest_waiting(session, scope)
    out.headline["time to decision p50"] = minutes_label(p50) if p50 else "–"
    out.headline["time to decision p90"] = minutes_label(p90) if p90 else "–"
    out.headline["oldest waiting"] = _age(oldest) if oldest else "none waiting"
    out.tables.append(Table("time-to-decision", "Moderator decisions by time waited", "bars",
                            ("Waited", "Decisions"),
                            [(minutes_label(b), buckets.get(b, 0)) for b in WAIT_BUCKETS if buckets.get(b)],
                            f"p50 {out.headline['time to decision p50']}, p90 {out.headline['time to decision p90']}"))


def _age(moment: datetime) -> str:
    minutes = int((utcnow() - moment).total_seconds() // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h" if minutes < 2880 else f"{minutes // 1440} d"


def _moderators(session: Session, out: Insights, totals: dict[str, dict[str, int]],
                by: dict[str, dict[tuple[date, str], int]], days: list[date], only: int | None) -> None:
    counts = totals[TallyMetric.DECIDED_BY.value]
    if only is not None:
        mine = by[TallyMetric.DECIDED_BY.value]
        series = [(d.isoformat(), mine.get((d, str(only)), 0)) for d in days]
        out.headline["your decisions"] = f"{sum(n for _d, n in series):,}"
        out.tables.append(Table("my-decisions", "Your decisions a day", "line", ("Day", "Decisions"), series))
        return
    ids = [int(k) for k in counts if k.isdigit()]
    emails = {i: e for i, e in session.execute(sa.select(User.id, User.email).where(User.id.in_(ids)))} if ids else {}
    rows = sorted(((emails.get(int(k), f"account {k}"), n) for k, n in counts.items()), key=lambda r: -r[1])
    out.tables.append(Table("moderators", "Decisions per moderator", "bars", ("Moderator", "Decisions"), rows))


def _clauses(out: Insights, totals: dict[str, dict[str, int]]) -> None:
    held, upheld, overturned = (totals[m.value] for m in (TallyMetric.CLAUSE_HELD, TallyMetric.CLAUSE_UPHELD,
                                                           TallyMetric.CLAUSE_OVERTURNED))
    rows = []
    for clause in sorted(set(held) | set(upheld) | set(overturned), key=lambda c: -held.get(c, 0)):
        decided = upheld.get(clause, 0) + overturned.get(clause, 0)
        share = round(100 * upheld.get(clause, 0) / decided, 1) if decided else 0.0
        rows.append((clause, held.get(clause, 0), upheld.get(clause, 0), overturned.get(clause, 0), share))
    out.tables.append(Table("clauses", "Comments held by each guideline, and upheld by moderators", "bars",
                            ("Guideline", "Held", "Upheld", "Overturned", "Upheld %"), rows))


def _month_span(scope: Scope) -> tuple[date, date] | None:
    """The first days of the first and last whole months inside the range, or None when it holds no whole month."""
    first = scope.start if scope.start.day == 1 else _next_month(scope.start)
    after_end = scope.end + timedelta(days=1)
    last = after_end.replace(day=1) - timedelta(days=1)  # the last day of the last month ending inside the range
    if last < first:
        return None
    return first, last.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _story_rows(scope: Scope, metrics: Sequence[TallyMetric]) -> sa.Subquery:
    """The per-story tallies covering the range: whole months from the monthly tallies, the partial months at its
    ends from the daily ones."""
    def narrow(stmt: sa.Select[Any], model: type[InsightTally] | type[InsightStoryMonth]) -> sa.Select[Any]:
        stmt = stmt.where(model.metric.in_([m.value for m in metrics]))
        return stmt.where(model.site_id == scope.site_id) if scope.site_id is not None else stmt

    def days(first: date, last: date) -> sa.Select[Any]:
        return narrow(sa.select(InsightTally.metric, InsightTally.key, InsightTally.count)
                      .where(InsightTally.day >= first, InsightTally.day <= last), InsightTally)

    span = _month_span(scope)
    if span is None:
        return days(scope.start, scope.end).subquery()
    first, last = span
    parts = [narrow(sa.select(InsightStoryMonth.metric, InsightStoryMonth.key, InsightStoryMonth.count)
                    .where(InsightStoryMonth.month >= first, InsightStoryMonth.month <= last), InsightStoryMonth)]
    if scope.start < first:
        parts.append(days(scope.start, first - timedelta(days=1)))
    if _next_month(last) <= scope.end:
        parts.append(days(_next_month(last), scope.end))
    return sa.union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()


def _story_sums(session: Session, scope: Scope) -> dict[str, Counter[str]]:
    """Held comments and reports per story over the range, by metric (one pass over the per-story tallies: a few
    thousand sums for a year, ranked here)."""
    rows = _story_rows(scope, _ARTICLE_METRICS)
    stmt = sa.select(rows.c.metric, rows.c.key, sa.func.sum(rows.c.count)).group_by(rows.c.metric, rows.c.key)
    out: dict[str, Counter[str]] = {m.value: Counter() for m in _ARTICLE_METRICS}
    for metric, key, n in session.execute(stmt):
        out[metric][key] = int(n or 0)
    return out


def _stories(session: Session, out: Insights, scope: Scope) -> None:
    sums = _story_sums(session, scope)
    held, reports = sums[TallyMetric.ARTICLE_HELD.value], sums[TallyMetric.ARTICLE_REPORTS.value]
    # The largest of each, then ranked by held comments and reports.
    candidates = {k for counts in (held, reports)
                  for k, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_STORIES]}
    top = sorted(candidates, key=lambda a: (-held.get(a, 0), -reports.get(a, 0), a))[:TOP_STORIES]
    ids = [int(a) for a in top if a.isdigit()]
    titles = {i: f"{title} · {site}" for i, title, site in session.execute(
        sa.select(Article.id, Article.title, Site.name).join(Site, Site.id == Article.site_id)
        .where(Article.id.in_(ids)))} if ids else {}
    rows = [(titles.get(int(a), f"story {a}"), held.get(a, 0), reports.get(a, 0)) for a in top]
    out.tables.append(Table("stories", f"The {TOP_STORIES} stories with most held comments", "bars",
                            ("Story", "Held", "Reports"), rows))


def _languages(out: Insights, totals: dict[str, dict[str, int]]) -> None:
    rows = sorted(totals[TallyMetric.LANGUAGE.value].items(), key=lambda kv: -kv[1])
    out.tables.append(Table("languages", "Comments by language and script", "bars", ("Language", "Comments"), rows))


def _reports(out: Insights, totals: dict[str, dict[str, int]]) -> None:
    total = totals[TallyMetric.REPORTS.value].get("", 0)
    labels = {a.value: a.label for a in DecisionAction}
    ended = sorted(((labels.get(k, k), n) for k, n in totals[TallyMetric.REPORT_OUTCOME.value].items()),
                   key=lambda kv: -kv[1])
    out.headline["reader reports"] = f"{total:,}"
    out.tables.append(Table("reports", "How reported comments ended", "bars", ("Decision", "Comments"), ended,
                            f"{total:,} reader reports"))
