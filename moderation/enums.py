"""Shared vocabulary: actions, lanes and statuses used across layers."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """What the policy says to do with a comment, in increasing severity."""

    PUBLISH = "publish"
    REVIEW = "review"
    REJECT = "reject"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Action.PUBLISH: 0, Action.REVIEW: 1, Action.REJECT: 2}


class ClauseKind(StrEnum):
    """What a guideline clause is about, from the most harmful down: a threat of violence (or a call to harm a
    group), dehumanisation and hate against a group, another harm to someone (obscenity, an attack), or a check a
    person makes (a link is not an injury).

    The queues rank held comments by it first, whatever the scores: a threat above hate above other harms above
    checks (`severity`)."""

    THREAT = "threat"
    HATE = "hate"
    HARM = "harm"
    CHECK = "check"

    @property
    def severity(self) -> int:
        """Its place on the harm ladder: 3 threat, 2 hate, 1 harm, 0 check."""
        return _KIND_SEVERITY[self]


_KIND_SEVERITY = {ClauseKind.THREAT: 3, ClauseKind.HATE: 2, ClauseKind.HARM: 1, ClauseKind.CHECK: 0}


class CoralCategory(StrEnum):
    """How Coral Talk files a clause's hits (its COMMENT_DETECTED_* flag reasons)."""

    TOXIC = "toxic"
    SPAM = "spam"


class Lane(StrEnum):
    """Which human queue a held comment goes to."""

    REVIEW = "review"
    LEGAL = "legal"


class Script(StrEnum):
    """Script/language families the language detector tells apart."""

    ENGLISH = "en"
    HINGLISH = "hi-latn"
    DEVANAGARI = "hi-deva"
    OTHER = "other"
    NONE = "none"  # no letters at all: emoji, numbers, punctuation
