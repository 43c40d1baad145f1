"""Scoring with a deadline: a failure or a timeout yields None, and the caller holds the comment for review.

Work is cut into steps of about `STEP_CHARS` characters. Before each step the thread checks that its caller still
waits and that the step can finish in the time left (from the pace of earlier steps): timed-out work stops at
the next step, and work that cannot finish in time never starts, so abandoned calls do not keep the CPU busy
and one large request never runs as one huge model call.
"""

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
#: up behind the comments still being submitted. As many as a worker has threads (gunicorn.conf.py: 8), so
#: that every request in flight can join the next shared model call (`moderation.scoring.batching`).
MAX_IN_FLIGHT = 16
#: Previews (texts scored and not stored: the score endpoint, Perspective's comments:analyze) have slots of
#: their own, so a site's large previews can slow comments down but never leave them without a slot.
MAX_PREVIEWS_IN_FLIGHT = 2
_slots = {False: threading.BoundedSemaphore(MAX_IN_FLIGHT), True: threading.BoundedSemaphore(MAX_PREVIEWS_IN_FLIGHT)}
#: Characters scored per step (one model batch, at least one text): about four comments of the longest kind
#: in tokens, many short ones. A timed-out call stops within one step.
STEP_CHARS = 8_000


class Pace:
    """Seconds a step takes per character (plus a fixed share per step), as observed on this process: an
    exponentially weighted average of finished steps. Refusing work lowers it a little, so one slow spell (a
    stalled model call) cannot keep refusing work for ever."""

    #: A step's fixed cost (model call, detectors, policy), in characters' worth.
    STEP_OVERHEAD_CHARS = 200
    WEIGHT = 0.2
    DECAY_ON_REFUSAL = 0.9

    def __init__(self) -> None:
        self.seconds_per_char = 0.0

    def estimate(self, chars: int) -> float:
        return self.seconds_per_char * (chars + self.STEP_OVERHEAD_CHARS)

    def record(self, chars: int, seconds: float) -> None:
        observed = seconds / (chars + self.STEP_OVERHEAD_CHARS)
        self.seconds_per_char += self.WEIGHT * (observed - self.seconds_per_char)

    def refused(self) -> None:
        self.seconds_per_char *= self.DECAY_ON_REFUSAL


#: One pace per process: every scoring call shares the same CPU.
pace = Pace()


def steps(texts: Sequence[str], step_chars: int = STEP_CHARS) -> list[slice]:
    """Consecutive runs of texts of at most `step_chars` characters together (a longer text is a step alone)."""
    out: list[slice] = []
    start, chars = 0, 0
    for index, text in enumerate(texts):
        if index > start and chars + len(text) > step_chars:
            out.append(slice(start, index))
            start, chars = index, 0
        chars += len(text)
    if start < len(texts):
        out.append(slice(start, len(texts)))
    return out


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
    """The outcomes for `texts`, or None when the scorer raised, did not answer within `timeout_s`, could not
    have answered within it (judged by the pace of earlier calls), or no scoring slot (of the previews' slots,
    for a `preview`) came free within it."""
    deadline = time.monotonic() + timeout_s
    slots = _slots[preview]
    if not slots.acquire(timeout=timeout_s):
        log.error("scoring busy: every %s slot still taken after %.1fs; %d text(s) not scored",
                  "preview" if preview else "scoring", timeout_s, len(texts))
        return None
    result: Future[list[Outcome] | None] = Future()
    abandoned = threading.Event()

    def run() -> None:
        try:
            # Imported here so that a broken scoring stack holds comments for review instead of failing requests.
            from moderation.services.comments.scoring import score_texts

            outcomes: list[Outcome] = []
            for step in steps(texts):
                chars = sum(len(t) for t in texts[step])
                if abandoned.is_set():
                    log.info("scoring stopped: its caller gave up; %d text(s) left unscored", len(texts) - step.start)
                    return
                if time.monotonic() + pace.estimate(chars) > deadline:
                    pace.refused()
                    log.error("scoring not started: %d character(s) would not be scored within the %.2fs left",
                              chars, deadline - time.monotonic())
                    result.set_result(None)
                    return
                started = time.monotonic()
                outcomes += score_texts(scorer, policy, texts[step], site_domains=site_domains, evidence=evidence)
                pace.record(chars, time.monotonic() - started)
            result.set_result(outcomes)
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
        abandoned.set()
        log.error("scoring timed out after %.1fs; holding %d comment(s) for review", timeout_s, len(texts))
    except Exception:
        log.exception("scoring failed; holding %d comment(s) for review", len(texts))
    return None
