"""Concurrent submissions: one comment per site comment id, and no comment lost under load."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from moderation.db.models import Comment, Decision, Score
from tests.api.conftest import comment_body


def _post_all(app, auth, bodies, workers):
    def post(body):
        with app.test_client() as client:
            response = client.post("/api/v1/comments", json=body, headers=auth)
            return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(post, bodies))


def test_eight_identical_requests_racing_store_one_comment(app, auth, db):
    results = _post_all(app, auth, [comment_body("race")] * 8, workers=8)
    assert sorted(status for status, _ in results) == [200] * 7 + [201]
    assert len({body["id"] for _, body in results}) == 1
    assert len({(body["status"], body["queue"]) for _, body in results}) == 1
    counts = [db.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Comment, Decision, Score)]
    assert counts == [1, 1, 1]


def test_two_hundred_distinct_comments_are_all_stored_each_with_one_decision(app, auth, db):
    bodies = [comment_body(f"c{i}", f"Comment number {i} on the budget debate.") for i in range(200)]
    results = _post_all(app, auth, bodies, workers=32)
    assert [status for status, _ in results] == [201] * 200
    assert db.scalar(sa.select(sa.func.count()).select_from(Comment)) == 200
    per_comment = db.execute(sa.select(Decision.comment_id, sa.func.count()).group_by(Decision.comment_id)).all()
    assert len(per_comment) == 200 and {n for _, n in per_comment} == {1}
    stored = dict(db.execute(sa.select(Comment.external_id, Comment.text)).all())
    assert stored == {b["external_id"]: b["text"] for b in bodies}


def test_concurrent_reports_move_the_comment_once(app, auth, db, client):
    client.post("/api/v1/comments", json=comment_body("popular"), headers=auth)

    def report(i):
        with app.test_client() as c:
            return c.post("/api/v1/comments/popular/reports", json={"reason": "abuse", "reporter_external_id": f"r{i}"},
                          headers=auth).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(report, range(8))) == [201] * 8
    comment = db.scalar(sa.select(Comment))
    assert (comment.report_count, comment.queue.value, comment.hidden) == (8, "reported", True)
    actions = db.scalars(sa.select(Decision.action).order_by(Decision.id)).all()
    assert actions == ["publish", "report"]


def test_one_reader_reporting_concurrently_counts_once(app, auth, db, client):
    client.post("/api/v1/comments", json=comment_body("popular"), headers=auth)

    def report(_):
        with app.test_client() as c:
            return c.post("/api/v1/comments/popular/reports", json={"reason": "abuse", "reporter_external_id": "r1"},
                          headers=auth).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sorted(pool.map(report, range(8))) == [200] * 7 + [201]
    comment = db.scalar(sa.select(Comment))
    assert (comment.report_count, comment.queue, comment.hidden) == (1, None, False)


def test_concurrent_edits_each_become_a_revision(app, auth, db, client):
    from moderation.db.models import CommentRevision

    client.post("/api/v1/comments", json=comment_body("edited"), headers=auth)

    def edit(i):
        with app.test_client() as c:
            return c.put("/api/v1/comments/edited", json={"text": f"Edited text number {i}."}, headers=auth).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(edit, range(4))) == [200] * 4
    numbers = db.scalars(sa.select(CommentRevision.number).order_by(CommentRevision.number)).all()
    assert numbers == [1, 2, 3, 4, 5]
    assert db.scalar(sa.select(Comment.revision)) == 5
