"""Seeded randomness for the demo site: one independent stream per (seed, label), and vectorised
helpers that draw realistic-looking identifiers (GUIDs, hashes, serial numbers) for many rows.

Every generator asks ``stream(seed, "entity", name)`` for its own generator, so the data of one
entity never depends on which entities were built before it.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence

import numpy as np
import polars as pl

NULL = np.array(None, dtype=object)
"""A null for ``np.where`` over object arrays (a bare None there trips the type checker)."""

_HEX_UPPER = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)
_HEX_LOWER = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_ALNUM = np.frombuffer(b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", dtype=np.uint8)


def stream(seed: int, *labels: object) -> np.random.Generator:
    """A generator determined by ``seed`` and the labels alone."""
    keys = [seed & 0xFFFFFFFF] + [zlib.crc32(str(label).encode()) for label in labels]
    return np.random.default_rng(keys)


def pick(rng: np.random.Generator, n: int, weights: Sequence[float]) -> np.ndarray:
    """``n`` indices into ``weights`` drawn with those (unnormalised) weights."""
    p = np.asarray(weights, dtype=np.float64)
    cdf = np.cumsum(p / p.sum())
    cdf[-1] = 1.0
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int64)


def _strings(codes: np.ndarray, alphabet: np.ndarray) -> np.ndarray:
    """Rows of character codes (n x width) mapped through ``alphabet`` to fixed-width strings."""
    n, width = codes.shape
    chars = np.ascontiguousarray(alphabet[codes])
    return chars.view(f"S{width}").reshape(n).astype(f"U{width}")


def hex_strings(rng: np.random.Generator, n: int, width: int, *, upper: bool = True) -> np.ndarray:
    """``n`` random hex strings of ``width`` digits (hashes, thumbprints)."""
    codes = rng.integers(0, 16, size=(n, width), dtype=np.uint8)
    return _strings(codes, _HEX_UPPER if upper else _HEX_LOWER)


def alnum_strings(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    """``n`` random serial-number-like strings (digits and capitals without I and O)."""
    codes = rng.integers(0, len(_ALNUM), size=(n, width), dtype=np.uint8)
    return _strings(codes, _ALNUM)


def guids(rng: np.random.Generator, n: int, *, upper: bool = True, braces: bool = False) -> pl.Series:
    """``n`` random version-4 GUIDs as strings."""
    digits = hex_strings(rng, n, 32, upper=upper)
    s = pl.Series(digits, dtype=pl.String)
    parts = [s.str.slice(0, 8), s.str.slice(8, 4), pl.Series(["4"] * n), s.str.slice(13, 3),
             s.str.slice(16, 4), s.str.slice(20, 12)]
    frame = pl.DataFrame({f"p{i}": p for i, p in enumerate(parts)})
    out = frame.select(pl.concat_str([pl.col("p0"), pl.lit("-"), pl.col("p1"), pl.lit("-"), pl.col("p2"),
                                      pl.col("p3"), pl.lit("-"), pl.col("p4"), pl.lit("-"), pl.col("p5")]))
    result = out.to_series()
    if braces:
        result = ("{" + result + "}").alias("guid")
    return result


def hash_of(*parts: object, algorithm: str = "sha256") -> str:
    """A stable hash (upper-case hex) of the given parts, for file hashes that must agree wherever
    the same file appears (64 digits for sha256, 32 for md5)."""
    text = "|".join(str(p) for p in parts).encode()
    return hashlib.new(algorithm, text).hexdigest().upper()
