"""Near-duplicate detection for comment drafts without keeping their text.

A draft becomes a set of word 3-grams ("shingles"). Each shingle is hashed with a key derived
from the secret key (so a stored fingerprint cannot be tested against guessed phrases), and the
set is summarized by a MinHash signature of NUM_PERM minimums, one per fixed random
permutation. The share of equal positions in two signatures estimates the Jaccard similarity of
the two shingle sets. For lookup, the signature is cut into BANDS bands whose hashes are stored
and indexed: drafts sharing a band are the candidates checked (locality-sensitive hashing).
"""

import hashlib
import random
import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings

SHINGLE_WORDS = 3
NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
_PRIME = (1 << 61) - 1
_MAX = (1 << 63) - 1  # fits a signed 64-bit database column
_rng = random.Random(20280101)  # fixed: signatures must stay comparable across restarts
_PERMS = [(_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(NUM_PERM)]
_WORD = re.compile(r"\w+", re.UNICODE)


def _key() -> bytes:
    return hashlib.sha256(b"ostportal.comments.fingerprint" + settings.SECRET_KEY.encode()).digest()


def words(text: str) -> list[str]:
    """Lower-cased words, accents and punctuation kept out of the way."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _WORD.findall(text)


def shingles(text: str) -> set[str]:
    """The draft's overlapping word 3-grams (the whole text when it is shorter)."""
    w = words(text)
    if len(w) < SHINGLE_WORDS:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i : i + SHINGLE_WORDS]) for i in range(len(w) - SHINGLE_WORDS + 1)}


def hashed_shingles(text: str) -> set[int]:
    key = _key()
    return {
        int.from_bytes(hashlib.blake2b(s.encode(), key=key[:32], digest_size=8).digest(), "big")
        & _MAX
        for s in shingles(text)
    }


def minhash(hashes: Iterable[int]) -> list[int]:
    """The MinHash signature of a set of hashed shingles (empty set: empty list)."""
    values = list(hashes)
    if not values:
        return []
    return [min((a * x + b) % _PRIME for x in values) for a, b in _PERMS]


def signature(text: str) -> list[int]:
    return minhash(hashed_shingles(text))


def bands(sig: list[int]) -> list[int]:
    """One hash per band of ROWS signature values, for the candidate lookup."""
    out = []
    for band in range(BANDS):
        chunk = ",".join(str(v) for v in sig[band * ROWS : (band + 1) * ROWS]).encode()
        out.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big") & _MAX)
    return out


def estimated_jaccard(a: list[int], b: list[int]) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def containment(part: set, whole: set) -> float:
    """Share of `part` found in `whole` (how much of a draft is copied from a text)."""
    return len(part & whole) / len(part) if part else 0.0
