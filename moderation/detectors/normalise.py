"""Text folding for matching: one lower-case, de-obfuscated string plus a map back to original offsets."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

# Invisible characters people slip inside words to dodge filters.
_INVISIBLE = frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
                       "\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f\ufeff")

# Letters of other scripts that look like Latin ones (lower case, after case folding), from Unicode's
# confusables. Mathematical, fullwidth, circled and superscript letters need no entry: NFKC folds them.
_HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m", "н": "h",
    "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "һ": "h",
    "ӏ": "l", "ԛ": "q", "ԝ": "w", "ь": "b", "ү": "y",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
    # Latin small capitals ("sʜɪᴛ") and other Latin letters outside the accented-letter blocks
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j",
    "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u",
    "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ɡ": "g", "ı": "i", "ɑ": "a", "ɩ": "i", "ʋ": "u",
    # Armenian ("fսck")
    "ա": "w", "գ": "q", "զ": "q", "հ": "h", "ո": "n", "ռ": "n", "ս": "u", "ց": "g", "ք": "f", "օ": "o",
}
# Cherokee capitals that look like Latin letters (Ꭰ D, Ꭺ A, Ꮪ S, Ꮯ C …); case folding turns them into Cherokee
# small letters, so those are the keys.
_CHEROKEE = {
    0x13A0: "d", 0x13A1: "r", 0x13A2: "t", 0x13A5: "i", 0x13A9: "y", 0x13AA: "a", 0x13AB: "j", 0x13AC: "e",
    0x13B3: "w", 0x13B7: "m", 0x13BB: "h", 0x13BD: "y", 0x13C0: "g", 0x13C2: "h", 0x13C3: "z", 0x13CF: "b",
    0x13D2: "r", 0x13D4: "w", 0x13D5: "s", 0x13D9: "v", 0x13DA: "s", 0x13DE: "l", 0x13DF: "c", 0x13E2: "p",
    0x13E6: "k", 0x13E7: "d", 0x13F3: "g", 0x13F4: "b",
}
_HOMOGLYPHS.update({chr(code).lower(): latin for code, latin in _CHEROKEE.items()})
# Ideographic full stops, which browsers read as dots in an address ("evil。com"); U+FF61 and U+FF0E
# reach here as U+3002 and "." after NFKC.
_STOPS = {"\u3002": "."}

# Devanagari spellings that vary freely in comments: vowel length, nukta, chandrabindu.
_DEVANAGARI = {"\u093c": "", "\u0940": "\u093f", "\u0942": "\u0941", "\u0908": "\u0907", "\u090a": "\u0909",
               "\u0901": "\u0902"}

# Devanagari vowel signs and other marks, which the `re` module counts as neither letters nor word characters,
# and the word boundaries that treat them as part of a word (`\b` would split "कीड़े" after its first letter).
MARKS = "\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963"
WORD_START = rf"(?<![^\W\d_])(?<![{MARKS}])"
WORD_END = rf"(?![^\W\d_]|[{MARKS}])"


# Negative circled and negative squared capitals ("🅵🆄🅲🅺"), which NFKC leaves alone: first code point of each run.
_NEGATIVE_LETTERS = (0x1F150, 0x1F170)


@dataclass(frozen=True)
class Folded:
    """Folded text and, for each of its characters, the index of the original character it came from."""

    text: str
    origin: tuple[int, ...] | None  # None: same length as the original, position i came from i
    # Where each folded character's original ends (exclusive): past the combining marks dropped after it.
    ends: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for folded [start, end)."""
        if self.origin is None:
            return start, end
        if self.ends is None:
            return self.origin[start], self.origin[end - 1] + 1
        return self.origin[start], self.ends[end - 1]


def _negative_letter(code: int) -> str:
    for first in _NEGATIVE_LETTERS:
        if first <= code < first + 26:
            return chr(ord("A") + code - first)
    return ""


def _fold_char(ch: str, out: list[str], origin: list[int], ends: list[int], i: int, lower: bool,
               lookalikes: bool) -> None:
    if ch in _INVISIBLE or unicodedata.category(ch) == "Cf":
        return
    normal = unicodedata.normalize("NFKC", ch)
    if lookalikes:
        normal = _negative_letter(ord(ch)) or normal
    for c in normal.lower() if lower else normal:
        c = _STOPS.get(c, c)
        if lookalikes:
            latin = _HOMOGLYPHS.get(c.lower())
            if latin:
                c = latin if lower or c.islower() else latin.upper()
            c = _DEVANAGARI.get(c, c)
            if not c:
                continue
            code = ord(c)
            if unicodedata.category(c) == "Mn" and out and out[-1].isascii():
                ends[-1] = i + 1  # a combining accent (or strike-through) on a Latin letter belongs to it
                continue
            if 0x80 <= code < 0x250 or 0x1E00 <= code < 0x1F00:
                plain = anyascii(c) or c  # accented Latin letters: ü -> u, ƒ -> f
                c = plain.lower() if lower else plain
        for piece in c:
            out.append(piece)
            origin.append(i)
            ends.append(i + 1)


def fold(text: str, *, lower: bool = True, lookalikes: bool = True) -> Folded:
    """NFKC, strip invisibles and accents, map look-alike letters to Latin ones, and lower-case unless told not to.

    With `lookalikes=False` only NFKC, invisibles, dots and case are folded: the text a browser would read
    in an address ("ｅｘａｍｐｌｅ。com" is example.com, "еxample.com" with a Cyrillic е is not).
    """
    if text.isascii():
        return Folded(text.lower() if lower else text, None)
    out: list[str] = []
    origin: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(ch.lower() if lower else ch)
            origin.append(i)
            ends.append(i + 1)
        else:
            _fold_char(ch, out, origin, ends, i, lower, lookalikes)
    return Folded("".join(out), tuple(origin), tuple(ends))
