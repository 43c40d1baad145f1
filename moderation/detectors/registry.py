"""The one entry point the scoring service calls: every rule detector over one comment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from moderation.detectors.base import Finding
from moderation.detectors.defamation import find_defamation
from moderation.detectors.dehumanising import find_dehumanising
from moderation.detectors.language import detect_script
from moderation.detectors.links import find_links
from moderation.detectors.normalise import fold
from moderation.detectors.threats import find_threats
from moderation.detectors.wordlists import find_words, prepare
from moderation.enums import ClauseKind

DETECTOR_SIGNALS = ("links", "banned_words", "suspect_words", "insult_words", "threat", "dehumanising", "defamation")
DEFAULT_WORDLISTS = ("en", "hinglish", "devanagari")
#: Detector signals that say how harmful a comment is whatever clause a policy feeds them to: a threat finding
#: ranks as a threat even under a clause of milder kind (the queues' harm ladder, `ClauseKind.severity`).
SIGNAL_KINDS = {"threat": ClauseKind.THREAT, "dehumanising": ClauseKind.HATE}


@dataclass(frozen=True)
class Detection:
    """All findings for one comment, and its script/language (an `enums.Script` value)."""

    findings: tuple[Finding, ...]
    language: str

    def signals(self) -> frozenset[str]:
        """The signals that fired at least once."""
        return frozenset(f.signal for f in self.findings)

    def of(self, signal: str) -> tuple[Finding, ...]:
        """The findings of one signal."""
        return tuple(f for f in self.findings if f.signal == signal)


def detect_all(text: str, *, allowed_domains: Sequence[str] = (),
               wordlists: Sequence[str] = DEFAULT_WORDLISTS) -> Detection:
    """Run links, word lists, threats, dehumanising language and defamation detectors and the script detector over
    `text`."""
    folded = fold(text)
    findings = [
        *find_links(text, allowed_domains),
        *find_words(text, wordlists),
        *find_threats(text, folded),
        *find_dehumanising(text, folded),
        *find_defamation(text),
    ]
    return Detection(tuple(findings), detect_script(text).value)


def warm_up(wordlists: Sequence[str] = DEFAULT_WORDLISTS) -> None:
    """Load word lists, compile patterns and the suffix list now, so the first comment is not slow."""
    prepare(wordlists)
    detect_all("warm up www.example.com", wordlists=wordlists)
