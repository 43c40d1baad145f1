"""Named word lists of banned, suspect and insult terms, matched through common obfuscations.

The forms: masks and punctuation inside a word ("f*ck", "f.u.c.k"), digits and symbols for letters ("sh1t"),
repeated letters, spaced letters ("f u c k"), look-alike and invisible characters (see `normalise`), endings
("fuckers", "chutiyon"), and, in comments in Hindi, banned Hindi words broken by spaces ("chu tiya", "भो सड़ी").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from moderation.detectors.base import Finding, Span
from moderation.detectors.language import detect_script
from moderation.detectors.normalise import MARKS, WORD_END, WORD_START, Folded, fold
from moderation.detectors.quoting import all_quoted
from moderation.enums import Script
from moderation.errors import ConfigError

logger = logging.getLogger(__name__)

CATEGORIES = {"banned": "banned_words", "suspect": "suspect_words", "insult": "insult_words"}
ALLOW = "allow"  # section of words and phrases never flagged, however they match ("Shiites", "cum laude")
SCORES = {"banned_words": 1.0, "suspect_words": 0.6, "insult_words": 0.6}

# Characters people substitute for Latin letters ("sh1t", "@sshole", "$lut").
_LEET = {"a": "a4@^", "b": "b8", "c": "c(<", "e": "e3", "g": "g96", "i": "i1!|", "l": "l1|", "o": "o0",
         "s": "s5$z", "t": "t7+", "u": "uv", "z": "z2"}
# Characters people put in place of a letter ("f*ck", "sh#t").
_MASK = "*#%?"
# The stdlib engine measures several times faster than `regex` on these patterns, so Unicode classes are
# spelled out: letters are [^\W\d_], and Devanagari vowel signs (marks, not letters) are listed.
_NOT_WORD = rf"(?:[^\w{MARKS}]|_)"
_TIGHT = rf"(?:[^\w\s{MARKS}]|_){{0,2}}"  # "f.u.c.k", "fu-ck": punctuation, never a space
_SPACED = _NOT_WORD + "{1,3}"  # "f u c k": a gap before every letter
_SPLIT = " {0,2}"  # "chu tiya", "भो सड़ी": a Hindi abuse word broken by spaces, its letters as written
_WORD_GAP = _NOT_WORD + "{0,3}"
_SUFFIXES = {
    "latin-en": ("s", "es", "ed", "er", "ers", "ing", "in", "y", "ey", "ie", "ies", "ier", "iest", "ic", "ity",
                 "head", "heads", "face", "hole", "holes", "bag", "bags", "wit"),
    "latin-hinglish": ("s", "e", "o", "on", "yon", "iyon", "pan", "pana", "giri"),
    "deva": ("ों", "ो", "े", "ि", "ा", "यों", "ियों", "ियां", "पन", "पना", "बाज", "खोर"),
}
# Words after a capitalised match that show it is a name ("the Chutia community", "Lund University",
# "Katwa station", "Gandu village").
_NAME_CONTEXT = frozenset({"community", "dynasty", "kingdom", "kings", "king", "tribe", "tribes", "samaj",
                           "family", "clan", "surname", "ji", "sahab", "saheb", "university", "caste",
                           "station", "junction", "railway", "town", "village", "district", "municipality"})
# Capitalised words before a match that start a sentence rather than name someone ("What Chutiya logic").
_NOT_NAMES = frozenset({"the", "a", "an", "this", "that", "these", "those", "what", "such", "you", "your", "he",
                        "she", "they", "we", "i", "it", "is", "are", "so", "and", "but", "oh", "ye", "yeh", "tu",
                        "tum", "aap", "kya", "ek", "sab", "bhai", "yaar", "abe", "arre", "saala", "sala"})
_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Term:
    """One list entry: its text, which list and category it belongs to, and its matching flags."""

    text: str  # folded, as matched
    wordlist: str
    signal: str
    flags: frozenset[str]
    written: str = ""  # as written in the list, for moderators

    @property
    def devanagari(self) -> bool:
        return any("\u0900" <= ch <= "\u097f" for ch in self.text)


_VOWELS = re.compile(r"(?<=.)[aeiou]+")


def _vowelless(term: Term) -> Term | None:
    """"madarchod" as "mdrchd": long single Latin banned words, without their vowels after the first letter."""
    bare = _VOWELS.sub("", term.text)
    if term.signal != CATEGORIES["banned"] or " " in term.text or len(term.text) < 6 or len(bare) < 5:
        return None
    if term.devanagari or bare == term.text:
        return None
    return Term(bare, term.wordlist, term.signal, term.flags | {"exact"}, term.written)


def _parse(name: str, body: str) -> list[Term]:
    terms: list[Term] = []
    signal = ""
    vowelless = False
    for raw in body.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line == "@vowelless":
            vowelless = True
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            if section != ALLOW and section not in CATEGORIES:
                raise ConfigError(f"word list {name!r}: unknown section [{section}]")
            signal = CATEGORIES.get(section, ALLOW)
            continue
        if not signal:
            raise ConfigError(f"word list {name!r}: term {line!r} before any [banned]/[suspect]/[insult]/[allow] header")
        words = [w for w in line.split() if not w.startswith("!")]
        flags = frozenset(w[1:] for w in line.split() if w.startswith("!"))
        written = " ".join(words)
        terms.append(Term(fold(written).text, name, signal, flags, written))
        bare = _vowelless(terms[-1]) if vowelless else None
        if bare is not None:
            terms.append(bare)
    return terms


def available_wordlists() -> tuple[str, ...]:
    """Names of the bundled word lists, for validating a policy's `wordlists`."""
    data = resources.files("moderation.detectors").joinpath("data")
    return tuple(sorted(p.name[:-4] for p in data.iterdir() if p.name.endswith(".txt")))


@cache
def load_wordlist(name: str) -> tuple[Term, ...]:
    """The terms of the bundled word list `name` (a file in detectors/data), read once per process."""
    if not name.isidentifier():
        raise ConfigError(f"unknown word list {name!r}")
    path = resources.files("moderation.detectors").joinpath("data", f"{name}.txt")
    if not path.is_file():
        raise ConfigError(f"unknown word list {name!r}")
    terms = tuple(_parse(name, path.read_text(encoding="utf-8")))
    logger.debug("loaded word list %s: %d terms", name, len(terms))
    return terms


def _latin_letter(ch: str, first: bool, repeat: bool, last: bool = False) -> str:
    chars = _LEET.get(ch, ch) + ("" if first else _MASK)
    one = "[" + re.escape(chars) + "]"
    if not repeat:
        return one
    if last:  # "fuuuck", "fuc*", but not the "?" of "fuck?": a word's last letter repeats as a letter only
        return one + "[" + re.escape(_LEET.get(ch, ch)) + "]*"
    return one + "+"


def _word_pattern(word: str, *, gap: str, deva: bool, first_word: bool) -> str:
    parts: list[str] = []
    for i, ch in enumerate(word):
        is_mark = unicodedata.category(ch).startswith("M")
        if i and not is_mark:
            parts.append(gap)
        if deva or gap == _SPLIT:
            parts.append(re.escape(ch))
        else:
            last = i == len(word) - 1
            repeat = last or word[i + 1] != ch
            parts.append(_latin_letter(ch, first_word and i == 0, repeat, last))
    return "".join(parts)


def _term_pattern(term: Term, *, gap: str) -> str:
    deva = term.devanagari
    words = term.text.split()
    core = _WORD_GAP.join(_word_pattern(w, gap=gap, deva=deva, first_word=i == 0)
                          for i, w in enumerate(words))
    if "nosuffix" in term.flags or len(term.text) <= 2 or gap == _SPLIT:
        return core  # a split word takes no ending: "beti chodo" is "leave the daughter", not "betichod" + o
    family = "deva" if deva else ("latin-hinglish" if term.wordlist != "en" else "latin-en")
    suffixes = "|".join(_latin_letter_seq(s) if not deva else re.escape(s) for s in _SUFFIXES[family])
    return f"{core}(?:{suffixes})?"


def _latin_letter_seq(suffix: str) -> str:
    return "".join(_latin_letter(ch, True, False) for ch in suffix)


def _spaced_ok(term: Term) -> bool:
    return " " not in term.text and "exact" not in term.flags and sum(ch.isalpha() for ch in term.text) >= 3


def _split_ok(term: Term) -> bool:
    """Banned Hindi words of four characters or more (vowel signs count) may be matched broken by spaces, in
    comments in Hindi (see `_families`). English ones may not: two ordinary words spell too many ("the pen is")."""
    return term.wordlist != "en" and term.signal == "banned_words" and _spaced_ok(term) and len(term.text) >= 4


#: Each family's gap between letters, its group-name prefix and the terms it matches.
_FAMILIES: dict[str, tuple[str, str, Callable[[Term], bool]]] = {
    "latin": (_TIGHT, "t", lambda t: not t.devanagari),
    "deva": (_TIGHT, "d", lambda t: t.devanagari),
    "spaced": (_SPACED, "s", lambda t: not t.devanagari and _spaced_ok(t)),
    "split": (_SPLIT, "p", _split_ok),
}


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    terms: tuple[Term, ...]


def _first_class(term: Term) -> str:
    ch = term.text[0]
    return re.escape(ch) if term.devanagari else re.escape(_LEET.get(ch, ch))


@lru_cache(maxsize=64)
def _matcher(names: tuple[str, ...], signal: str, family: str) -> _Matcher:
    """One pattern for the terms of `names` in `signal`, for one family: "latin", "spaced", "deva" or "split"."""
    terms = tuple(t for name in names for t in load_wordlist(name) if t.signal == signal)
    gap, prefix, fits = _FAMILIES[family]
    chosen = [i for i, t in enumerate(terms) if fits(t)]
    # Grouped by first letter, so each position tries one small group; longer terms first within it
    # so "motherfucker" wins over "fuck" (and a masked term such as "f***" before all).
    groups: dict[str, list[int]] = {}
    for i in sorted(chosen, key=lambda i: (-sum(ch in _MASK for ch in terms[i].text), -len(terms[i].text))):
        groups.setdefault(_first_class(terms[i]), []).append(i)
    body = "|".join(
        f"(?=[{first}])(?:" + "|".join(f"(?P<{prefix}{i}>{_term_pattern(terms[i], gap=gap)})" for i in ids) + ")"
        for first, ids in groups.items()
    ) or "(?!)"
    pattern = re.compile(rf"{WORD_START}(?:{body}){WORD_END}")
    return _Matcher(pattern, terms)


def _reads_as_name(text: str, start: int, end: int, *, strict: bool = False) -> bool:
    """A capitalised match that names someone or something. Strict (!namectx): only where the words around
    it say so, since that spelling is mostly the insult ("Chutiya reporter" in an English comment too)."""
    word = text[start:end]
    if not (word[:1].isupper() and not word.isupper()):
        return False
    before = _WORD_RE.findall(text[max(0, start - 40):start])
    after = _WORD_RE.findall(text[end:end + 40])
    if after and after[0].lower() in _NAME_CONTEXT:
        return True
    english = detect_script(text) is Script.ENGLISH
    if strict:  # "Rupam Chutiya spoke", not "What Chutiya logic" nor "Modi Chutiya hai"
        return english and bool(before) and before[-1][:1].isupper() and before[-1].lower() not in _NOT_NAMES
    if before and before[-1][:1].isupper():
        return True
    if after and after[0][:1].isupper():
        return True
    # A capitalised surname in an English comment ("Chutia spoke at the event") is a name; the same
    # word in a Hinglish or Devanagari comment is the insult.
    return english


_TOKEN_CHARS = re.compile(rf"[\w{MARKS}'-]")
_POSSESSIVE = re.compile(r"['’]s$")


def _token(text: str, start: int, end: int) -> str:
    """The whole word around [start, end): "Shiites" around a match of "shiit", "DALL-E" without its "'s"."""
    while start > 0 and _TOKEN_CHARS.match(text[start - 1]):
        start -= 1
    while end < len(text) and _TOKEN_CHARS.match(text[end]):
        end += 1
    return _POSSESSIVE.sub("", fold(text[start:end]).text)


@lru_cache(maxsize=32)
def _allowed(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(t.text for name in names for t in load_wordlist(name) if t.signal == ALLOW and " " not in t.text)


@lru_cache(maxsize=32)
def _allowed_phrases(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the [allow] entries of several words ("cum laude"), or None when there are none."""
    phrases = sorted({t.text for name in names for t in load_wordlist(name) if t.signal == ALLOW and " " in t.text})
    if not phrases:
        return None
    body = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def _protected(folded: Folded, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """Original spans of allowed phrases: no term is matched inside them."""
    pattern = _allowed_phrases(names)
    if pattern is None:
        return []
    return [folded.span(m.start(), m.end()) for m in pattern.finditer(folded.text)]


def _accept(term: Term, core: str, text: str, start: int, end: int) -> bool:
    masks = sum(ch in _MASK for ch in core) - sum(ch in _MASK for ch in term.text)  # "f***" is itself a term
    if masks and masks > sum(ch.isalpha() for ch in term.text) // 2:
        return False
    if "lower" in term.flags and not text[start:end].islower():
        return False
    if "hinglish" in term.flags and detect_script(text) is Script.ENGLISH:
        return False  # "bc" in "I left early bc it was late" is "because"
    if "namectx" in term.flags and _reads_as_name(text, start, end, strict=True):
        return False
    return not ("name" in term.flags and _reads_as_name(text, start, end))


# Three letters in a row standing alone: the only texts where the spaced-letter form can match.
_LETTER = rf"[^\W\d_][{MARKS}]*"
_SPACED_HINT = re.compile(rf"(?<!\w){_LETTER}{_SPACED}{_LETTER}{_SPACED}{_LETTER}(?!\w)")
_DEVANAGARI_HINT = re.compile(r"[\u0900-\u097f]")
_HINDI = (Script.HINGLISH, Script.DEVANAGARI)
_LATIN_HINT = re.compile(r"[a-z]")


def _families(text: str, folded: str) -> list[str]:
    families = []
    if _LATIN_HINT.search(folded):
        families.append("latin")
    if _DEVANAGARI_HINT.search(folded):
        families.append("deva")
    if _SPACED_HINT.search(folded):
        families.append("spaced")
    if " " in folded and detect_script(text) in _HINDI:
        families.append("split")
    return families


def _hits(text: str, folded: Folded, names: tuple[str, ...], signal: str, families: Sequence[str],
          protected: Sequence[tuple[int, int]]) -> list[tuple[Span, Term]]:
    hits: list[tuple[Span, Term]] = []
    for family in families:
        matcher = _matcher(names, signal, family)
        for m in matcher.pattern.finditer(folded.text):
            group = m.lastgroup or ""
            term = matcher.terms[int(group[1:])]
            start, end = folded.span(m.start(), m.end())
            overlaps = any(h.start < end and start < h.end for h, _ in hits)
            if overlaps or any(a <= start and end <= b for a, b in protected):
                continue
            if _token(text, start, end) in _allowed(names):
                continue
            if _accept(term, m.group(group), text, start, end):
                hits.append((Span(start, end, text[start:end]), term))
    return sorted(hits, key=lambda h: h[0].start)


def find_words(text: str, wordlists: Sequence[str]) -> list[Finding]:
    """Banned, suspect and insult terms of the named lists in `text`, as at most one finding per signal.

    A stronger tier wins where terms overlap (a banned phrase is not also reported as suspect). The latest
    results are kept: the bundled scorer's word-list member and the detectors read the same comment in turn.
    """
    names = tuple(wordlists)
    if not names or not text:
        return []
    return list(_find_words(text, names))


@lru_cache(maxsize=1024)
def _find_words(text: str, names: tuple[str, ...]) -> tuple[Finding, ...]:
    folded = fold(text)
    protected = _protected(folded, names)
    families = _families(text, folded.text)
    taken: list[Span] = []
    findings = []
    for signal in ("banned_words", "suspect_words", "insult_words"):
        hits = [(s, t) for s, t in _hits(text, folded, names, signal, families, protected)
                if not any(b.start < s.end and s.start < b.end for b in taken)]
        taken.extend(s for s, _ in hits)
        if hits:
            detail = ", ".join(sorted({f"{t.wordlist}:{t.written or t.text}" for _, t in hits}))
            spans = tuple(s for s, _ in hits)
            findings.append(Finding(signal, SCORES[signal], spans, detail, quoted=all_quoted(text, spans)))
    return tuple(findings)


def prepare(wordlists: Sequence[str]) -> None:
    """Read the lists and compile every pattern now, so no comment pays for it."""
    _allowed_phrases(tuple(wordlists))
    for signal in CATEGORIES.values():
        for family in _FAMILIES:
            _matcher(tuple(wordlists), signal, family)
