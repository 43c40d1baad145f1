"""Text folding for matching: one lower-case, de-obfuscated string plus a map back to original offsets."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

# Invisible characters people slip inside words to dodge filters.
_INVISIBLE = frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
                       "\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f\ufeff")

# Cyrillic and Greek letters that look like Latin ones (lower case, after case folding).
_HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m", "н": "h",
    "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "һ": "h",
    "ӏ": "l", "ԛ": "q", "ԝ": "w", "ь": "b", "ү": "y", "ɡ": "g", "ı": "i",
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
}

# Devanagari spellings that vary freely in comments: vowel length, nukta, chandrabindu.
_DEVANAGARI = {"\u093c": "", "\u0940": "\u093f", "\u0942": "\u0941", "\u0908": "\u0907", "\u090a": "\u0909",
               "\u0901": "\u0902"}


@dataclass(frozen=True)
class Folded:
    """Folded text and, for each of its characters, the index of the original character it came from."""

    text: str
    origin: tuple[int, ...] | None  # None: same length as the original, position i came from i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for folded [start, end)."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def _fold_char(ch: str, out: list[str], origin: list[int], i: int, lower: bool) -> None:
    if ch in _INVISIBLE or unicodedata.category(ch) == "Cf":
        return
    normal = unicodedata.normalize("NFKC", ch)
    for c in normal.lower() if lower else normal:
        latin = _HOMOGLYPHS.get(c.lower())
        if latin:
            c = latin if lower or c.islower() else latin.upper()
        c = _DEVANAGARI.get(c, c)
        if not c:
            continue
        code = ord(c)
        if unicodedata.category(c) == "Mn" and out and out[-1].isascii():
            continue  # a combining accent on a Latin letter
        if 0x80 <= code < 0x250 or 0x1E00 <= code < 0x1F00:
            plain = anyascii(c) or c  # accented Latin letters: ü -> u, ƒ -> f
            c = plain.lower() if lower else plain
        for piece in c:
            out.append(piece)
            origin.append(i)


def fold(text: str, *, lower: bool = True) -> Folded:
    """NFKC, strip invisibles and accents, map look-alike letters to Latin ones, and lower-case unless told not to."""
    if text.isascii():
        return Folded(text.lower() if lower else text, None)
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(ch.lower() if lower else ch)
            origin.append(i)
        else:
            _fold_char(ch, out, origin, i, lower)
    return Folded("".join(out), tuple(origin))
