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
