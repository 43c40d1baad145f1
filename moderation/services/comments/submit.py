"""Submitting a new comment: score it, decide it, store it — exactly once per site comment id."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.enums import DecisionAction
from moderation.db.models import Article, Author, Comment, CommentRevision, Site
from moderation.policy.model import Outcome, Policy
from moderation.scoring.base import Scorer
from moderation.services.comments.comment_state import Written, find_article, find_comment
from moderation.services.comments.coordination import find_match, keep_fingerprint
from moderation.services.comments.guarded_scoring import score_within
from moderation.services.comments.inputs import ArticleInput, AuthorInput, CommentInput
from moderation.services.comments.outcome_store import apply_routing
from moderation.services.comments.records import audit
from moderation.services.comments.routing import NOT_SCORED_YET, route
from moderation.services.comments.surge import watch
from moderation.services.errors import ConflictError, InvalidRequestError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submitted:
    """The stored comment, whether this request created it (False for a retry), whether its scoring was handed
    to the scoring workers (`defer`) rather than done in the request, and the score and decision it wrote (None
    for a retry)."""

    comment: Comment
    created: bool
    deferred: bool = False
    written: Written | None = None


#: Hands a stored comment's id to whatever scores it later (the scoring workers' queue); raises when it cannot.
Defer = Callable[[int], None]


def submit_comment(
    session: Session, scorer: Scorer, policy: Policy, site: Site, data: CommentInput, *, timeout_s: float,
    defer: Defer | None = None,
) -> Submitted:
    """Score, decide and store a comment; a retry of the same comment returns the stored one unchanged.

    With `defer`, the comment is not scored here: it is stored held as "not scored yet" and its id handed to
    `defer` once committed (a failure to hand it on is logged; the comment stays held, and `rescore` scores it).
    Raises ConflictError when the id was used for different content or the article is closed, and
    InvalidRequestError when the parent comment is unknown or on another article. A scorer failure stores the
    comment as pending.
    """
    check_text(data.text)
    existing = find_comment(session, site.id, data.external_id)
    session.commit()  # end the read before scoring: SQLite holds its write lock for a whole transaction
    if existing is not None:
        return _replay(existing, data)
    outcome = None
    if defer is None:
        outcomes = score_within(scorer, policy, [data.text], site_domains=site.domain_list, timeout_s=timeout_s)
        outcome = outcomes[0] if outcomes else None
    try:
        # No second look-up after scoring: a request for the same comment id that stored it meanwhile makes the
        # insert fail on the unique (site, external_id) constraint, answered below with what that request stored.
        comment, written = _store(session, policy, site, data, outcome, deferred=defer is not None)
        session.commit()
    except IntegrityError:
        # Another request stored the same comment id first: answer with what it stored.
        session.rollback()
        existing = find_comment(session, site.id, data.external_id)
        session.commit()
        if existing is None:
            raise
        return _replay(existing, data)
    except BaseException:
        session.rollback()
        raise
    log.info("comment stored", extra={"comment_id": comment.id, "status": comment.status.value})
    if defer is None:
        return Submitted(comment, created=True, written=written)
    hand_off(defer, comment.id)
    return Submitted(comment, created=True, deferred=True, written=written)


def hand_off(defer: Defer, comment_id: int) -> None:
    """Hand a stored, held comment to the scoring workers; a failed hand-off is logged, never raised: the comment is
    stored and held for review, so it is never lost, only scored later (by the sweep or `rescore`)."""
    try:
        defer(comment_id)
    except Exception:
        log.exception("comment %s could not be queued for scoring; it stays held until `rescore`", comment_id)


def check_text(text: str) -> None:
    """Refuse text that no database can store exactly as sent."""
    if "\x00" in text:
        raise InvalidRequestError("text must not contain NUL characters (U+0000)", "text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidRequestError("text must be valid Unicode (no unpaired surrogates)", "text") from exc


def _replay(existing: Comment, data: CommentInput) -> Submitted:
    if existing.request_sha256 != data.fingerprint():
        raise ConflictError(f"comment {data.external_id!r} was already submitted with different content")
    return Submitted(existing, created=False)


def _store(
    session: Session, policy: Policy, site: Site, data: CommentInput, outcome: Outcome | None, *, deferred: bool
) -> tuple[Comment, Written]:
    article = _article(session, site, data.article)
    if article.comments_closed:
        raise ConflictError(f"comments are closed on article {article.external_id!r}")
    author = _count_author(session, site, data.author)
    parent = None
    if data.parent_external_id is not None:
        parent = find_comment(session, site.id, data.parent_external_id)
        if parent is None:
            raise InvalidRequestError(f"no comment with external_id {data.parent_external_id!r}", "parent_external_id")
        if parent.article_id != article.id:
            raise InvalidRequestError(
                f"comment {data.parent_external_id!r} is on another article, not {article.external_id!r}",
                "parent_external_id")
    prior = author.comment_count - 1  # the count already includes this comment
    window = timedelta(minutes=policy.moderation.coordinated.window_minutes)
    match = find_match(session, site.id, data.text, utcnow(), window)
    routing = route(outcome, policy, text=data.text, author_status=author.standing(), author_prior_comments=prior,
                    article_premoderated=article.premoderate_all, coordinated=match.size)
    if deferred and routing.action is DecisionAction.HOLD_UNSCORED:
        routing = dataclasses.replace(routing, reason=NOT_SCORED_YET)
    comment = Comment(
        site=site, external_id=data.external_id, article=article, author=author, parent=parent, text=data.text,
        request_sha256=data.fingerprint(), revision=1, status=routing.status, queue=routing.queue,
    )
    comment.revisions.append(CommentRevision(number=1, text=data.text))
    session.add(comment)
    # The comment, its revision, score and decision go in one flush, where the unique (site, external_id)
    # constraint decides a race; the audit and outbox rows wait for the fingerprint's flush.
    written = apply_routing(session, comment, routing, outcome, policy, initial=True)
    watch(session, policy.moderation.surge, article)
    audit(session, actor="site", action="comment.submit", entity_type="comment", entity_id=comment.id,
          site_id=site.id, external_id=data.external_id)
    keep_fingerprint(session, comment, match)
    return comment, written


def _insert(session: Session, model: type[Article] | type[Author]) -> Any:
    """INSERT for `model` in the session's dialect, which can say ON CONFLICT."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return insert(model)


def _article(session: Session, site: Site, data: ArticleInput) -> Article:
    article = find_article(session, site.id, data.external_id)
    if article is None:  # its first comment: insert it, unless a concurrent request just did
        stmt = _insert(session, Article).values(
            site_id=site.id, external_id=data.external_id, url=data.url, title=data.title, section=data.section,
        ).on_conflict_do_nothing(index_elements=["site_id", "external_id"]).returning(Article)
        article = session.scalars(stmt).one_or_none() or find_article(session, site.id, data.external_id)
        assert article is not None
    return article


def _count_author(session: Session, site: Site, data: AuthorInput) -> Author:
    """The comment's author, inserted or with their display name brought up to date, their comment count already
    counting this comment: one statement, which locks their row until the transaction ends."""
    stmt = _insert(session, Author).values(site_id=site.id, external_id=data.external_id,
                                           display_name=data.display_name, comment_count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["site_id", "external_id"],
        set_={"display_name": stmt.excluded.display_name, "comment_count": Author.comment_count + 1},
    ).returning(Author)
    author: Author = session.scalars(stmt, execution_options={"populate_existing": True}).one()
    return author
