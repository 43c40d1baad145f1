"""Dynamic batching: concurrent requests share model calls; a lone one runs at once; results go to their callers."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from moderation.scoring.batching import BatchingScorer
from tests.fakes import FixedScorer


class TimedScorer(FixedScorer):
    """Fixed scores, with a model call that costs `fixed` seconds plus `per_text` seconds a text."""

    def __init__(self, fixed: float = 0.05, per_text: float = 0.002) -> None:
        super().__init__()
        self.fixed, self.per_text, self.calls = fixed, per_text, []

    def score(self, texts):
        self.calls.append(list(texts))
        time.sleep(self.fixed + self.per_text * len(texts))
        return super().score(texts)


def test_a_lone_call_runs_at_once_alone():
    inner = TimedScorer(fixed=0.02)
    scorer = BatchingScorer(inner)
    started = time.monotonic()
    assert scorer.score(["You idiot."])[0]["insult"] == 0.85
    assert time.monotonic() - started < 0.2 and inner.calls == [["You idiot."]]


def test_concurrent_calls_share_model_calls_and_each_gets_its_own_scores():
    inner = TimedScorer()
    scorer = BatchingScorer(inner, max_texts=32)
    texts = [f"Comment {i}" + (" idiot" if i % 3 == 0 else "") for i in range(40)]
    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(lambda t: scorer.score([t])[0], texts))
    for text, scores in zip(texts, results, strict=True):
        assert scores == FixedScorer().score([text])[0]
    assert sum(len(c) for c in inner.calls) == 40
    assert len(inner.calls) <= 6 and max(len(c) for c in inner.calls) <= 32  # not forty calls of one


def test_batching_makes_concurrent_calls_faster_than_one_at_a_time():
    inner = TimedScorer(fixed=0.03, per_text=0.001)
    texts = [f"Comment {i}" for i in range(24)]
    scorer = BatchingScorer(inner)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=24) as pool:
        list(pool.map(lambda t: scorer.score([t]), texts))
    batched = time.monotonic() - started
    assert batched < 24 * 0.031 / 3  # a third of scoring them one by one, at most


def test_a_model_failure_reaches_every_caller_of_its_batch_and_the_next_calls_run():
    class Flaky(TimedScorer):
        fail = True

        def score(self, texts):
            if self.fail:
                time.sleep(0.05)
                raise RuntimeError("model crashed")
            return super().score(texts)

    inner = Flaky(fixed=0.0)
    scorer = BatchingScorer(inner)
    errors = []

    def call(text):
        try:
            scorer.score([text])
        except RuntimeError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(f"c{i}",)) for i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(errors) == 5
    inner.fail = False
    assert scorer.score(["fine"])[0]["insult"] == 0.0


def test_the_wrapper_is_transparent_for_the_rest_of_the_scorer():
    inner = TimedScorer()
    scorer = BatchingScorer(inner)
    assert (scorer.name, scorer.version, scorer.labels, scorer.ready) == (inner.name, inner.version, inner.labels, True)
    with pytest.raises(AttributeError):
        scorer.quick_score  # noqa: B018  (FixedScorer has none, so neither has the wrapper)
    assert scorer.score([]) == []


def test_the_app_batches_its_scorer_unless_told_not_to(app):
    from moderation import create_app

    assert isinstance(app.extensions["moderation"].scorer, BatchingScorer)
    plain = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "LOAD_MODEL_AT_START": False,
                        "SCORER_BATCHING": False, "MODEL_CACHE_DIR": app.config["MODEL_CACHE_DIR"]})
    assert not isinstance(plain.extensions["moderation"].scorer, BatchingScorer)
