"""Perspective language codes (ISO 639 / BCP-47) ↔ the scripts our language detector tells apart.

A language is supported when the site's policy lets the model judge its script, i.e. the script is not
in the policy's `review_languages` (those go to a person). With the default policy that is English,
Hinglish (Hindi in Latin letters, "hi-Latn") and Hindi in Devanagari ("hi").
"""

from __future__ import annotations

from collections.abc import Sequence

from moderation.detectors.language import detect_script
from moderation.enums import Script
from moderation.policy.model import Policy

#: What each detected script is reported as in `detectedLanguages`.
SCRIPT_CODES = {Script.ENGLISH: "en", Script.HINGLISH: "hi-Latn", Script.DEVANAGARI: "hi", Script.OTHER: "und",
                Script.NONE: "zxx"}  # zxx: no linguistic content


def script_of(code: str) -> Script:
    """The script a requested language code means ("EN", "en-US" → en; "hi-Latn" → hi-latn; "hi" → hi-deva)."""
    parts = code.strip().replace("_", "-").lower().split("-")
    primary = parts[0]
    if primary == "en":
        return Script.ENGLISH
    if primary == "hi":
        return Script.HINGLISH if "latn" in parts[1:] else Script.DEVANAGARI
    return Script.OTHER


def detected_code(language: str) -> str:
    """The BCP-47 code for a detected script value (Outcome.language)."""
    try:
        return SCRIPT_CODES[Script(language)]
    except ValueError:
        return "und"


def unsupported(policy: Policy, codes: Sequence[str]) -> list[str]:
    """The codes among `codes` whose script the policy does not let the model judge."""
    held = set(policy.moderation.review_languages)
    return [c for c in codes if script_of(c) is Script.OTHER or script_of(c).value in held]


def supported_codes(policy: Policy) -> list[str]:
    """The language codes this deployment answers for (for the docs and error messages)."""
    held = set(policy.moderation.review_languages)
    return [code for script, code in SCRIPT_CODES.items() if script not in (Script.OTHER, Script.NONE) and script.value not in held]


def detect_codes(text: str) -> list[str]:
    """The language detected in `text`, as Perspective lists `detectedLanguages`."""
    return [SCRIPT_CODES[detect_script(text)]]
