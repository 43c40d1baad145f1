"""`flask moderation create-user`: scriptable account creation."""

from __future__ import annotations

from tests.queue.conftest import sign_in


def test_create_user_reads_the_password_from_stdin_and_can_sign_in(runner, client):
    result = runner.invoke(
        args=["moderation", "create-user", "Sunita.Rao@Chronicle.in", "--role", "legal", "--password-stdin"],
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "created legal account sunita.rao@chronicle.in" in result.output
    assert sign_in(client, "sunita.rao@chronicle.in", "a long enough passphrase").status_code == 303


def test_create_user_refuses_duplicates_short_passwords_and_unknown_roles(runner):
    ok = runner.invoke(
        args=["moderation", "create-user", "a@chronicle.in", "--password-stdin"], input="a long enough passphrase\n"
    )
    assert ok.exit_code == 0
    again = runner.invoke(
        args=["moderation", "create-user", "A@chronicle.in", "--password-stdin"], input="a long enough passphrase\n"
    )
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(args=["moderation", "create-user", "b@chronicle.in", "--password-stdin"], input="short\n")
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    role = runner.invoke(
        args=["moderation", "create-user", "c@chronicle.in", "--role", "editor", "--password-stdin"],
        input="a long enough passphrase\n",
    )
    assert role.exit_code != 0


def test_passwords_are_stored_hashed(runner, query):
    import sqlalchemy as sa

    from moderation.db.models import User

    runner.invoke(
        args=["moderation", "create-user", "d@chronicle.in", "--password-stdin"], input="a long enough passphrase\n"
    )
    stored = query(lambda s: s.scalar(sa.select(User.password_hash).where(User.email == "d@chronicle.in")))
    assert stored.startswith("scrypt:") and "a long enough passphrase" not in stored


def test_without_stdin_flag_or_terminal_it_explains(runner):
    result = runner.invoke(args=["moderation", "create-user", "e@chronicle.in"], input="")
    assert result.exit_code != 0 and "--password-stdin" in result.output


def _create(runner, email, role="moderator"):
    result = runner.invoke(args=["moderation", "create-user", email, "--role", role, "--password-stdin"],
                           input="a long enough passphrase\n")
    assert result.exit_code == 0, result.output


def test_list_users_shows_role_and_state(runner):
    _create(runner, "b@chronicle.in", "legal")
    _create(runner, "a@chronicle.in")
    runner.invoke(args=["moderation", "update-user", "b@chronicle.in", "--disable"])
    lines = runner.invoke(args=["moderation", "list-users"]).stdout.splitlines()
    assert [line.split("\t")[:3] for line in lines] == [
        ["a@chronicle.in", "moderator", "active"], ["b@chronicle.in", "legal", "disabled"]]


def test_disabling_an_account_signs_it_out_and_refuses_its_sign_in_until_enabled(runner, app):
    _create(runner, "f@chronicle.in")
    browser = app.test_client()
    assert sign_in(browser, "f@chronicle.in", "a long enough passphrase").status_code == 303
    assert browser.get("/queue/q/pending").status_code == 200
    result = runner.invoke(args=["moderation", "update-user", "F@chronicle.in", "--disable"])
    assert result.exit_code == 0 and "f@chronicle.in: moderator, disabled" in result.output
    assert browser.get("/queue/q/pending").status_code == 302  # back to the sign-in page
    assert sign_in(app.test_client(), "f@chronicle.in", "a long enough passphrase").status_code != 303
    assert runner.invoke(args=["moderation", "update-user", "f@chronicle.in", "--enable"]).exit_code == 0
    assert sign_in(app.test_client(), "f@chronicle.in", "a long enough passphrase").status_code == 303


def test_a_new_role_applies_on_the_next_page_and_a_new_password_signs_out(runner, app):
    _create(runner, "g@chronicle.in")
    browser = app.test_client()
    sign_in(browser, "g@chronicle.in", "a long enough passphrase")
    assert browser.get("/queue/audit").status_code == 403  # moderators do not read the audit log
    assert runner.invoke(args=["moderation", "update-user", "g@chronicle.in", "--role", "legal"]).exit_code == 0
    assert browser.get("/queue/audit").status_code == 200
    reset = runner.invoke(args=["moderation", "update-user", "g@chronicle.in", "--reset-password", "--password-stdin"],
                          input="another long passphrase\n")
    assert reset.exit_code == 0 and "new password" in reset.output
    assert browser.get("/queue/q/pending").status_code == 302
    assert sign_in(app.test_client(), "g@chronicle.in", "a long enough passphrase").status_code != 303
    assert sign_in(app.test_client(), "g@chronicle.in", "another long passphrase").status_code == 303


def test_update_user_refuses_unknown_accounts_short_passwords_and_no_change(runner, query):
    import sqlalchemy as sa

    from moderation.db.models import AuditLog

    _create(runner, "h@chronicle.in")
    ghost = runner.invoke(args=["moderation", "update-user", "ghost@chronicle.in", "--disable"])
    assert ghost.exit_code == 1 and "no account for ghost@chronicle.in" in ghost.output
    short = runner.invoke(args=["moderation", "update-user", "h@chronicle.in", "--reset-password", "--password-stdin"],
                          input="short\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    assert runner.invoke(args=["moderation", "update-user", "h@chronicle.in"]).exit_code == 2
    assert query(lambda s: s.scalar(sa.select(sa.func.count()).where(AuditLog.action == "user.update"))) == 0
