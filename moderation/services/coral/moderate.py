"""Coral Talk's external moderation phase: verify the signed request, apply the site's policy, answer.

Our verdict maps to Coral's statuses: reject → REJECTED, held by a clause → SYSTEM_WITHHELD (what Coral's
own toxicity check does, so moderators see it in the Pending queue flagged as "detected"), held for a person
without a clause firing (e.g. a language the model does not cover) → PREMOD, publish → APPROVED. When the
model cannot answer in time we give no opinion (HTTP 204) and Coral carries on with its own settings.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.blank import is_blank
from moderation.db.base import utcnow
from moderation.db.models import Site
from moderation.db.perspective_models import CoralSecret
from moderation.enums import Action, CoralCategory
from moderation.policy.model import Outcome, Policy
from moderation.scoring.base import Scorer
from moderation.services.comments.guarded_scoring import score_within
from moderation.services.comments.html_text import html_to_text
from moderation.services.coral.signature import verify

log = logging.getLogger(__name__)

#: Share of Coral's budget we give the model; the rest covers the network and Coral's own parsing.
SCORING_SHARE = 0.75

# The tags Coral's comment editor writes, with the attributes it gives them. A body is read as HTML only when every
# <…> in it is one of these: a plain-text phase sends what the reader typed, "<idiot and a moron>" included, and
# reading that as a tag would drop words readers see.
_EDITOR_TAG = re.compile(
    r"</?(?:a|b|i|s|u|p|br|em|strong|span|div|blockquote|ul|ol|li|code|pre|sub|sup|del|ins|mark)"
    r"""(?:\s+(?:href|target|rel|class|title|lang|dir)\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))*\s*/?>""",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"<[^<>]*>")
_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
#: Coral's flag reason for each category a policy clause may name (`coral_category`).
CORAL_FLAGS = {CoralCategory.TOXIC: "COMMENT_DETECTED_TOXIC", CoralCategory.SPAM: "COMMENT_DETECTED_SPAM"}


def active_secrets(session: Session, site: Site) -> list[str]:
    """The site's Coral signing secrets that are not revoked, newest first."""
    query = (
        select(CoralSecret.secret)
        .where(CoralSecret.site_id == site.id, CoralSecret.revoked_at.is_(None))
        .order_by(CoralSecret.id.desc())
    )
    return list(session.scalars(query))


def add_secret(session: Session, site: Site, secret: str, *, replace: bool = False) -> None:
    """Register a signing secret for the site's Coral phase; `replace` revokes the others."""
    if not secret.strip():
        raise ValueError("the signing secret is empty")
    if replace:
        for row in session.scalars(select(CoralSecret).where(CoralSecret.site_id == site.id)):
            row.revoked_at = row.revoked_at or utcnow()
    session.add(CoralSecret(site_id=site.id, secret=secret.strip()))
    session.commit()


def is_signed(session: Session, site: Site, body: bytes, header: str | None) -> bool:
    """Whether the request body carries a valid signature under one of the site's secrets."""
    secrets = active_secrets(session, site)
    if not secrets:
        log.warning("Coral request for site %s, which has no signing secret registered", site.name)
        return False
    return verify(secrets, body, header)


def comment_text(body: str) -> str:
    """The text readers see: Coral sends HTML unless the phase is set to plain text."""
    return html_to_text(body) if _is_html(body) else body.strip()


def _is_html(body: str) -> bool:
    bracketed = _BRACKETED.findall(body)
    if bracketed:
        return all(_EDITOR_TAG.fullmatch(b) for b in bracketed)
    return bool(_ENTITY.search(body))


def verdict(outcome: Outcome, policy: Policy) -> dict[str, Any]:
    """Coral's response for our outcome: status, and one flag per kind of problem with the reasons."""
    if outcome.action is Action.PUBLISH:
        return {"status": "APPROVED"}
    if not outcome.clauses:
        return {"status": "PREMOD"}
    reasons: dict[str, list[str]] = {}
    for result in outcome.clauses:
        clause = policy.clause(result.clause)
        reasons.setdefault(CORAL_FLAGS[clause.coral_category], []).append(f"{clause.title}: {result.reason}")
    status = "REJECTED" if outcome.action is Action.REJECT else "SYSTEM_WITHHELD"
    actions = [
        {"action_type": "FLAG", "reason": kind, "additional_details": " | ".join(texts)}
        for kind, texts in reasons.items()
    ]
    return {"status": status, "actions": actions}


def moderate(
    scorer: Scorer, policy: Policy, site: Site, request: Mapping[str, Any], *, budget_ms: float
) -> dict[str, Any] | None:
    """Our verdict on a Coral comment, or None for no opinion (empty text, model failed or too slow)."""
    text = comment_text(str(request["comment"]["body"]))
    if is_blank(text):
        return None
    outcomes = score_within(
        scorer, policy, [text], site_domains=site.domain_list, timeout_s=budget_ms * SCORING_SHARE / 1000,
        evidence=False,  # Coral shows the guideline, not spans: skip the evidence pass within its 200 ms budget
    )
    if outcomes is None:
        return None
    outcome = outcomes[0]
    log.info(
        "Coral %s comment on story %s: %s (%s)",
        request.get("action"), request["story"]["id"], outcome.action.value,
        ",".join(c.clause for c in outcome.clauses) or "-",
    )
    return verdict(outcome, policy)
