"""Near-identical texts: MinHash signatures of character shingles and their LSH bands (datasketch), pure.

A copy-and-paste campaign changes a word or two, the case, the spacing or the punctuation; five-character
shingles of the folded text keep such copies above `THRESHOLD` estimated Jaccard similarity, while two readers'
own words on the same story stay far below it. The bands are datasketch's LSH bands for that threshold: texts
that share a band are candidates, and a candidate counts only when its signature agrees (`similar`).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from functools import cache
from hashlib import blake2b

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 64
#: Estimated Jaccard similarity of shingle sets from which two comments count as the same text.
THRESHOLD = 0.7
SHINGLE = 5
_SEED = 1
#: datasketch's 32-bit scheme: stored signatures name it, so a later default cannot misread them.
_SCHEME = "affine32"
_WORDS = re.compile(r"\w+")
#: The most groups a band remembers a member of: a band shared by that many different texts says little, and
#: the other bands still bring copies together.
_BUCKET_GROUPS = 8


def fold(text: str) -> str:
    """The text as copies share it: compatibility-folded, lower case, words joined by single spaces."""
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", text).casefold()))


def shingles(text: str) -> list[bytes]:
    """The overlapping `SHINGLE`-character pieces of the folded text (the whole of a shorter one)."""
    folded = fold(text).encode("utf-8")
    if len(folded) <= SHINGLE:
        return [folded]
    return [folded[i:i + SHINGLE] for i in range(len(folded) - SHINGLE + 1)]


def signatures(texts: Iterable[str]) -> list[LeanMinHash]:
    """MinHash signatures of many texts at once (datasketch reuses its permutations across them)."""
    # CRC-32 hashes the shingles: a stable 32-bit hash (signatures are stored), three times faster than SHA-1.
    minhashes = MinHash.generator((shingles(t) for t in texts), num_perm=NUM_PERM, seed=_SEED, hashfunc=zlib.crc32,
                                       scheme=_SCHEME)
    return [LeanMinHash(m) for m in minhashes]


def signature(text: str) -> LeanMinHash:
    """One text's MinHash signature."""
    return signatures([text])[0]


def to_bytes(sig: LeanMinHash) -> bytes:
    """The signature's hash values, as stored."""
    return bytes(np.asarray(sig.hashvalues, dtype=np.uint32).tobytes())


def from_bytes(data: bytes) -> LeanMinHash:
    """A stored signature."""
    return LeanMinHash(seed=_SEED, hashvalues=np.frombuffer(data, dtype=np.uint32), scheme=_SCHEME)


def similar(a: LeanMinHash, b: LeanMinHash) -> bool:
    """Whether two signatures estimate the texts as near-identical."""
    return bool(a.jaccard(b) >= THRESHOLD)


def _agree(a: np.ndarray, b: np.ndarray) -> bool:
    """`similar` on bare hash values (datasketch's Jaccard estimate without its checks, for the batch loop)."""
    return bool(np.count_nonzero(a == b) >= THRESHOLD * NUM_PERM)


@cache
def _lsh_ranges() -> tuple[tuple[int, int], ...]:
    """datasketch's band ranges for `THRESHOLD` and `NUM_PERM`, weighted against missed copies (12 bands of 5
    rows: a copy at 0.8 shares a band 99 times in 100; the signatures then weed out the extra candidates)."""
    return tuple(MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, weights=(0.1, 0.9)).hashranges)


def band_keys(sig: LeanMinHash) -> list[str]:
    """The signature's LSH bands as short keys (band number and a digest of its rows), to look up in an index."""
    values = np.asarray(sig.hashvalues, dtype=np.uint32)
    return [f"{i:02x}" + blake2b(values[start:end].tobytes(), digest_size=10).hexdigest()
            for i, (start, end) in enumerate(_lsh_ranges())]


def clusters(sigs: Sequence[LeanMinHash]) -> list[list[int]]:
    """Indices of `sigs` grouped into sets of near-identical texts (connected through similar pairs); singletons
    are left out.

    Texts sharing an LSH band are candidates; each is compared with the groups already met in that band (one
    member of each), so a campaign of thousands of copies costs a comparison or two per copy, not one per pair.
    """
    parent = list(range(len(sigs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    values = [np.asarray(sig.hashvalues) for sig in sigs]
    buckets: dict[str, list[int]] = {}
    for i, sig in enumerate(sigs):
        for key in band_keys(sig):
            met = buckets.setdefault(key, [])
            mine = root(i)
            if any(root(j) == mine for j in met):
                continue
            for j in met:
                if _agree(values[i], values[j]):
                    parent[mine] = root(j)
                    break
            else:
                if len(met) < _BUCKET_GROUPS:
                    met.append(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(sigs)):
        groups.setdefault(root(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]
