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
    """What a guideline clause is about: a threat of violence, a harm to someone, or a check a person makes (a
    link is not an injury).

    A threat is ranked above every other harm in the queues, whatever its band; a check is held for a look and
    ranked below every harm."""

    THREAT = "threat"
    HARM = "harm"
    CHECK = "check"


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
