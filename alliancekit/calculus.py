r"""The member calculus: is one member better off inside its alliance than outside, year by year?

Pure: nothing here draws (`alliancekit.charts` does) or loads data. The coded inputs of real
members (``cases.table("member_inputs")``, each value with a one-line justification and a source
key, see ``alliancekit/data/README.md``) are joined to CINC scores by the adapter
`alliancekit.calculus_cases`; ``member_calculus`` and ``member_inputs`` here are thin adapters
to it, kept for the lessons. The defaults below are starting points for a student to
argue with, not estimates.

Sources: Morrow (1991) on the trade of autonomy for security; Snyder (1984, 1997) on abandonment
and entrapment; Leeds, Long & Mitchell (2000) on reliability. The form is the proposal in
``docs/model.md``, section 1, with one change (marked *).

For member *i* with partners *j* in year *t*; ``c`` is the CINC score (NMC v6.0, share of world
capabilities), and the coded inputs are the threat τ_i, the alignment a_ij (how far i's threats are
also j's), partner j's propensity p_j to start or join conflicts, and i's outside option O_i::

    H_i = Σ_j  a_ij · r_j · d · c_j                   partners' effective help          (*)
    B_i = τ_i · H_i / (c_i + H_i)                     security benefit, in [0, τ_i]
    K_i = κ · d · (1 − c_i / (c_i + Σ_j c_j))         autonomy cost (the weaker gives up more)
    E_i = ε · d · Σ_j (1 − a_ij) · p_j / (n − 1)      entrapment risk
    m_i = B_i − K_i − E_i − O_i + χ                   commitment margin; i stays while m_i ≥ 0

where χ ≥ 0 is an optional exit cost (default 0; see the worked case below).

(*) The change: in the original proposal the depth d of the obligation scales only the costs, so a
consultation pact would buy as much help as a defence pact at a quarter of the cost. Here d also
scales the help partners promise, so a shallower treaty is cheaper *and* worth less, as Morrow's
trade-off implies.

Defaults, and why:

- ``reliability = 0.75``: Leeds, Long & Mitchell (2000) find that about three in four alliance
  commitments were honoured when the case they covered arose.
- depth ``d``: defence (and offence) 1, neutrality 0.5, non-aggression and consultation 0.25; a
  treaty takes the depth of its deepest obligation (ATOP coding in ``alliances.csv``). A neutrality
  promise buys half of what a defence promise does: the partner stays out but does not fight.
- ``kappa = 0.25``: for a member holding a negligible share of the alliance's capabilities the
  autonomy cost of a defence pact is a quarter of the largest security benefit it could get (a
  threat of 1 met by overwhelming help). So a small state buys a great power's protection with
  its autonomy when the threat is serious, but not when it is mild: the trade Morrow (1991) puts at
  the heart of asymmetric alliances.
- ``epsilon = 0.5``: being dragged into a war one does not share, by a partner sure to fight, costs
  twice the autonomy loss, because war is worse than deference. Snyder (1984) ties the risk of
  entrapment to the partner's recklessness and to the firmness of one's own commitment, which p_j
  and d carry here.

The worked case: Italy in the Triple Alliance, 1882-1915
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
The inputs in ``member_inputs.csv`` were coded from Langer (1931), Taylor (1954), Albertini (1952),
Bosworth (1979), Clark (2012) and Renzi (1987) *before* the model was first run, and have not been
changed since. With the defaults above, ``member_calculus("triple_alliance", 325)`` finds:

- From 1882 to 1895 the margin is positive (about +0.14 to +0.22): France is the threat, Germany
  shares it, and Italy has nowhere else to go.
- **It turns negative in 1896**, when the coded French threat recedes after Adowa and Crispi's fall,
  and stays negative in every later year: about −0.17 (1896-1901), −0.42 (1902-07), −0.5 (1909-13),
  −0.69 in 1914 and −0.88 in 1915, its lowest.
- History: Italy *renewed* the treaty in 1902 and 1912, declared neutrality in August 1914, signed
  the Treaty of London on 26 April 1915 and left the alliance on 23 May 1915 (ATOP exit date).
- So the model gets the direction and the end right (the margin falls furthest in 1914-15, the
  years of neutrality and exit) but puts the break about eighteen years too early. The result does
  not hinge on the defaults: with κ in {0.1, 0.25, 0.4} and ε in {0.25, 0.5, 1.0} the first negative
  year is 1882, 1896 or 1902, never 1914; with r = 0.5 or 1, d = 0.5, or no outside option at all
  (O = 0) it is still 1896.
- Why it misses, which is the lesson: the model treats leaving as free and the outside option as
  exclusive. Italy instead hedged. It took the French option *inside* the alliance (Prinetti-Barrère
  did not require leaving), kept the treaty as a brake on Austria-Hungary and a shield against
  isolation, and paid the price of exit only when the Entente's offer in 1915 made it worth paying.
  ``exit_cost`` (default 0, not in the original proposal, added after the first run for students
  to explore) is added to the margin: an exit cost of about 0.55-0.69 keeps Italy in until 1913
  and out in 1914. That number is *fitted to history*, not coded from sources, and should be
  read as such.

References
----------
Morrow, J. D. (1991). Alliances and Asymmetry. American Journal of Political Science 35(4).
Snyder, G. H. (1984). The Security Dilemma in Alliance Politics. World Politics 36(4).
Leeds, B. A., Long, A. G. & Mitchell, S. M. (2000). Reevaluating Alliance Reliability. JCR 44(5).
Singer, Bremer & Stuckey (1972); National Material Capabilities v6.0 (CINC).
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from . import _validate as vd

__all__ = [
    "MemberMargin", "commitment_margin", "obligation_depth", "member_calculus", "member_inputs",
    "RELIABILITY", "KAPPA", "EPSILON", "DEPTH",
]

#: Default reliability of a partner's promise (Leeds, Long & Mitchell 2000).
RELIABILITY = 0.75
#: Default autonomy-cost and entrapment scales (see the module docstring).
KAPPA = 0.25
EPSILON = 0.5
#: Depth of each ATOP obligation; a treaty takes the depth of its deepest obligation.
DEPTH = {"defense": 1.0, "offense": 1.0, "neutrality": 0.5, "nonaggression": 0.25,
         "consultation": 0.25}


def _in_range(name, value, lo=None, hi=None):
    return vd.array(name, value, lo, hi, min_size=1)


@dataclass(frozen=True)
class MemberMargin:
    """The terms of the commitment margin (floats, or arrays of the broadcast shape).

    Attributes
    ----------
    help : partners' effective help H_i (CINC units).
    benefit : security benefit B_i, in [0, threat].
    autonomy_cost : autonomy cost K_i, in [0, kappa * depth].
    entrapment : entrapment risk E_i, in [0, epsilon * depth].
    outside : the outside option O_i (as given).
    margin : m_i = benefit - autonomy_cost - entrapment - outside + exit_cost.
    stays : margin >= 0.
    """

    help: np.ndarray | float
    benefit: np.ndarray | float
    autonomy_cost: np.ndarray | float
    entrapment: np.ndarray | float
    outside: np.ndarray | float
    margin: np.ndarray | float
    stays: np.ndarray | bool


def _scalar_or_array(a):
    a = np.asarray(a)
    return a.item() if a.ndim == 0 else a


def commitment_margin(own_cinc: ArrayLike, partner_cinc: ArrayLike, threat: ArrayLike,
                      alignment: ArrayLike, propensity: ArrayLike, outside: ArrayLike, *,
                      reliability: ArrayLike = RELIABILITY, depth: ArrayLike = 1.0,
                      kappa: float = KAPPA, epsilon: float = EPSILON,
                      exit_cost: float = 0.0) -> MemberMargin:
    r"""Commitment margin of one member: security benefit minus autonomy and entrapment costs.

    Pure and vectorised: the last axis of the partner arguments runs over partners, every other
    axis broadcasts (years, parameter draws ...). Equations in the module docstring.

    Parameters
    ----------
    own_cinc : float or array, shape (...)
        The member's CINC score c_i, in [0, 1].
    partner_cinc : array, shape (..., n_partners)
        Partners' CINC scores c_j, in [0, 1]; at least one partner.
    threat : float or array, shape (...)
        Threat τ_i the member faces, in [0, 1] (coded).
    alignment : float or array, broadcastable to partner_cinc
        Overlap a_ij of the threats the member and each partner face, in [0, 1] (coded).
    propensity : float or array, broadcastable to partner_cinc
        Each partner's propensity p_j to start or join conflicts, in [0, 1] (coded).
    outside : float or array, shape (...)
        Value O_i of the member's best alternative (neutrality, a rival's offer), in [0, 1].
    reliability : float or array, broadcastable to partner_cinc, default 0.75
        Probability r_j that a partner honours its promise, in [0, 1] (Leeds et al. 2000).
    depth : float or array, shape (...), default 1.0
        Depth d of the obligation in [0, 1]: defence 1, neutrality 0.5, consultation 0.25
        (see `obligation_depth`).
    kappa : float, default 0.25
        Scale κ >= 0 of the autonomy cost.
    epsilon : float, default 0.5
        Scale ε >= 0 of the entrapment risk.
    exit_cost : float, default 0
        Cost χ in [0, 1] of leaving (reputation, isolation), added to the margin.

    Returns
    -------
    MemberMargin
        help, benefit, autonomy_cost, entrapment, outside, margin, stays.

    Raises
    ------
    ValueError
        If any argument is outside its range, or all capabilities are zero.

    References
    ----------
    Morrow (1991); Snyder (1984); Leeds, Long & Mitchell (2000); Owusu & Bruce-Ghartey (2026).

    Examples
    --------
    >>> m = commitment_margin(0.03, [0.13, 0.045], threat=0.7, alignment=[0.7, 0.4],
    ...                       propensity=[0.25, 0.35], outside=0.05)
    >>> round(m.margin, 3), bool(m.stays)
    (0.177, True)
    """
    c_i = _in_range("own_cinc", own_cinc, 0, 1)
    c_j = _in_range("partner_cinc", partner_cinc, 0, 1)
    if c_j.ndim == 0 or c_j.shape[-1] < 1:
        raise ValueError("partner_cinc must be an array whose last axis lists at least one "
                         f"partner; got shape {c_j.shape}")
    tau = _in_range("threat", threat, 0, 1)
    a = vd.array("alignment", alignment, 0, 1, min_size=1)
    p = vd.array("propensity", propensity, 0, 1, min_size=1)
    o = _in_range("outside", outside, 0, 1)
    r = vd.array("reliability", reliability, 0, 1, min_size=1)
    d = _in_range("depth", depth, 0, 1)
    k = _in_range("kappa", kappa, 0, None)
    e = _in_range("epsilon", epsilon, 0, None)
    chi = _in_range("exit_cost", exit_cost, 0, 1)
    try:
        np.broadcast_shapes(c_j.shape, a.shape, p.shape, r.shape)
    except ValueError:
        raise ValueError(f"alignment {a.shape}, propensity {p.shape} and reliability {r.shape} "
                         f"must broadcast to partner_cinc's shape {c_j.shape}") from None
    total = c_i + c_j.sum(axis=-1)
    if np.any(total <= 0):
        raise ValueError("own_cinc and partner_cinc must not all be 0 (no capabilities at all)")

    help_ = (a * r * d[..., None] * c_j).sum(axis=-1)
    denom = c_i + help_
    benefit = tau * np.divide(help_, denom, out=np.zeros(np.broadcast(help_, denom).shape),
                              where=denom > 0)
    autonomy = k * d * (1.0 - c_i / total)
    n_partners = np.broadcast_shapes(c_j.shape, a.shape, p.shape)[-1]
    entrap = e * d * (((1.0 - a) * p) * np.ones(c_j.shape)).sum(axis=-1) / n_partners
    margin = benefit - autonomy - entrap - o + chi
    return MemberMargin(
        help=_scalar_or_array(help_), benefit=_scalar_or_array(benefit),
        autonomy_cost=_scalar_or_array(autonomy), entrapment=_scalar_or_array(entrap),
        outside=_scalar_or_array(o * np.ones_like(margin)), margin=_scalar_or_array(margin),
        stays=_scalar_or_array(margin >= 0),
    )


def obligation_depth(defense: int = 0, offense: int = 0, neutrality: int = 0,
                     nonaggression: int = 0, consultation: int = 0) -> float:
    """Depth of a treaty: the depth of its deepest obligation (0 if it carries none).

    Parameters
    ----------
    defense, offense, neutrality, nonaggression, consultation : {0, 1}
        ATOP obligation dummies, as in ``alliances.csv``.

    Returns
    -------
    float
        1.0 for defence or offence, 0.5 for neutrality, 0.25 for non-aggression or consultation.

    Examples
    --------
    >>> obligation_depth(defense=1, neutrality=1)
    1.0
    >>> obligation_depth(consultation=1)
    0.25
    """
    flags = dict(defense=defense, offense=offense, neutrality=neutrality,
                 nonaggression=nonaggression, consultation=consultation)
    for name, flag in flags.items():
        if flag not in (0, 1) or isinstance(flag, float) and math.isnan(flag):
            raise ValueError(f"{name} must be 0 or 1 (an ATOP obligation dummy); got {flag!r}")
    return max([DEPTH[name] for name, flag in flags.items() if flag] or [0.0])


# ------------------------------------------------------------- kept names (thin adapters)
def member_calculus(alliance: str, member: int | str, years: int | Iterable[int] | None = None,
                    **options: float | None) -> pd.DataFrame:
    """One member's commitment margin by year, from the case data: the same as
    `alliancekit.calculus_cases.member_calculus`, kept here and in `alliancekit.cohesion` for
    lessons 01 and 03, exercise set 03 and the explorers.

    Parameters
    ----------
    alliance : str
        An ``alliance_id`` with coded inputs, e.g. ``"triple_alliance"``.
    member : int or str
        COW code, abbreviation or name.
    years : int or iterable of int, optional
        Years to compute; default every coded year.
    **options
        ``reliability``, ``depth``, ``kappa``, ``epsilon``, ``exit_cost``, as in
        `alliancekit.calculus_cases.member_calculus`.

    Returns
    -------
    pandas.DataFrame
    """
    from . import calculus_cases

    return calculus_cases.member_calculus(alliance, member, years, **options)


def member_inputs(alliance: str | None = None, member: int | str | None = None) -> pd.DataFrame:
    """The coded member-calculus inputs: the same as `alliancekit.calculus_cases.member_inputs`.

    Parameters
    ----------
    alliance : str, optional
        An ``alliance_id``.
    member : int or str, optional
        A COW code, abbreviation or name.

    Returns
    -------
    pandas.DataFrame
    """
    from . import calculus_cases

    return calculus_cases.member_inputs(alliance, member)
