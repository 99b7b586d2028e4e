"""Fake but realistic personal data (names, phones, NIK), derived by hashing an integer id."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from smartindex.sample import vocab
from smartindex.sample.common import IntArray, concat, padded, pick

_M = np.uint64(0xFFFFFFFFFFFFFFFF)


def mix(ids: IntArray, salt: int) -> NDArray[np.uint64]:
    """splitmix64 of (id, salt): a stable pseudo-random uint64 per person."""
    with np.errstate(over="ignore"):
        z = np.asarray(ids, dtype=np.uint64) + np.uint64(salt) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def names(ids: IntArray, seed: int) -> pa.Array:
    """Indonesian names, some with Palembang honorifics (Kms., Mgs., Nyimas …)."""
    h = mix(ids, seed * 7 + 1)
    first = (h % np.uint64(len(vocab.FIRST_NAMES))).astype(np.int64)
    last = ((h >> np.uint64(16)) % np.uint64(len(vocab.LAST_NAMES))).astype(np.int64)
    title = ((h >> np.uint64(32)) % np.uint64(len(vocab.TITLES))).astype(np.int64)
    return concat(
        pick(vocab.TITLES, title), pick(vocab.FIRST_NAMES, first), " ", pick(vocab.LAST_NAMES, last)
    )


def phones(ids: IntArray, seed: int) -> pa.Array:
    """Mobile numbers in the formats people type: 0812…, +62812…, 62-812-…"""
    h = mix(ids, seed * 7 + 2)
    pre = (h % np.uint64(len(vocab.PHONE_PREFIX))).astype(np.int64)
    digits = ((h >> np.uint64(8)) % np.uint64(100_000_000)).astype(np.int64)
    style = ((h >> np.uint64(40)) % np.uint64(10)).astype(np.int64)
    lead = pick(["0", "0", "0", "0", "0", "0", "+62", "+62", "62", "0"], style)
    return concat(lead, pick(vocab.PHONE_PREFIX, pre), padded(digits, 8))


def niks(ids: IntArray, seed: int) -> pa.Array:
    """16-digit NIK: 1671 + kecamatan (2) + birth date DDMMYY (+40 for women) + serial (4)."""
    h = mix(ids, seed * 7 + 3)
    kec = (h % np.uint64(18)).astype(np.int64) + 1
    day = ((h >> np.uint64(8)) % np.uint64(28)).astype(np.int64) + 1
    female = ((h >> np.uint64(16)) % np.uint64(2)).astype(np.int64)
    month = ((h >> np.uint64(20)) % np.uint64(12)).astype(np.int64) + 1
    year = ((h >> np.uint64(28)) % np.uint64(60)).astype(np.int64) + 45
    serial = ((h >> np.uint64(36)) % np.uint64(9999)).astype(np.int64) + 1
    return concat(
        "1671",
        padded(kec, 2),
        padded(day + 40 * female, 2),
        padded(month, 2),
        padded(year % 100, 2),
        padded(serial, 4),
    )
