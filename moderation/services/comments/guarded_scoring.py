"""Scoring with a deadline: a failure or a timeout yields None, and the caller holds the comment for review."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future

from moderation.policy.model import Outcome, Policy
from moderation.scoring.base import Scorer

log = logging.getLogger(__name__)

#: Scoring calls one process runs at once, counting those whose caller gave up waiting: a model call that
#: cannot be stopped keeps its slot until it ends, so timed-out work and clients' retries of it cannot pile
#: up behind the comments still being submitted. More would not score faster on the scorer's threads.
MAX_IN_FLIGHT = 4
#: Previews (texts scored and not stored: the score endpoint, Perspective's comments:analyze) have slots of
#: their own, so a site's large previews can slow comments down but never leave them without a slot.
MAX_PREVIEWS_IN_FLIGHT = 2
_slots = {False: threading.BoundedSemaphore(MAX_IN_FLIGHT), True: threading.BoundedSemaphore(MAX_PREVIEWS_IN_FLIGHT)}


def score_within(
    scorer: Scorer,
    policy: Policy,
    texts: Sequence[str],
    *,
    site_domains: Sequence[str] = (),
    timeout_s: float,
    evidence: bool = True,
    preview: bool = False,
) -> list[Outcome] | None:
    """The outcomes for `texts`, or None when the scorer raised, did not answer within `timeout_s`, or no
    scoring slot (of the previews' slots, for a `preview`) came free within it."""
    deadline = time.monotonic() + timeout_s
    slots = _slots[preview]
    if not slots.acquire(timeout=timeout_s):
        log.error("scoring busy: every %s slot still taken after %.1fs; %d text(s) not scored",
                  "preview" if preview else "scoring", timeout_s, len(texts))
        return None
    result: Future[list[Outcome]] = Future()

    def run() -> None:
        try:
            # Imported here so that a broken scoring stack holds comments for review instead of failing requests.
            from moderation.services.comments.scoring import score_texts

            result.set_result(score_texts(scorer, policy, texts, site_domains=site_domains, evidence=evidence))
        except BaseException as exc:  # noqa: BLE001  (any failure means "not scored"; it is logged below)
            result.set_exception(exc)
        finally:
            slots.release()

    # A thread of its own, so a stuck model call cannot hold a pool slot; it finishes (or not) on its own.
    try:
        threading.Thread(target=run, name="score", daemon=True).start()
    except RuntimeError:  # no thread could be started: the slot is not taken by anything
        slots.release()
        log.exception("scoring could not start; holding %d comment(s) for review", len(texts))
        return None
    try:
        return result.result(timeout=max(0.0, deadline - time.monotonic()))
    except TimeoutError:
        log.error("scoring timed out after %.1fs; holding %d comment(s) for review", timeout_s, len(texts))
    except Exception:
        log.exception("scoring failed; holding %d comment(s) for review", len(texts))
    return None
