"""An edit is scored without a lock: what happens to the comment meanwhile must not be undone by the edit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
import sqlalchemy as sa

from moderation.db.enums import CommentStatus, DecisionAction, Queue
from moderation.db.models import Comment, CommentRevision, Decision
from moderation.services.comments.edit import edit_comment
from moderation.services.comments.records import record_decision
from moderation.services.comments.report import report_comment
from moderation.services.comments.takedown import takedown_comment
from moderation.services.errors import ConflictError
from tests.services.conftest import FRIENDLY

EDITED = "Reworded politely, with a source for the figures."


class MidScoring:
    """The real scorer, with something else happening to the comment (once) while it scores."""

    def __init__(self, scorer: Any, during: Callable[[], None]) -> None:
        self._scorer, self._during = scorer, during

    def __getattr__(self, name: str) -> Any:
        return getattr(self._scorer, name)

    def score(self, texts: Sequence[str]) -> list[Any]:
        during, self._during = self._during, lambda: None
        during()
        return list(self._scorer.score(texts))


@pytest.fixture
def elsewhere(app: Any) -> Callable[[Callable[[Any], None]], Callable[[], None]]:
    """Run `change(session)` in a session of its own (another request), committing it."""
    from moderation.extensions import database

    def wrap(change: Callable[[Any], None]) -> Callable[[], None]:
        def run() -> None:
            with app.app_context():
                session = database().sessions()
                try:
                    change(session)
                    session.commit()
                finally:
                    session.close()

        return run

    return wrap


def _state(db: Any) -> tuple[Any, ...]:
    db.expire_all()
    comment = db.scalar(sa.select(Comment))
    revisions = db.scalar(sa.select(sa.func.count()).select_from(CommentRevision))
    return comment.status, comment.queue, comment.hidden, comment.text, revisions


def test_a_takedown_while_the_edit_is_scored_wins(db, scorer, policy, site, submit, elsewhere):
    submit()
    racing = MidScoring(scorer, elsewhere(lambda s: takedown_comment(s, site, "c1", reason="court order")))
    with pytest.raises(ConflictError, match="taken down"):
        edit_comment(db, racing, policy, site, "c1", EDITED, timeout_s=30)
    assert _state(db) == (CommentStatus.TAKEN_DOWN, None, True, FRIENDLY, 1)


def test_a_moderator_decision_while_the_edit_is_scored_is_kept(db, scorer, policy, site, submit, elsewhere):
    submit()

    def escalate(session: Any) -> None:
        comment = session.scalar(sa.select(Comment))
        record_decision(session, comment, to_status=CommentStatus.PENDING, to_queue=Queue.LEGAL, action=DecisionAction.ESCALATE,
                        actor="user:7", user_id=None, reason="possible contempt", hidden=True)

    with pytest.raises(ConflictError, match="escalate by user:7"):
        edit_comment(db, MidScoring(scorer, elsewhere(escalate)), policy, site, "c1", EDITED, timeout_s=30)
    assert _state(db) == (CommentStatus.PENDING, Queue.LEGAL, True, FRIENDLY, 1)
    # Sent again, the edit is based on the moderator's decision and goes through.
    comment = edit_comment(db, scorer, policy, site, "c1", EDITED, timeout_s=30).comment
    assert (comment.revision, comment.text) == (2, EDITED)


def test_reports_hiding_the_comment_while_the_edit_is_scored_are_kept(db, scorer, policy, site, submit, elsewhere):
    submit()

    def report_three_times(session: Any) -> None:
        for reader in ("r1", "r2", "r3"):
            report_comment(session, policy, site, "c1", reason="abuse", reporter_external_id=reader)

    with pytest.raises(ConflictError, match="report by site"):
        edit_comment(db, MidScoring(scorer, elsewhere(report_three_times)), policy, site, "c1", EDITED,
                     timeout_s=30)
    assert _state(db) == (CommentStatus.PUBLISHED, Queue.REPORTED, True, FRIENDLY, 1)


def test_an_automatic_decision_meanwhile_is_no_conflict(db, scorer, policy, site, submit, elsewhere):
    submit()
    other = elsewhere(lambda s: edit_comment(s, scorer, policy, site, "c1", "An earlier edit.", timeout_s=30))
    comment = edit_comment(db, MidScoring(scorer, other), policy, site, "c1", EDITED, timeout_s=30).comment
    assert (comment.revision, comment.text, comment.status) == (3, EDITED, CommentStatus.PUBLISHED)
    assert db.scalars(sa.select(Decision.actor)).all() == ["system"] * 3
