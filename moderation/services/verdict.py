"""Where a new or edited comment goes: the scoring outcome combined with pre-moderation and the author's status."""

from __future__ import annotations

import re
from dataclasses import dataclass

from moderation.db.enums import AuthorStatus, CommentStatus, Queue
from moderation.enums import Action
from moderation.policy.model import Outcome, Policy

NOT_SCORED = "not scored"

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
) -> Verdict:
    """The verdict for one comment; `outcome` is None when scoring failed."""
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
