r"""Landscape theory of aggregation (Axelrod & Bennett 1993).

Actors ``i = 0 .. n-1`` have sizes :math:`s_i > 0` and a symmetric matrix of pairwise
propensities :math:`p_{ij}` (zero on the diagonal): :math:`p_{ij} > 0` means that *i* and *j*
would like to be on the same side, :math:`p_{ij} < 0` that they would rather be apart.

A *configuration* :math:`X` puts every actor in bloc 0 or bloc 1. Write
:math:`d_{ij}(X) = 1` when *i* and *j* are in different blocs and 0 otherwise.

Energy of a configuration (Axelrod & Bennett 1993, eq. 2)::

    E(X) = sum_{i<j} s_i * s_j * p_ij * d_ij(X)

Frustration of actor *i* (eq. 1)::

    F_i(X) = sum_{j != i} s_j * p_ij * d_ij(X)

Switching actor *i* to the other bloc turns every :math:`d_{ij}` into :math:`1 - d_{ij}`, so::

    Delta F_i = sum_{j != i} s_j * p_ij * (1 - 2 d_ij(X))
    Delta E   = s_i * Delta F_i

Because every size is positive, a switch that lowers an actor's frustration lowers the energy by
exactly ``s_i`` times as much. This is why the *myopic dynamics* (some actor that would be less
frustrated in the other bloc switches; repeat) always stops, and stops at a local minimum of E:
a configuration where no single switch lowers E.

Swapping the names of the two blocs changes nothing, so configurations are counted up to that
swap: actor 0 is always placed in bloc 0, and the remaining ``n - 1`` actors give ``2**(n-1)``
distinct configurations. They are numbered by an integer *code*: bit ``k`` of the code is the bloc
of actor ``k + 1``. The exact global minimum evaluates the energy of all of them at once with
numpy (n <= 20, i.e. at most 524,288 configurations).

Computation. With :math:`\sigma_i = 1 - 2 x_i \in \{+1, -1\}` and :math:`w_{ij} = s_i s_j p_{ij}`,
:math:`d_{ij} = (1 - \sigma_i \sigma_j)/2`, hence
:math:`E = \tfrac12 \sum_{i<j} w_{ij} - \tfrac14 \sigma^\top W \sigma`. Splitting the actors into
a "low" group L (actor 0 and the low bits of the code) and a "high" group H (the high bits),
:math:`\sigma^\top W \sigma = q_L + q_H + 2\,\sigma_H^\top W_{HL} \sigma_L`, so the energies of all
configurations form one matrix of shape (2**|H|, 2**(|L|-1)) built from a single matrix product:
for n = 20 that is 1024 x 512 values (4 MB), and no array of all configurations x actors is made.

The module is pure: it takes sizes and propensities as arrays and never loads data. The great
powers' inputs for a year (CINC sizes, alliance and rivalry signs) come from
:func:`alliancekit.europe.great_power_inputs`.

References
----------
Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation. *British Journal of
Political Science*, 23(2), 211-233.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from . import _bipartition
from . import _validate as vd

__all__ = [
    "MAX_ENUMERATE",
    "Minimum",
    "MyopicResult",
    "energy",
    "frustrations",
    "energies",
    "sigma_quadratic_all",
    "configurations",
    "decode",
    "encode",
    "global_minimum",
    "myopic_dynamics",
    "basins",
]

#: Largest number of actors whose 2**(n-1) configurations are enumerated exactly.
MAX_ENUMERATE = _bipartition.MAX_ACTORS
#: Symmetry tolerance for the propensity matrix (absolute).
_SYM_TOL = 1e-9


# --------------------------------------------------------------------------- validation
def _check_sizes(sizes) -> np.ndarray:
    return vd.array("sizes", sizes, 0, None, lo_open=True, ndim=1, min_size=2,
                   meaning="one positive size per actor")


def _square(name: str, value, n: int | None = None) -> np.ndarray:
    p = vd.array(name, value, ndim=2)
    if p.shape[0] != p.shape[1]:
        raise ValueError(f"{name} must be a square n x n matrix; got shape {p.shape}")
    if n is not None and p.shape[0] != n:
        raise ValueError(f"{name} must be {n} x {n} to match the {n} sizes; got shape {p.shape}")
    asym = np.abs(p - p.T)
    if asym.size and asym.max() > _SYM_TOL:
        i, j = np.unravel_index(np.argmax(asym), p.shape)
        raise ValueError(
            f"{name} must be symmetric ({name}[i, j] == {name}[j, i], tolerance {_SYM_TOL}); "
            f"{name}[{i}, {j}] = {p[i, j]} but {name}[{j}, {i}] = {p[j, i]}"
        )
    return p


def _check_propensity(propensity, n: int) -> np.ndarray:
    p = _square("propensity", propensity, n)
    if np.any(np.abs(np.diag(p)) > 0):
        raise ValueError(
            "propensity must have a zero diagonal (an actor has no propensity towards itself); "
            f"got diagonal {np.diag(p).tolist()}"
        )
    return p


def _check_config(config, n: int | None, name: str = "config") -> np.ndarray:
    if config is None or isinstance(config, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of bloc labels 0 and 1; got {vd.show(config)}")
    x = np.asarray(config)
    if x.dtype == bool:
        x = x.astype(np.int8)
    if x.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold bloc labels 0 and 1; got {vd.show(config)}")
    if x.ndim != 1 or (n is not None and x.size != n) or x.size < 2:
        want = f"{n}" if n is not None else "at least 2"
        raise ValueError(
            f"{name} must be a sequence of {want} bloc labels (one per actor); got shape {x.shape}"
        )
    if not np.all(np.isin(x, (0, 1))):
        raise ValueError(f"{name} must contain only bloc labels 0 and 1; got {x.tolist()}")
    return x.astype(np.int8)


def _check_enumerable(n: int) -> None:
    if n > MAX_ENUMERATE:
        raise ValueError(
            f"n (the number of actors) must be at most {MAX_ENUMERATE} to enumerate all "
            f"2**(n-1) configurations (allowed: 2..{MAX_ENUMERATE}); got n = {n}"
        )


def _inputs(sizes, propensity) -> tuple[np.ndarray, np.ndarray]:
    s = _check_sizes(sizes)
    p = _check_propensity(propensity, s.size)
    return s, p


def _weights(s: np.ndarray, p: np.ndarray) -> np.ndarray:
    """w_ij = s_i s_j p_ij, symmetrised exactly (so that rounding cannot break symmetry)."""
    w = np.outer(s, s) * p
    return (w + w.T) / 2


# --------------------------------------------------------------------------- configurations
def configurations(n: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """The configurations with codes ``start .. stop-1`` as an int8 array of shape (m, n).

    Parameters
    ----------
    n : int
        Number of actors, 2..20.
    start, stop : int
        Range of configuration codes, within ``0 .. 2**(n-1)``; ``stop`` defaults to the end.

    Returns
    -------
    numpy.ndarray
        Row ``k`` is the configuration with code ``start + k``: column 0 is always 0 (actor 0 in
        bloc 0) and column ``j`` is bit ``j - 1`` of the code.

    Examples
    --------
    >>> configurations(3).tolist()
    [[0, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 1]]
    """
    n = vd.integer("n", n, 2, MAX_ENUMERATE)
    total = 1 << (n - 1)
    start = vd.integer("start", start, 0, total)
    stop = total if stop is None else vd.integer("stop", stop, start, total)
    return _bipartition.splits(n, start, stop)


def encode(config: ArrayLike) -> int:
    """The code of a configuration, after putting actor 0 in bloc 0 (swapping blocs if needed).

    Parameters
    ----------
    config : sequence of {0, 1}
        Bloc of each actor (at least 2).

    Returns
    -------
    int
        Bit ``k`` is the bloc of actor ``k + 1``.

    Examples
    --------
    >>> encode([0, 1, 1]), encode([1, 0, 0])
    (3, 3)
    """
    return _bipartition.code_of(_check_config(config, None))


def decode(code: int, n: int) -> np.ndarray:
    """The configuration (int8 array of bloc labels, actor 0 in bloc 0) with the given code.

    Parameters
    ----------
    code : int
        A configuration code, 0 .. 2**(n-1) - 1.
    n : int
        Number of actors, 2 .. 62.

    Returns
    -------
    numpy.ndarray of int8

    Examples
    --------
    >>> decode(3, 3).tolist()
    [0, 1, 1]
    """
    n = vd.integer("n", n, 2, 62)
    code = vd.integer("code", code, 0, (1 << (n - 1)) - 1)
    return _bipartition.split_of(code, n)


# --------------------------------------------------------------------------- energy
def energy(config: ArrayLike, sizes: ArrayLike, propensity: ArrayLike) -> float:
    """The energy E(X) of one configuration.

    Parameters
    ----------
    config : sequence of {0, 1}
        Bloc of each actor.
    sizes : sequence of float
        Actor sizes s_i > 0 (for example CINC scores).
    propensity : array_like, shape (n, n)
        Symmetric propensities p_ij with a zero diagonal; positive means "want to be together".

    Returns
    -------
    float
        ``sum_{i<j} s_i s_j p_ij d_ij(X)``. Lower is more stable.

    References
    ----------
    Axelrod & Bennett (1993), eq. 2.

    Examples
    --------
    >>> energy([0, 0, 1], [1, 1, 1], [[0, 1, -1], [1, 0, -1], [-1, -1, 0]])
    -2.0
    """
    s, p = _inputs(sizes, propensity)
    x = _check_config(config, s.size)
    d = x[:, None] != x[None, :]
    return float(np.triu(_weights(s, p) * d, 1).sum())


def frustrations(config: ArrayLike, sizes: ArrayLike, propensity: ArrayLike) -> np.ndarray:
    """Each actor's frustration F_i(X) = sum_j s_j p_ij d_ij(X) in a configuration.

    Parameters
    ----------
    config, sizes, propensity
        As in :func:`energy`.

    Returns
    -------
    numpy.ndarray
        One value per actor.

    References
    ----------
    Axelrod & Bennett (1993), eq. 1.
    """
    s, p = _inputs(sizes, propensity)
    x = _check_config(config, s.size)
    d = x[:, None] != x[None, :]
    return (p * d) @ s


def _energies_of(x: np.ndarray, w: np.ndarray, half_total: float) -> np.ndarray:
    sigma = 1.0 - 2.0 * x
    return half_total - 0.25 * np.einsum("ij,ij->i", sigma @ w, sigma)


def energies(sizes: ArrayLike, propensity: ArrayLike) -> np.ndarray:
    """The energy of every one of the 2**(n-1) configurations, vectorised.

    Parameters
    ----------
    sizes : sequence of float
        Actor sizes s_i > 0; 2 <= n <= 20.
    propensity : array_like, shape (n, n)
        Symmetric propensities with a zero diagonal.

    Returns
    -------
    numpy.ndarray of float, shape (2**(n-1),)
        Entry ``k`` is the energy of the configuration with code ``k`` (see :func:`decode`).

    Raises
    ------
    ValueError
        If n > 20 (too many configurations), or the inputs are invalid.

    References
    ----------
    Axelrod & Bennett (1993).

    Examples
    --------
    >>> energies([1, 1, 1], [[0, 1, -1], [1, 0, -1], [-1, -1, 0]]).tolist()
    [0.0, 0.0, -2.0, 0.0]
    """
    s, p = _inputs(sizes, propensity)
    n = s.size
    _check_enumerable(n)
    w = _weights(s, p)
    half_total = 0.5 * float(np.triu(w, 1).sum())
    return half_total - 0.25 * _bipartition.quadratic_all(w)


def sigma_quadratic_all(w: ArrayLike) -> np.ndarray:
    """``sigma' W sigma`` for every sign vector with sigma_0 = +1, indexed by configuration code.

    Parameters
    ----------
    w : array_like, shape (n, n)
        A symmetric matrix of finite numbers, 2 <= n <= 20 (for example ``s_i s_j p_ij``).

    Returns
    -------
    numpy.ndarray, shape (2**(n-1),)
        Entry ``k`` belongs to the configuration with code ``k`` (see :func:`decode`). The energy
        of every configuration is ``sum_{i<j} w_ij / 2 - sigma_quadratic_all(w) / 4``.

    Examples
    --------
    >>> sigma_quadratic_all([[0, 1], [1, 0]]).tolist()
    [2.0, -2.0]
    """
    w = _square("w", w)
    if w.shape[0] < 2:
        raise ValueError(f"w must be at least 2 x 2; got shape {w.shape}")
    _check_enumerable(w.shape[0])
    return _bipartition.quadratic_all(w)


@dataclass(frozen=True)
class Minimum:
    """The exact global minimum of the landscape.

    Attributes
    ----------
    config : tuple of int
        Bloc of each actor in the (first) minimum, actor 0 in bloc 0.
    energy : float
        Its energy.
    code : int
        Its configuration code.
    n_minima : int
        How many configurations (counted up to swapping the blocs) reach the minimum energy,
        within a relative tolerance of 1e-9; more than 1 means the landscape has tied minima.
    codes : tuple of int
        The codes of all tied minima.
    n_configurations : int
        How many configurations were evaluated: 2**(n-1).
    """

    config: tuple
    energy: float
    code: int
    n_minima: int
    codes: tuple
    n_configurations: int

    def blocs(self, names: Sequence | None = None) -> tuple[tuple, tuple]:
        """The two blocs as tuples of actor names (or indices when ``names`` is None)."""
        return _bipartition.blocs(_names(names, len(self.config)), self.config)


def _names(names, n: int) -> list:
    if names is None:
        return list(range(n))
    if isinstance(names, (str, bytes)) or not isinstance(names, Sequence):
        raise TypeError(f"names must be a sequence with one name per actor; got {vd.show(names)}")
    if len(names) != n:
        raise ValueError(f"names must have one entry per actor ({n}); got {len(names)}")
    return list(names)


def global_minimum(sizes: ArrayLike, propensity: ArrayLike) -> Minimum:
    """The configuration of lowest energy, found exactly by enumerating all 2**(n-1).

    Parameters
    ----------
    sizes : sequence of float
        Actor sizes s_i > 0; 2 <= n <= 20.
    propensity : array_like, shape (n, n)
        Symmetric propensities with a zero diagonal.

    Returns
    -------
    Minimum
        The minimum, its energy, and any ties.

    References
    ----------
    Axelrod & Bennett (1993).

    Examples
    --------
    >>> m = global_minimum([1, 1, 1], [[0, 1, -1], [1, 0, -1], [-1, -1, 0]])
    >>> m.config, m.energy
    ((0, 0, 1), -2.0)
    """
    s, p = _inputs(sizes, propensity)
    e = energies(s, p)
    lowest = float(e.min())
    tol = 1e-9 * max(1.0, float(np.abs(e).max()))
    tied = np.flatnonzero(e <= lowest + tol)
    code = int(tied[0])
    return Minimum(
        config=tuple(int(b) for b in decode(code, s.size)),
        energy=float(e[code]),
        code=code,
        n_minima=int(tied.size),
        codes=tuple(int(c) for c in tied),
        n_configurations=int(e.size),
    )


# --------------------------------------------------------------------------- dynamics
_RULES = ("steepest", "random")


def _gains(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Delta E of switching each actor, for each row of x (shape m x n)."""
    sigma = 1.0 - 2.0 * x
    return sigma * (sigma @ w)


def _descend(x: np.ndarray, w: np.ndarray, rule: str, rng, max_steps: int):
    """Run the myopic dynamics on every row of x at once; return final x and steps per row."""
    x = x.astype(float).copy()
    steps = np.zeros(x.shape[0], dtype=np.int64)
    scale = max(1.0, float(np.abs(w).sum()))
    tol = 1e-12 * scale
    active = np.arange(x.shape[0])
    for _ in range(max_steps):
        if active.size == 0:
            break
        g = _gains(x[active], w)
        improving = g < -tol
        moving = improving.any(axis=1)
        active = active[moving]
        if active.size == 0:
            break
        g, improving = g[moving], improving[moving]
        if rule == "steepest":
            who = np.argmin(g, axis=1)
        else:
            keys = np.where(improving, rng.random(g.shape), -1.0)
            who = np.argmax(keys, axis=1)
        x[active, who] = 1.0 - x[active, who]
        steps[active] += 1
    return x.astype(np.int8), steps


@dataclass(frozen=True)
class MyopicResult:
    """Where the myopic dynamics went from one start.

    Attributes
    ----------
    path : pandas.DataFrame
        One row per step: ``step`` (0 = start), ``actor`` (who switched; -1 at the start),
        ``energy``, ``config`` (the blocs as a string of 0s and 1s).
    final : tuple of int
        The local minimum reached, actor 0 in bloc 0.
    energy : float
        Its energy.
    steps : int
        Number of switches made.
    converged : bool
        True when no actor wants to switch (a local minimum); False if ``max_steps`` ran out.
    """

    path: object
    final: tuple
    energy: float
    steps: int
    converged: bool


def myopic_dynamics(
    start: ArrayLike,
    sizes: ArrayLike,
    propensity: ArrayLike,
    *,
    rule: str = "steepest",
    seed: int | None = None,
    max_steps: int = 10_000,
) -> MyopicResult:
    """Let actors switch blocs one at a time while a switch lowers their frustration.

    Parameters
    ----------
    start : sequence of {0, 1}
        The starting configuration.
    sizes : sequence of float
        Actor sizes s_i > 0.
    propensity : array_like, shape (n, n)
        Symmetric propensities with a zero diagonal.
    rule : {"steepest", "random"}
        Who switches when several would gain: ``"steepest"`` (deterministic) picks the switch that
        lowers the energy most (lowest index on ties); ``"random"`` picks one of the actors who
        would gain, at random (seeded).
    seed : int, optional
        Seed for ``rule="random"``.
    max_steps : int
        Upper bound on switches (the dynamics always stops earlier, because E falls at every step
        and there are finitely many configurations).

    Returns
    -------
    MyopicResult

    References
    ----------
    Axelrod & Bennett (1993), section "Dynamics".

    Examples
    --------
    >>> r = myopic_dynamics([0, 1, 1], [1, 1, 1], [[0, 1, -1], [1, 0, -1], [-1, -1, 0]])
    >>> r.final, r.energy, r.steps
    ((0, 0, 1), -2.0, 1)
    """
    s, p = _inputs(sizes, propensity)
    x = _check_config(start, s.size, "start").astype(float)
    vd.choice("rule", rule, _RULES)
    max_steps = vd.integer("max_steps", max_steps, 1, 10_000_000)
    rng = vd.generator(seed)
    w = _weights(s, p)
    half_total = 0.5 * float(np.triu(w, 1).sum())
    tol = 1e-12 * max(1.0, float(np.abs(w).sum()))

    def row(step, actor):
        e = float(_energies_of(x[None, :], w, half_total)[0])
        return {"step": step, "actor": actor, "energy": e,
                "config": "".join(str(int(b)) for b in x)}

    rows = [row(0, -1)]
    converged = False
    for step in range(1, max_steps + 1):
        g = _gains(x[None, :], w)[0]
        improving = g < -tol
        if not improving.any():
            converged = True
            break
        if rule == "steepest":
            who = int(np.argmin(g))
        else:
            who = int(rng.choice(np.flatnonzero(improving)))
        x[who] = 1.0 - x[who]
        rows.append(row(step, who))
    else:
        converged = not (_gains(x[None, :], w)[0] < -tol).any()
    final = x.astype(np.int8)
    if final[0] == 1:
        final = 1 - final
    return MyopicResult(
        path=pd.DataFrame(rows),
        final=tuple(int(b) for b in final),
        energy=rows[-1]["energy"],
        steps=len(rows) - 1,
        converged=converged,
    )


def basins(
    sizes: ArrayLike,
    propensity: ArrayLike,
    *,
    n_starts: int | None = None,
    rule: str = "steepest",
    seed: int | None = 0,
    exhaustive_up_to: int = 14,
    names: Sequence | None = None,
) -> pd.DataFrame:
    """The basins of attraction: where the myopic dynamics ends from many starts.

    Parameters
    ----------
    sizes : sequence of float
        Actor sizes s_i > 0.
    propensity : array_like, shape (n, n)
        Symmetric propensities with a zero diagonal.
    n_starts : int, optional
        Number of random starting configurations. By default every one of the 2**(n-1)
        configurations is a start when ``n <= exhaustive_up_to``, and 10,000 random starts
        (drawn with ``seed``) otherwise. Passing ``n_starts`` always samples.
    rule : {"steepest", "random"}
        As in :func:`myopic_dynamics`.
    seed : int, optional
        Seed for the sampled starts and for ``rule="random"``.
    exhaustive_up_to : int
        Largest n for which every start is used (1..20).
    names : sequence, optional
        Actor names used in the ``bloc_0`` / ``bloc_1`` columns.

    Returns
    -------
    pandas.DataFrame
        One row per local minimum reached: ``code``, ``config`` (string), ``bloc_0``, ``bloc_1``
        (comma-separated names), ``energy``, ``n_starts`` (starts ending there), ``share``
        (of all starts), ``mean_steps``, ``is_global`` (energy equal to the lowest reached
        within 1e-9), and ``exhaustive`` (True when every start was used). Sorted by energy.

    References
    ----------
    Axelrod & Bennett (1993).
    """
    s, p = _inputs(sizes, propensity)
    n = s.size
    vd.choice("rule", rule, _RULES)
    exhaustive_up_to = vd.integer("exhaustive_up_to", exhaustive_up_to, 1, MAX_ENUMERATE)
    labels = _names(names, n)
    rng = vd.generator(seed)
    if n_starts is None and n <= exhaustive_up_to:
        starts = _bipartition.splits(n)
        exhaustive = True
    else:
        n_starts = 10_000 if n_starts is None else vd.integer("n_starts", n_starts, 1, 1_000_000)
        starts = rng.integers(0, 2, size=(int(n_starts), n), dtype=np.int8)
        exhaustive = False
    w = _weights(s, p)
    final, steps = _descend(starts, w, rule, rng, max_steps=n * n * 4 + 100)
    flip = final[:, 0] == 1
    final[flip] = 1 - final[flip]
    codes = (final[:, 1:].astype(np.int64) << np.arange(n - 1, dtype=np.int64)).sum(axis=1)
    half_total = 0.5 * float(np.triu(w, 1).sum())
    uniq, first, counts = np.unique(codes, return_index=True, return_counts=True)
    e = _energies_of(final[first].astype(float), w, half_total)
    mean_steps = np.array([steps[codes == c].mean() for c in uniq])
    rows = []
    for k, c in enumerate(uniq):
        cfg = final[first[k]]
        b0, b1 = _bipartition.blocs(labels, cfg)
        rows.append({
            "code": int(c),
            "config": "".join(str(int(b)) for b in cfg),
            "bloc_0": ", ".join(map(str, b0)),
            "bloc_1": ", ".join(map(str, b1)),
            "energy": float(e[k]),
            "n_starts": int(counts[k]),
            "share": float(counts[k] / codes.size),
            "mean_steps": float(mean_steps[k]),
        })
    out = pd.DataFrame(rows).sort_values(["energy", "code"], ignore_index=True)
    lowest = out["energy"].min()
    out["is_global"] = out["energy"] <= lowest + 1e-9 * max(1.0, abs(lowest))
    out["exhaustive"] = exhaustive
    return out
