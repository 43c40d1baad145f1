"""The policy's routing of a new or edited comment: the scoring outcome combined with pre-moderation and the
author's status says where it goes (a moderator's choice is `services.queue.decide`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from moderation.db.enums import AuthorStatus, CommentStatus, DecisionAction, Queue
from moderation.enums import Action
from moderation.policy.model import Outcome, Policy

#: The reason given with `DecisionAction.HOLD_UNSCORED`, as the site reads it.
NOT_SCORED = "not scored"
#: The reason while a comment waits for the scoring workers (MODERATION_SCORING=async); same action.
NOT_SCORED_YET = "not scored yet"
#: Why a new text waits for a person although the policy would let it through, by the latest moderator decision
#: on the comment: a reader cannot overturn a moderator by rewording.
AFTER_MODERATOR = {
    DecisionAction.REJECT: "edited after a moderator rejected it",
    DecisionAction.EDIT_APPROVE: "edited after a moderator edited it",
    DecisionAction.ESCALATE: "edited after a moderator sent it to legal review",
}

_LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|in|org|net|co|io|info|biz|ly|me)\b")


@dataclass(frozen=True)
class Routing:
    """Where the policy sends a comment: the status and queue to move it to, the decision's action and reason."""

    status: CommentStatus
    queue: Queue | None
    action: DecisionAction
    reason: str


def has_link(text: str) -> bool:
    """Whether the text contains something a reader could follow as a link."""
    return _LINK.search(text) is not None


def route(
    outcome: Outcome | None,
    policy: Policy,
    *,
    text: str,
    author_status: AuthorStatus,
    author_prior_comments: int,
    article_premoderated: bool,
    moderator_action: DecisionAction | None = None,
    coordinated: int = 0,
) -> Routing:
    """The routing of one comment; `outcome` is None when scoring failed.

    `moderator_action` is the latest moderator decision on an edited comment: after a rejection or an edit and
    approve, a text the policy would publish waits in review; after an escalation, one it does not reject waits
    in Legal review. `coordinated` is the size of the comment's group of near-identical comments within the
    policy's window (it included; 0 when not grouped): from the policy's size on, a comment it would publish waits.
    """
    routing = _by_policy(outcome, policy, text, author_status, author_prior_comments, article_premoderated)
    size = policy.moderation.coordinated.size
    if routing.status is CommentStatus.PUBLISHED and size and coordinated >= size:
        minutes = policy.moderation.coordinated.window_minutes
        routing = Routing(CommentStatus.PENDING, Queue.REVIEW, DecisionAction.HOLD,
                          f"coordinated: {coordinated} near-identical comments within {minutes} min")
    hold = AFTER_MODERATOR.get(moderator_action) if moderator_action else None
    if hold is None or routing.status is CommentStatus.REJECTED or routing.action is DecisionAction.HOLD_UNSCORED:
        return routing
    if moderator_action is DecisionAction.ESCALATE and routing.queue is not Queue.LEGAL:
        return Routing(CommentStatus.PENDING, Queue.LEGAL, DecisionAction.HOLD, hold)
    if routing.status is CommentStatus.PUBLISHED:
        return Routing(CommentStatus.PENDING, Queue.REVIEW, DecisionAction.HOLD, hold)
    return routing


def _by_policy(
    outcome: Outcome | None, policy: Policy, text: str, author_status: AuthorStatus, author_prior_comments: int,
    article_premoderated: bool,
) -> Routing:
    if author_status == AuthorStatus.BANNED:
        return Routing(CommentStatus.REJECTED, None, DecisionAction.REJECT, "author banned")
    if outcome is None:
        return Routing(CommentStatus.PENDING, Queue.REVIEW, DecisionAction.HOLD_UNSCORED, NOT_SCORED)
    fired = " ".join(_sentence(c.reason) for c in outcome.clauses if c.action == outcome.action and c.reason.strip())
    if outcome.action == Action.REJECT:
        return Routing(CommentStatus.REJECTED, None, DecisionAction.REJECT, fired or "rejected by policy")
    if outcome.action == Action.REVIEW:
        queue = Queue(outcome.lane.value) if outcome.lane else Queue.REVIEW
        return Routing(CommentStatus.PENDING, queue, DecisionAction.HOLD,
                       fired or ", ".join(outcome.holds) or "held by policy")
    hold = _premoderation(policy, text, author_status, author_prior_comments, article_premoderated)
    if hold:
        return Routing(CommentStatus.PENDING, Queue.REVIEW, DecisionAction.HOLD, hold)
    return Routing(CommentStatus.PUBLISHED, None, DecisionAction.PUBLISH, "")


def _sentence(reason: str) -> str:
    """A clause's reason as a sentence, so several read as one text: "Links are checked. Insults are held."."""
    reason = reason.strip()
    return reason if reason.endswith((".", "!", "?", "।")) else f"{reason}."


def _premoderation(
    policy: Policy, text: str, author_status: AuthorStatus, prior: int, article_premoderated: bool
) -> str:
    settings = policy.moderation
    if author_status == AuthorStatus.PREMODERATED:
        return "author premoderated"
    if article_premoderated:
        return "article premoderated"
    if settings.premoderate == "all":
        return "premoderation: all comments"
    if settings.premoderate == "links" and has_link(text):
        return "premoderation: comment with a link"
    if prior < settings.premoderate_first_comments:
        return f"premoderation: first {settings.premoderate_first_comments} comments of a new author"
    return ""
