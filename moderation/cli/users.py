"""`flask moderation create-user`: add a moderator, legal reviewer or admin account."""

from __future__ import annotations

import sys

import click

from moderation.cli.group import group
from moderation.db.enums import UserRole
from moderation.errors import ModerationError
from moderation.extensions import get_session
from moderation.services.queue_accounts import create_user as create_account


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
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        raise click.UsageError("no terminal to ask for the password: pass it on standard input with --password-stdin")
    try:
        account = create_account(get_session(), email, role, password)
    except ModerationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {account.role.value} account {account.email}", err=True)
