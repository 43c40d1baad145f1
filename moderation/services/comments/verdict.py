"""Where a new or edited comment goes: the scoring outcome combined with pre-moderation and the author's status."""

from __future__ import annotations

import re
from dataclasses import dataclass

from moderation.db.enums import AuthorStatus, CommentStatus, Queue
from moderation.enums import Action
from moderation.policy.model import Outcome, Policy

NOT_SCORED = "not scored"
#: Why a new text waits for a person although the policy would let it through, by the latest moderator decision
#: on the comment: a reader cannot overturn a moderator by rewording.
AFTER_MODERATOR = {
    "reject": "edited after a moderator rejected it",
    "edit_approve": "edited after a moderator edited it",
    "escalate": "edited after a moderator sent it to legal review",
}

_LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|in|org|net|co|io|info|biz|ly|me)\b")


@dataclass(frozen=True)
class Verdict:
    """The status and queue to move a comment to, the decision's action and the reason given."""

    status: CommentStatus
    queue: Queue | None
    action: str
    reason: str


def has_link(text: str) -> bool:
    """Whether the text contains something a reader could follow as a link."""
    return _LINK.search(text) is not None


def decide(
    outcome: Outcome | None,
    policy: Policy,
    *,
    text: str,
    author_status: AuthorStatus,
    author_prior_comments: int,
    article_premoderated: bool,
    moderator_action: str | None = None,
) -> Verdict:
    """The verdict for one comment; `outcome` is None when scoring failed.

    `moderator_action` is the latest moderator decision on an edited comment: after a rejection or an edit and
    approve, a text the policy would publish waits in review; after an escalation, one it does not reject waits
    in Legal review.
    """
    verdict = _by_policy(outcome, policy, text, author_status, author_prior_comments, article_premoderated)
    hold = AFTER_MODERATOR.get(moderator_action or "")
    if hold is None or verdict.status is CommentStatus.REJECTED or verdict.reason == NOT_SCORED:
        return verdict
    if moderator_action == "escalate" and verdict.queue is not Queue.LEGAL:
        return Verdict(CommentStatus.PENDING, Queue.LEGAL, "hold", hold)
    if verdict.status is CommentStatus.PUBLISHED:
        return Verdict(CommentStatus.PENDING, Queue.REVIEW, "hold", hold)
    return verdict


def _by_policy(
    outcome: Outcome | None, policy: Policy, text: str, author_status: AuthorStatus, author_prior_comments: int,
    article_premoderated: bool,
) -> Verdict:
    if author_status == AuthorStatus.BANNED:
        return Verdict(CommentStatus.REJECTED, None, "reject", "author banned")
    if outcome is None:
        return Verdict(CommentStatus.PENDING, Queue.REVIEW, "hold", NOT_SCORED)
    fired = " ".join(_sentence(c.reason) for c in outcome.clauses if c.action == outcome.action and c.reason.strip())
    if outcome.action == Action.REJECT:
        return Verdict(CommentStatus.REJECTED, None, "reject", fired or "rejected by policy")
    if outcome.action == Action.REVIEW:
        queue = Queue(outcome.lane.value) if outcome.lane else Queue.REVIEW
        return Verdict(CommentStatus.PENDING, queue, "hold", fired or ", ".join(outcome.holds) or "held by policy")
    hold = _premoderation(policy, text, author_status, author_prior_comments, article_premoderated)
    if hold:
        return Verdict(CommentStatus.PENDING, Queue.REVIEW, "hold", hold)
    return Verdict(CommentStatus.PUBLISHED, None, "publish", "")


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
