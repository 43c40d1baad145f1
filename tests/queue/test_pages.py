"""The queue pages: risk order, filters, live counts, the comment at a glance, and the audit log with CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import sqlalchemy as sa

from tests.queue.conftest import clause, csrf_of


def _order(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="item[^"]*" data-id="(\d+)"', html)]


def test_queue_is_ordered_by_risk_then_oldest_first_on_request(as_role, place):
    mild = place("mild", clauses=[clause("personal_attack", 0.55)], age=timedelta(hours=5))
    nothing = place("unscored", age=timedelta(hours=9))
    severe = place("severe", clauses=[clause("obscene", 0.62, action="reject")], age=timedelta(minutes=2))
    strong = place("strong", clauses=[clause("personal_attack", 0.91)], age=timedelta(hours=1))
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


def test_an_author_chosen_by_a_click_is_shown_and_a_typed_one_replaces_it(as_role, place, query):

    from moderation.db.models import Author

    a = place("by Kavita", author="Kavita Singh")
    b = place("by Rohan", author="Rohan Das")
    kavita = query(lambda s: s.scalar(sa.select(Author.id).where(Author.display_name == "Kavita Singh")))
    client = as_role("moderator")
    page = client.get(f"/queue/q/pending?author_id={kavita}").text
    assert _order(page) == [a]
    assert "Only comments by <bdi>Kavita Singh</bdi>" in page and 'href="/queue/q/pending">all authors' in page
    assert _order(client.get(f"/queue/q/pending?author_id={kavita}&author=rohan").text) == [b]
    assert '<span class="total">1</span>' in page  # a filtered total is not the queue's live count


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
    assert "In reply to <bdi>Farhan Ali</bdi>" in page and "The first reply in the thread" in page
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


def test_times_and_audit_days_are_the_newsrooms(app, as_role, place, query, monkeypatch):
    """With QUEUE_TIMEZONE=Asia/Kolkata a decision at 20:00 UTC on 1 Dec is shown, and filtered, as 01:30 IST on 2 Dec."""
    from moderation.db.models import Decision

    monkeypatch.setitem(app.config, "QUEUE_TIMEZONE", "Asia/Kolkata")
    cid = place("late night")
    _decide(as_role("moderator"), cid, "approve")
    evening = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    query(lambda s: (s.execute(sa.update(Decision).where(Decision.comment_id == cid).values(created_at=evening)),
                     s.commit()))
    legal = as_role("legal")
    assert "2026-12-02 01:30 IST" in legal.get("/queue/audit").text
    assert "2026-12-02 01:30 IST" in legal.get(f"/queue/c/{cid}").text
    assert "01:30 IST" not in legal.get("/queue/audit?until=2026-12-01").text
    on_the_2nd = legal.get("/queue/audit?since=2026-12-02&until=2026-12-02").text
    assert "2026-12-02 01:30 IST" in on_the_2nd
    assert "Days and times are in Asia/Kolkata time" in on_the_2nd


def test_the_claim_note_gives_the_time_in_the_newsrooms_zone(app, as_role, place, accounts, monkeypatch):
    monkeypatch.setitem(app.config, "QUEUE_TIMEZONE", "Asia/Kolkata")
    cid = place("Claim me")
    as_role("moderator").get(f"/queue/c/{cid}")
    note = as_role("admin").get(f"/queue/c/{cid}").text
    assert re.search(rf"{re.escape(accounts['moderator'])} is reviewing this comment until \d\d:\d\d IST", note)


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


def test_risk_ranks_threats_first_and_harms_above_link_checks_whatever_their_scores(as_role, place):
    link = place("read https://spam.example", clauses=[clause("outside_links", 1.0)], age=timedelta(hours=3))
    threat = place("we will burn your house", clauses=[clause("threats", 0.6)], age=timedelta(hours=1))
    group = place("they are all traitors", clauses=[clause("inflammatory", 0.98)], age=timedelta(hours=5))
    weak_harm = place("you fool", clauses=[clause("personal_attack", 0.61)], age=timedelta(hours=2))
    banned = place("obscene words", clauses=[clause("obscene", 0.6, action="reject")], age=timedelta(minutes=1))
    both = place(
        "idiot, see https://x.example",
        clauses=[clause("outside_links", 1.0), clause("personal_attack", 0.7)],
        age=timedelta(hours=4),
    )
    page = as_role("moderator").get("/queue/q/pending").text
    assert _order(page) == [threat, group, banned, both, weak_harm, link]
    row = page[page.index(f'data-id="{both}"') :]
    assert row.index("personal attack") < row.index("outside links")  # the chip that ranks it comes first


def _fired(name: str, score: float, *signals: str, action: str = "review") -> dict:
    return {**clause(name, score, action=action), "signals": list(signals)}


def test_harm_comes_before_score_threats_then_hate_then_attacks_then_links(as_role, place):
    """The ladder of the issue a moderator filed: "I will break his legs" came 10th behind name-calling."""
    insults = [
        place(f"you utter clown #{i}", clauses=[_fired("personal_attack", 0.93 + i / 100, "insult")]) for i in range(5)
    ]
    rejected_insult = place("moron", clauses=[_fired("personal_attack", 0.99, "insult", action="reject")])
    legs = place("I will break his legs", clauses=[_fired("threats", 0.8, "threat")])
    # A threat a detector found under a milder clause still ranks as a threat.
    found_threat = place("someone should hang them", clauses=[_fired("personal_attack", 0.85, "threat")])
    vermin = place("they are vermin", clauses=[_fired("inflammatory", 0.8, "dehumanising")])
    swearing = place("f*** this", clauses=[_fired("obscene", 0.7, "suspect_words")])
    link = place("see https://x.example", clauses=[_fired("outside_links", 1.0, "links")])
    page = as_role("moderator").get("/queue/q/pending").text
    order = _order(page)
    assert order[:3] == [found_threat, legs, vermin]
    assert set(order[3:10]) == {*insults, rejected_insult, swearing} and order[3] == rejected_insult
    assert order[-1] == link
    legs_row = page[page.index(f'data-id="{legs}"') :]
    assert re.search(r"threats\s*<span class=\"signal\">· threat</span>", legs_row[:2000])
    vermin_row = page[page.index(f'data-id="{vermin}"') :]
    assert re.search(r"inflammatory\s*<span class=\"signal\">· dehumanising</span>", vermin_row[:2000])


def test_the_comment_page_marks_detector_findings_apart_from_model_scores(as_role, place):
    cid = place(
        "I will break his legs",
        clauses=[{**_fired("threats", 0.8, "threat"), "spans": [{"start": 7, "end": 21, "text": "break his legs"}]}],
        labels={"threat": 0.01, "toxicity": 0.2},
    )
    page = as_role("moderator").get(f"/queue/c/{cid}").text
    table = page[page.index("What the rules and the model found") :]
    table = table[: table.index("</table>")]
    finding = table[table.index('data-finding="threat"') :]
    finding = finding[: finding.index("</tr>")]
    assert ">rule<" in finding and "break his legs" in finding and "%" not in finding
    model_row = table[table.index('data-label="threat"') :]
    assert "model" in model_row[: model_row.index("</tr>")]
    assert table.index('data-finding="threat"') < table.index('data-label="threat"')
    assert "threats <span class=\"signal\">· threat</span>" in page


def test_pages_follow_the_page_size_setting_and_cover_every_comment(app, as_role, place, monkeypatch):
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    ids = [place(f"comment {i}", clauses=[clause("obscene", 0.5 + i / 100)]) for i in range(5)]
    client = as_role("moderator")
    seen = []
    for n in (1, 2, 3):
        page = client.get(f"/queue/q/pending?page={n}").text
        assert f"Page {n} of 3" in page and '<span class="total" data-count="pending">5</span>' in page
        seen += _order(page)
    assert seen == ids[::-1]


def _backlog(query, template_id, n):
    """n more pending comments like `template_id`, written in one statement, oldest first."""

    from moderation.db.models import Comment

    def insert(session):
        t = session.get(Comment, template_id)
        start = datetime.now(UTC) - timedelta(days=30)
        session.execute(
            sa.insert(Comment),
            [
                dict(
                    site_id=t.site_id,
                    external_id=f"bulk-{i}",
                    article_id=t.article_id,
                    author_id=t.author_id,
                    text=f"backlog {i}",
                    request_sha256="0" * 64,
                    revision=1,
                    status=t.status,
                    queue=t.queue,
                    scored=True,
                    language="en",
                    report_count=0,
                    created_at=start + timedelta(seconds=i),
                    updated_at=start + timedelta(seconds=i),
                )
                for i in range(n)
            ],
        )
        session.commit()

    query(insert)


def test_a_backlog_past_two_thousand_is_counted_and_paged_whole(as_role, place, query):
    newest = place("the newest comment", age=timedelta(seconds=1))
    _backlog(query, newest, 2050)
    client = as_role("moderator")
    first = client.get("/queue/q/pending?order=oldest").text
    assert '<span class="total" data-count="pending">2051</span>' in first and "Page 1 of 42" in first
    last = client.get("/queue/q/pending?order=oldest&page=42").text
    assert _order(last)[-1] == newest
    assert _order(client.get("/queue/q/pending?q=newest").text) == [newest]


def test_a_comment_page_keeps_the_place_in_the_list(app, as_role, place, query, monkeypatch):
    import html

    from moderation.db.models import Article

    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    a = [place(f"on A {i}", article="Article A", age=timedelta(hours=10 - i)) for i in range(4)]
    place("on B", article="Article B", age=timedelta(hours=20))
    art = query(lambda s: s.scalar(sa.select(Article.id).where(Article.title == "Article A")))
    client = as_role("moderator")
    listing = html.unescape(client.get(f"/queue/q/pending?article={art}&order=oldest&page=2").text)
    assert _order(listing) == [a[2], a[3]]
    link = f"/queue/c/{a[2]}?article={art}&order=oldest&page=2&list=pending"
    assert f'href="{link}"' in listing
    page = html.unescape(client.get(link).text)
    assert f'href="/queue/q/pending?article={art}&order=oldest&page=2"' in page  # back to that list page
    assert f'href="/queue/c/{a[1]}?article={art}&order=oldest&page=2&list=pending">Previous' in page
    assert f'href="/queue/c/{a[3]}?article={art}&order=oldest&page=2&list=pending">Next' in page
    # Previous crosses to page 1: its back link says so.
    previous = html.unescape(client.get(f"/queue/c/{a[1]}?article={art}&order=oldest&page=2&list=pending").text)
    assert f'href="/queue/q/pending?article={art}&order=oldest">' in previous
    token = csrf_of(page)
    back = re.search(r'name="back" value="([^"]+)"', page).group(1)
    assert back == f"/queue/c/{a[3]}?article={art}&order=oldest&page=2&list=pending"
    response = client.post(
        "/queue/decide", data={"csrf_token": token, "item": f"{a[2]}@pending:review:1", "verb": "approve", "back": back}
    )
    assert response.headers["Location"] == back


def test_previous_and_next_follow_the_risk_order_and_its_filters(app, as_role, place, monkeypatch):
    import html

    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    low = place("low", clauses=[clause("personal_attack", 0.55)], age=timedelta(hours=9))
    link = place("link", clauses=[clause("outside_links", 1.0)], age=timedelta(hours=8))
    high = place("high", clauses=[clause("personal_attack", 0.9)], age=timedelta(hours=1))
    tie = place("tie", clauses=[clause("personal_attack", 0.55), clause("obscene", 0.5)], age=timedelta(hours=10))
    client = as_role("moderator")
    page = html.unescape(client.get(f"/queue/c/{tie}?list=pending").text)
    assert f'href="/queue/c/{high}?list=pending">Previous' in page  # a higher score first
    assert f'href="/queue/c/{low}?list=pending">Next' in page  # the same score: the older first
    last = html.unescape(client.get(f"/queue/c/{link}?list=pending").text)
    assert 'rel="next"' not in last and f'href="/queue/c/{low}?page=2&list=pending">Previous' in last
    obscene = html.unescape(client.get(f"/queue/c/{tie}?clause=obscene&list=pending").text)
    assert 'rel="prev"' not in obscene and 'rel="next"' not in obscene  # alone on that filtered list


def test_audit_links_carry_only_the_filters(as_role):
    client = as_role("legal")
    assert client.get("/queue/audit?_method=POST").status_code == 200
    page = client.get("/queue/audit?_anchor=evil&_external=1&_scheme=javascript&who=system&page=2").text
    assert "#evil" not in page and "http://" not in page and "javascript" not in page
    assert 'href="/queue/audit.csv?who=system"' in page


def test_unknown_queue_addresses_get_the_queue_error_page_and_headers(as_role, client):
    for response in (client.get("/queue/no/such/page"), as_role("moderator").get("/queue/decide")):
        assert response.status_code in (404, 405)
        assert "Back to the queues" in response.text
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
    elsewhere = client.get("/api/v1/no-such-thing")
    assert elsewhere.status_code == 404 and "Content-Security-Policy" not in elsewhere.headers


def test_a_decided_list_shows_its_most_recent_decisions_and_filters_search_them_all(as_role, place, monkeypatch):
    from moderation.services.queue import lists as queue_lists

    monkeypatch.setattr(queue_lists, "DECIDED_LIMIT", 2)
    old, mid, new = (place(f"approved {age}h ago", status="published", queue=None, age=timedelta(hours=age))
                     for age in (30, 20, 10))
    client = as_role("moderator")
    assert sorted(_order(client.get("/queue/q/approved?order=oldest").text)) == sorted([mid, new])
    assert _order(client.get("/queue/q/approved?q=30h").text) == [old]


def test_a_comment_held_without_a_clause_says_why_it_is_here(as_role, place, query):
    from moderation.db.enums import CommentStatus, DecisionAction, Queue
    from moderation.db.models import Comment
    from moderation.services.comments.records import record_decision

    cid = place("A calm comment by a pre-moderated author", author="\u202eNamrata")

    def hold(session):
        record_decision(session, session.get(Comment, cid), to_status=CommentStatus.PENDING, to_queue=Queue.REVIEW,
                        action=DecisionAction.HOLD, actor="system", reason="author premoderated")
        session.commit()

    query(hold)
    page = as_role("moderator").get(f"/queue/c/{cid}").text
    assert "No guideline clause fired. It is here because of its latest decision: author premoderated." in page
    assert "Comment by <bdi>\u202eNamrata</bdi>" in page  # a right-to-left override stays inside the name


def test_decided_lists_open_newest_first_and_keep_an_order_chosen(as_role, place):
    old = place("decided long ago", status="published", queue=None, age=timedelta(days=3))
    new = place("decided just now", status="published", queue=None, age=timedelta(minutes=1))
    mid = place("decided yesterday", status="published", queue=None, age=timedelta(days=1))
    client = as_role("moderator")
    page = client.get("/queue/q/approved").text
    assert _order(page) == [new, mid, old]
    assert '<option value="newest" selected>' in page
    assert _order(client.get("/queue/q/approved?order=oldest").text) == [old, mid, new]
    waiting = client.get("/queue/q/pending").text
    assert '<option value="risk" selected>' in waiting  # the waiting queues still open by risk


def test_the_live_poll_names_rows_decided_elsewhere_and_counts_arrivals(as_role, place):
    first = place("Waiting one", clauses=[clause("obscene", 0.7)])
    second = place("Waiting two", clauses=[clause("obscene", 0.6)])
    priya, meera = as_role("moderator"), as_role("admin")
    page = priya.get("/queue/q/pending").text
    live = unescape(re.search(r'data-live="([^"]+)"', page).group(1))
    before = priya.get(f"{live}&shown={first},{second}").get_json()
    assert before == {"gone": [], "new": 0}
    token = csrf_of(meera.get("/queue/q/pending").text)
    meera.post("/queue/decide", data={"csrf_token": token, "item": f"{first}@pending:review:1", "verb": "approve"})
    place("Just arrived", age=timedelta(0))
    place("Arrived elsewhere", age=timedelta(0), status="published", queue=None)  # not on this list
    after = priya.get(f"{live}&shown={first},{second}").get_json()
    assert after == {"gone": [first], "new": 1}
    assert priya.get("/queue/q/pending/live?since=yesterday").status_code == 400
