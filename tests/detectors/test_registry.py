"""detect_all: the one entry point the scoring service calls."""

from __future__ import annotations

import time

from moderation.detectors.registry import DETECTOR_SIGNALS, Detection, detect_all, warm_up


def test_a_comment_with_everything():
    text = ("Minister Rao looted crores, the b@stard. I will kill you Rao. "
            "Proof at bit.ly/xyz and www.timesofnews.in/story")
    d = detect_all(text, allowed_domains=["timesofnews.in"])
    assert isinstance(d, Detection)
    assert d.signals() == {"links", "banned_words", "threat", "defamation"}
    assert d.language == "en"
    assert [s.text for f in d.of("links") for s in f.spans] == ["bit.ly/xyz"]
    for f in d.findings:
        assert f.signal in DETECTOR_SIGNALS
        assert 0 < f.score <= 1
        assert all(text[s.start:s.end] == s.text for s in f.spans)


def test_clean_comment():
    d = detect_all("Good reporting on the Bihar floods. Thank you.")
    assert d.findings == () and d.language == "en"


def test_word_lists_are_chosen_by_the_caller():
    assert detect_all("madarchod", wordlists=("en",)).findings == ()
    assert detect_all("madarchod").signals() == {"banned_words"}
    assert detect_all("चूतिया").language == "hi-deva"


def test_detection_is_frozen():
    d = detect_all("ok")
    try:
        d.language = "x"  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("Detection should be immutable")


def test_typical_comments_are_fast():
    warm_up()
    base = [
        "The new metro line from Noida to Gurgaon is welcome, but fares should be lower for students. "
        "Also fix the feeder buses, they never come on time and the last mile is the real problem.",
        "Ye sarkar kuch nahi karegi bhai, sab chor hain. Check bit.ly/abc for proof and share widely!!",
        "Collector Anil Verma pocketed the flood relief money. Someone should expose him properly.",
        "बहुत अच्छा लेख है, सरकार को किसानों की बात सुननी चाहिए और मंडी में दाम ठीक करने चाहिए।",
    ]
    texts = [f"{t} ({i})" for i in range(50) for t in base]
    times = []
    for t in texts:
        start = time.perf_counter()
        detect_all(t, allowed_domains=["timesofnews.in"])
        times.append(time.perf_counter() - start)
    times.sort()
    # Budget is 3 ms per comment; the margin absorbs a busy test machine.
    assert times[len(times) // 2] < 0.005
