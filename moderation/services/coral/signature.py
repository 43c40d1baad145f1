"""Coral's request signatures: `X-Coral-Signature: sha256=<hex>[,sha256=<hex>…]`, an HMAC-SHA256 of the
raw request body under each active signing secret (several while a secret is being rotated)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

HEADER = "X-Coral-Signature"


def sign(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of `body` under `secret`."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def header_value(secrets: Sequence[str], body: bytes) -> str:
    """The header Coral sends for `body` signed with `secrets`."""
    return ",".join(f"sha256={sign(secret, body)}" for secret in secrets)


def signatures(header: str | None) -> list[str]:
    """The sha256 signatures listed in a header value (other schemes are ignored)."""
    out = []
    for element in (header or "").split(","):
        prefix, _, value = element.strip().partition("=")
        if prefix == "sha256" and value:
            out.append(value.strip().lower())
    return out


def verify(secrets: Sequence[str], body: bytes, header: str | None) -> bool:
    """Whether any signature in the header matches `body` under any of `secrets` (constant-time compare)."""
    given = signatures(header)
    expected = [sign(secret, body) for secret in secrets]
    # As bytes: a forged header may hold any character, which compare_digest refuses in a str.
    return any(hmac.compare_digest(g.encode("utf-8", "surrogatepass"), e.encode()) for g in given for e in expected)
