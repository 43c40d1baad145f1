"""`flask moderation group-comments` and `bench-grouping`."""

from __future__ import annotations

import json

import sqlalchemy as sa

from moderation.db.models import CommentBand, CommentFingerprint, CommentGroup
from tests.services.test_coordination import VARIANTS, comment_input


def test_group_comments_groups_the_sites_recent_comments(db, submit, runner, site):
    for i, text in enumerate(VARIANTS):
        submit(comment_input(f"c{i}", text, author=f"u{i}"))
    db.execute(sa.delete(CommentBand))
    db.execute(sa.delete(CommentFingerprint))
    db.execute(sa.delete(CommentGroup))
    db.commit()
    result = runner.invoke(args=["moderation", "group-comments", "--site", site.name, "--hours", "2"])
    assert result.exit_code == 0, result.output
    assert f"{len(VARIANTS)} comments fingerprinted" in result.output
    assert f"1 groups of near-identical comments ({len(VARIANTS)} comments" in result.output
    assert db.scalar(sa.select(sa.func.count()).select_from(CommentGroup)) == 1


def test_group_comments_names_an_unknown_site(runner):
    result = runner.invoke(args=["moderation", "group-comments", "--site", "Nowhere Times"])
    assert result.exit_code != 0
    assert "no site named 'Nowhere Times'" in result.output


def test_bench_grouping_finds_the_seeded_campaigns(runner):
    result = runner.invoke(args=["moderation", "bench-grouping", "--comments", "2000", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["comments"] == 2000
    # Five campaigns of four copies each are seeded (one word changed, an ending added): most copies are found,
    # and no reader's own comment is taken for one.
    assert 3 <= figures["groups"] <= 5 and 10 <= figures["grouped"] <= 20 and figures["largest"] >= 3
