"""Policy replay: decide stored comments again under a candidate policy, writing nothing, and say what would change.

The model is not run again: each comment's stored label scores (of its current text) are evaluated under the
candidate policy, with the rule detectors run again on the text (their findings depend on the policy's word lists
and allowed domains), and routed as live scoring routes them. Under an unchanged policy the replay therefore gives
the decision live scoring stored (tests/services/test_replay.py), except for a score stored within 0.00005 of a
threshold: scores are stored rounded to four places. The author's standing and the article's pre-moderation are
read as they are now.

Comments are read in batches by id, and only counters and a few examples are kept, so memory stays flat however
many comments a site has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from moderation.db.enums import AuthorStatus, DecisionAction
from moderation.db.models import Article, Author, Comment, Decision, Score, Site
from moderation.detectors.registry import detect_all
from moderation.policy.evaluate import Signals, evaluate
from moderation.policy.model import Named, Outcome, Policy
from moderation.services.comments.routing import Routing, route
from moderation.services.learning.chunks import IdRange
from moderation.services.learning.decisions import MODERATOR_ACTIONS, site_policy_names

BATCH = 1000
EXAMPLES = 3
#: What a moderator's last word on a comment means for agreement: an approval keeps it, anything else removes it.
_VERDICTS = (*MODERATOR_ACTIONS, DecisionAction.TAKEDOWN)


@dataclass(frozen=True)
class ReplayFilter:
    """Which stored comments to replay: one site's (by name) or all, created from a time on."""

    site: str | None = None
    since: datetime | None = None


@dataclass(frozen=True)
class StoredComment:
    """What a replay needs of one stored comment."""

    id: int
    site: str
    text: str
    created_at: datetime
    domains: tuple[str, ...]
    scores: dict[str, float] | None
    model: Named
    author_status: AuthorStatus
    article_premoderated: bool
    prior_comments: int
    #: The latest automatic decision stored for the comment, and the moderator's action that preceded it.
    stored: DecisionAction | None
    moderator_before: DecisionAction | None
    #: The moderators' last word on it after that (approve, reject …), None when nobody decided it.
    verdict: DecisionAction | None


@dataclass(frozen=True)
class Replayed:
    """One comment decided under a policy: the routing and the clauses that fired (id → action)."""

    routing: Routing
    clauses: dict[str, str]


@dataclass
class Side:
    """Totals under one policy: decisions by action, clause firings by action, agreement with moderators."""

    actions: Counter[str] = field(default_factory=Counter)
    clauses: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: Comments a moderator decided that the policy stopped (held or rejected), and those of them they removed.
    stopped_decided: int = 0
    stopped_removed: int = 0

    def add(self, result: Replayed, verdict: DecisionAction | None) -> None:
        self.actions[result.routing.action.value] += 1
        for clause, action in result.clauses.items():
            self.clauses[(clause, action)] += 1
        if verdict is None or verdict is DecisionAction.ESCALATE:
            return
        stopped = result.routing.action is not DecisionAction.PUBLISH
        removed = verdict is not DecisionAction.APPROVE
        self.stopped_decided += stopped
        self.stopped_removed += stopped and removed

    def agreement(self, removed_total: int) -> dict[str, float | None]:
        """Precision: the share of stopped comments the moderators removed; recall: the share of their removals
        the policy stopped."""
        return {"precision": round(self.stopped_removed / self.stopped_decided, 4) if self.stopped_decided else None,
                "recall_estimate": round(self.stopped_removed / removed_total, 4) if removed_total else None}


@dataclass
class Replay:
    """What a candidate policy would change over the replayed comments."""

    policy: Named
    flt: ReplayFilter
    comments: int = 0
    unscored: int = 0
    matches_stored: int = 0
    removed_by_moderators: int = 0
    first: datetime | None = None
    last: datetime | None = None
    before: Side = field(default_factory=Side)
    after: Side = field(default_factory=Side)
    changes: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: Every registered site's name (for a page's site filter); not part of the report.
    sites: list[str] = field(default_factory=list)

    @property
    def days(self) -> float:
        """The days the replayed comments span (one at least)."""
        if self.first is None or self.last is None:
            return 1.0
        return max(1.0, (self.last - self.first).total_seconds() / 86400)

    def held_per_day(self, side: Side) -> float:
        return round(side.actions[DecisionAction.HOLD.value] / self.days, 2)

    def to_dict(self) -> dict[str, Any]:
        """The report as `flask moderation replay --json` prints it."""
        clause_ids = sorted({c for side in (self.before, self.after) for c, _ in side.clauses})
        actions = sorted({a for side in (self.before, self.after) for _, a in side.clauses})
        return {
            "policy": self.policy.to_dict(),
            "window": {"site": self.flt.site, "since": self.flt.since.isoformat() if self.flt.since else None,
                       "first": self.first.isoformat() if self.first else None,
                       "last": self.last.isoformat() if self.last else None, "days": round(self.days, 2)},
            "comments": self.comments,
            "unscored": self.unscored,
            "changed": sum(self.changes.values()),
            "unchanged_matches_stored": self.matches_stored,
            "actions": {"before": dict(sorted(self.before.actions.items())),
                        "after": dict(sorted(self.after.actions.items()))},
            "changes": dict(sorted(self.changes.items())),
            "clauses": {c: {a: {"before": self.before.clauses[(c, a)], "after": self.after.clauses[(c, a)]}
                            for a in actions if self.before.clauses[(c, a)] or self.after.clauses[(c, a)]}
                        for c in clause_ids},
            "held_per_day": {"before": self.held_per_day(self.before), "after": self.held_per_day(self.after)},
            "agreement": {"removed_by_moderators": self.removed_by_moderators,
                          "before": self.before.agreement(self.removed_by_moderators),
                          "after": self.after.agreement(self.removed_by_moderators)},
            "examples": self.examples,
        }


def decide_again(policy: Policy, comment: StoredComment) -> Replayed | None:
    """The comment decided under `policy` as live scoring decides it; None when it has no stored scores."""
    if comment.scores is None:
        return None
    allowed = (*policy.allowed_domains, *(d.lower() for d in comment.domains))
    detection = detect_all(comment.text, allowed_domains=allowed, wordlists=policy.wordlists)
    outcome: Outcome = evaluate(policy, Signals(comment.scores, detection.findings, detection.language), comment.model)
    routing = route(outcome, policy, text=comment.text, author_status=comment.author_status,
                    author_prior_comments=comment.prior_comments, article_premoderated=comment.article_premoderated,
                    moderator_action=comment.moderator_before)
    return Replayed(routing, {c.clause: c.action.value for c in outcome.clauses})


def _latest(column: Any, *where: Any) -> sa.ScalarSelect[Any]:
    return (sa.select(column).where(*where).order_by(Decision.id.desc()).limit(1).correlate(Comment).scalar_subquery())


def _batch_query(flt: ReplayFilter, prior: bool) -> sa.Select[Any]:
    latest_score = (sa.select(sa.func.max(Score.id)).where(Score.comment_id == Comment.id,
                                                          Score.revision == Comment.revision)
                    .correlate(Comment).scalar_subquery())
    system = sa.and_(Decision.comment_id == Comment.id, Decision.actor == "system")
    system_id = _latest(Decision.id, system)
    human = sa.and_(Decision.comment_id == Comment.id,
                    sa.or_(Decision.actor.startswith("user:"), Decision.action == DecisionAction.TAKEDOWN))
    earlier = aliased(Comment)
    prior_count = (sa.select(sa.func.count(earlier.id)).where(earlier.author_id == Comment.author_id,
                                                              earlier.id < Comment.id)
                   .correlate(Comment).scalar_subquery() if prior else sa.literal(0))
    query = (
        sa.select(Comment.id, Site.name, Comment.text, Comment.created_at, Site.domains, Score.label_scores,
                  Score.model_name, Score.model_version, Author.status, Article.premoderate_all, prior_count,
                  _latest(Decision.action, system),
                  _latest(Decision.action, Decision.comment_id == Comment.id, Decision.actor.startswith("user:"),
                          Decision.id < sa.func.coalesce(system_id, 0)),
                  _latest(Decision.action, human, Decision.action.in_(_VERDICTS),
                          Decision.id > sa.func.coalesce(system_id, 0)))
        .join(Site, Site.id == Comment.site_id)
        .join(Author, Author.id == Comment.author_id)
        .join(Article, Article.id == Comment.article_id)
        .outerjoin(Score, Score.id == latest_score)
    )
    if flt.site is not None:
        query = query.where(Site.name == flt.site)
    if flt.since is not None:
        query = query.where(Comment.created_at >= flt.since)
    return query


def stored_comments(
    session: Session, flt: ReplayFilter, *, prior: bool, batch: int = BATCH, ids: IdRange | None = None,
) -> Iterator[list[StoredComment]]:
    """The stored comments the filter selects (within `ids`, when given), oldest first, a batch at a time (`prior`:
    count each author's earlier comments, for policies that pre-moderate a new author's first comments)."""
    last_id = 0
    query = _batch_query(flt, prior)
    if ids is not None:
        query = query.where(ids.where(Comment.id))
    while True:
        rows = session.execute(query.where(Comment.id > last_id).order_by(Comment.id).limit(batch)).all()
        if not rows:
            return
        yield [
            StoredComment(
                id=r[0], site=r[1], text=r[2], created_at=r[3], domains=tuple(r[4] or ()),
                scores={str(k): float(v) for k, v in r[5].items()} if r[5] is not None else None,
                model=Named(r[6] or "", r[7] or ""), author_status=AuthorStatus(r[8]), article_premoderated=bool(r[9]),
                prior_comments=int(r[10] or 0), stored=_action(r[11]), moderator_before=_action(r[12]),
                verdict=_action(r[13]),
            )
            for r in rows
        ]
        last_id = rows[-1][0]


def _action(value: Any) -> DecisionAction | None:
    return DecisionAction(value) if value is not None else None


def count_comments(session: Session, flt: ReplayFilter) -> int:
    """How many stored comments the filter selects (for a progress bar)."""
    return session.scalar(_selected(sa.select(sa.func.count(Comment.id)), flt)) or 0


def comment_ids(flt: ReplayFilter) -> sa.Select[Any]:
    """The ids of the comments the filter selects (to split a replay into id ranges: `chunks.id_ranges`)."""
    return _selected(sa.select(Comment.id), flt)


def _selected(query: sa.Select[Any], flt: ReplayFilter) -> sa.Select[Any]:
    query = query.join(Site, Site.id == Comment.site_id)
    if flt.site is not None:
        query = query.where(Site.name == flt.site)
    if flt.since is not None:
        query = query.where(Comment.created_at >= flt.since)
    return query


def replay_policy(
    session: Session, candidate: Policy, policies: Mapping[str, Policy], flt: ReplayFilter, *,
    progress: Callable[[int], None] | None = None, batch: int = BATCH, ids: IdRange | None = None,
) -> Replay:
    """Decide the stored comments under each site's current policy (before) and under `candidate` (after); with
    `ids`, only those in that range (one part of a replay split across the scoring workers: `replay_parts`)."""
    site_policies = site_policy_names(session)
    report = Replay(Named(candidate.name, candidate.version), flt, sites=sorted(site_policies))
    prior = any(p.moderation.premoderate_first_comments for p in (candidate, *policies.values()))
    try:
        for comments in stored_comments(session, flt, prior=prior, batch=batch, ids=ids):
            for comment in comments:
                _replay_one(report, candidate, policies.get(site_policies.get(comment.site, "")), comment)
            if progress is not None:
                progress(len(comments))
    finally:
        session.rollback()  # it writes nothing; end the read (SQLite holds its write lock for a whole transaction)
    return report


def _replay_one(report: Replay, candidate: Policy, current: Policy | None, comment: StoredComment) -> None:
    report.comments += 1
    report.first = min(report.first or comment.created_at, comment.created_at)
    report.last = max(report.last or comment.created_at, comment.created_at)
    after = decide_again(candidate, comment)
    before = decide_again(current, comment) if current is not None else None
    if after is None or before is None:
        report.unscored += 1
        return
    removed = comment.verdict is not None and comment.verdict not in (DecisionAction.APPROVE, DecisionAction.ESCALATE)
    report.removed_by_moderators += removed
    report.before.add(before, comment.verdict)
    report.after.add(after, comment.verdict)
    report.matches_stored += before.routing.action is comment.stored
    if before.routing.action is not after.routing.action:
        change = f"{before.routing.action.value}->{after.routing.action.value}"
        report.changes[change] += 1
        examples = report.examples.setdefault(change, [])
        if len(examples) < EXAMPLES:
            examples.append({"comment_id": comment.id, "site": comment.site, "text": comment.text[:280],
                             "before": {"reason": before.routing.reason, "clauses": before.clauses},
                             "after": {"reason": after.routing.reason, "clauses": after.clauses},
                             "moderators": comment.verdict.value if comment.verdict else None})
