"""The clause heads' second view of a comment: its text with the names of groups (faiths, castes, regions,
nations, genders, sexualities, disabilities) replaced by "people", and a flag saying some were.

The encoder was fine-tuned to score toxicity, and in its features a short sentence's group weighs more than its
stance ("Disabled people are just as capable." against "Disabled people are a burden."). With the group's name
masked, what is said about the group is what is left to read; the flag keeps that a group was named.

Measured with `heads-holdout --mask-groups` only (docs/model.md, "Groups masked"); before the scorer uses it, the
Hindi forms need word edges: they are matched inside longer words too ("सिख" in "सिखाना").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

_ENGLISH = re.compile(r"""\b(?:
  muslims?|hindus?|christians?|sikhs?|jains?|buddhists?|jews?|jewish|parsis?|islamic|mullahs?|
  dalits?|brahmins?|brahmans?|thakurs?|yadavs?|jats?|adivasis?|tribals?|lower[- ]castes?|upper[- ]castes?|
  biharis?|bengalis?|kashmiris?|punjabis?|gujaratis?|marathis?|tamils?|madrasis?|north[\s-]?easterners?|
  pakistanis?|bangladeshis?|rohingyas?|chinese|afghans?|africans?|nepalis?|arabs?|asians?|
  immigrants?|migrants?|refugees?|foreigners?|
  women|woman|girls|females?|feminists?|gays?|homosexuals?|lesbians?|bisexuals?|trans(?:gender)?s?|transwomen|queers?|
  lgbt\w*|blacks?|black\ people|whites?|disabled|disabilities|handicapped|wheelchair\ users?|autistic
)\b""", re.IGNORECASE | re.VERBOSE)
_HINDI = (
    "musalman", "musalmaan", "musalmano", "musalmanon", "mulle", "mullo", "mullon", "hinduon", "hinduo", "isai",
    "isaai", "daliton", "biharion", "bihariyon", "aurat", "auratein", "auraton", "ladkiyan", "ladkiyon", "hijra",
    "hijde", "मुसलमान", "मुसलमानों", "मुल्ले", "मुल्लों", "हिंदू", "हिन्दू", "हिंदुओं", "सिख", "ईसाई", "दलित", "दलितों",
    "बिहारी", "मद्रासी", "कश्मीरी", "पाकिस्तानी", "बांग्लादेशी", "रोहिंग्या", "औरतें", "औरतों", "महिलाएं", "महिलाओं",
    "किन्नर", "हिजड़े",
)
_HINDI_WORDS = re.compile("|".join(re.escape(w) for w in sorted(_HINDI, key=len, reverse=True)))
_DEVANAGARI = re.compile("[\u0900-\u097f]")


def mask_groups(text: str) -> str:
    """`text` with each group's name replaced by "people" ("log" or "लोग" in Hindi)."""
    masked = _ENGLISH.sub("people", text)
    if _HINDI_WORDS.search(masked):
        masked = _HINDI_WORDS.sub("लोग" if _DEVANAGARI.search(text) else "log", masked)
    return masked


def with_masked_view(extract: Callable[[Sequence[str]], np.ndarray]) -> Callable[[Sequence[str]], np.ndarray]:
    """Features of each text's masked form (`mask_groups`) and one more column, 1.0 where a group was named."""

    def features(texts: Sequence[str]) -> np.ndarray:
        masked = [mask_groups(t) for t in texts]
        named = np.array([float(m != t) for t, m in zip(texts, masked, strict=True)], dtype=np.float32)
        return np.hstack([extract(masked), named[:, None]])

    return features
