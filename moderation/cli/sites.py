"""`flask moderation create-site | update-site | list-sites | create-api-key | revoke-api-key | set-webhook`:
register a site, change it, and give it credentials."""

from __future__ import annotations

import click

from moderation.cli.group import group
from moderation.errors import ModerationError
from moderation.extensions import get_session, resources
from moderation.services import sites


@group.command("create-site")
@click.option("--name", required=True, help="The site's name (used by the other commands).")
@click.option("--domain", "domains", multiple=True, help="A domain of the site's own; links to it are allowed.")
@click.option("--policy", default=None, help="Policy name (default: the configured default policy).")
def create_site(name: str, domains: tuple[str, ...], policy: str | None) -> None:
    """Register a news site."""
    res = resources()
    try:
        site = sites.create_site(get_session(), name, list(domains), policy_name=policy or res.default_policy,
                                 known_policies=tuple(res.policies))
    except ModerationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created site {site.name!r} (domains: {', '.join(site.domain_list) or 'none'}, "
               f"policy: {site.policy_name})", err=True)


@group.command("update-site")
@click.option("--name", required=True, help="The site's name.")
@click.option("--domain", "domains", multiple=True, help="A domain of the site's own; the ones given replace the list.")
@click.option("--no-domains", is_flag=True, help="Remove all of the site's own domains.")
@click.option("--policy", default=None, help="The policy the site's comments are scored with from now on.")
def update_site(name: str, domains: tuple[str, ...], no_domains: bool, policy: str | None) -> None:
    """Change a site's own domains or its policy (comments already decided keep their decisions)."""
    if domains and no_domains:
        raise click.UsageError("give --domain or --no-domains, not both")
    if not (domains or no_domains or policy):
        raise click.UsageError("give --domain, --no-domains or --policy")
    try:
        site = sites.update_site(get_session(), name, domains=list(domains) if domains or no_domains else None,
                                 policy_name=policy, known_policies=tuple(resources().policies))
    except ModerationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"site {site.name!r}: domains {', '.join(site.domain_list) or 'none'}, policy {site.policy_name}",
               err=True)


@group.command("list-sites")
def list_sites() -> None:
    """List the sites: name, policy, own domains, webhook URL and the prefixes of their live API keys."""
    for site in sites.list_sites(get_session()):
        click.echo("\t".join((site.name, site.policy_name, ",".join(site.domains) or "-", site.webhook_url or "-",
                               ",".join(site.active_keys) or "-")))


@group.command("create-api-key")
@click.option("--site", "site_name", required=True, help="The site's name.")
def create_api_key(site_name: str) -> None:
    """Print a new API key for the site on stdout (only its hash is kept: store it now)."""
    try:
        token = sites.create_api_key(get_session(), site_name)
    except ModerationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(token)


@group.command("revoke-api-key")
@click.argument("key_or_prefix")
def revoke_api_key(key_or_prefix: str) -> None:
    """Revoke an API key (give the key, or the 12 characters after "mk_")."""
    try:
        sites.revoke_api_key(get_session(), key_or_prefix)
    except ModerationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("revoked", err=True)


@group.command("set-webhook")
@click.option("--site", "site_name", required=True, help="The site's name.")
@click.option("--url", default=None, help="Where status changes are POSTed.")
@click.option("--remove", is_flag=True, help="Remove the site's webhook (pending deliveries will then fail).")
def set_webhook(site_name: str, url: str | None, remove: bool) -> None:
    """Set the site's webhook URL and print its new signing secret on stdout, or remove it with --remove."""
    if (url is None) == (not remove):
        raise click.UsageError("give either --url URL or --remove")
    secret = sites.set_webhook(get_session(), site_name, url)
    if secret:
        click.echo(secret)
        click.echo(f"webhook of {site_name!r} set to {url}; its signing secret is on stdout", err=True)
        return
    pending = sites.pending_deliveries(get_session(), site_name)
    note = (f"; {pending} pending deliveries will fail until a URL is set again (within the worker's attempts)"
            if pending else "")
    click.echo(f"webhook of {site_name!r} removed{note}", err=True)
