"""`flask moderation create-user | list-users | update-user`: the queue's moderator, legal reviewer and admin accounts."""

from __future__ import annotations

import sys

import click

from moderation.cli.group import group
from moderation.db.enums import UserRole
from moderation.errors import ModerationError
from moderation.extensions import get_session
from moderation.services.queue import accounts as queue_accounts


@group.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in UserRole]),
    default=UserRole.MODERATOR.value,
    show_default=True,
    help="moderator decides the review queues; legal also the legal lane; admin all.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def create_user(email: str, role: str, password_stdin: bool) -> None:
    """Create a queue account; asks for the password twice unless --password-stdin is given."""
    password = _password(password_stdin)
    try:
        account = queue_accounts.create_user(get_session(), email, role, password)
    except ModerationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {account.role.value} account {account.email}", err=True)


@group.command("list-users")
def list_users() -> None:
    """List the queue accounts: e-mail, role, active or disabled, created."""
    for account in queue_accounts.list_users(get_session()):
        state = "active" if account.active else "disabled"
        click.echo(f"{account.email}\t{account.role.value}\t{state}\t{account.created_at:%Y-%m-%d}")


@group.command("update-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in UserRole]), default=None, help="Give the account this role.")
@click.option("--disable", "active", flag_value=False, default=None,
              help="Sign the account out everywhere and refuse its sign-ins (its decisions stay).")
@click.option("--enable", "active", flag_value=True, help="Let a disabled account sign in again.")
@click.option("--reset-password", is_flag=True, help="Set a new password (asked twice); signs the account out.")
@click.option("--password-stdin", is_flag=True, help="With --reset-password: read it from standard input.")
def update_user(email: str, role: str | None, active: bool | None, reset_password: bool, password_stdin: bool) -> None:
    """Change an account's role, disable or enable it, or reset its password."""
    if role is None and active is None and not reset_password:
        raise click.UsageError("give --role, --disable, --enable or --reset-password")
    password = _password(password_stdin) if reset_password else None
    try:
        account = queue_accounts.update_user(get_session(), email, role=role, active=active, password=password)
    except ModerationError as exc:
        raise click.ClickException(str(exc)) from exc
    state = "active" if account.active else "disabled"
    click.echo(f"{account.email}: {account.role.value}, {state}{', new password' if password else ''}", err=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    raise click.UsageError("no terminal to ask for the password: pass it on standard input with --password-stdin")
