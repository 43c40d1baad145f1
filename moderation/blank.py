"""What counts as a blank text: nothing in it a reader can see (whitespace, zero-width and other invisible
characters), so a comment made only of those is refused like an empty one."""

from __future__ import annotations

import re

#: Whitespace as `str.strip` and `str.isspace` know it, spelled out for JSON Schema, whose \s differs.
SPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: Characters that show nothing in the Basic Multilingual Plane: C0 and C1 controls, Unicode's default-ignorable
#: code points (soft hyphen, zero-width space and joiners, direction marks, word joiner, variation selectors,
#: byte-order mark …) and the letters and symbols whose glyph is blank (Hangul fillers, the blank Braille pattern).
#: Written as a character-class body that Python and JSON Schema (ECMA-262) read the same way.
INVISIBLE = (r"\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
             r"\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8")
#: Outside the BMP: tag characters, variation selectors supplement, shorthand format controls, musical format
#: controls. Not in the OpenAPI pattern (ECMA-262 without the u flag cannot name them), refused all the same.
_ASTRAL_INVISIBLE = "\U000e0000-\U000e0fff\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
_VISIBLE = re.compile(f"[^{SPACE}{INVISIBLE}{_ASTRAL_INVISIBLE}]")


def is_blank(text: str) -> bool:
    """Whether `text` has no character a reader would see (empty, whitespace, zero-width or other invisible)."""
    return _VISIBLE.search(text) is None
