"""The insights page: figures kept as comments arrive and are decided, drawn as SVG with the table behind each
chart, its CSV matching the table; editors see the newsroom's figures, moderators their own."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa

from tests.queue.conftest import csrf_of

FRIENDLY = "Thoughtful piece on the monsoon session, thank you."
INSULT = "You are an idiot and so is your editor"


def _body(external_id, text, article="a1"):
    return {"external_id": external_id, "text": text,
            "article": {"external_id": article, "url": f"https://dailychronicle.in/{article}", "title": f"Story {article}"},
            "author": {"external_id": f"u-{external_id}", "display_name": "Reader"}}


@pytest.fixture
def traffic(client, auth, fixed_scorer, as_role):
    """Four comments (three published, one held on story a2), three readers reporting one of the published ones
    to the Reported queue, and a moderator rejecting the held one and approving the reported one."""
    for i in range(3):
        assert client.post("/api/v1/comments", json=_body(f"ok{i}", f"{FRIENDLY} ({i})"), headers=auth).status_code == 201
    held = client.post("/api/v1/comments", json=_body("bad", INSULT, "a2"), headers=auth).get_json()
    assert held["status"] == "pending"
    for reader in ("r1", "r2", "r3"):
        assert client.post("/api/v1/comments/ok0/reports", json={"reason": "spam", "reporter_external_id": reader},
                           headers=auth).status_code == 201
    reported = client.get("/api/v1/comments/ok0", headers=auth).get_json()
    moderator = as_role("moderator")
    token = csrf_of(moderator.get("/queue/q/pending").text)
    for item, verb in ((f"{held['id']}@pending:review:1", "reject"), (f"{reported['id']}@published:reported:1", "approve")):
        decided = moderator.post("/queue/decide", data={"item": [item], "verb": verb, "reason": "personal_attack",
                                                         "csrf_token": token}, follow_redirects=True)
        assert "comment." in decided.text or "1 comment" in decided.text, decided.text
    return held


def _table(html, chart_id):
    """The rows of a chart's data table as the page shows them."""
    figure = re.search(rf'<figure[^>]*data-chart="{chart_id}".*?</figure>', html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", figure, re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
            for r in rows]


def test_editors_see_every_chart_with_its_table_and_csv(traffic, as_role):
    admin = as_role("admin")
    page = admin.get("/queue/insights")
    assert page.status_code == 200
    html = page.text
    for chart_id in ("outcomes", "held-share", "backlog", "time-to-decision", "moderators", "clauses", "stories",
                     "languages", "reports"):
        assert f'data-chart="{chart_id}"' in html
    outcomes = _table(html, "outcomes")
    assert outcomes[0] == ["Day", "Published", "Held", "Rejected", "Taken down"]
    today = outcomes[-1]
    assert today[1:] == ["3", "1", "0", "0"]
    assert _table(html, "moderators")[1] == ["priya.moderator@chronicle.in", "2"]
    assert _table(html, "reports")[1:] == [["Approved", "1"]]
    clauses = {r[0]: r[1:] for r in _table(html, "clauses")[1:]}
    assert clauses["personal_attack"] == ["1", "1", "0", "100.0"]
    stories = {r[0]: r[1:] for r in _table(html, "stories")[1:]}
    assert stories["Story a2 · Daily Chronicle"] == ["1", "0"]
    assert stories["Story a1 · Daily Chronicle"] == ["0", "3"]
    assert _table(html, "backlog")[-1] == [today[0], "0"]  # held, then decided
    assert "<svg" in html and "<rect" in html and "<polyline" in html
    assert "<script>" not in html and "style=" not in html

    for chart_id in ("outcomes", "clauses", "moderators"):
        link = re.search(rf'href="(/queue/insights/{chart_id}\.csv[^"]*)"', html).group(1).replace("&amp;", "&")
        response = admin.get(link)
        assert response.mimetype == "text/csv"
        assert list(csv.reader(io.StringIO(response.text))) == _table(html, chart_id)


def test_moderators_see_only_their_own_figures(traffic, as_role):
    html = as_role("moderator").get("/queue/insights").text
    assert 'data-chart="my-decisions"' in html
    assert 'data-chart="moderators"' not in html and 'data-chart="outcomes"' not in html
    assert _table(html, "my-decisions")[-1][1] == "2"
    assert as_role("moderator").get("/queue/insights/outcomes.csv").status_code == 404


def test_a_range_and_a_site_filter_the_figures(traffic, as_role):
    admin = as_role("admin")
    html = admin.get("/queue/insights?start=2020-01-01&end=2020-01-31").text
    assert len(_table(html, "outcomes")) == 32  # the header and 31 days
    assert all(r[1:] == ["0", "0", "0", "0"] for r in _table(html, "outcomes")[1:])
    assert admin.get("/queue/insights?site=999").status_code == 200


def test_a_range_not_understood_is_said_and_the_default_shown(as_role):
    html = as_role("admin").get("/queue/insights?start=2026-02-01&end=2026-01-01").text
    assert "The range was not understood" in html
    assert len(_table(html, "outcomes")) == 31


def test_the_page_keeps_the_content_security_policy(as_role):
    from moderation.queue.headers import CSP

    response = as_role("admin").get("/queue/insights")
    assert response.headers["Content-Security-Policy"] == CSP


@pytest.fixture
def surging(app, make_site):
    """A story the surge watch flagged and pre-moderated."""
    from moderation.db.base import utcnow
    from moderation.db.models import Article
    from moderation.extensions import database

    site = make_site()
    with app.app_context():
        session = database().sessions()
        article = Article(site_id=site.id, external_id="hot", url="https://dailychronicle.in/hot", title="Riots story",
                          premoderate_all=True, surge_at=utcnow(), surge_reason="60% of 20 comments held in 60 min")
        session.add(article)
        session.commit()
        article_id = article.id
        session.close()
    return article_id


def test_editors_see_the_surge_watch_and_lift_it(surging, as_role, query):
    from moderation.db.models import Article

    admin = as_role("admin")
    page = admin.get("/queue/insights")
    assert f'data-surge="{surging}"' in page.text and "60% of 20 comments held in 60 min" in page.text
    moderator = as_role("moderator")
    own = moderator.get("/queue/insights").text
    assert "data-surge=" not in own
    refused = moderator.post(f"/queue/insights/surge/{surging}/lift", data={"csrf_token": csrf_of(own)})
    assert refused.status_code == 403
    done = admin.post(f"/queue/insights/surge/{surging}/lift", data={"csrf_token": csrf_of(page.text)},
                      follow_redirects=True)
    assert "Surge watch lifted" in done.text
    assert query(lambda s: (lambda a: (a.surge_at, a.premoderate_all))(s.get(Article, surging))) == (None, False)
    assert f'data-surge="{surging}"' not in done.text


def test_rebuilding_the_tallies_from_the_log_gives_what_recording_kept(traffic, runner, query):
    from moderation.db.base import utcnow
    from moderation.db.models import InsightStoryMonth, InsightTally

    def tallies(session):
        # A tally that went up and down again (the backlog) reads 0: the same as no row.
        daily = sorted((t.metric, t.day, t.key, t.count) for t in session.scalars(sa.select(InsightTally)) if t.count)
        monthly = sorted((t.metric, t.month, t.key, t.count) for t in session.scalars(sa.select(InsightStoryMonth)))
        return daily, monthly

    kept = query(tallies)
    assert kept[0]
    assert {m for m, *_rest in kept[1]} == {"article_held", "article_reports"}
    since = utcnow().date().isoformat()
    result = runner.invoke(args=["moderation", "rebuild-tallies", "--site", "Daily Chronicle", "--since", since])
    assert result.exit_code == 0, result.output
    assert "recounted from 7 decisions" in result.output
    assert query(tallies) == kept
