"""A small newsroom's history, built through the real services on fixed scores, whose agreement figures are
worked out by hand in tests/services/test_learning.py.

| comment | text (fixed scores)                          | policy                 | people                                    |
|---------|----------------------------------------------|------------------------|-------------------------------------------|
| c1      | "You are an idiot"                           | held: personal_attack  | rejected for personal_attack               |
| c2      | "Muslim voters are no idiot, read the data"  | held: personal_attack  | approved                                   |
| c3      | "Only an idiot would write this"             | held: personal_attack  | rejected for "other" (with a note)         |
| c4      | "The opposition will kill this bill"         | held: threats          | approved                                   |
| c5      | "Great reporting, as always." (reported)     | published              | rejected for personal_attack (taken down)  |
| c6      | "Thank you for covering the floods."         | published              | taken down by the site for "obscene"       |
| c7      | "Idiot minister, stupid plan"                | held: personal_attack  | escalated, then rejected for personal_attack by legal |
| c8      | "A fucking disgrace"                         | rejected (obscene)     | nobody                                     |
| c9      | "Lovely photos from the Kochi fort"          | published              | nobody                                     |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moderation.db.enums import DecisionAction
from moderation.services.comments.takedown import takedown_comment
from moderation.services.queue.accounts import Moderator, create_user
from moderation.services.queue.decide import ModeratorChoice, Seen, decide_comment
from tests.services.conftest import comment_input

TEXTS = {
    "c1": "You are an idiot",
    "c2": "Muslim voters are no idiot, read the data",
    "c3": "Only an idiot would write this",
    "c4": "The opposition will kill this bill",
    "c5": "Great reporting, as always.",
    "c6": "Thank you for covering the floods.",
    "c7": "Idiot minister, stupid plan",
    "c8": "A fucking disgrace",
    "c9": "Lovely photos from the Kochi fort",
}
AUTHOR_NAME = "Priya Sharma"  # every comment's author, as tests/services/conftest.comment_input names them


@dataclass
class Newsroom:
    comments: dict[str, Any]
    moderator: Moderator
    legal: Moderator


def _decide(db: Any, policies: Any, who: Moderator, comment: Any, action: DecisionAction, reason: str = "",
            note: str | None = None) -> None:
    db.refresh(comment)
    seen = Seen(comment.status, comment.queue, comment.revision)
    decide_comment(db, policies, who, comment.id, seen, ModeratorChoice(action, reason, note))


def build_newsroom(db: Any, submit: Any, policies: Any, site: Any) -> Newsroom:
    """Submit the comments and take the moderators' and the site's decisions in the table's order."""
    moderator = create_user(db, "kavya.moderator@chronicle.in", "moderator", "correct horse battery staple")
    legal = create_user(db, "rohan.legal@chronicle.in", "legal", "correct horse battery staple")
    comments = {cid: submit(comment_input(cid, text, author=f"reader-{cid}")).comment for cid, text in TEXTS.items()}
    _decide(db, policies, moderator, comments["c1"], DecisionAction.REJECT, "personal_attack")
    _decide(db, policies, moderator, comments["c2"], DecisionAction.APPROVE)
    _decide(db, policies, moderator, comments["c3"], DecisionAction.REJECT, "other", "rude")
    _decide(db, policies, moderator, comments["c4"], DecisionAction.APPROVE)
    _decide(db, policies, moderator, comments["c5"], DecisionAction.REJECT, "personal_attack")
    takedown_comment(db, site, "c6", reason="obscene")
    _decide(db, policies, moderator, comments["c7"], DecisionAction.ESCALATE)
    _decide(db, policies, legal, comments["c7"], DecisionAction.REJECT, "personal_attack")
    return Newsroom(comments, moderator, legal)
