"""Scoring with a deadline: stuck model calls keep their slot, so timed-out work cannot pile up."""

from __future__ import annotations

import threading
import time
from typing import Any

from moderation.services.comments.guarded_scoring import MAX_IN_FLIGHT, MAX_PREVIEWS_IN_FLIGHT, score_within


class StuckScorer:
    """Delegates to the real scorer once `release` is set; until then every call waits."""

    def __init__(self, real: Any) -> None:
        self.real, self.release, self.calls = real, threading.Event(), 0
        self.name, self.version, self.labels, self.ready = real.name, real.version, real.labels, True

    def load(self) -> None:
        self.real.load()

    def score(self, texts: Any) -> list[Any]:
        self.calls += 1
        self.release.wait(30)
        return list(self.real.score(texts))


def test_timed_out_calls_hold_their_slots_until_they_end(scorer, policy):
    stuck = StuckScorer(scorer)
    try:
        for _ in range(MAX_IN_FLIGHT):  # each caller gives up; its model call goes on
            assert score_within(stuck, policy, ["Nice piece."], timeout_s=0.05) is None
        started = time.monotonic()
        assert score_within(scorer, policy, ["Nice piece."], timeout_s=0.3) is None  # no slot came free
        assert 0.25 <= time.monotonic() - started < 5
        assert stuck.calls == MAX_IN_FLIGHT  # the last one never started a model call
    finally:
        stuck.release.set()
    deadline = time.monotonic() + 30
    while (outcomes := score_within(scorer, policy, ["Nice piece."], timeout_s=30)) is None:
        assert time.monotonic() < deadline
    assert outcomes[0].action.value == "publish"


def test_a_thread_that_cannot_start_gives_its_slot_back(scorer, policy, monkeypatch):
    def refuse(self) -> None:
        raise RuntimeError("can't start new thread")

    with monkeypatch.context() as patched:
        patched.setattr(threading.Thread, "start", refuse)
        for _ in range(MAX_IN_FLIGHT + 1):
            assert score_within(scorer, policy, ["Nice piece."], timeout_s=0.2) is None
    outcomes = score_within(scorer, policy, ["Nice piece."], timeout_s=30)
    assert outcomes is not None and outcomes[0].action.value == "publish"


def test_previews_take_slots_of_their_own_so_comments_still_get_scored(scorer, policy):
    stuck = StuckScorer(scorer)
    try:
        for _ in range(MAX_PREVIEWS_IN_FLIGHT):
            assert score_within(stuck, policy, ["A long preview."], timeout_s=0.05, preview=True) is None
        assert score_within(scorer, policy, ["Another preview."], timeout_s=0.2, preview=True) is None
        outcomes = score_within(scorer, policy, ["A reader's comment."], timeout_s=30)
        assert outcomes is not None and outcomes[0].action.value == "publish"
    finally:
        stuck.release.set()
