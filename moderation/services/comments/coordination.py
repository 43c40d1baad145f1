"""Coordinated comments: a new comment joins the group of the near-identical comments posted on its site within
the policy's window; a past period is grouped in one pass (`group_stored`).

Candidates come from the LSH bands stored with each comment (`comment_bands`), so a lookup reads a handful of
index entries whatever the size of the table; a candidate counts only when its stored signature agrees.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from datasketch import LeanMinHash
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.models import Comment, CommentBand, CommentFingerprint, CommentGroup
from moderation.detectors.similarity import band_keys, clusters, from_bytes, signature, signatures, similar, to_bytes

log = logging.getLogger(__name__)

#: The most recent candidates a new comment is compared with: a campaign's newest copies are enough to find it.
CANDIDATES = 200
_BATCH = 5000


@dataclass(frozen=True)
class Match:
    """A new text's signature, the near-identical comments found for it, and the size its group reaches."""

    signature: LeanMinHash
    keys: list[str]
    group_ids: frozenset[int] = frozenset()
    ungrouped: tuple[int, ...] = ()
    #: Members within the window, the new comment included (1 when it matched nothing).
    size: int = 1


def find_match(session: Session, site_id: int, text: str, now: datetime, window: timedelta) -> Match:
    """The near-identical comments of `text` posted on the site since `now - window`, and its group's size."""
    sig = signature(text)
    keys = band_keys(sig)
    since = now - window
    candidates = (
        sa.select(CommentBand.comment_id)
        .where(CommentBand.site_id == site_id, CommentBand.key.in_(keys), CommentBand.created_at >= since)
        .group_by(CommentBand.comment_id)
        .order_by(CommentBand.comment_id.desc())
        .limit(CANDIDATES)
    )
    rows = session.execute(
        sa.select(CommentFingerprint.comment_id, CommentFingerprint.group_id, CommentFingerprint.signature)
        .where(CommentFingerprint.comment_id.in_(candidates.scalar_subquery()))
    ).all()
    groups: set[int] = set()
    ungrouped: list[int] = []
    for comment_id, group_id, stored in rows:
        if group_id is not None and group_id in groups:
            continue  # one member vouches for its group
        if similar(sig, from_bytes(stored)):
            if group_id is None:
                ungrouped.append(comment_id)
            else:
                groups.add(group_id)
    if not groups and not ungrouped:
        return Match(sig, keys)
    members = sa.or_(CommentFingerprint.group_id.in_(groups), CommentFingerprint.comment_id.in_(ungrouped))
    size = session.scalar(
        sa.select(sa.func.count()).select_from(CommentFingerprint)
        .where(CommentFingerprint.site_id == site_id, CommentFingerprint.created_at >= since, members)
    ) or 0
    return Match(sig, keys, frozenset(groups), tuple(ungrouped), size + 1)


def keep_fingerprint(session: Session, comment: Comment, match: Match) -> int | None:
    """Store the comment's signature and bands and put it in its group (made, or merged from several, as
    needed); returns the group id, None when it has no near-identical comment. The caller commits."""
    group_id: int | None = None
    if match.group_ids or match.ungrouped:
        group_id = min(match.group_ids) if match.group_ids else _new_group(session, comment.site_id)
        merged = [g for g in match.group_ids if g != group_id]
        if merged:  # emptied, not deleted: a comment being stored at this moment may still name one of them
            session.execute(sa.update(CommentFingerprint).where(CommentFingerprint.group_id.in_(merged))
                            .values(group_id=group_id))
            session.execute(sa.update(CommentGroup).where(CommentGroup.id.in_(merged)).values(size=0))
        if match.ungrouped:
            session.execute(sa.update(CommentFingerprint).where(CommentFingerprint.comment_id.in_(match.ungrouped))
                            .values(group_id=group_id))
    session.add(CommentFingerprint(comment_id=comment.id, site_id=comment.site_id, group_id=group_id,
                                   signature=to_bytes(match.signature), created_at=comment.created_at))
    session.execute(sa.insert(CommentBand), [
        {"comment_id": comment.id, "key": key, "site_id": comment.site_id, "created_at": comment.created_at}
        for key in match.keys
    ])
    session.flush()
    if group_id is not None:
        _refresh(session, [group_id])
    return group_id


def _new_group(session: Session, site_id: int) -> int:
    group = CommentGroup(site_id=site_id)
    session.add(group)
    session.flush()
    return group.id


def _refresh(session: Session, group_ids: Sequence[int]) -> None:
    """Recount the groups' members and their first and last times from the fingerprints."""
    stats = session.execute(
        sa.select(CommentFingerprint.group_id, sa.func.count(), sa.func.min(CommentFingerprint.created_at),
                  sa.func.max(CommentFingerprint.created_at))
        .where(CommentFingerprint.group_id.in_(group_ids))
        .group_by(CommentFingerprint.group_id)
    ).all()
    for group_id, size, first, last in stats:
        session.execute(sa.update(CommentGroup).where(CommentGroup.id == group_id)
                        .values(size=size, first_at=first, last_at=last))


@dataclass
class GroupingRun:
    """What `group_stored` did: comments fingerprinted, groups made and the comments in them."""

    comments: int = 0
    groups: int = 0
    grouped: int = 0
    sizes: list[int] = field(default_factory=list)


def split_by_window(members: Sequence[int], times: Sequence[datetime], window: timedelta) -> list[list[int]]:
    """A cluster of near-identical comments cut where more than `window` passed between one and the next."""
    ordered = sorted(members, key=lambda i: times[i])
    runs: list[list[int]] = [[ordered[0]]]
    for previous, current in zip(ordered, ordered[1:], strict=False):
        if times[current] - times[previous] > window:
            runs.append([])
        runs[-1].append(current)
    return [run for run in runs if len(run) > 1]


def group_stored(session: Session, site_id: int, since: datetime, until: datetime, window: timedelta) -> GroupingRun:
    """Fingerprint and group the site's comments posted in [since, until) that have no fingerprint yet, in one
    pass (signatures in bulk, clusters from datasketch's LSH bands, rows written in batches); commits.

    Bands are kept only for the comments of the last `window`: older ones can no longer match a new comment."""
    rows = session.execute(
        sa.select(Comment.id, Comment.text, Comment.created_at)
        .outerjoin(CommentFingerprint, CommentFingerprint.comment_id == Comment.id)
        .where(Comment.site_id == site_id, Comment.created_at >= since, Comment.created_at < until,
               CommentFingerprint.comment_id.is_(None))
        .order_by(Comment.id)
    ).all()
    run = GroupingRun(comments=len(rows))
    if not rows:
        return run
    sigs = signatures(r.text for r in rows)
    times = [r.created_at for r in rows]
    group_of: dict[int, int] = {}
    for cluster in clusters(sigs):
        for members in split_by_window(cluster, times, window):
            group = CommentGroup(site_id=site_id, size=len(members), first_at=times[members[0]],
                                 last_at=times[members[-1]])
            session.add(group)
            session.flush()
            group_of.update((i, group.id) for i in members)
            run.groups += 1
            run.grouped += len(members)
            run.sizes.append(len(members))
    # Only comments recent enough for a new one to match within the window need their bands kept.
    recent = utcnow() - window
    fingerprints, bands = CommentFingerprint.__table__, CommentBand.__table__
    for start in range(0, len(rows), _BATCH):
        chunk = range(start, min(start + _BATCH, len(rows)))
        session.execute(fingerprints.insert(), [
            {"comment_id": rows[i].id, "site_id": site_id, "group_id": group_of.get(i),
             "signature": to_bytes(sigs[i]), "created_at": times[i]} for i in chunk
        ])
        band_rows = [{"comment_id": rows[i].id, "key": key, "site_id": site_id, "created_at": times[i]}
                     for i in chunk if times[i] >= recent for key in band_keys(sigs[i])]
        if band_rows:
            session.execute(bands.insert(), band_rows)
    session.commit()
    log.info("grouped %s comments: %s groups", run.comments, run.groups)
    return run
