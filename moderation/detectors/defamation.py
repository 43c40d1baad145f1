"""Defamation risk: a crime or misconduct asserted as fact about an identifiable person or organisation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from moderation.detectors import defamation_cues as cues
from moderation.detectors.base import Finding, Span

SIGNAL = "defamation"


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    text: str
    low: str  # lower-cased, same length and offsets


def _lower(text: str) -> str:
    """Lower case that keeps every offset ("İ" would otherwise become two characters)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _sentences(text: str, low: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    start = 0
    for m in cues.SENTENCE_END.finditer(text):
        words = text[start:m.start()].split()
        if m.group().startswith(".") and words and words[-1].lower().strip("(") in cues.ABBREVIATIONS:
            continue
        out.append(_Sentence(start, m.end(), text[start:m.end()], low[start:m.end()]))
        start = m.end()
    if start < len(text):
        out.append(_Sentence(start, len(text), text[start:], low[start:]))
    return out


def _parties(s: _Sentence) -> list[tuple[int, int, str]]:
    """Named or identifiable parties in the sentence as (start, end, kind), nearest to its end first."""
    found = [(m.start(), m.end(), kind) for pattern, kind, on_low in cues.TARGETS
             for m in pattern.finditer(s.low if on_low else s.text)]
    for m in cues.NAME_RUN.finditer(s.text):
        words = m.group().split()
        skip = len(words[0]) + 1 if words[0].lower() in cues.NOT_NAMES else 0
        if len(words) - (1 if skip else 0) >= 2:
            found.append((m.start() + skip, m.end(), "name"))
    # A single word inside a longer party ("Ravi" in "Ravi Kumar's") is not a party of its own.
    found += [(m.start(), m.end(), "name") for m in cues.SINGLE_NAME.finditer(s.text) if _names_a_party(m.group())
              and not any(start <= m.start() < end for start, end, _ in found)]
    if found:
        first = min(start for start, _, _ in found)
        found += [(m.start(), m.end(), "pronoun") for m in cues.LATER_PRONOUN.finditer(s.low) if m.start() > first]
    parties = []
    for start, end, kind in found:
        relative = cues.RELATIVES.match(s.low[end:])
        if relative:
            end += relative.end()
        elif s.low[end:end + 2] == "'s":
            continue  # "the minister's speech": the speech is the subject, not the minister
        parties.append((start, end, kind))
    return sorted(parties, key=lambda p: -p[1])


def _names_a_party(word: str) -> bool:
    """Whether one capitalised word or acronym names someone: "Kejriwal", "BJP", not "Politicians" or "Someone"."""
    low = word.lower()
    if low in cues.NOT_NAMES or low in cues.COMMON_CAPITALISED or low in cues.BETWEEN_ACT:
        return False
    return word.isupper() or not cues.COMMON_ENDINGS.search(low)


def _links_act(gap: str) -> bool:
    """Whether `gap` may stand between a party and the act it is said to have done."""
    gap = gap.rsplit(" and ", 1)[-1] if " and " in gap else gap  # "used bad cement and bribed"
    words = re.findall(r"[\w'-]+", gap.lower())
    # A short phrase describing the party may come first: "the principal of St. Mary's took".
    skips = range(2, min(len(words), 7) + 1) if words and words[0] in cues.POSTMODIFIER_OPENERS else ()
    return any(all(w in cues.BETWEEN_ACT for w in words[skip:]) for skip in (0, *skips))


def _accuses(sentence: str, cue: re.Match[str], kind: str, parties: list[tuple[int, int, str]]) -> str | None:
    """`sentence` is lower-cased; `parties` were found in it."""
    """The kind of party the cue is asserted of, or None when no party is tied to it."""
    start, end = cue.start(), cue.end()
    if _negated(sentence, start, end) or cues.COUNTER.search(sentence[:start]) or cues.IDIOMS.match(sentence, start):
        return None
    if kind == "verb" and _passive(sentence, cue):
        return _agent(sentence, end, parties)
    if kind == "noun" and (cues.TOPIC_BEFORE.search(sentence[:start]) or cues.TOPIC_AFTER.match(sentence[end:])):
        return None
    for _, p_end, party in parties:
        if p_end > start:
            continue
        gap = sentence[p_end:start]
        if kind == "hindi" and not cues.HINDI_LOCATIVE.match(gap):
            return party
        if kind == "verb" and _links_act(gap):
            return party
        if kind == "noun" and cues.LINK.search(gap) and len(gap.split()) <= 6:
            return party
    return None


def _passive(sentence: str, cue: re.Match[str]) -> bool:
    """Whether the cue is a participle after "was", "got"…: then its subject had the act done to it."""
    verb = cue.group().split()[0]
    return (verb.endswith("ed") and verb not in cues.PASSIVE_ACCUSES
            and bool(cues.PASSIVE_AUX.search(sentence, 0, cue.start())))


def _agent(sentence: str, cue_end: int, parties: list[tuple[int, int, str]]) -> str | None:
    """The kind of party named right after "by" ("was harassed by Inspector Yadav"), if one is."""
    by = cues.BY_AGENT.match(sentence, cue_end)
    return next((party for start, _, party in parties if by and start == by.end()), None)


def _negated(sentence: str, cue_start: int, cue_end: int) -> bool:
    window = sentence[:cue_start].split()[-4:]
    return bool(cues.NEGATION.search(" ".join(window)) or cues.NEGATION_AFTER.search(sentence[cue_end:]))


def _allegation(s: _Sentence) -> str | None:
    """The first cue in the sentence that accuses a named party, as "cue (kind of party)"."""
    found = [(m, "verb") for m in cues.VERB_CUES.finditer(s.low)]
    found += [(m, "noun") for m in cues.NOUN_CUES.finditer(s.low)]
    found += [(m, "hindi") for p in (cues.HINDI_CUES, cues.DEVANAGARI_CUES) for m in p.finditer(s.low)]
    if not found:
        return None
    parties = _parties(s)
    for cue, kind in sorted(found, key=lambda f: f[0].start()):
        party = _accuses(s.low, cue, kind, parties)
        if party is not None:
            return f"{cue.group()} ({party})"
    return None


def _any_cue(text: str) -> bool:
    return any(p.search(text) for p in (cues.VERB_CUES, cues.NOUN_CUES, cues.HINDI_CUES, cues.DEVANAGARI_CUES))


def find_defamation(text: str) -> list[Finding]:
    """Sentences that assert a crime or misconduct as fact about a named or identifiable party."""
    low = _lower(text)
    if not _any_cue(low):
        return []
    spans: list[Span] = []
    details: list[str] = []
    for s in _sentences(text, low):
        if cues.QUESTION.search(s.low.strip()) or cues.HEDGE.search(s.low) or cues.ATTRIBUTION.search(s.low):
            continue
        if cues.HINDI_HEDGE_OR_SOURCE.search(s.low):
            continue
        found = _allegation(s)
        if found is None:
            continue
        lead = len(s.text) - len(s.text.lstrip())
        start, end = s.start + lead, s.start + len(s.text.rstrip())
        spans.append(Span(start, end, text[start:end]))
        details.append(found)
    if not spans:
        return []
    return [Finding(SIGNAL, 0.8, tuple(spans), "; ".join(details))]
