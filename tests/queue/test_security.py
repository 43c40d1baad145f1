"""Every queue route is guarded: anonymous visitors, wrong roles and requests without a CSRF token are refused."""

from __future__ import annotations

import os
import stat

import pytest
from werkzeug.routing import Rule

from tests.queue.conftest import PASSWORD, csrf_of, sign_in

PUBLIC, ALL, LEGAL = "public", ("moderator", "legal", "admin"), ("legal", "admin")

#: Every queue endpoint and who may use it. A new route fails test_every_route_is_declared until added here.
ACCESS = {
    "queue.static": PUBLIC,
    "queue.login": PUBLIC,
    "queue.login_post": PUBLIC,
    "queue.logout": ALL,
    "queue.index": ALL,
    "queue.show": ALL,
    "queue.live_counts": ALL,
    "queue.comment": ALL,
    "queue.decide": ALL,
    "queue.edit": ALL,
    "queue.release_claim": ALL,
    "queue.author_action": ALL,
    "queue.audit": LEGAL,
    "queue.audit_export": LEGAL,
    "queue.live_list": ALL,
    "queue.authors": ALL,
    "queue.author": ALL,
    "queue.author_note": ALL,
    "queue.author_restrict": ALL,
    "queue.stories": ALL,
    "queue.story_comments": LEGAL,
    "queue.agreement": LEGAL,
    "queue.spot_check": ALL,
    "queue.replay": ("admin",),
    "queue.groups": ALL,
    "queue.group": ALL,
    "queue.decide_group_view": ALL,
    "queue.insights": ALL,
    "queue.insights_csv": ALL,
    "queue.lift_surge_view": LEGAL,
}


def _queue_rules(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("queue.")]


def _url(rule: Rule) -> str:
    values = {arg: (1 if isinstance(rule._converters.get(arg), type(None)) else 1) for arg in rule.arguments}
    if "name" in rule.arguments:
        values["name"] = "pending"
    if "filename" in rule.arguments:
        values["filename"] = "queue.css"
    return rule.build(values)[1]


def _methods(rule: Rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_is_declared(app):
    found = {r.endpoint for r in _queue_rules(app)}
    assert found == set(ACCESS), f"declare the access of new queue routes in ACCESS: {found ^ set(ACCESS)}"


def test_queue_routes_all_live_under_queue(app):
    for rule in _queue_rules(app):
        assert rule.rule.startswith("/queue/"), rule.rule


def test_anonymous_visitors_are_refused(app, client):
    token = csrf_of(client.get("/queue/login").text)
    for rule in _queue_rules(app):
        if ACCESS[rule.endpoint] == PUBLIC:
            continue
        for method in _methods(rule):
            response = client.open(_url(rule), method=method, data={"csrf_token": token})
            if method == "GET":
                assert response.status_code == 302, (rule, response.status_code)
                assert response.headers["Location"].startswith("/queue/login"), rule
            else:  # nothing changes; the visitor is sent to sign in
                assert response.status_code == 303, (rule, method, response.status_code)
                assert response.headers["Location"].startswith("/queue/login"), rule


def test_wrong_roles_are_refused(app, as_role):
    clients = {role: as_role(role) for role in ALL}
    for rule in _queue_rules(app):
        allowed = ACCESS[rule.endpoint]
        if allowed in (PUBLIC, ALL):
            continue
        for role in set(ALL) - set(allowed):
            client = clients[role]
            token = csrf_of(client.get("/queue/q/pending").text)
            for method in _methods(rule):
                response = client.open(_url(rule), method=method, data={"csrf_token": token})
                assert response.status_code == 403, (rule, role, method)
        for role in allowed:
            if "GET" in rule.methods:
                assert clients[role].get(_url(rule)).status_code == 200, (rule, role)
            else:  # an action: the role gets past the guard (to the action's own answer)
                token = csrf_of(clients[role].get("/queue/q/pending").text)
                response = clients[role].open(_url(rule), method="POST", data={"csrf_token": token})
                assert response.status_code not in (400, 403), (rule, role)


def test_state_changing_requests_need_the_csrf_token(app, as_role, place, state):
    cid = place("needs a decision")
    client = as_role("admin")
    posts = [r for r in _queue_rules(app) if "POST" in r.methods]
    assert {r.endpoint for r in posts} >= {"queue.decide", "queue.edit", "queue.logout", "queue.login_post"}
    for rule in posts:
        for data in ({}, {"csrf_token": "forged-token"}, {"csrf_token": ""}, {"csrf_token": "é"}):
            body = {
                "item": f"{cid}@pending:review:1",
                "verb": "approve",
                "action": "ban",
                "text": "x",
                "seen": "pending:review:1",
                "email": "a@b.in",
                "password": PASSWORD,
                **data,
            }
            response = client.post(_url(rule).replace("/1/", f"/{cid}/"), data=body)
            assert response.status_code == 400, (rule, data, response.status_code)
    assert state(cid)[0] == "pending"
    assert client.get("/queue/q/pending").status_code == 200  # still signed in: logout was refused too


def test_ids_too_large_for_any_table_are_not_found_or_invalid_never_an_error(as_role):
    client = as_role("legal")
    huge = "9" * 25
    for url in (f"/queue/c/{huge}", f"/queue/c/{2**31}", "/queue/c/0"):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/queue/q/pending?article={huge}",
        f"/queue/q/pending?author_id={huge}",
        f"/queue/audit?comment={huge}",
        f"/queue/audit.csv?comment={huge}",
    ):
        response = client.get(url)
        assert response.status_code in (200, 400), (url, response.status_code)
        if not url.startswith("/queue/audit.csv"):
            assert "not understood" in response.text, url


def test_a_token_from_another_session_is_refused(as_role, place):
    cid = place("needs a decision")
    alice, bob = as_role("moderator"), as_role("legal")
    bobs_token = csrf_of(bob.get("/queue/q/pending").text)
    response = alice.post(
        "/queue/decide", data={"item": f"{cid}@pending:review:1", "verb": "approve", "csrf_token": bobs_token}
    )
    assert response.status_code == 400


def test_cross_origin_posts_are_refused_even_with_a_token(as_role, place):
    cid = place("needs a decision")
    client = as_role("moderator")
    token = csrf_of(client.get("/queue/q/pending").text)
    response = client.post(
        "/queue/decide",
        data={"item": f"{cid}@pending:review:1", "verb": "approve", "csrf_token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 400


def _session_cookies_set(response) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith("moderation_session=")]


def test_refused_and_anonymous_requests_never_touch_the_session_cookie(app, as_role, client, place, state):
    cid = place("needs a decision")
    anonymous = [
        client.get("/queue/q/pending"),
        client.get("/queue/login"),
        client.post("/queue/decide", data={"item": f"{cid}@pending:review:1", "verb": "approve"}),
        client.post("/queue/logout", data={}),
        client.post("/queue/login", data={"email": "a@b.example", "password": "x" * 12}),
        client.post("/queue/nowhere", data={}),
    ]
    assert all(not _session_cookies_set(r) for r in anonymous), [r.headers for r in anonymous]

    signed_in = as_role("moderator")
    refused = [
        signed_in.post("/queue/decide", data={"item": f"{cid}@pending:review:1", "verb": "approve"}),
        signed_in.post(
            "/queue/decide",
            data={"item": f"{cid}@pending:review:1", "verb": "approve", "csrf_token": "x"},
            headers={"Origin": "https://evil.example"},
        ),
        signed_in.get("/queue/audit"),  # a moderator may not open the audit log: 403
    ]
    assert [r.status_code for r in refused] == [400, 400, 403]
    assert all(not _session_cookies_set(r) for r in refused)
    assert signed_in.get("/queue/q/pending").status_code == 200
    assert state(cid)[0] == "pending"


def test_the_login_form_needs_the_token_of_its_own_cookie(client, accounts):
    page = client.get("/queue/login")
    token = csrf_of(page.text)
    client.delete_cookie("moderation_login", path="/queue/login")
    response = client.post(
        "/queue/login", data={"email": accounts["moderator"], "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 400 and not _session_cookies_set(response)
    assert sign_in(client, accounts["moderator"]).status_code == 303


def test_pages_carry_a_strict_content_security_policy(as_role, client):
    for response in (
        client.get("/queue/login"),
        as_role("moderator").get("/queue/q/pending"),
        client.get("/queue/static/queue.js"),
    ):
        csp = response.headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == "'self'"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_samesite_and_secure(client, accounts):
    response = sign_in(client, accounts["moderator"])
    assert response.status_code == 303
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("moderation_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_wrong_password_is_refused_and_repeated_failures_are_throttled(client, accounts):
    for _ in range(5):
        response = sign_in(client, accounts["moderator"], "not the password!")
        assert response.status_code == 401
        assert "do not match" in response.text
    response = sign_in(client, accounts["moderator"])  # even the right password waits now
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 60
    assert client.get("/queue/q/pending").status_code == 302


def test_attempts_sent_in_parallel_are_counted_before_any_password_is_checked():
    from concurrent.futures import ThreadPoolExecutor

    from moderation.services.queue.throttle import LoginThrottle, LoginThrottledError

    throttle = LoginThrottle.from_uri("memory://")

    def attempt(_: int) -> bool:
        try:
            throttle.attempt("priya@chronicle.in", "203.0.113.9")
        except LoginThrottledError:
            return False
        return True

    with ThreadPoolExecutor(max_workers=20) as pool:
        allowed = sum(pool.map(attempt, range(20)))
    assert allowed == 5  # the account's window, however the attempts interleave


@pytest.mark.parametrize(("proxies", "seen"), [(0, "10.0.0.5"), (1, "203.0.113.9")])
def test_behind_trusted_proxies_the_readers_address_is_the_one_counted(tmp_path, monkeypatch, proxies, seen):
    from flask import request

    from moderation import create_app

    monkeypatch.setenv("MODERATION_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "LOAD_MODEL_AT_START": False, "TRUSTED_PROXIES": proxies}
    )
    app.add_url_rule("/address", "address", lambda: request.remote_addr or "")
    response = app.test_client().get(
        "/address", headers={"X-Forwarded-For": "203.0.113.9"}, environ_base={"REMOTE_ADDR": "10.0.0.5"}
    )
    assert response.text == seen


def test_unknown_address_fails_like_a_wrong_password(client, accounts):
    response = sign_in(client, "nobody@chronicle.in")
    assert response.status_code == 401 and "do not match" in response.text


def test_logout_ends_the_session_even_for_a_copied_cookie(app, as_role):
    client = as_role("moderator")
    copied = client.get_cookie("moderation_session").value
    other_device = as_role("moderator")
    token = csrf_of(client.get("/queue/q/pending").text)
    assert client.post("/queue/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/queue/q/pending").status_code == 302
    thief = app.test_client()
    thief.set_cookie("moderation_session", copied)
    assert thief.get("/queue/q/pending").status_code == 302
    assert other_device.get("/queue/q/pending").status_code == 302  # signing out ends earlier sessions too
    again = as_role("moderator")
    assert again.get("/queue/q/pending").status_code == 200


def test_a_disabled_account_is_signed_out(as_role, accounts, query):
    import sqlalchemy as sa

    from moderation.db.models import User

    client = as_role("moderator")
    query(
        lambda s: (
            s.execute(sa.update(User).where(User.email == accounts["moderator"]).values(active=False)),
            s.commit(),
        )
    )
    assert client.get("/queue/q/pending").status_code == 302


def test_login_redirects_only_inside_the_queue(client, accounts):
    page = client.get("/queue/login?next=/queue/q/legal")
    for target, expected in (
        ("/queue/q/legal", "/queue/q/legal"),
        ("//evil.example/queue/", "/queue/"),
        ("https://evil.example/", "/queue/"),
        ("/queue/\\evil", "/queue/"),
    ):
        client.get("/queue/login")
        response = client.post(
            "/queue/login",
            data={
                "email": accounts["moderator"],
                "password": PASSWORD,
                "next": target,
                "csrf_token": csrf_of(client.get("/queue/login").text),
            },
        )
        assert response.headers["Location"] == expected, target
    assert page.status_code == 200


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    from moderation import create_app

    monkeypatch.setenv("MODERATION_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("MODERATION_SECRET_KEY", raising=False)
    config = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "LOAD_MODEL_AT_START": False}
    first = create_app(config)
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) >= 32
    assert create_app(config).config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert (
        create_app({**config, "SECRET_KEY": "from-config-" + "x" * 30}).config["SECRET_KEY"].startswith("from-config")
    )


def test_cookie_secure_flag_can_be_turned_off_for_plain_http(tmp_path, monkeypatch):
    from moderation import create_app

    monkeypatch.setenv("MODERATION_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("MODERATION_QUEUE_COOKIE_SECURE", "false")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "LOAD_MODEL_AT_START": False})
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("role", ALL)
def test_each_role_can_sign_in(as_role, role):
    assert as_role(role).get("/queue/").status_code == 302


def test_a_sign_in_ends_after_the_configured_hours_even_while_in_use(as_role):
    import time

    client = as_role("moderator")
    assert client.get("/queue/q/pending").status_code == 200
    with client.session_transaction() as cookie:
        cookie["since"] = time.time() - 11.9 * 3600
    assert client.get("/queue/q/pending").status_code == 200
    with client.session_transaction() as cookie:
        cookie["since"] = time.time() - 12.1 * 3600
    response = client.get("/queue/q/pending")
    assert response.status_code == 302 and response.headers["Location"].startswith("/queue/login")
    assert "Your sign-in has ended" in client.get(response.headers["Location"]).text


def test_a_decision_after_signing_out_elsewhere_leads_to_sign_in_and_back(as_role, place, state):
    cid = place("decided after a sign-out elsewhere")
    client = as_role("moderator")
    token = csrf_of(client.get(f"/queue/c/{cid}").text)
    elsewhere = as_role("moderator")
    elsewhere.post("/queue/logout", data={"csrf_token": csrf_of(elsewhere.get("/queue/q/pending").text)})
    response = client.post(
        "/queue/decide",
        data={
            "csrf_token": token,
            "item": f"{cid}@pending:review:1",
            "verb": "approve",
            "here": f"/queue/c/{cid}?list=pending",
            "back": "/queue/q/pending",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/queue/login?next=/queue/c/{cid}?list%3Dpending"
    login = client.get(response.headers["Location"]).text
    assert "You were signed out, so that was not saved" in login
    assert f'name="next" value="/queue/c/{cid}?list=pending"' in login
    assert state(cid)[0] == "pending"


def test_a_post_without_the_session_cookie_leads_to_sign_in(client, place, state):
    cid = place("posted with no cookie at all")
    response = client.post(
        "/queue/decide",
        data={"csrf_token": "whatever", "item": f"{cid}@pending:review:1", "verb": "approve"},
        headers={"Referer": "http://localhost/queue/q/pending?order=oldest"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/queue/login?next=/queue/q/pending")
    assert "You were signed out" in client.get(response.headers["Location"]).text
    assert state(cid)[0] == "pending"


def test_sign_in_is_throttled_in_the_process_while_its_storage_is_unreachable(caplog):
    from limits.storage import MemoryStorage

    from moderation.services.queue.throttle import LoginThrottle, LoginThrottledError

    class Unreachable(MemoryStorage):
        def check(self) -> bool:
            return False

        def acquire_entry(self, *args, **kwargs):  # noqa: ANN002, ANN003
            raise ConnectionError("redis is down")

    throttle = LoginThrottle(storage=Unreachable())
    for _ in range(5):
        throttle.attempt("priya@chronicle.in", "203.0.113.9")  # counted, not an error
    with pytest.raises(LoginThrottledError):
        throttle.attempt("priya@chronicle.in", "203.0.113.9")
    assert "unreachable" in caplog.text
