"""The queue pages: risk order, filters, live counts, the comment at a glance, and the audit log with CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from tests.queue.conftest import clause, csrf_of


def _order(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="item[^"]*" data-id="(\d+)"', html)]


def test_queue_is_ordered_by_risk_then_oldest_first_on_request(as_role, place):
    mild = place("mild", clauses=[clause("personal_attack", 0.55)], age=timedelta(hours=5))
    nothing = place("unscored", age=timedelta(hours=9))
    severe = place("severe", clauses=[clause("obscene", 0.62, action="reject")], age=timedelta(minutes=2))
    strong = place("strong", clauses=[clause("inflammatory", 0.91)], age=timedelta(hours=1))
    client = as_role("moderator")
    assert _order(client.get("/queue/q/pending").text) == [severe, strong, mild, nothing]
    assert _order(client.get("/queue/q/pending?order=oldest").text) == [nothing, mild, strong, severe]


def test_each_item_shows_its_age_clauses_author_and_article(as_role, place):
    place(
        "Shows its age",
        clauses=[clause("outside_links", 0.83)],
        age=timedelta(hours=3),
        author="Anjali Nair",
        article="Budget 2026: what changes",
    )
    page = as_role("moderator").get("/queue/q/pending").text
    assert "3 h old" in page and "outside links" in page and "83%" in page
    assert "Anjali Nair" in page and "Budget 2026: what changes" in page


def test_filters_narrow_the_queue(as_role, place, query):
    import sqlalchemy as sa

    from moderation.db.models import Article

    a = place(
        "hindi one", language="hi-deva", article="Article A", author="Kavita Singh", clauses=[clause("obscene", 0.7)]
    )
    b = place(
        "english 100% sure",
        language="en",
        article="Article B",
        author="Rohan Das",
        clauses=[clause("personal_attack", 0.7)],
    )
    client = as_role("moderator")
    article_b = query(lambda s: s.scalar(sa.select(Article.id).where(Article.title == "Article B")))
    assert _order(client.get("/queue/q/pending?language=hi-deva").text) == [a]
    assert _order(client.get("/queue/q/pending?clause=personal_attack").text) == [b]
    assert _order(client.get(f"/queue/q/pending?article={article_b}").text) == [b]
    assert _order(client.get("/queue/q/pending?author=kavita").text) == [a]
    assert _order(client.get("/queue/q/pending?q=100%25").text) == [b]  # % is a literal, not a wildcard
    assert _order(client.get("/queue/q/pending?q=%25").text) == [b]
    assert _order(client.get("/queue/q/pending?q=nothing+like+this").text) == []
    assert "were not understood" in client.get("/queue/q/pending?clause=bogus").text


def test_live_counts_cover_every_queue(as_role, place):
    place("p1")
    place("p2")
    place("r1", status="published", queue="reported", reports=4)
    place("l1", queue="legal")
    place("ok", status="published", queue=None)
    place("no", status="rejected", queue=None)
    place("td", status="taken_down", queue=None)
    counts = as_role("moderator").get("/queue/counts").get_json()
    assert counts == {"pending": 2, "reported": 1, "legal": 1, "approved": 1, "rejected": 1, "taken_down": 1}


def test_unknown_queue_is_not_found(as_role):
    assert as_role("moderator").get("/queue/q/everything").status_code == 404


def test_comment_page_shows_evidence_scores_context_and_history(as_role, place):
    parent = place("The first reply in the thread", author="Farhan Ali", status="published", queue=None)
    text = "Farhan you idiot, read http://spam.example"
    cid = place(
        text,
        parent_id=parent,
        author="Vikram Rao",
        reports=2,
        labels={"toxicity": 0.88, "insult": 0.81},
        clauses=[
            clause("personal_attack", 0.81, spans=((11, 16, "idiot"),), reason="Insults another reader."),
            clause("outside_links", 0.99, action="reject", spans=((23, 42, "http://spam.example"),)),
        ],
    )
    place("An older approved comment", author="Vikram Rao", status="published", queue=None)
    place("An older rejected comment", author="Vikram Rao", status="rejected", queue=None)
    page = as_role("moderator").get(f"/queue/c/{cid}").text
    assert '<mark class="ev ev-personal_attack" title="personal_attack">idiot</mark>' in page
    assert '<mark class="ev ev-outside_links" title="outside_links">http://spam.example</mark>' in page
    assert "No personal attacks" in page and "Insults another reader." in page and "81%" in page
    assert "toxicity" in page and "88%" in page and "insult" in page
    assert 'href="https://dailychronicle.in/story/' in page and "Monsoon session opens" in page
    assert "In reply to Farhan Ali" in page and "The first reply in the thread" in page
    stats = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page))
    assert stats == {"Comments": "3", "Approved": "1", "Rejected": "1", "Taken down": "0", "Reports against": "0"}
    assert "An older rejected comment" in page


def test_reader_reports_are_listed_with_their_reasons(app, as_role, place):
    from moderation.db.models import Report
    from moderation.extensions import database

    cid = place("Reported comment", status="published", queue="reported", reports=1)
    with app.app_context():
        session = database().sessions()
        session.add(Report(comment_id=cid, reason="abusive", note="attacks a named reader"))
        session.commit()
        session.close()
    page = as_role("moderator").get(f"/queue/c/{cid}").text
    assert "Reader reports (1)" in page and "abusive" in page and "attacks a named reader" in page


def test_hostile_text_is_escaped_everywhere(as_role, place):
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    cid = place(
        payload,
        author='<b onmouseover="alert(3)">x</b>',
        article='"><svg onload=alert(4)>',
        clauses=[clause("obscene", 0.9, spans=((0, 8, "<script>"),))],
    )
    client = as_role("moderator")
    for html in (client.get("/queue/q/pending").text, client.get(f"/queue/c/{cid}").text):
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
        assert "<b onmouseover" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;script&gt;" in html


def test_article_links_other_than_http_are_not_linked(app, as_role, place):
    import sqlalchemy as sa

    from moderation.db.models import Article
    from moderation.extensions import database

    cid = place("Look here")
    with app.app_context():
        session = database().sessions()
        session.execute(sa.update(Article).values(url="javascript:alert(document.cookie)"))
        session.commit()
        session.close()
    page = as_role("moderator").get(f"/queue/c/{cid}").text
    assert "javascript:" not in page


def _decide(client, cid, verb, **extra):
    token = csrf_of(client.get("/queue/q/pending").text)
    client.post("/queue/decide", data={"item": f"{cid}@pending:review:1", "verb": verb, "csrf_token": token, **extra})


def test_audit_log_lists_decisions_and_filters_them(as_role, place, accounts):
    first, second = place("one"), place("two")
    _decide(as_role("moderator"), first, "approve")
    _decide(as_role("admin"), second, "reject", reason="other", note='=HYPERLINK("http://x")')
    legal = as_role("legal")
    page = legal.get("/queue/audit").text
    assert accounts["moderator"] in page and accounts["admin"] in page
    assert "default" in page and "bundled-minilm" in page
    only_admin = legal.get(f"/queue/audit?who={accounts['admin']}").text
    assert accounts["moderator"] not in only_admin.split("<tbody>")[1]
    only_approvals = legal.get("/queue/audit?action=approve").text.split("<tbody>")[1]
    assert accounts["admin"] not in only_approvals and accounts["moderator"] in only_approvals


def test_audit_csv_export_has_every_column_and_defuses_formulas(as_role, place, accounts):
    cid = place("three")
    _decide(as_role("moderator"), cid, "reject", reason="other", note='=HYPERLINK("http://x")')
    response = as_role("admin").get("/queue/audit.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 1
    row = rows[0]
    assert row["who"] == accounts["moderator"] and row["action"] == "reject" and row["reason"] == "other"
    assert row["note"].startswith("'=")
    assert row["policy"] == "default" and row["model"] == "bundled-minilm" and row["model_version"] == "1.0"
    assert row["comment_id"] == str(cid) and row["to_status"] == "rejected"
