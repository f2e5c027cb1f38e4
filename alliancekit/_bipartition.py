r"""Two-bloc splits of n actors, enumerated and evaluated with numpy (shared by two models).

Landscape theory (`alliancekit.landscape`) and structural balance (`alliancekit.networks`) both ask
which split of n actors into two blocs is best. Swapping the blocs' names changes nothing, so
actor 0 is always in bloc 0 and the other ``n - 1`` actors give ``2**(n-1)`` splits, numbered by a
*code*: bit ``k`` of the code is the bloc of actor ``k + 1``.

With signs :math:`\sigma_i = 1 - 2 x_i \in \{+1, -1\}`, a quadratic form over all splits,
:math:`\sigma^\top W \sigma`, is the one computation both models need. `quadratic_all` splits the
actors into a "low" group (actor 0 and the low bits) and a "high" group (the high bits), so that
:math:`\sigma^\top W \sigma = q_L + q_H + 2\,\sigma_H^\top W_{HL} \sigma_L` and the cross term of
every (high, low) pair is one matrix product: for n = 20, 1024 x 512 values, and no array of all
splits x actors is built.

References
----------
Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation. *British Journal of
Political Science*, 23(2), 211-233.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["MAX_ACTORS", "bits", "splits", "split_of", "code_of", "blocs", "quadratic_all"]

#: Largest number of actors whose 2**(n-1) splits are enumerated.
MAX_ACTORS = 20


def bits(codes: np.ndarray, n: int) -> np.ndarray:
    """The splits with the given codes: int8 array of shape (len(codes), n), column 0 all 0."""
    codes = np.asarray(codes, dtype=np.int64)
    out = np.zeros((codes.size, n), dtype=np.int8)
    out[:, 1:] = (codes[:, None] >> np.arange(n - 1, dtype=np.int64)) & 1
    return out


def splits(n: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Splits with codes ``start .. stop-1`` (default all ``2**(n-1)``), as in `bits`."""
    stop = (1 << (n - 1)) if stop is None else stop
    return bits(np.arange(start, stop, dtype=np.int64), n)


def split_of(code: int, n: int) -> np.ndarray:
    """The one split (int8 array of n bloc labels, actor 0 in bloc 0) with this code."""
    return bits(np.array([code]), n)[0]


def code_of(config: np.ndarray) -> int:
    """The code of a split given as 0/1 labels, after putting actor 0 in bloc 0."""
    x = np.asarray(config, dtype=np.int64)
    if x[0] == 1:
        x = 1 - x
    return int((x[1:] << np.arange(x.size - 1, dtype=np.int64)).sum())


def blocs(names: Sequence, config: Sequence[int]) -> tuple[tuple, tuple]:
    """The two blocs of a split as tuples of names (bloc 0 first), in the order of ``names``."""
    return (tuple(nm for nm, b in zip(names, config, strict=True) if b == 0),
            tuple(nm for nm, b in zip(names, config, strict=True) if b == 1))


def _signs(m: int) -> np.ndarray:
    """All 2**m sign vectors of m free actors (row r: bit j of r gives actor j), as +-1 floats."""
    codes = np.arange(1 << m, dtype=np.int64)
    return 1.0 - 2.0 * ((codes[:, None] >> np.arange(m, dtype=np.int64)) & 1)


def quadratic_all(w: np.ndarray) -> np.ndarray:
    """``sigma' W sigma`` for every split (sigma_0 = +1), indexed by the split's code.

    Parameters
    ----------
    w : numpy.ndarray, shape (n, n)
        A symmetric matrix, n >= 2.

    Returns
    -------
    numpy.ndarray, shape (2**(n-1),)
    """
    n = w.shape[0]
    k = (n - 1) // 2
    low = np.arange(k + 1)
    high = np.arange(k + 1, n)
    s_low = 1.0 - 2.0 * splits(k + 1) if k else np.ones((1, 1))
    s_high = _signs(n - 1 - k)
    q_low = np.einsum("ij,ij->i", s_low @ w[np.ix_(low, low)], s_low)
    q_high = np.einsum("ij,ij->i", s_high @ w[np.ix_(high, high)], s_high)
    cross = (s_high @ w[np.ix_(high, low)]) @ s_low.T
    return (q_high[:, None] + q_low[None, :] + 2.0 * cross).reshape(-1)
