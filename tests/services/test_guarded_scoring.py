"""Scoring with a deadline: stuck model calls keep their slot, so timed-out work cannot pile up."""

from __future__ import annotations

import threading
import time
from typing import Any

from moderation.services.comments import guarded_scoring
from moderation.services.comments.guarded_scoring import (
    MAX_IN_FLIGHT,
    MAX_PREVIEWS_IN_FLIGHT,
    score_within,
    steps,
)


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


class SlowScorer:
    """The real scorer, taking `seconds` per model call, recording the texts of each call."""

    def __init__(self, real: Any, seconds: float) -> None:
        self.real, self.seconds, self.calls = real, seconds, []
        self.name, self.version, self.labels, self.ready = real.name, real.version, real.labels, True

    def load(self) -> None:
        self.real.load()

    def score(self, texts: Any) -> list[Any]:
        self.calls.append(list(texts))
        time.sleep(self.seconds)
        return list(self.real.score(texts))


def test_texts_are_scored_in_steps_of_bounded_size():
    texts = ["a" * 3_000, "b" * 3_000, "c" * 3_000, "d" * 10_000, "e" * 10, "f" * 10]
    assert [(s.start, s.stop) for s in steps(texts)] == [(0, 2), (2, 3), (3, 4), (4, 6)]
    assert steps([]) == [] and steps(["x"]) == [slice(0, 1)]


def test_a_large_request_never_reaches_the_model_as_one_call(scorer, policy):
    recorder = SlowScorer(scorer, 0.0)
    texts = [f"Comment number {i} " * 500 for i in range(100)]  # 100 texts of ~9,500 characters
    outcomes = score_within(recorder, policy, texts, timeout_s=60, evidence=False)
    assert outcomes is not None and len(outcomes) == 100
    assert max(sum(len(t) for t in call) for call in recorder.calls) <= 10_000


def test_timed_out_work_stops_at_the_next_step(scorer, policy):
    slow = SlowScorer(scorer, 0.1)
    texts = ["A long comment. " * 500] * 20  # twenty steps of 0.1 s each
    started = time.monotonic()
    assert score_within(slow, policy, texts, timeout_s=0.25, evidence=False) is None
    assert time.monotonic() - started < 0.5
    time.sleep(0.5)  # what the abandoned thread would have scored meanwhile
    assert len(slow.calls) <= 4  # it stopped after the step it was in, not after all twenty


def test_work_that_cannot_finish_in_time_never_starts_and_answers_at_once(scorer, policy, monkeypatch):
    slow = SlowScorer(scorer, 0.2)
    monkeypatch.setattr(guarded_scoring.Pace, "WEIGHT", 1.0)  # the pace is the last step's
    assert score_within(slow, policy, ["A comment."], timeout_s=30) is not None  # the pace: 0.2 s a step
    calls = len(slow.calls)
    started = time.monotonic()
    assert score_within(slow, policy, ["A comment."], timeout_s=0.05) is None
    assert time.monotonic() - started < 0.04 and len(slow.calls) == calls  # refused before any model call


def test_refusals_lower_the_pace_so_scoring_resumes(scorer, policy):
    guarded_scoring.pace.record(10, 5.0)  # one stalled call: five seconds for a short comment
    refused = 0
    while score_within(scorer, policy, ["A comment."], timeout_s=0.5) is None:
        refused += 1
        assert refused < 100
    assert refused > 0
