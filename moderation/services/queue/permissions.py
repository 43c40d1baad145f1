"""Who may decide which comments: the one rule behind the decide, edit, escalate and claim paths and the pages."""

from __future__ import annotations

from moderation.services.queue.accounts import Moderator
from moderation.services.queue.lists import QueueName

#: The lists whose comments only legal reviewers and admins decide: a possible legal risk, or a legal decision.
LEGAL_ONLY = frozenset({QueueName.LEGAL, QueueName.TAKEN_DOWN})


def may_decide(moderator: Moderator, where: QueueName) -> bool:
    """Whether the moderator may claim and decide (approve, reject, escalate, edit) the comments of list `where`;
    a comment's list is `queue_of(comment.status, comment.queue)`."""
    return moderator.decides_legal or where not in LEGAL_ONLY
