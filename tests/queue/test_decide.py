"""Decisions from the queue: recorded once, audited, sent to the site's webhook, and safe when two people collide."""

from __future__ import annotations

import html
import json
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.queue.conftest import clause, csrf_of


def _post_decision(client, items, verb, **extra):
    token = csrf_of(client.get("/queue/q/pending").text)
    return client.post(
        "/queue/decide", data={"item": items, "verb": verb, "csrf_token": token, **extra}, follow_redirects=True
    )


def _decisions(query, comment_id):
    from moderation.db.models import Decision

    return query(
        lambda s: [
            (d.action, d.to_status.value, d.reason, d.note, d.user_id, d.policy_name, d.model_name)
            for d in s.scalars(sa.select(Decision).where(Decision.comment_id == comment_id).order_by(Decision.id))
        ]
    )


def _outbox(query):
    from moderation.db.models import WebhookDelivery

    return query(
        lambda s: [
            (w.event, json.loads(w.body)) for w in s.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id))
        ]
    )


def _audit_actions(query, comment_id):
    from moderation.db.models import AuditLog

    return query(
        lambda s: list(
            s.scalars(
                sa.select(AuditLog.action)
                .where(AuditLog.entity_type == "comment", AuditLog.entity_id == comment_id)
                .order_by(AuditLog.id)
            )
        )
    )


def test_approve_publishes_records_audits_and_notifies_the_site(as_role, place, state, query):
    cid = place("Good point about the monsoon session.", clauses=[clause("outside_links", 0.9)])
    response = _post_decision(as_role("moderator"), f"{cid}@pending:review:1", "approve")
    assert "Approved: 1 comment." in response.text
    assert state(cid) == ("published", None, False, 1)
    [(action, to_status, _reason, _note, user_id, policy, model)] = _decisions(query, cid)
    assert (action, to_status, policy, model) == ("approve", "published", "default", "bundled-minilm")
    assert user_id is not None
    assert "comment.approve" in _audit_actions(query, cid)
    [(event, body)] = _outbox(query)
    assert event == "comment.status_changed"
    assert body["comment"]["status"] == "published" and body["decision"]["action"] == "approve"


def test_reject_needs_a_guideline_reason(as_role, place, state, query):
    cid = place("You are an idiot.", clauses=[clause("personal_attack", 0.8)])
    client = as_role("moderator")
    response = _post_decision(client, f"{cid}@pending:review:1", "reject")
    assert "Choose the guideline" in response.text
    assert state(cid)[0] == "pending"
    response = _post_decision(client, f"{cid}@pending:review:1", "reject", reason="other")
    assert "needs a note" in response.text
    assert state(cid)[0] == "pending"
    response = _post_decision(client, f"{cid}@pending:review:1", "reject", reason="personal_attack")
    assert "Rejected: 1 comment." in response.text
    assert state(cid) == ("rejected", None, True, 1)
    assert _decisions(query, cid)[0][:3] == ("reject", "rejected", "personal_attack")


def test_reject_for_other_reason_keeps_the_note(as_role, place, query):
    cid = place("Buy cheap followers now")
    _post_decision(as_role("moderator"), f"{cid}@pending:review:1", "reject", reason="other", note="spam")
    assert _decisions(query, cid)[0][2:4] == ("other", "spam")


def test_removing_a_published_reported_comment_takes_it_down(as_role, place, state):
    cid = place("Reported by readers", status="published", queue="reported", reports=3)
    _post_decision(as_role("moderator"), f"{cid}@published:reported:1", "reject", reason="inflammatory")
    assert state(cid)[0] == "taken_down"


def test_escalated_comments_are_decided_only_by_legal_and_admin(as_role, place, state, query):
    cid = place("The minister took a bribe of 5 crore.", clauses=[clause("defamatory", 0.7)])
    moderator = as_role("moderator")
    _post_decision(moderator, f"{cid}@pending:review:1", "escalate")
    assert state(cid) == ("pending", "legal", True, 1)
    response = _post_decision(moderator, f"{cid}@pending:legal:1", "approve")
    assert "Only legal reviewers and admins" in response.text
    assert state(cid)[1] == "legal"
    page = moderator.get("/queue/q/legal").text
    assert 'id="bulk"' not in page and "Only legal reviewers and admins decide" in page
    assert "Only legal reviewers and admins decide" in moderator.get(f"/queue/c/{cid}").text
    response = _post_decision(as_role("legal"), f"{cid}@pending:legal:1", "reject", reason="defamatory")
    assert "Rejected: 1 comment." in response.text
    assert [d[0] for d in _decisions(query, cid)] == ["escalate", "reject"]


def test_a_decision_on_a_changed_comment_is_refused_with_who_decided(as_role, place, state, accounts):
    cid = place("Decided twice?")
    _post_decision(as_role("legal"), f"{cid}@pending:review:1", "approve")
    response = _post_decision(as_role("moderator"), f"{cid}@pending:review:1", "reject", reason="obscene")
    assert f"Already decided by {accounts['legal']}: approve (published). Nothing was changed." in response.text
    assert state(cid)[0] == "published"


def test_two_moderators_deciding_at_once_record_exactly_one_decision(app, accounts, place, query):
    from moderation.db.enums import DecisionAction
    from moderation.db.models import User
    from moderation.extensions import database, resources
    from moderation.services.queue import decide as decisions
    from moderation.services.queue.accounts import Moderator

    users = query(lambda s: {u.email: Moderator(u.id, u.email, u.role) for u in s.scalars(sa.select(User))})
    for round_ in range(4):
        cid = place(f"Contested comment {round_}")
        barrier = threading.Barrier(2)
        results: list[str] = []

        def attempt(email: str, verb: str) -> None:
            with app.app_context():
                session = database().sessions()
                barrier.wait()
                try:
                    decisions.decide_comment(
                        session,
                        resources().policies,
                        users[email],
                        cid,
                        decisions.Seen.parse("pending:review:1"),
                        decisions.ModeratorChoice(DecisionAction(verb), "obscene" if verb == "reject" else ""),
                    )
                    results.append("decided")
                except decisions.DecisionConflictError as exc:
                    results.append(f"refused: {exc}")
                finally:
                    session.close()

        threads = [
            threading.Thread(target=attempt, args=(accounts["moderator"], "approve")),
            threading.Thread(target=attempt, args=(accounts["admin"], "reject")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(r.split(":")[0] for r in results) == ["decided", "refused"], results
        assert len(_decisions(query, cid)) == 1
        assert "Already decided by" in next(r for r in results if r.startswith("refused"))


def test_opening_a_comment_claims_it_and_others_are_told(as_role, place, accounts, state, query):
    from moderation.db.models import Claim

    cid = place("Claim me")
    priya, meera = as_role("moderator"), as_role("admin")
    assert "held for you" in priya.get(f"/queue/c/{cid}").text
    assert f"{accounts['moderator']} is reviewing this comment until" in meera.get(f"/queue/c/{cid}").text
    assert f"{accounts['moderator']} is reviewing" in meera.get("/queue/q/pending").text
    response = _post_decision(meera, f"{cid}@pending:review:1", "approve")
    assert "is reviewing this comment right now" in response.text
    assert state(cid)[0] == "pending"
    # The claim lapses after a few minutes; then anyone may decide.
    query(
        lambda s: (s.execute(sa.update(Claim).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))), s.commit())
    )
    assert "Approved: 1 comment." in _post_decision(meera, f"{cid}@pending:review:1", "approve").text
    assert query(lambda s: s.scalar(sa.select(sa.func.count()).select_from(Claim))) == 0


def test_a_comment_opened_from_another_site_is_shown_but_not_claimed(as_role, place, query):
    from moderation.db.models import Claim

    cid = place("Opened through a link elsewhere")
    priya = as_role("moderator")
    page = priya.get(f"/queue/c/{cid}", headers={"Sec-Fetch-Site": "cross-site"})
    assert page.status_code == 200 and "Opened through a link elsewhere" in page.text
    assert query(lambda s: s.scalar(sa.select(sa.func.count()).select_from(Claim))) == 0
    assert "held for you" in priya.get(f"/queue/c/{cid}", headers={"Sec-Fetch-Site": "same-origin"}).text


def test_leaving_a_comment_releases_the_claim(as_role, place, accounts):
    cid = place("Claim me and leave")
    priya, meera = as_role("moderator"), as_role("admin")
    page = priya.get(f"/queue/c/{cid}").text
    priya.post(f"/queue/c/{cid}/release", data={"csrf_token": csrf_of(page), "back": "/queue/q/pending"})
    assert "held for you" in meera.get(f"/queue/c/{cid}").text


def test_bulk_reject_decides_each_and_reports_the_ones_left(as_role, place, state):
    ids = [place(f"Spam number {i}") for i in range(3)]
    legal = as_role("legal")
    _post_decision(legal, f"{ids[2]}@pending:review:1", "approve")
    items = [f"{i}@pending:review:1" for i in ids]
    response = _post_decision(as_role("moderator"), items, "reject", reason="other", note="spam run")
    assert "Rejected: 2 comments." in response.text
    assert f"Comment {ids[2]}: Already decided by" in response.text
    assert [state(i)[0] for i in ids] == ["rejected", "rejected", "published"]


def test_a_bulk_decision_refused_for_one_reason_says_it_once(as_role, place, state):
    ids = [place(f"Spam number {i}") for i in range(4)]
    response = _post_decision(as_role("moderator"), [f"{i}@pending:review:1" for i in ids], "reject")  # no reason
    errors = re.findall(r'class="flash flash-error"[^>]*>([^<]*)<', response.text)
    assert len(errors) == 1 and errors[0].startswith(f"4 comments ({', '.join(map(str, ids))}): "), errors
    assert [state(i)[0] for i in ids] == ["pending"] * 4


def test_a_decision_never_lands_on_a_next_comment_someone_else_decided_meanwhile(as_role, place, state):
    a = place("First in line", clauses=[clause("obscene", 0.9)])
    b = place("Second in line", clauses=[clause("obscene", 0.8)])
    ravi, priya = as_role("moderator"), as_role("admin")
    page = ravi.get(f"/queue/c/{a}?list=pending").text
    back = re.search(r'name="back" value="([^"]+)"', page).group(1)
    assert back == f"/queue/c/{b}?list=pending"  # Next, when the page was drawn
    _post_decision(priya, f"{b}@pending:review:1", "approve")
    response = ravi.post("/queue/decide", data={"item": f"{a}@pending:review:1", "verb": "approve",
                                                 "csrf_token": csrf_of(page), "back": back})
    assert response.status_code == 303 and response.headers["Location"] == "/queue/q/pending"
    assert state(a)[0] == "published" and state(b)[0] == "published"
    third = place("Third in line", clauses=[clause("obscene", 0.7)])
    page = ravi.get(f"/queue/c/{third}?list=pending").text
    c = place("Fourth", clauses=[clause("obscene", 0.1)])
    response = ravi.post("/queue/decide", data={"item": f"{third}@pending:review:1", "verb": "approve",
                                                 "csrf_token": csrf_of(page), "back": f"/queue/c/{c}?list=pending"})
    assert response.headers["Location"] == f"/queue/c/{c}?list=pending"  # still waiting: go there


def test_bulk_with_nothing_selected_says_so(as_role):
    client = as_role("moderator")
    token = csrf_of(client.get("/queue/q/pending").text)
    response = client.post("/queue/decide", data={"verb": "approve", "csrf_token": token}, follow_redirects=True)
    assert "Select at least one comment first." in response.text


def test_edit_and_approve_keeps_the_original_and_marks_the_edit(as_role, place, state, query, accounts):
    text = "Read the truth at http://fake-news.example before they delete it"
    cid = place(text, clauses=[clause("outside_links", 0.95, spans=((17, 41, "http://fake-news.example"),))])
    client = as_role("moderator")
    page = client.get(f"/queue/c/{cid}").text
    response = client.post(
        f"/queue/c/{cid}/edit",
        data={
            "csrf_token": csrf_of(page),
            "seen": "pending:review:1",
            "text": "Read the truth at [link removed] before they delete it",
            "note": "removed link",
        },
        follow_redirects=True,
    )
    assert "Edited and approved" in response.text
    assert state(cid) == ("published", None, False, 2)
    assert "(original)" in response.text and "http://fake-news.example" in response.text
    assert f"edited by moderator {accounts['moderator']}" in response.text
    assert "comment.moderator_edit" in _audit_actions(query, cid)
    outbox = _outbox(query)
    assert [event for event, _ in outbox] == ["comment.edited", "comment.status_changed"]  # the text first
    events = dict(outbox)
    assert events["comment.edited"]["comment"]["text"] == "Read the truth at [link removed] before they delete it"
    assert events["comment.edited"]["comment"]["edited_by_moderator"] is True
    assert events["comment.status_changed"]["comment"]["status"] == "published"


def test_edit_must_change_the_text(as_role, place, state):
    cid = place("Nothing to redact")
    client = as_role("moderator")
    page = client.get(f"/queue/c/{cid}").text
    response = client.post(
        f"/queue/c/{cid}/edit",
        data={"csrf_token": csrf_of(page), "seen": "pending:review:1", "text": "Nothing to redact"},
        follow_redirects=True,
    )
    assert "The text was not changed" in response.text
    assert state(cid)[0] == "pending"



def test_an_edit_to_invisible_characters_only_is_refused_as_empty(as_role, place, state):
    cid = place("Nothing to redact")
    client = as_role("moderator")
    page = client.get(f"/queue/c/{cid}").text
    response = client.post(
        f"/queue/c/{cid}/edit",
        data={"csrf_token": csrf_of(page), "seen": "pending:review:1", "text": "\u200b\u2060 \ufeff"},
        follow_redirects=True,
    )
    assert "The edited text is empty" in response.text
    assert state(cid)[0] == "pending"

def test_banning_an_author_rejects_their_future_comments(app, as_role, place, query):
    from moderation.db.models import Author, Site
    from moderation.extensions import database, get_policy, get_scorer
    from moderation.services.comments.inputs import ArticleInput, AuthorInput, CommentInput
    from moderation.services.comments.submit import submit_comment

    cid = place("First comment", author="Troll Account")
    author_id = query(lambda s: s.scalar(sa.select(Author.id).where(Author.display_name == "Troll Account")))
    client = as_role("moderator")
    page = client.get(f"/queue/c/{cid}").text
    response = client.post(
        f"/queue/authors/{author_id}/restrict",
        data={"csrf_token": csrf_of(page), "restriction": "ban", "reason": "trolling", "confirm": "on"},
        follow_redirects=True,
    )
    assert "Troll Account is banned" in response.text
    with app.app_context():
        session = database().sessions()
        site = session.scalar(sa.select(Site))
        data = CommentInput(
            "c-new",
            "What a lovely day in Mumbai.",
            ArticleInput("a-1", "https://dailychronicle.in/x", "X"),
            AuthorInput("u-Troll Account", "Troll Account"),
        )
        stored = submit_comment(session, get_scorer(), get_policy(), site, data, timeout_s=30).comment
        assert stored.status.value == "rejected"
        session.close()
    response = client.post(
        f"/queue/authors/{author_id}",
        data={"csrf_token": csrf_of(page), "action": "lift", "back": f"/queue/c/{cid}"},
        follow_redirects=True,
    )
    assert "is treated normally again" in response.text
    assert query(lambda s: s.get(Author, author_id).status.value) == "normal"


@pytest.mark.parametrize("bad", ["", "12", "12@pending:review", "x@pending:review:1", "1@pending:review:1; DROP"])
def test_malformed_items_are_refused(as_role, bad):
    response = _post_decision(as_role("moderator"), bad, "approve")
    assert response.status_code == 200
    assert "Approved:" not in response.text
    assert "flash-error" in response.text


def test_a_decision_on_text_the_author_changed_asks_for_a_second_look(as_role, place, state, query):
    from moderation.db.models import Comment

    cid = place("I disagree with the minister.")
    client = as_role("moderator")
    client.get(f"/queue/c/{cid}")  # the moderator opens it; meanwhile the author edits it

    def edit(session):
        comment = session.get(Comment, cid)
        comment.text, comment.revision = "I disagree with the minister. Visit spam.example", 2
        session.commit()

    query(edit)
    response = _post_decision(client, f"{cid}@pending:review:1", "approve")
    assert "The author changed the text after you opened it" in response.text
    assert "Already decided by" not in response.text
    assert state(cid)[0] == "pending"


def test_a_refused_bulk_decision_on_one_row_stays_on_the_list(as_role, place, state, query):
    import sqlalchemy as sa

    from moderation.db.models import Claim

    cid = place("Decided elsewhere", status="published", queue=None)
    client = as_role("moderator")
    response = client.post(
        "/queue/decide",
        data={
            "csrf_token": csrf_of(client.get("/queue/q/pending").text),
            "item": f"{cid}@pending:review:1",
            "verb": "approve",
            "back": "/queue/q/pending?order=oldest",
        },
    )
    assert response.status_code == 303
    # The list again, the refused comment named to be ticked again (it has left the list, so nothing is).
    assert response.headers["Location"] == f"/queue/q/pending?order=oldest&picked={cid}"
    assert query(lambda s: s.scalar(sa.select(sa.func.count()).select_from(Claim))) == 0


def test_browsing_with_next_holds_one_comment_at_a_time(as_role, place, accounts, query):
    from moderation.db.models import Claim

    ids = [place(f"Browsed {i}") for i in range(4)]
    priya, meera = as_role("moderator"), as_role("admin")
    for cid in ids:
        assert "held for you" in priya.get(f"/queue/c/{cid}?list=pending").text
    held = query(lambda s: s.execute(sa.select(Claim.comment_id, Claim.user_id)).all())
    assert [c for c, _ in held] == [ids[-1]]
    # Someone else's claim is theirs to keep: opening a comment does not release it.
    assert "held for you" in meera.get(f"/queue/c/{ids[0]}").text
    priya.get(f"/queue/c/{ids[1]}")
    assert sorted(c for c, _ in query(lambda s: s.execute(sa.select(Claim.comment_id, Claim.user_id)).all())) == [
        ids[0],
        ids[1],
    ]


def test_a_bulk_rejection_without_a_reason_keeps_the_selection(as_role, place, state):
    ids = [place(f"Spam again {i}") for i in range(3)]
    client = as_role("moderator")
    page = client.get("/queue/q/pending").text
    response = client.post(
        "/queue/decide",
        data={
            "csrf_token": csrf_of(page),
            "item": [f"{i}@pending:review:1" for i in ids[:2]],
            "verb": "reject",
            "back": "/queue/q/pending",
        },
        follow_redirects=True,
    )
    assert "Choose the guideline" in response.text
    assert [state(i)[0] for i in ids] == ["pending"] * 3
    ticked = set(map(int, re.findall(r'id="pick-(\d+)" checked', response.text)))
    assert ticked == set(ids[:2])


def test_edit_and_approve_moves_on_and_the_reasons_describe_the_edited_text(as_role, place, state):
    from tests.fakes import _INSULT

    text = "You are a pathetic moron and here is http://spam.example"
    first = place(text, clauses=[clause("personal_attack", 0.85), clause("outside_links", 0.9)], labels=_INSULT)
    second = place("The next one waiting", age=timedelta(minutes=1))
    client = as_role("moderator")
    page = client.get(f"/queue/c/{first}?list=pending").text
    back = html.unescape(re.search(r'name="back" value="([^"]+)"', page[page.index("edit-text") - 600 :]).group(1))
    assert back.startswith(f"/queue/c/{second}")
    response = client.post(
        f"/queue/c/{first}/edit?list=pending",
        data={
            "csrf_token": csrf_of(page),
            "seen": "pending:review:1",
            "text": "You are wrong and here is [link removed]",
            "back": back,
        },
    )
    assert response.status_code == 303 and response.headers["Location"].startswith(f"/queue/c/{second}")
    assert state(first) == ("published", None, False, 2)
    edited = client.get(f"/queue/c/{first}").text
    why = edited[edited.index("Why it was held") : edited.index('id="author-title"')]
    assert "Scored again as edited" in why and "No guideline clause fired" in why
    assert "chip-personal_attack" not in why and "data-stale-score" not in why
    assert "personal_attack\">0%" in why  # the label table: the edited text scored again


def test_an_edit_the_scorer_could_not_score_says_the_reasons_are_for_the_earlier_text(
    as_role, place, state, broken_scorer
):
    cid = place("You moron", clauses=[clause("personal_attack", 0.85)])
    client = as_role("moderator")
    page = client.get(f"/queue/c/{cid}").text
    client.post(
        f"/queue/c/{cid}/edit", data={"csrf_token": csrf_of(page), "seen": "pending:review:1", "text": "You, sir"}
    )
    assert state(cid) == ("published", None, False, 2)
    edited = client.get(f"/queue/c/{cid}").text
    assert "data-stale-score" in edited and "earlier version of the text (revision 1)" in edited

