"""Scoring with a deadline: a failure or a timeout yields None, and the caller holds the comment for review."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future

from moderation.policy.model import Outcome, Policy
from moderation.scoring.base import Scorer

log = logging.getLogger(__name__)


def score_within(
    scorer: Scorer,
    policy: Policy,
    texts: Sequence[str],
    *,
    site_domains: Sequence[str] = (),
    timeout_s: float,
    evidence: bool = True,
) -> list[Outcome] | None:
    """The outcomes for `texts`, or None when the scorer raised or did not answer within `timeout_s`."""
    result: Future[list[Outcome]] = Future()

    def run() -> None:
        try:
            # Imported here so that a broken scoring stack holds comments for review instead of failing requests.
            from moderation.services.scoring import score_texts

            result.set_result(score_texts(scorer, policy, texts, site_domains=site_domains, evidence=evidence))
        except BaseException as exc:  # noqa: BLE001  (any failure means "not scored"; it is logged below)
            result.set_exception(exc)

    # A thread of its own, so a stuck model call cannot hold a pool slot; it finishes (or not) on its own.
    threading.Thread(target=run, name="score", daemon=True).start()
    try:
        return result.result(timeout=timeout_s)
    except TimeoutError:
        log.error("scoring timed out after %.1fs; holding %d comment(s) for review", timeout_s, len(texts))
    except Exception:
        log.exception("scoring failed; holding %d comment(s) for review", len(texts))
    return None
