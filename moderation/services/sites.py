"""Registering sites, issuing their API keys (kept only as hashes) and recognising a key on a request."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.enums import DeliveryStatus
from moderation.db.models import ApiKey, Site, WebhookDelivery
from moderation.services.comments.records import audit
from moderation.services.errors import ConflictError, InvalidRequestError, NotFoundError
from moderation.services.transaction import unit_of_work

KEY_PREFIX = "mk_"


def create_site(
    session: Session, name: str, domains: list[str], *, policy_name: str = "default", known_policies: tuple[str, ...]
) -> Site:
    """Register a site with its own domains (allowed in links) and its policy."""
    name = check_site_name(name)
    _check_policy(policy_name, known_policies)
    cleaned = _domains(domains)
    with unit_of_work(session):
        # Ignoring case: "daily chronicle" beside "Daily Chronicle" is a typo, not a second site.
        existing = session.scalar(sa.select(Site.name).where(sa.func.lower(Site.name) == name.lower()))
        if existing is not None:
            raise ConflictError(f"a site named {existing!r} already exists")
        site = Site(name=name, domains=cleaned, policy_name=policy_name)
        session.add(site)
        session.flush()
        audit(session, actor="cli", action="site.create", entity_type="site", entity_id=site.id, site_id=site.id,
              domains=cleaned, policy=policy_name)
    return site


def update_site(
    session: Session, name: str, *, domains: list[str] | None = None, policy_name: str | None = None,
    known_policies: tuple[str, ...],
) -> Site:
    """Replace the site's own domains and/or change its policy; comments scored from now on use them."""
    if policy_name is not None:
        _check_policy(policy_name, known_policies)
    with unit_of_work(session):
        site = site_by_name(session, name)
        changes: dict[str, object] = {}
        if domains is not None:
            site.domains = changes["domains"] = _domains(domains)
        if policy_name is not None:
            site.policy_name = changes["policy"] = policy_name
        audit(session, actor="cli", action="site.update", entity_type="site", entity_id=site.id, site_id=site.id,
              **changes)
    return site


@dataclass(frozen=True)
class SiteSummary:
    """A site as the operator's listing shows it."""

    name: str
    domains: tuple[str, ...]
    policy_name: str
    webhook_url: str | None
    active_keys: tuple[str, ...]  # the public prefixes of the keys not revoked


def list_sites(session: Session) -> list[SiteSummary]:
    """Every site with its domains, policy, webhook and the prefixes of its live API keys, by name."""
    keys: dict[int, list[str]] = {}
    for site_id, prefix in session.execute(
        sa.select(ApiKey.site_id, ApiKey.prefix).where(ApiKey.revoked_at.is_(None)).order_by(ApiKey.id)
    ):
        keys.setdefault(site_id, []).append(prefix)
    out = [SiteSummary(s.name, tuple(s.domain_list), s.policy_name, s.webhook_url, tuple(keys.get(s.id, ())))
           for s in session.scalars(sa.select(Site).order_by(Site.name))]
    session.commit()
    return out


def _check_policy(policy_name: str, known_policies: tuple[str, ...]) -> None:
    if policy_name not in known_policies:
        raise InvalidRequestError(f"no policy named {policy_name!r} (known: {', '.join(known_policies)})", "policy")


#: A domain name (in its ASCII form) as the site's own domains are given: at least two labels.
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})")


def _domains(domains: list[str]) -> list[str]:
    """The domains lower-cased without "www.", or InvalidRequestError naming one that is not a domain name."""
    cleaned = {d.strip().lower().removeprefix("www.") for d in domains if d.strip()}
    for domain in sorted(cleaned):
        try:
            ascii_form = domain.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_form = ""
        if not _DOMAIN.fullmatch(ascii_form):
            raise InvalidRequestError(f"{domain!r} is not a domain name: give one like dailychronicle.in "
                                      "(no scheme, path or spaces)", "domains")
    return sorted(cleaned)


def check_site_name(name: str) -> str:
    """The name without surrounding spaces, or InvalidRequestError: it must fit the column and a URL path segment
    (the Coral endpoint is /coral/v1/moderate/<name>, and a '/' never reaches it, even encoded)."""
    name = name.strip()
    limit = Site.__table__.c.name.type.length
    if not name:
        raise InvalidRequestError("the site name is empty", "name")
    if limit is not None and len(name) > limit:
        raise InvalidRequestError(f"the site name is {len(name)} characters long; at most {limit} are allowed", "name")
    if "/" in name:
        raise InvalidRequestError(f"the site name {name!r} contains '/', which cannot be part of its Coral URL", "name")
    if any(not c.isprintable() for c in name):
        raise InvalidRequestError(f"the site name {name!r} contains a control character", "name")
    return name


def site_by_name(session: Session, name: str) -> Site:
    """The site with this name; NotFoundError when there is none."""
    site = session.scalar(sa.select(Site).where(Site.name == name))
    if site is None:
        raise NotFoundError(f"no site named {name!r}")
    return site


def create_api_key(session: Session, site_name: str) -> str:
    """A new API key for the site; only its hash is stored, so this is the one time it can be read."""
    with unit_of_work(session):
        site = site_by_name(session, site_name)
        prefix = secrets.token_hex(6)
        token = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        key = ApiKey(site_id=site.id, prefix=prefix, key_hash=_hash(token))
        session.add(key)
        session.flush()
        audit(session, actor="cli", action="api_key.create", entity_type="api_key", entity_id=key.id,
              site_id=site.id, prefix=prefix)
    return token


def revoke_api_key(session: Session, key_or_prefix: str) -> None:
    """Revoke a key, given in full or by its public prefix; requests with it are refused (403) from now on."""
    prefix = key_prefix(key_or_prefix) or key_or_prefix
    with unit_of_work(session):
        key = session.scalar(sa.select(ApiKey).where(ApiKey.prefix == prefix))
        if key is None:
            raise NotFoundError(f"no API key with prefix {prefix!r}")
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            audit(session, actor="cli", action="api_key.revoke", entity_type="api_key", entity_id=key.id,
                  site_id=key.site_id, prefix=prefix)


def set_webhook(session: Session, site_name: str, url: str | None) -> str | None:
    """Set (or, with None, remove) the site's webhook URL; returns the new signing secret."""
    if url is not None:
        _check_webhook_url(url)
    with unit_of_work(session):
        site = site_by_name(session, site_name)
        site.webhook_url = url
        site.webhook_secret = secrets.token_urlsafe(32) if url else None
        audit(session, actor="cli", action="site.webhook", entity_type="site", entity_id=site.id, site_id=site.id,
              url=url)
    return site.webhook_secret


def pending_deliveries(session: Session, site_name: str) -> int:
    """How many of the site's webhook deliveries are still waiting to be sent."""
    site = site_by_name(session, site_name)
    count = session.scalar(sa.select(sa.func.count()).select_from(WebhookDelivery).where(
        WebhookDelivery.site_id == site.id, WebhookDelivery.status == DeliveryStatus.PENDING))
    session.commit()
    return int(count or 0)


def _check_webhook_url(url: str) -> None:
    """An absolute http(s) URL with a host, or InvalidRequestError: the worker can POST to nothing else."""
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and (parts.port is None or parts.port > 0)
    except ValueError:  # a port that is not a number in range, a malformed IPv6 host
        valid = False
    if not valid or len(url) > 2000 or any(c.isspace() or not c.isprintable() for c in url):
        raise InvalidRequestError(
            f"webhook URL {url!r} is not valid: give an absolute http:// or https:// URL with a host, "
            "e.g. https://cms.example.com/hooks/moderation (at most 2000 characters, no spaces)", "url")


def site_for_key(session: Session, token: str) -> Site | None:
    """The site whose live API key this is, or None (compared in constant time)."""
    prefix = key_prefix(token)
    key = session.scalar(sa.select(ApiKey).where(ApiKey.prefix == prefix)) if prefix else None
    site = key.site if key is not None and key.revoked_at is None else None
    ok = key is not None and hmac.compare_digest(key.key_hash, _hash(token))
    session.commit()
    return site if ok else None


def key_prefix(token: str) -> str | None:
    """The public prefix of a well-formed key, or None."""
    if not token.startswith(KEY_PREFIX):
        return None
    prefix, sep, _ = token.removeprefix(KEY_PREFIX).partition("_")
    return prefix if sep and len(prefix) == 12 else None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
