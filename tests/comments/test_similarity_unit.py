"""The comment similarity check's pure parts (apps/comments/similarity.py): words and
shingles, the keyed hash, MinHash, the band index and the set measures. No database, so
`make mutation` can run it against every mutant of the module. The end-to-end behaviour
(flagging a copied draft) is in test_similarity.py."""

import hashlib

import pytest
from django.conf import settings
from django.test import override_settings

from apps.comments import similarity as sim

# Load the settings before override_settings wraps them (no pytest-django in the mutation run).
assert settings.SECRET_KEY
KEY = "fixed-secret-for-golden-values-0123456789abcdefghijklmnop"
GOLDEN_FIRST_THREE = [648717537341830611, 1511226531807879479, 1408140626289617479]
GOLDEN_BAND_0 = 6900194814864665164
TEXT = "I plan activities for sixty students and coach six part-time staff every day."


def test_words_are_case_folded_without_accents_or_punctuation():
    assert sim.words("Árbol, NIÑOS!  día-a-día") == ["arbol", "ninos", "dia", "a", "dia"]
    assert sim.words("Straße") == ["strasse"]
    assert sim.words("  ...  ") == []


@pytest.mark.parametrize(
    "text, shingles",
    [
        ("", set()),
        ("!!!", set()),
        ("Hello", {"hello"}),
        ("Hello there", {"hello there"}),  # shorter than three words: the whole text
        ("one two three", {"one two three"}),
        ("one two three four", {"one two three", "two three four"}),
        ("a b a b a", {"a b a", "b a b"}),
    ],
)
def test_shingles_are_overlapping_three_word_runs(text, shingles):
    assert sim.shingles(text) == shingles


def test_constants_that_stored_fingerprints_depend_on():
    assert (sim.SHINGLE_WORDS, sim.NUM_PERM, sim.BANDS, sim.ROWS) == (3, 64, 16, 4)
    assert sim._PRIME == 2**61 - 1
    assert sim._MAX == 2**63 - 1
    assert len(sim._PERMS) == 64
    assert all(1 <= a < sim._PRIME and 0 <= b < sim._PRIME for a, b in sim._PERMS)


@override_settings(SECRET_KEY=KEY)
def test_the_shingle_hash_is_keyed_with_the_secret_key():
    expected_key = hashlib.sha256(b"ostportal.comments.fingerprint" + KEY.encode()).digest()
    assert sim._key() == expected_key
    hashed = sim.hashed_shingles("one two three")
    digest = hashlib.blake2b(b"one two three", key=expected_key[:32], digest_size=8).digest()
    assert hashed == {int.from_bytes(digest, "big") & (2**63 - 1)}
    # Not the plain (unkeyed) hash: a stored fingerprint cannot be tested against guesses.
    plain = hashlib.blake2b(b"one two three", digest_size=8).digest()
    assert int.from_bytes(plain, "big") & (2**63 - 1) not in hashed
    with override_settings(SECRET_KEY=KEY + "-other"):
        assert sim.hashed_shingles("one two three") != hashed


@override_settings(SECRET_KEY=KEY)
def test_hashes_fit_a_signed_64_bit_column():
    hashed = sim.hashed_shingles(TEXT * 3)
    assert len(hashed) == len(sim.shingles(TEXT * 3))
    assert all(0 <= h < 2**63 for h in hashed)
    # Some hash has the top bit of the 64-bit digest set, so the mask is doing its work.
    raw = [
        int.from_bytes(
            hashlib.blake2b(s.encode(), key=sim._key()[:32], digest_size=8).digest(), "big"
        )
        for s in sim.shingles(TEXT * 3)
    ]
    assert any(r >= 2**63 for r in raw)


def test_empty_and_short_drafts():
    assert sim.hashed_shingles("") == set()
    assert sim.minhash([]) == []
    assert sim.signature("") == []
    assert sim.signature("...") == []
    assert len(sim.signature("Hi")) == 64  # one shingle is still a signature


def test_minhash_is_the_minimum_of_each_permutation():
    values = [5, 2**40 + 7, 123456789]
    sig = sim.minhash(values)
    prime = 2**61 - 1
    assert sig == [min((a * x + b) % prime for x in values) for a, b in sim._PERMS]
    assert sim.minhash(iter(values)) == sig  # any iterable, read once
    assert sim.minhash([values[0]]) == [(a * values[0] + b) % prime for a, b in sim._PERMS]


@override_settings(SECRET_KEY=KEY)
def test_signatures_stay_the_same_across_restarts():
    """Stored fingerprints are compared with new ones: the permutations (seeded) and the
    keyed hash must not change. Golden values computed once with this key."""
    sig = sim.signature("one two three")
    assert sig[:3] == GOLDEN_FIRST_THREE
    assert sim.bands(sig)[0] == GOLDEN_BAND_0


def test_bands_hash_each_run_of_four_values():
    sig = list(range(100, 164))
    out = sim.bands(sig)
    assert len(out) == 16
    for band in range(16):
        chunk = ",".join(str(v) for v in sig[band * 4 : band * 4 + 4]).encode()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        assert out[band] == int.from_bytes(digest, "big") & (2**63 - 1)
    assert all(0 <= b < 2**63 for b in out)
    # One value changed: only its band changes.
    changed = sig.copy()
    changed[13] += 1
    moved = [i for i, (x, y) in enumerate(zip(out, sim.bands(changed), strict=True)) if x != y]
    assert moved == [3]


def test_estimated_jaccard_is_the_share_of_equal_positions():
    assert sim.estimated_jaccard([1, 2, 3, 4], [1, 2, 3, 4]) == 1.0
    assert sim.estimated_jaccard([1, 2, 3, 4], [1, 9, 3, 9]) == 0.5
    assert sim.estimated_jaccard([1, 2, 3, 4], [4, 3, 2, 1]) == 0.0
    assert sim.estimated_jaccard([], [1]) == 0.0
    assert sim.estimated_jaccard([1], []) == 0.0
    assert sim.estimated_jaccard([1, 2], [1, 2, 3]) == 0.0


def test_jaccard_and_containment():
    assert sim.jaccard({1, 2}, {2, 3}) == pytest.approx(1 / 3)
    assert sim.jaccard({1}, {1}) == 1.0
    assert sim.jaccard(set(), {1}) == 0.0
    assert sim.jaccard({1}, set()) == 0.0
    assert sim.containment({1, 2}, {2, 3}) == 0.5
    assert sim.containment({1, 2, 3, 4}, {1, 2, 3}) == 0.75
    assert sim.containment(set(), {1}) == 0.0
    assert sim.containment({1}, set()) == 0.0
