"""Pre-moderation: everything, links, a new author's first comments; premoderated and banned authors."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from moderation.db.enums import AuthorStatus, CommentStatus, Queue
from moderation.db.models import Author
from moderation.policy.model import Moderation
from tests.services.conftest import comment_input


def _with(policy, **settings):
    return dataclasses.replace(policy, moderation=Moderation(**settings))


def _status(result):
    return result.comment.status, result.comment.queue


def test_premoderate_all_holds_friendly_comments(submit, policy):
    assert _status(submit(policy=_with(policy, premoderate="all"))) == (CommentStatus.PENDING, Queue.REVIEW)


def test_premoderate_links_holds_only_comments_with_links(submit, policy):
    links = _with(policy, premoderate="links")
    own_link = "Background here: https://dailychronicle.in/explainers/budget"
    assert _status(submit(comment_input("c1", own_link), policy=links)) == (CommentStatus.PENDING, Queue.REVIEW)
    assert _status(submit(comment_input("c2"), policy=links)) == (CommentStatus.PUBLISHED, None)


def test_first_comments_of_a_new_author_are_held(submit, policy):
    first_two = _with(policy, premoderate_first_comments=2)
    statuses = [submit(comment_input(f"c{i}"), policy=first_two).comment.status for i in range(3)]
    assert statuses == [CommentStatus.PENDING, CommentStatus.PENDING, CommentStatus.PUBLISHED]


def test_premoderated_author_is_held_and_banned_author_rejected(db, submit):
    submit(comment_input("c1"))
    author = db.scalar(sa.select(Author))
    author.status = AuthorStatus.PREMODERATED
    db.commit()
    assert _status(submit(comment_input("c2"))) == (CommentStatus.PENDING, Queue.REVIEW)
    author.status = AuthorStatus.BANNED
    db.commit()
    result = submit(comment_input("c3"))
    assert _status(result) == (CommentStatus.REJECTED, None)
    assert result.comment.decisions[-1].reason == "author banned"


def test_article_premoderation_holds_its_comments(db, site, submit):
    from moderation.services.comments.articles import update_article

    submit(comment_input("c1"))
    update_article(db, site, "a1", premoderate_all=True)
    assert _status(submit(comment_input("c2"))) == (CommentStatus.PENDING, Queue.REVIEW)
    assert _status(submit(comment_input("c3", article="a2"))) == (CommentStatus.PUBLISHED, None)
