"""Stored states: the values the status columns may take."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CommentStatus(StrEnum):
    """Where a comment stands for the site: only published comments may be rendered."""

    PUBLISHED = "published"
    PENDING = "pending"
    REJECTED = "rejected"
    TAKEN_DOWN = "taken_down"


class Queue(StrEnum):
    """Which moderator queue a comment waits in (None when it waits in none)."""

    REVIEW = "review"
    LEGAL = "legal"
    REPORTED = "reported"


class AuthorStatus(StrEnum):
    """How the site's commenter is treated: normally, always held, or always rejected."""

    NORMAL = "normal"
    PREMODERATED = "premoderated"
    BANNED = "banned"


class UserRole(StrEnum):
    """What a moderator account may do: the legal lane needs `legal`, managing users needs `admin`."""

    MODERATOR = "moderator"
    LEGAL = "legal"
    ADMIN = "admin"


class DeliveryStatus(StrEnum):
    """A webhook delivery: waiting (first try or a retry), delivered, or given up after the last attempt."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class DecisionAction(StrEnum):
    """What a decision did: the policy's routing, a moderator's choice, or the site's report threshold and takedown.

    The one vocabulary of decisions: stored as such, and read by the services, the queue's pages and its script
    (labels, buttons and keys come from here).
    """

    PUBLISH = "publish"
    HOLD = "hold"
    #: Held because the model could not score the text; `flask moderation rescore` decides these again.
    HOLD_UNSCORED = "hold_unscored"
    REJECT = "reject"
    APPROVE = "approve"
    ESCALATE = "escalate"
    EDIT_APPROVE = "edit_approve"
    REPORT = "report"
    TAKEDOWN = "takedown"

    @property
    def label(self) -> str:
        """What it did, as the queue's history, audit log and messages say it."""
        return _DECISION_LABELS[self]

    @classmethod
    def moderator_choices(cls) -> tuple[DecisionAction, ...]:
        """The decisions a moderator takes with a button (and a key), in the order the pages show them."""
        return tuple(MODERATOR_CHOICES)


_DECISION_LABELS = {
    DecisionAction.PUBLISH: "Published",
    DecisionAction.HOLD: "Held",
    DecisionAction.HOLD_UNSCORED: "Held: not scored",
    DecisionAction.REJECT: "Rejected",
    DecisionAction.APPROVE: "Approved",
    DecisionAction.ESCALATE: "Sent to legal review",
    DecisionAction.EDIT_APPROVE: "Edited and approved",
    DecisionAction.REPORT: "Reported",
    DecisionAction.TAKEDOWN: "Taken down",
}


@dataclass(frozen=True)
class Choice:
    """A moderator's decision as the queue offers it: its button, keyboard key and what it needs."""

    button: str
    key: str
    help: str
    needs_reason: bool = False
    #: Publishes the text as it stands (the comment page asks first when an edit of it is not saved).
    publishes: bool = False


#: The moderator's choices, each with its button and key (the pages and queue.js read these).
MODERATOR_CHOICES: dict[DecisionAction, Choice] = {
    DecisionAction.APPROVE: Choice("Approve", "a", "Approve (the selected comments, or the current one)", publishes=True),
    DecisionAction.REJECT: Choice("Reject", "r", "Reject: choose the reason, then Enter", needs_reason=True),
    DecisionAction.ESCALATE: Choice("Escalate to legal", "e", "Escalate to legal review"),
}


class TallyMetric(StrEnum):
    """What a daily tally counts (`insight_tallies`): kept as decisions and reports are recorded, so the insights
    page reads a few hundred rows a day whatever the number of comments."""

    #: New comments by their first decision; key "published", "held" or "rejected".
    ARRIVED = "arrived"
    #: Published comments taken down (by a moderator or the site).
    TAKEN_DOWN = "taken_down"
    #: Comments entering (+1) or leaving (-1) the waiting queues: the backlog is their running sum.
    BACKLOG = "backlog"
    #: Moderator decisions; key the account id.
    DECIDED_BY = "decided_by"
    #: Moderator decisions by minutes waited since the comment arrived; key the bucket's upper bound (`WAIT_BUCKETS`).
    WAIT = "wait"
    #: New comments held, by each clause that fired; key the clause id.
    CLAUSE_HELD = "clause_held"
    #: Moderator rejections of a comment a clause held (key the clause), and approvals of one (overturned).
    CLAUSE_UPHELD = "clause_upheld"
    CLAUSE_OVERTURNED = "clause_overturned"
    #: New comments held on a story, and reader reports on it; key the article id.
    ARTICLE_HELD = "article_held"
    ARTICLE_REPORTS = "article_reports"
    #: New comments by detected language or script; key the language.
    LANGUAGE = "language"
    #: Reader reports stored, and how decisions on reported comments ended (key the decision's action).
    REPORTS = "reports"
    REPORT_OUTCOME = "report_outcome"


#: Upper bounds, in minutes, of the time-to-decision buckets (the last one holds everything longer).
WAIT_BUCKETS = (1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 10080, 10**7)
