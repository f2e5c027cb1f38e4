r"""Why members stay, and how alliances come apart: two small teaching models.

The module has two halves. The *member calculus* asks whether one member is better off inside an
alliance than outside it, year by year. The *cohesion dynamics* follow one alliance's cohesion as a
number between 0 and 1 that drifts toward what its drivers support, is eroded by shocks, and can
tip once members begin to doubt one another. Nothing here draws; `alliancekit.charts` does that.

Every coded input lies in [0, 1] and is read from a CSV file in ``alliancekit/data/`` where each
value carries a one-line justification and a source key (see ``data/README.md``). The defaults
below are starting points for a student to argue with, not estimates.

1. Member calculus (rational choice)
------------------------------------
Sources: Morrow (1991) on the trade of autonomy for security; Snyder (1984, 1997) on abandonment and
entrapment; Leeds, Long & Mitchell (2000) on reliability. The form is the proposal in the course's
MODEL.md, section 1, with one change (marked *).

For member *i* with partners *j* in year *t*; ``c`` is the CINC score (NMC v6.0, share of world
capabilities), and the coded inputs are the threat τ_i, the alignment a_ij (how far i's threats are
also j's), partner j's propensity p_j to start or join conflicts, and i's outside option O_i::

    H_i = Σ_j  a_ij · r_j · d · c_j                   partners' effective help          (*)
    B_i = τ_i · H_i / (c_i + H_i)                     security benefit, in [0, τ_i]
    K_i = κ · d · (1 − c_i / (c_i + Σ_j c_j))         autonomy cost (the weaker gives up more)
    E_i = ε · d · Σ_j (1 − a_ij) · p_j / (n − 1)      entrapment risk
    m_i = B_i − K_i − E_i − O_i + χ                   commitment margin; i stays while m_i ≥ 0

where χ ≥ 0 is an optional exit cost (default 0; see the worked case below).

(*) The change: in MODEL.md the depth d of the obligation scales only the costs, so a consultation
pact would buy as much help as a defence pact at a quarter of the cost. Here d also scales the help
partners promise, so a shallower treaty is cheaper *and* worth less, as Morrow's trade-off implies.

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
  ``exit_cost`` (default 0, not in MODEL.md, added after the first run for students to explore) is
  added to the margin: an exit cost of about 0.55-0.69 keeps Italy in until 1913 and out in 1914.
  That number is *fitted to history*, not coded from sources, and should be read as such.

2. Cohesion dynamics (the erosion mechanisms)
---------------------------------------------
Sources: the mechanisms of Owusu & Bruce-Ghartey (2026): leadership, domestic politics, power
asymmetry, external shocks, and perception; Snyder (1997) on the alliance security dilemma for the
doubt feedback; Walt (1987) on shared threat; Keohane (1984) on institutions; Wendt (1992) on trust
and identity. The form is MODEL.md, section 2, with the changes marked (*).

Drivers, each in [0, 1] and coded per scenario and year: shared threat T, interest alignment A,
institutionalisation I, trust and identity R hold the alliance together; power asymmetry S,
leadership volatility L, domestic opposition H and external shock X erode it. S is computed from
the members' CINC shares as a normalised Herfindahl index (0 when all members are equal, 1 when one
holds everything; `asymmetry`). State in year t: actual cohesion C_t, doubt D_t, professed
cohesion P_t. Drivers dated year t act *during* year t, so an event of 1938 moves C in 1938 (*)::

    C*_t = σ(β0 + βT·T_t + βA·A_t + βI·I_t + βR·R_t − βS·S_t − βL·L_t − βH·H_t − βX·X_t)
    C_t  = clip(C_{t−1} + α·(C*_t − C_{t−1}) − γ·D_{t−1}·C_{t−1} + ε_t, 0, 1)
    D_t  = clip(D_{t−1} + δ·max(0, θ − C_{t−1}) + η·ΔX_t + Z_t − ρ·D_{t−1}, 0, 1)
    P_t  = P_{t−1} + λ·(C_{t−1} − P_{t−1})                    professed cohesion lags (λ < α)
    G_t  = P_t − C_t                                          the illusion gap
    dissolved from the year C has stayed below C_min for k consecutive years (absorbing)

with σ the logistic function and ε_t yearly noise, uniform on [−√3·σ_C, √3·σ_C] (mean 0, standard
deviation σ_C) (*). Starting values: C_0 = P_0 = C*_0 and
D_0 = 0 unless given. ΔX_t is the rise of X above its coded baseline from dated shocks (*), and
Z_t is a doubt pulse (*): an event of the ``signalling_perception`` mechanism
(a move the partners read as hedging) adds ``shock_size`` straight to doubt. The other mechanisms
raise their driver by ``shock_size`` (capped at 1) for ``shock_years`` years from the event's year:
``leadership`` → L, ``domestic_politics`` → H, ``power_asymmetry`` → S, ``external_shock`` → X.

Changes from MODEL.md, and why (*):

- States are clipped to [0, 1] because they are shares, and α + γ ≤ 1 is required. Together these
  make the map monotone: C_t rises with C_{t−1} and C*_t and falls with D_{t−1}, and D_t does the
  reverse. By induction a higher erosion driver (or a doubt pulse) can never raise C, in the step
  where it lands or later, on the same noise path. The property test relies on this proof.
- Uniform rather than normal noise: a year's luck is bounded (never more than √3·σ_C), and
  uniform numbers are several times cheaper to draw, which matters for the explorer.
- Doubt feeds on shocks ΔX, not on the steady level of X. The baseline X (a decade of steady
  outside pressure, say) already lowers C*; letting it also pour doubt in every year would count it
  twice, and would make doubt settle at η·X/ρ whatever happened.
- The doubt pulse Z gives perception its own channel; in MODEL.md doubt only fed on low cohesion
  and shocks.
- Each run draws its own uncertainty: each driver is shifted by N(0, ``driver_sd``) inside the
  logistic (coding uncertainty; the eight shifts are drawn as their sum, one normal per run of
  standard deviation driver_sd·‖β‖, which has exactly the same distribution), and with
  ``param_spread`` > 0 the rates α, γ, δ, η, ρ, λ are scaled by exp(N(0, ``param_spread``)) and
  truncated to their allowed ranges (α + γ ≤ 1 kept). The noise ε adds year-to-year luck. A seed
  fixes all of it; the three kinds of draw come from separate streams, so switching one off (say
  ``noise=0``) leaves the others unchanged.

Tipping point. When C < θ, doubt grows by δ·(θ − C) a year, and doubt lowers C by γ·D·C. When γ·δ
is large relative to α·ρ a second, low equilibrium appears (with doubt near 1 it sits at about
C = α·C*/(α + γ)); a shock that pushes C below the unstable threshold between the two leaves C down
after the shock has ended. When γ·δ is small, C returns to C* (see ``tests/test_cohesion.py``).

Default rates (`CohesionParams`): α = 0.25 (cohesion closes a quarter of its gap to C* a year, a
half-life of about 2.4 years), γ = 0.4, δ = 1.0, θ = 0.5, η = 0.5, ρ = 0.15 (doubt fades slowly, a
half-life of about 4 years), λ = 0.1 (rhetoric adjusts at well under half that speed),
C_min = 0.25, k = 2 years, σ_C = 0.03, driver_sd = 0.05; β0 = −1, βT = βA = 2, βI = 1, βR = 1.5,
βS = 1.5, βL = βH = 1, βX = 2. With these, an alliance with T = A = I = R = 0.5 and nothing eroding
sits at C* ≈ 0.9. The defaults are bistable for C* up to about 0.91: a low state (C ≈ 0.3, doubt
at 1) exists beside the healthy one, so a large enough shock can tip the alliance for good. That
is the lesson's point; lower γ or δ to remove it.

What the two scenarios give with the defaults (``simulate(name, runs=1000, seed=1)``; each dated
shock lasts one year and has the size coded for it in events.csv by the rules in data/README.md:
0.25 minor, 0.5 moderate, 0.75 major, 1.0 decisive):

- Little Entente 1920-1938: median cohesion about 0.9 until 1926; it sags after Italy's treaty with
  Hungary (1927) and the Yugoslav dictatorship and the Depression (1929) to about 0.49 in 1931-32,
  then tips in 1933-34 (Hitler, the Four-Power Pact) with doubt at its ceiling, and ends at about
  0.14 in 1938. Runs dissolved: about 16% by 1935, 44% by 1936, 70% by 1937, 79% by 1938 (with
  every event at 0.5 instead: 5%, 28%, 61%, 73%). History: the bloc was hollow after Yugoslavia's
  separate pacts of 1937 and finished by Munich (1938). The model tips three to four years before
  the break became visible, while the professed cohesion stays high (an illusion gap of about 0.42
  in 1938). These are shares of model runs, not calibrated probabilities.
- ECOWAS 2010-2030: median about 0.66-0.74 until 2019; the coups from 2020 pull it to about 0.35 in
  2023 and 0.25 in 2024. Runs dissolved: about 3% by 2024, 38% by 2025 (the year the Sahel exits
  took effect), 81% by 2030. The model knows one alliance, not a split: it reads the exit of three
  members as the failure of the whole, and since doubt stays at its ceiling the remaining twelve
  never recover in it, whereas in fact they carried on. That limit is worth a class discussion.

For the explorer (entry points)
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
One call per slider move; 200 runs × 40 years takes a few milliseconds::

    from alliancekit import cohesion
    frame = cohesion.simulate("little_entente", runs=200, seed=1, gamma=0.5, T=0.4)
    cohesion.fan(frame)                      # quantiles of cohesion by year (wide)
    cohesion.dissolution_probability(frame)  # share of runs dissolved by each year

Keyword overrides are any `CohesionParams` field (``alpha``, ``gamma``, ``noise`` ...) or a driver
name (``T``, ``A``, ``I``, ``R``, ``S``, ``L``, ``H``, ``X``) whose value replaces that driver's
baseline in every year. ``shocks=False`` switches the dated events off. `simulate_paths` returns
the same run as arrays (runs × years) without building a DataFrame, for speed.
`parameter_ranges` gives each slider's range, default and meaning; `scenario(name)` gives the
coded drivers, the dated shocks (with descriptions, for annotations) and the coding's sources.

References
----------
Owusu, O. & Bruce-Ghartey, E. A. (2026). The Illusion of Permanent Allies. IJRISS.
Morrow, J. D. (1991). Alliances and Asymmetry. American Journal of Political Science 35(4).
Snyder, G. H. (1984). The Security Dilemma in Alliance Politics. World Politics 36(4).
Snyder, G. H. (1997). Alliance Politics. Cornell University Press.
Leeds, B. A., Long, A. G. & Mitchell, S. M. (2000). Reevaluating Alliance Reliability. JCR 44(5).
Singer, Bremer & Stuckey (1972); National Material Capabilities v6.0 (CINC).
"""
from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from importlib import resources

import numpy as np

__all__ = [
    "MemberMargin", "commitment_margin", "obligation_depth", "member_calculus",
    "asymmetry", "CohesionParams", "Paths", "Scenario", "simulate_paths", "simulate", "fan",
    "dissolution_probability", "scenario", "scenario_names", "parameter_ranges", "member_inputs",
    "DRIVERS", "DRIVER_NAMES", "MECHANISM_DRIVER", "DEPTH", "UnknownScenarioError",
]

#: Default reliability of a partner's promise (Leeds, Long & Mitchell 2000).
RELIABILITY = 0.75
#: Default autonomy-cost and entrapment scales (see the module docstring).
KAPPA = 0.25
EPSILON = 0.5
#: Depth of each ATOP obligation; a treaty takes the depth of its deepest obligation.
DEPTH = {"defense": 1.0, "offense": 1.0, "neutrality": 0.5, "nonaggression": 0.25,
         "consultation": 0.25}

#: Driver names in the order used by the arrays: four that hold, four that erode.
DRIVERS = ("T", "A", "I", "R", "S", "L", "H", "X")
_HOLDING = ("T", "A", "I", "R")
DRIVER_NAMES = _DRIVER_NAMES = {
    "T": "shared threat", "A": "interest alignment", "I": "institutionalisation",
    "R": "trust and identity", "S": "power asymmetry", "L": "leadership volatility",
    "H": "domestic opposition", "X": "external shock",
}
#: Which driver an event of each mechanism raises ("doubt" = a pulse added to doubt).
MECHANISM_DRIVER = {
    "leadership": "L", "domestic_politics": "H", "power_asymmetry": "S",
    "external_shock": "X", "signalling_perception": "doubt",
}


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------
def _in_range(name, value, lo=None, hi=None, *, lo_open=False, hi_open=False, allowed=None):
    """Return ``value`` as a float array after checking every element lies in the range."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    if allowed is None:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        low = "-inf" if lo is None else f"{lo:g}"
        high = "inf" if hi is None else f"{hi:g}"
        allowed = f"{left}{low}, {high}{right}"
    bad = ~np.isfinite(arr)
    if lo is not None:
        bad |= (arr <= lo) if lo_open else (arr < lo)
    if hi is not None:
        bad |= (arr >= hi) if hi_open else (arr > hi)
    if bad.any():
        example = arr[bad].flat[0] if arr.ndim else float(arr)
        raise ValueError(f"{name} must lie in {allowed}; got {example!r}")
    return arr


def _whole(name, value, lo, hi=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number >= {lo}; got {value!r}")
    if value < lo or (hi is not None and value > hi):
        top = "" if hi is None else f" and <= {hi}"
        raise ValueError(f"{name} must be a whole number >= {lo}{top}; got {value!r}")
    return int(value)


# --------------------------------------------------------------------------------------------
# 1. member calculus
# --------------------------------------------------------------------------------------------
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


def commitment_margin(own_cinc, partner_cinc, threat, alignment, propensity, outside, *,
                      reliability=RELIABILITY, depth=1.0, kappa=KAPPA, epsilon=EPSILON,
                      exit_cost=0.0):
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
    a = _in_range("alignment", alignment, 0, 1)
    p = _in_range("propensity", propensity, 0, 1)
    o = _in_range("outside", outside, 0, 1)
    r = _in_range("reliability", reliability, 0, 1)
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


def obligation_depth(defense=0, offense=0, neutrality=0, nonaggression=0, consultation=0):
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


def _data_csv(name):
    """Read one of this module's CSV files from the package data."""
    import pandas as pd

    with resources.files("alliancekit").joinpath("data", name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


@functools.lru_cache(maxsize=1)
def _member_inputs():
    frame = _data_csv("member_inputs.csv")
    frame["partner"] = frame["partner"].astype("Int64")
    return frame


def member_inputs(alliance=None, member=None):
    """The coded member-calculus inputs (a copy of ``member_inputs.csv``, optionally filtered).

    Parameters
    ----------
    alliance : str, optional
        An ``alliance_id``.
    member : int or str, optional
        A COW code, abbreviation or name.

    Returns
    -------
    pandas.DataFrame
        alliance_id, ccode, partner, input, first_year, last_year, value, justification, source.
    """
    frame = _member_inputs().copy()
    if alliance is not None:
        frame = frame[frame["alliance_id"] == alliance]
    if member is not None:
        frame = frame[frame["ccode"] == _ccode(member)]
    return frame.reset_index(drop=True)


def _ccode(state):
    if isinstance(state, numbers.Integral) and not isinstance(state, bool):
        return int(state)
    from alliancekit import cases

    return int(cases.state_code(state))


def _expand_years(rows, years):
    """Map each year to the value of the row whose [first_year, last_year] covers it."""
    out = np.full(len(years), np.nan)
    for row in rows.itertuples():
        cover = (years >= row.first_year) & (years <= row.last_year)
        if np.any(cover & ~np.isnan(out)):
            raise ValueError(f"member_inputs.csv has overlapping year ranges for {row.input} "
                             f"(partner {row.partner}) around {row.first_year}-{row.last_year}")
        out[cover] = row.value
    return out


def member_calculus(alliance, member, years=None, *, reliability=RELIABILITY, depth=None,
                    kappa=KAPPA, epsilon=EPSILON, exit_cost=0.0):
    """Commitment margin of one member of an alliance, year by year, from the case data.

    CINC scores come from `alliancekit.cases.cinc`; threat, alignment, propensity and the outside
    option come from ``member_inputs.csv``; the depth comes from the alliance's obligations in
    ``alliances.csv`` unless given.

    Parameters
    ----------
    alliance : str
        An ``alliance_id`` with coded inputs, e.g. ``"triple_alliance"``.
    member : int or str
        The member: COW code (e.g. 325), abbreviation or name.
    years : iterable of int, optional
        Years to compute; default every year the inputs cover.
    reliability : float, default 0.75
        Partners' reliability r in [0, 1].
    depth : float, optional
        Depth d in [0, 1]; default from the treaty's obligations (`obligation_depth`).
    kappa, epsilon : float, defaults 0.25 and 0.5
        Cost scales, each >= 0.
    exit_cost : float, default 0
        Cost of leaving in [0, 1], added to the margin.

    Returns
    -------
    pandas.DataFrame
        One row per year: year, benefit, autonomy_cost, entrapment, outside, margin, stays, help,
        then the inputs used: threat, cinc (own), cinc_<partner>, alignment_<partner>,
        propensity_<partner> for each partner's COW code, depth, reliability, kappa, epsilon,
        exit_cost.

    Raises
    ------
    ValueError
        Bad parameters, years outside the coded range, or a year without CINC data.
    LookupError
        If no inputs are coded for that alliance and member.

    References
    ----------
    Morrow (1991); Snyder (1984); Leeds, Long & Mitchell (2000); NMC v6.0.

    Examples
    --------
    >>> frame = member_calculus("triple_alliance", "Italy")       # doctest: +SKIP
    >>> frame.loc[~frame.stays, "year"].min()                     # doctest: +SKIP
    """
    import pandas as pd

    from alliancekit import cases

    _in_range("reliability", reliability, 0, 1)
    _in_range("kappa", kappa, 0, None)
    _in_range("epsilon", epsilon, 0, None)
    _in_range("exit_cost", exit_cost, 0, 1)
    if depth is not None:
        _in_range("depth", depth, 0, 1)
    ccode = _ccode(member)
    rows = member_inputs(alliance, ccode)
    if rows.empty:
        coded = sorted({(a, int(c)) for a, c in _member_inputs()[["alliance_id", "ccode"]]
                        .itertuples(index=False)})
        raise LookupError(f"no member-calculus inputs coded for alliance {alliance!r} and member "
                          f"{ccode}; coded (alliance, ccode) pairs: {coded}")
    first, last = int(rows["first_year"].min()), int(rows["last_year"].max())
    if years is None:
        years = np.arange(first, last + 1)
    else:
        years = np.asarray(sorted({int(y) for y in np.atleast_1d(years)}))
        if years.size == 0 or years.min() < first or years.max() > last:
            raise ValueError(f"years must lie within the coded range {first}-{last} for "
                             f"{alliance} / {ccode}; got {years.min() if years.size else 'none'}"
                             f"-{years.max() if years.size else 'none'}")
    partners = sorted(int(p) for p in rows["partner"].dropna().unique())

    def series(kind, partner=None):
        sel = rows[(rows["input"] == kind) & ((rows["partner"] == partner) if partner is not None
                                              else rows["partner"].isna())]
        values = _expand_years(sel, years)
        if np.isnan(values).any():
            missing = years[np.isnan(values)]
            who = "" if partner is None else f" for partner {partner}"
            raise ValueError(f"member_inputs.csv does not code {kind}{who} in {missing.tolist()}")
        return values

    threat = series("threat")
    outside = series("outside")
    alignment = np.column_stack([series("alignment", j) for j in partners])
    propensity = np.column_stack([series("propensity", j) for j in partners])

    cap = cases.cinc(states=[ccode, *partners], years=years.tolist())
    wide = cap.pivot_table(index="year", columns="ccode", values="cinc").reindex(years)
    missing = [(int(y), int(c)) for c in [ccode, *partners] for y in years
               if c not in wide.columns or np.isnan(wide.at[y, c])]
    if missing:
        raise ValueError(f"no CINC score in the case data for (year, ccode) {missing[:5]}")
    own = wide[ccode].to_numpy(float)
    part = wide[partners].to_numpy(float)

    if depth is None:
        record = cases.table("alliances").set_index("alliance_id").loc[alliance]
        depth = obligation_depth(**{k: int(record[k]) for k in
                                    ("defense", "offense", "neutrality", "nonaggression",
                                     "consultation") if k in record.index})
    result = commitment_margin(own, part, threat, alignment, propensity, outside,
                               reliability=reliability, depth=depth, kappa=kappa,
                               epsilon=epsilon, exit_cost=exit_cost)
    frame = pd.DataFrame({
        "year": years, "benefit": result.benefit, "autonomy_cost": result.autonomy_cost,
        "entrapment": result.entrapment, "outside": result.outside, "margin": result.margin,
        "stays": result.stays, "help": result.help, "threat": threat, "cinc": own,
    })
    for k, j in enumerate(partners):
        frame[f"cinc_{j}"] = part[:, k]
        frame[f"alignment_{j}"] = alignment[:, k]
        frame[f"propensity_{j}"] = propensity[:, k]
    frame["depth"] = float(depth)
    frame["reliability"] = float(reliability)
    frame["kappa"] = float(kappa)
    frame["epsilon"] = float(epsilon)
    frame["exit_cost"] = float(exit_cost)
    return frame


# --------------------------------------------------------------------------------------------
# 2. cohesion dynamics
# --------------------------------------------------------------------------------------------
def asymmetry(shares, method="herfindahl"):
    """Power asymmetry S of an alliance from its members' capabilities, in [0, 1].

    Parameters
    ----------
    shares : array, shape (..., n_members)
        Capabilities (e.g. CINC scores) of the members, >= 0, not all 0; normalised here.
    method : {"herfindahl", "entropy"}
        ``"herfindahl"``: (Σ s² − 1/n) / (1 − 1/n); ``"entropy"``: 1 − (−Σ s ln s) / ln n.
        Both are 0 when members are equal and 1 when one member holds everything.

    Returns
    -------
    float or array, shape (...)
        0 for a single member.

    Examples
    --------
    >>> asymmetry([1, 1, 1])
    0.0
    >>> round(asymmetry([3, 1]), 3)
    0.25
    """
    if method not in ("herfindahl", "entropy"):
        raise ValueError(f"method must be 'herfindahl' or 'entropy'; got {method!r}")
    x = _in_range("shares", shares, 0, None)
    if x.ndim == 0:
        raise ValueError("shares must be an array over members (last axis); got a scalar")
    total = x.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise ValueError("shares must not all be 0")
    s = x / total
    n = s.shape[-1]
    if n == 1:
        return _scalar_or_array(np.zeros(s.shape[:-1]))
    if method == "herfindahl":
        out = ((s ** 2).sum(axis=-1) - 1 / n) / (1 - 1 / n)
    else:
        logs = np.log(s, out=np.zeros_like(s), where=s > 0)
        out = 1 + (s * logs).sum(axis=-1) / np.log(n)
    return _scalar_or_array(np.clip(out, 0.0, 1.0))


_BETA_DEFAULT = {"T": 2.0, "A": 2.0, "I": 1.0, "R": 1.5, "S": 1.5, "L": 1.0, "H": 1.0,
                 "X": 2.0}

# name -> (low, high, lo_open, meaning) for the float fields of CohesionParams
_PARAM_RANGES = {
    "alpha": (0.0, 1.0, True, "speed at which cohesion moves toward its target, per year"),
    "gamma": (0.0, 1.0, False, "how strongly doubt erodes cohesion, per year"),
    "delta": (0.0, 10.0, False, "how fast doubt grows while cohesion is below theta"),
    "theta": (0.0, 1.0, False, "cohesion below which members start to doubt"),
    "eta": (0.0, 10.0, False, "doubt added per unit of external shock (X above its baseline)"),
    "rho": (0.0, 1.0, False, "share of doubt that fades each year"),
    "lam": (0.0, 1.0, True, "speed at which professed cohesion follows actual cohesion"),
    "c_min": (0.0, 1.0, False, "cohesion below which the alliance counts as failing"),
    "noise": (0.0, 0.5, False, "standard deviation of the yearly noise on cohesion"),
    "driver_sd": (0.0, 1.0, False, "standard deviation of each run's driver coding error"),
    "param_spread": (0.0, 1.0, False, "log-scale spread of each run's rates"),
    "shock_size": (0.0, 1.0, False, "how much a dated event raises its driver (or doubt)"),
    "beta0": (-20.0, 20.0, False, "intercept of the target cohesion index"),
}


@dataclass(frozen=True)
class CohesionParams:
    """Rates and settings of the cohesion dynamics (defaults in the module docstring).

    Attributes
    ----------
    alpha : float in (0, 1]
        α, the speed of relaxation toward C*.
    gamma : float in [0, 1]
        γ, erosion of cohesion by doubt; alpha + gamma must be <= 1.
    delta : float in [0, 10]
        δ, growth of doubt while C < theta.
    theta : float in [0, 1]
        θ, the cohesion level below which doubt grows.
    eta : float in [0, 10]
        η, doubt added per unit of external shock (the rise of X above its baseline).
    rho : float in [0, 1]
        ρ, yearly decay of doubt.
    lam : float in (0, 1]
        λ, speed of professed cohesion (rhetoric); keep it below alpha for a lag.
    c_min : float in [0, 1]
        C_min, the dissolution threshold.
    k_years : int >= 1
        k, consecutive years below c_min that count as dissolution.
    noise : float in [0, 0.5]
        σ_C, standard deviation of the yearly noise on C.
    driver_sd : float in [0, 1]
        Standard deviation of each run's driver coding error.
    param_spread : float in [0, 1]
        Log-scale spread of each run's rates (0: every run has the same rates).
    shock_size : float in [0, 1]
        How much a dated event raises its driver (or adds to doubt).
    shock_years : int >= 1
        How many years a dated event's driver increase lasts.
    beta0 : float in [-20, 20]
        β0, intercept of the target index.
    betas : mapping driver -> float >= 0
        Weights βT ... βX; all eight drivers, each in [0, 20].
    """

    alpha: float = 0.25
    gamma: float = 0.4
    delta: float = 1.0
    theta: float = 0.5
    eta: float = 0.5
    rho: float = 0.15
    lam: float = 0.1
    c_min: float = 0.25
    k_years: int = 2
    noise: float = 0.03
    driver_sd: float = 0.05
    param_spread: float = 0.0
    shock_size: float = 0.5
    shock_years: int = 1
    beta0: float = -1.0
    betas: Mapping[str, float] = field(default_factory=lambda: dict(_BETA_DEFAULT))

    def __post_init__(self):
        for name, (lo, hi, lo_open, meaning) in _PARAM_RANGES.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"{name} ({meaning}) must be a number; got {value!r}")
            _in_range(f"{name} ({meaning})", value, lo, hi, lo_open=lo_open)
            object.__setattr__(self, name, float(value))
        _whole("k_years", self.k_years, 1)
        _whole("shock_years", self.shock_years, 1)
        if self.alpha + self.gamma > 1 + 1e-12:
            raise ValueError(f"alpha + gamma must be <= 1 (so a year cannot remove more cohesion "
                             f"than there is); got alpha={self.alpha}, gamma={self.gamma}")
        betas = dict(_BETA_DEFAULT)
        if not isinstance(self.betas, Mapping):
            raise ValueError(f"betas must be a mapping driver -> weight; got {self.betas!r}")
        unknown = set(self.betas) - set(DRIVERS)
        if unknown:
            raise ValueError(f"betas has unknown drivers {sorted(unknown)}; allowed: {DRIVERS}")
        for name, value in self.betas.items():
            _in_range(f"betas[{name!r}]", value, 0, 20)
            betas[name] = float(value)
        object.__setattr__(self, "betas", betas)

    def beta_vector(self):
        """Signed weights in `DRIVERS` order (+ for holding drivers, − for eroding ones)."""
        return np.array([self.betas[d] * (1 if d in _HOLDING else -1) for d in DRIVERS])


_PARAM_FIELDS = tuple(f.name for f in fields(CohesionParams))


def parameter_ranges():
    """Allowed range, default and meaning of each rate and driver (for sliders and checks).

    Returns
    -------
    dict
        name -> (low, high, default, meaning). Rates are the `CohesionParams` fields (whole-number
        fields ``k_years`` and ``shock_years`` are given a practical upper bound of 10); drivers
        are ``T`` ... ``X`` in [0, 1] with default None (the scenario's coding).

    Examples
    --------
    >>> parameter_ranges()["gamma"]
    (0.0, 1.0, 0.4, 'how strongly doubt erodes cohesion, per year')
    """
    defaults = CohesionParams()
    out = {name: (lo, hi, getattr(defaults, name), meaning)
           for name, (lo, hi, _, meaning) in _PARAM_RANGES.items()}
    out["k_years"] = (1, 10, defaults.k_years, "years below c_min that count as dissolution")
    out["shock_years"] = (1, 10, defaults.shock_years, "years a dated event's driver stays raised")
    for name in DRIVERS:
        out[name] = (0.0, 1.0, None, _DRIVER_NAMES[name])
    return out


@dataclass(frozen=True)
class Paths:
    """One ensemble as arrays of shape (runs, years): what `simulate` turns into a frame.

    Attributes
    ----------
    years : ndarray of int, shape (n_years,)
    target, cohesion, doubt, professed : ndarray of float32, shape (runs, n_years)
        C*, C, D and P (single precision is ample for shares in [0, 1]).
    dissolved : ndarray of bool, shape (runs, n_years)
    gap : property, professed − cohesion.
    """

    years: np.ndarray
    target: np.ndarray
    cohesion: np.ndarray
    doubt: np.ndarray
    professed: np.ndarray
    dissolved: np.ndarray

    @property
    def gap(self):
        """The illusion gap P − C."""
        return self.professed - self.cohesion


@dataclass(frozen=True)
class Scenario:
    """A named case: baseline drivers by year and the dated shocks taken from the events table.

    Attributes
    ----------
    name, title, alliance_id : str
    drivers : pandas.DataFrame
        Indexed by year, one column per driver in `DRIVERS` (baseline, before shocks).
    shocks : pandas.DataFrame
        event_id, date, year, mechanism, driver (a driver name or "doubt"), size (coded from
        sources by the rules in data/README.md, in [0, 1]), size_basis (the rule applied and
        why), description, source.
    coding : pandas.DataFrame
        The rows of ``cohesion_scenarios.csv`` behind the drivers (value, justification, source).
    """

    name: str
    title: str
    alliance_id: str
    drivers: object
    shocks: object
    coding: object

    @property
    def years(self):
        """First and last year of the scenario."""
        return int(self.drivers.index[0]), int(self.drivers.index[-1])


def _as_params(params, overrides):
    if params is None:
        params = CohesionParams()
    elif not isinstance(params, CohesionParams):
        raise ValueError(f"params must be a CohesionParams or None; got {type(params).__name__}")
    if overrides:
        return replace(params, **overrides)
    return params


def _driver_matrix(drivers, n_years):
    """(years, 8) float array from a mapping driver -> scalar or per-year array."""
    out = np.zeros((n_years, len(DRIVERS)))
    if drivers is None:
        return out
    if not isinstance(drivers, Mapping):
        raise ValueError("drivers must be a mapping from driver name (T, A, I, R, S, L, H, X) to a "
                         f"value or a per-year array; got {type(drivers).__name__}")
    for name, value in drivers.items():
        if name not in DRIVERS:
            raise ValueError(f"drivers has an unknown driver {name!r}; allowed: {DRIVERS}")
        arr = _in_range(f"drivers[{name!r}] ({_DRIVER_NAMES[name]})", value, 0, 1)
        if arr.ndim > 1 or (arr.ndim == 1 and arr.size != n_years):
            raise ValueError(f"drivers[{name!r}] must be a number or have one value per year "
                             f"({n_years}); got shape {arr.shape}")
        out[:, DRIVERS.index(name)] = arr
    return out


_DTYPE = np.float32        # single precision: ample for shares in [0, 1], and twice as fast
_SQRT12 = math.sqrt(12.0)


def _integrate(z, x_driver, pulse, p, runs, rng, c0, d0, p0):
    """The time loop. z: (T,) index without run offsets; returns arrays of shape (T, N).

    About fifteen in-place numpy operations on N (or 3 x N) numbers per year; dissolution is
    computed afterwards from the whole cohesion array.
    """
    n_years = z.shape[0]
    # three independent streams, so the same seed gives the same luck whatever the options
    rate_rng, driver_rng, noise_rng = rng.spawn(3)
    rates = np.array([p.alpha, p.gamma, p.delta, p.eta, p.rho, p.lam])[:, None]
    if p.param_spread > 0:
        rates = rates * np.exp(p.param_spread * rate_rng.standard_normal((6, runs)))
        rates[0] = np.clip(rates[0], 1e-6, 1.0)              # alpha
        rates[1] = np.minimum(rates[1], 1.0 - rates[0])      # gamma, keeping alpha + gamma <= 1
        rates[2] = np.minimum(rates[2], 10.0)
        rates[3] = np.minimum(rates[3], 10.0)
        rates[4] = np.minimum(rates[4], 1.0)
        rates[5] = np.clip(rates[5], 1e-6, 1.0)
        alpha, gamma, delta, eta, rho, lam = (r.astype(_DTYPE) for r in rates)
    else:
        alpha, gamma, delta, eta, rho, lam = (float(r[0]) for r in rates)
    # each driver off by N(0, driver_sd) shifts the index by sum_k beta_k e_k, which is
    # N(0, driver_sd^2 sum_k beta_k^2): one draw per run gives exactly that distribution
    scale = p.driver_sd * float(np.sqrt((p.beta_vector() ** 2).sum()))
    offset = driver_rng.standard_normal(runs) * scale if scale > 0 else np.zeros(runs)
    # C*_t = 1 / (1 + exp(-z_t) exp(-offset_n)), built as an outer product: one exp per year/run
    target = np.multiply.outer(np.exp(-z).astype(_DTYPE), np.exp(-offset).astype(_DTYPE))
    target += 1.0
    np.reciprocal(target, out=target)

    keep_c = 1.0 - alpha                                      # 1 - alpha, scalar or (N,)
    keep_d = 1.0 - rho
    keep_p = 1.0 - lam
    # doubt inflow from shocks: eta dX_t + Z_t, (T,) or (T, N)
    inflow = (np.multiply.outer(x_driver, eta) + pulse[:, None] if np.ndim(eta)
              else eta * x_driver + pulse).astype(_DTYPE)

    # The state (C, D, P) is one (3, N) array that stays in cache, so that the updates shared by
    # all three (decay, adding the increments, clipping, copying out) are one numpy call each.
    out = np.empty((n_years, 3, runs), dtype=_DTYPE)
    width = _DTYPE(p.noise * _SQRT12)
    half = width / 2
    # noise_t = (u_t - 1/2) sqrt(12) sigma_C with u_t uniform on [0, 1): mean 0, sd sigma_C
    noise = noise_rng.random((n_years, runs), dtype=_DTYPE) if p.noise > 0 else None
    state = np.empty((3, runs), dtype=_DTYPE)
    state[0] = target[0] if c0 is None else c0
    state[1] = d0
    state[2] = state[0] if p0 is None else p0
    out[0] = state
    keep = np.empty((3, runs if np.ndim(keep_c) else 1), dtype=_DTYPE)
    keep[0], keep[1], keep[2] = keep_c, keep_d, keep_p
    # year-wide constants added to (C, D, P): the noise's mean and, with shared rates, the doubt
    # inflow from shocks
    shared_inflow = inflow.ndim == 1
    const = np.zeros((n_years, 3, 1), dtype=_DTYPE)
    const[:, 0, 0] = -half
    if shared_inflow:
        const[:, 1, 0] = inflow
    use_const = np.any(const != 0, axis=(1, 2)).tolist()
    use_inflow = (not shared_inflow) and np.any(inflow != 0, axis=1).tolist()
    add = np.empty((3, runs), dtype=_DTYPE)
    tmp = np.empty(runs, dtype=_DTYPE)
    theta = _DTYPE(p.theta)
    c, d = state[0], state[1]
    add_c, add_d, add_p = add[0], add[1], add[2]
    for t in range(1, n_years):
        # increments from last year's state:
        # C: alpha C*_t - gamma D C + noise_t      D: delta max(0, theta - C)      P: lambda C
        np.multiply(d, c, out=add_c)
        add_c *= -gamma
        np.multiply(target[t], alpha, out=tmp)
        add_c += tmp
        if noise is not None:
            np.multiply(noise[t], width, out=tmp)
            add_c += tmp
        np.subtract(theta, c, out=add_d)
        np.maximum(add_d, 0.0, out=add_d)
        add_d *= delta
        np.multiply(c, lam, out=add_p)
        # (C, D, P) <- (1 - alpha, 1 - rho, 1 - lambda) (C, D, P) + increments (+ eta dX_t + Z_t
        # to D), clipped to [0, 1] (D and P can only leave it upward and at the top respectively)
        state *= keep
        state += add
        if use_const[t]:
            state += const[t]
        if use_inflow and use_inflow[t]:
            d += inflow[t]
        np.clip(state, 0.0, 1.0, out=state)
        out[t] = state
    cohesion, doubt, professed = out[:, 0], out[:, 1], out[:, 2]

    # dissolved from the first year that ends k consecutive years below C_min (absorbing)
    below = cohesion < p.c_min
    dissolved = below.copy() if p.k_years > 1 else below
    for j in range(1, p.k_years):
        dissolved[j:] &= below[:-j]
        dissolved[:j] = False
    for t in range(1, n_years):
        dissolved[t] |= dissolved[t - 1]
    return target, cohesion, doubt, professed, dissolved


def _shock_arrays(shock_rows, years, params):
    """Driver increments (T, 8) and doubt pulses (T,) from rows of (year, driver[, size])."""
    bump = np.zeros((len(years), len(DRIVERS)))
    pulse = np.zeros(len(years))
    first = int(years[0])
    for year, driver, size in shock_rows:
        if size is None:
            size = params.shock_size
        _in_range("shock size", size, 0, 1)
        start = int(year) - first
        if start < 0 or start >= len(years):
            continue
        if driver == "doubt":
            pulse[start] += size
        elif driver in DRIVERS:
            bump[start:start + params.shock_years, DRIVERS.index(driver)] += size
        else:
            raise ValueError(f"a shock's driver must be one of {DRIVERS} or 'doubt'; got "
                             f"{driver!r}")
    return bump, pulse


def _normalise_shocks(shocks):
    """Accept a DataFrame (year, driver[, size]) or an iterable of tuples; return tuples."""
    if shocks is None or shocks is False:
        return []
    if hasattr(shocks, "itertuples"):
        if not {"year", "driver"} <= set(shocks.columns):
            raise ValueError("shocks must have columns 'year' and 'driver' (and optionally "
                             f"'size'); got {list(shocks.columns)}")
        sizes = shocks["size"] if "size" in shocks.columns else [None] * len(shocks)
        return [(int(y), d, None if s is None or s != s else float(s))
                for y, d, s in zip(shocks["year"], shocks["driver"], sizes, strict=True)]
    rows = []
    for item in shocks:
        if not isinstance(item, tuple) or len(item) not in (2, 3):
            raise ValueError("each shock must be a tuple (year, driver) or (year, driver, size); "
                             f"got {item!r}")
        rows.append((int(item[0]), item[1], item[2] if len(item) == 3 else None))
    return rows


def simulate_paths(scenario=None, *, drivers=None, years=None, shocks=None, runs=200, seed=None,
                   params=None, initial=None, **overrides):
    """Run an ensemble of the cohesion dynamics; return arrays of shape (runs, years).

    Same arguments as `simulate`; use this when you want arrays rather than a tidy frame.

    Returns
    -------
    Paths
        years (n_years,), and target, cohesion, doubt, professed, dissolved (runs, n_years).
    """
    runs = _whole("runs", runs, 1, 1_000_000)
    driver_over = {k: overrides.pop(k) for k in list(overrides) if k in DRIVERS}
    unknown = set(overrides) - set(_PARAM_FIELDS)
    if unknown:
        raise ValueError(f"unknown parameter(s) {sorted(unknown)}; allowed: parameters "
                         f"{_PARAM_FIELDS} and driver names {DRIVERS}")
    p = _as_params(params, overrides)
    if isinstance(seed, np.random.Generator):
        rng = seed
    elif seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)
                          and seed >= 0):
        rng = np.random.default_rng(seed)
    else:
        raise ValueError(f"seed must be None, a whole number >= 0 or a numpy Generator; got "
                         f"{seed!r}")

    if scenario is not None:
        name = scenario.name if isinstance(scenario, Scenario) else scenario
        _check_name(name)
        compiled = _compiled_scenario(name)
        all_years, base, scen_shocks = compiled
        if years is not None:
            yrs = _year_range(years)
            if yrs[0] < all_years[0] or yrs[-1] > all_years[-1]:
                raise ValueError(f"years must lie within the scenario's {all_years[0]}-"
                                 f"{all_years[-1]}; got {yrs[0]}-{yrs[-1]}")
            sel = slice(yrs[0] - all_years[0], yrs[-1] - all_years[0] + 1)
            all_years, base = all_years[sel], base[sel]
        base = base.copy()
        if drivers is not None:
            given = _driver_matrix(drivers, len(all_years))
            for name in drivers:
                base[:, DRIVERS.index(name)] = given[:, DRIVERS.index(name)]
        if shocks is None:
            shocks = scen_shocks
    else:
        if years is None:
            raise ValueError("years must be given (e.g. range(1920, 1939)) when no scenario is")
        all_years = _year_range(years)
        base = _driver_matrix(drivers, len(all_years))
    for name, value in driver_over.items():
        base[:, DRIVERS.index(name)] = _in_range(f"{name} ({_DRIVER_NAMES[name]})", value, 0, 1)

    bump, pulse = _shock_arrays(_normalise_shocks(shocks), all_years, p)
    drv = np.minimum(base + bump, 1.0)
    z = p.beta0 + drv @ p.beta_vector()
    c0 = d0 = p0 = None
    if initial is not None:
        if not isinstance(initial, Mapping) or set(initial) - {"cohesion", "doubt", "professed"}:
            raise ValueError("initial must be a mapping with keys among 'cohesion', 'doubt', "
                             f"'professed'; got {initial!r}")
        c0 = initial.get("cohesion")
        d0 = initial.get("doubt", 0.0)
        p0 = initial.get("professed")
        for name, v in (("initial cohesion", c0), ("initial doubt", d0),
                        ("initial professed", p0)):
            if v is not None:
                _in_range(name, v, 0, 1)
    d0 = 0.0 if d0 is None else d0
    ix = DRIVERS.index("X")
    x_shock = drv[:, ix] - base[:, ix]           # the rise of X above its baseline (dated shocks)
    target, c, d, pr, dis = _integrate(z, x_shock, pulse, p, runs, rng, c0, d0, p0)
    return Paths(years=np.asarray(all_years), target=target.T, cohesion=c.T, doubt=d.T,
                 professed=pr.T, dissolved=dis.T)


def _year_range(years):
    try:
        yrs = np.asarray([int(y) for y in years])
    except (TypeError, ValueError):
        raise ValueError(f"years must be consecutive whole years, e.g. range(1920, 1939); got "
                         f"{years!r}") from None
    if yrs.size < 2 or np.any(np.diff(yrs) != 1):
        raise ValueError("years must be at least two consecutive whole years, e.g. "
                         f"range(1920, 1939); got {years!r}")
    return yrs


def simulate(scenario=None, *, drivers=None, years=None, shocks=None, runs=200, seed=None,
             params=None, initial=None, **overrides):
    """Run an ensemble of the cohesion dynamics; return a tidy frame (one row per run and year).

    Parameters
    ----------
    scenario : str or Scenario, optional
        A name from `scenario_names` (baseline drivers, years and dated shocks from the data).
    drivers : mapping, optional
        Driver name -> value in [0, 1] (constant) or one value per year. Without a scenario these
        are the drivers (missing ones are 0); with one they replace its baseline for that driver.
    years : iterable of int, optional
        Consecutive years. Required without a scenario; with one, a sub-range of its years.
    shocks : DataFrame, iterable of tuples, or False, optional
        Dated shocks as (year, driver[, size]) with driver in `DRIVERS` or ``"doubt"``; default the
        scenario's events; ``False`` for none.
    runs : int, default 200
        Number of runs (parameter draws and noise paths), 1 to 1,000,000.
    seed : int or numpy.random.Generator, optional
        Seed for reproducible runs.
    params : CohesionParams, optional
        Rates and settings; keyword ``overrides`` replace single fields.
    initial : mapping, optional
        Starting ``cohesion``, ``doubt``, ``professed`` in [0, 1] (default C*, 0, C).
    **overrides
        Any `CohesionParams` field (e.g. ``gamma=0.5``) or a driver name (e.g. ``T=0.3``, which
        sets that driver in every year).

    Returns
    -------
    pandas.DataFrame
        run, year, target, cohesion, doubt, professed, gap (= professed − cohesion), dissolved;
        one row per run and year, ordered by year and then run. Values are float32.

    Raises
    ------
    ValueError
        Naming the parameter and its allowed range.
    LookupError
        For an unknown scenario name.

    References
    ----------
    Owusu & Bruce-Ghartey (2026); Snyder (1997); MODEL.md section 2.

    Examples
    --------
    >>> frame = simulate(drivers={"T": 0.6, "A": 0.6}, years=range(2000, 2011), runs=3, seed=1)
    >>> frame.shape
    (33, 8)
    """
    paths = simulate_paths(scenario, drivers=drivers, years=years, shocks=shocks, runs=runs,
                           seed=seed, params=params, initial=initial, **overrides)
    return _tidy(paths)


def _tidy(paths):
    """Paths -> tidy frame, rows ordered by year and then run (the arrays' memory order)."""
    import pandas as pd

    runs, n_years = paths.cohesion.shape
    cohesion, professed = paths.cohesion.T, paths.professed.T       # (years, runs) views
    return pd.DataFrame({
        "run": np.tile(np.arange(runs), n_years),
        "year": np.repeat(paths.years, runs),
        "target": paths.target.T.ravel(),
        "cohesion": cohesion.ravel(),
        "doubt": paths.doubt.T.ravel(),
        "professed": professed.ravel(),
        "gap": (professed - cohesion).ravel(),
        "dissolved": paths.dissolved.T.ravel(),
    }, copy=False)


def _check_frame(frame, columns):
    if not hasattr(frame, "columns") or not set(columns) <= set(frame.columns):
        raise ValueError(f"frame must be a DataFrame from simulate() with columns {columns}")
    if len(frame) == 0:
        raise ValueError("frame must not be empty")


def _by_year(frame, column):
    """(years, array of shape (n_years, n_runs)) from a tidy frame; fast for simulate's layout."""
    run = frame["run"].to_numpy()
    year = frame["year"].to_numpy()
    n_runs = int(run.max()) + 1
    n_years = len(frame) // n_runs
    if n_runs * n_years == len(frame):
        grid_year = year.reshape(n_years, n_runs)
        grid_run = run.reshape(n_years, n_runs)
        if (grid_run == np.arange(n_runs)).all() and (grid_year == grid_year[:, :1]).all() \
                and np.all(np.diff(grid_year[:, 0]) > 0):
            return grid_year[:, 0].copy(), frame[column].to_numpy(float).reshape(n_years, n_runs)
    wide = frame.pivot(index="year", columns="run", values=column)
    return wide.index.to_numpy(), wide.to_numpy(float)


def fan(frame, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95), column="cohesion"):
    """Quantiles of one variable across runs, by year (for a fan chart).

    Parameters
    ----------
    frame : DataFrame
        Output of `simulate`.
    quantiles : sequence of float
        Each in [0, 1].
    column : str
        One of target, cohesion, doubt, professed, gap.

    Returns
    -------
    pandas.DataFrame
        year, mean, then one column per quantile named ``q5``, ``q25``, ``q50`` ... (percent).

    Examples
    --------
    >>> f = fan(simulate(drivers={"T": 0.5}, years=range(2000, 2005), runs=20, seed=0))
    >>> list(f.columns)
    ['year', 'mean', 'q5', 'q25', 'q50', 'q75', 'q95']
    """
    import pandas as pd

    allowed = ("target", "cohesion", "doubt", "professed", "gap")
    if column not in allowed:
        raise ValueError(f"column must be one of {allowed}; got {column!r}")
    _check_frame(frame, ["run", "year", column])
    qs = _in_range("quantiles", quantiles, 0, 1)
    if qs.ndim != 1 or qs.size == 0:
        raise ValueError(f"quantiles must be a non-empty sequence of numbers in [0, 1]; got "
                         f"{quantiles!r}")
    years, values = _by_year(frame, column)
    out = pd.DataFrame({"year": years, "mean": values.mean(axis=1)})
    for q, row in zip(qs, np.quantile(values, qs, axis=1), strict=True):
        out[f"q{q * 100:g}"] = row
    return out


def dissolution_probability(frame):
    """Share of runs that have dissolved by each year.

    Parameters
    ----------
    frame : DataFrame
        Output of `simulate`.

    Returns
    -------
    pandas.DataFrame
        year, probability (in [0, 1], non-decreasing), runs.

    Examples
    --------
    >>> d = dissolution_probability(simulate(drivers={"T": 0.1}, years=range(2000, 2010),
    ...                                      runs=50, seed=0))
    >>> bool(d.probability.is_monotonic_increasing)
    True
    """
    import pandas as pd

    _check_frame(frame, ["run", "year", "dissolved"])
    years, values = _by_year(frame, "dissolved")
    counted = ~np.isnan(values)
    share = np.where(counted, values, 0).sum(axis=1) / counted.sum(axis=1)
    return pd.DataFrame({"year": years, "probability": share.astype(float),
                         "runs": counted.sum(axis=1)})


# --------------------------------------------------------------------------------------------
# scenarios
# --------------------------------------------------------------------------------------------
_SCENARIOS = {
    "little_entente": ("The Little Entente, 1920-1938", "little_entente"),
    "ecowas": ("ECOWAS and the Sahel exits, 2010-2030", "ecowas"),
    # pre-registered: coded by the rules in data/README.md before the model was run on it
    "balkan_entente": ("The Balkan Entente, 1934-1940 (pre-registered)", "balkan_entente_1934"),
}


class UnknownScenarioError(LookupError):
    """Raised for a scenario name that is not defined."""


def scenario_names():
    """Names accepted by `scenario` and `simulate`.

    Examples
    --------
    >>> scenario_names()
    ['balkan_entente', 'ecowas', 'little_entente']
    """
    return sorted(_SCENARIOS)


def _check_name(name):
    if not isinstance(name, str):
        raise ValueError(f"scenario must be a name from {scenario_names()} or a Scenario; got "
                         f"{type(name).__name__}")
    if name not in _SCENARIOS:
        import difflib

        close = difflib.get_close_matches(str(name), _SCENARIOS, n=3, cutoff=0.3)
        hint = f"; did you mean {close}?" if close else ""
        raise UnknownScenarioError(f"unknown scenario {name!r}; known: {scenario_names()}{hint}")


@functools.lru_cache(maxsize=1)
def _scenario_coding():
    return _data_csv("cohesion_scenarios.csv")


@functools.lru_cache(maxsize=None)
def _scenario(name):
    _check_name(name)
    import pandas as pd

    from alliancekit import cases

    title, alliance_id = _SCENARIOS[name]
    coding = _scenario_coding()
    coding = coding[coding["scenario"] == name].reset_index(drop=True)
    first, last = int(coding["first_year"].min()), int(coding["last_year"].max())
    years = np.arange(first, last + 1)
    drivers = pd.DataFrame(index=pd.Index(years, name="year"), columns=list(DRIVERS),
                           dtype=float)
    for row in coding.itertuples():
        if row.driver not in DRIVERS:
            raise ValueError(f"cohesion_scenarios.csv: unknown driver {row.driver!r}")
        drivers.loc[row.first_year:row.last_year, row.driver] = float(row.value)
    if drivers["S"].isna().any():
        drivers["S"] = drivers["S"].fillna(_asymmetry_by_year(alliance_id, years))
    missing = drivers.columns[drivers.isna().any()].tolist()
    if missing:
        raise ValueError(f"cohesion_scenarios.csv does not cover every year of {name} for "
                         f"drivers {missing}")
    events = cases.table("events")
    events = events[events["alliance_id"] == alliance_id].copy()
    events["year"] = pd.to_datetime(events["date"]).dt.year
    events = events[(events["year"] >= first) & (events["year"] <= last)]
    events["driver"] = events["mechanism"].map(MECHANISM_DRIVER)
    uncoded = events.loc[events["size"].isna(), "event_id"].tolist()
    if uncoded:
        raise ValueError(f"events.csv: every event of scenario {name} needs a coded size "
                         f"(see the coding rules in data/README.md); missing for {uncoded}")
    shocks = events[["event_id", "date", "year", "mechanism", "driver", "size", "size_basis",
                     "description", "source"]].sort_values("date").reset_index(drop=True)
    return Scenario(name=name, title=title, alliance_id=alliance_id, drivers=drivers,
                    shocks=shocks, coding=coding)


def _asymmetry_by_year(alliance_id, years):
    """S from members' CINC shares each year; the last CINC year is carried forward.

    Members are those in force on 1 July, or on 31 December when fewer than two were in force on
    1 July (an alliance founded that summer).
    """
    import pandas as pd

    from alliancekit import cases

    def members_in(year):
        found = cases.members(alliance_id, f"{year}-07-01")["ccode"]
        if len(found) < 2:
            found = cases.members(alliance_id, f"{year}-12-31")["ccode"]
        return sorted(int(c) for c in found)

    member_sets = {int(y): members_in(int(y)) for y in years}
    states = sorted({c for s in member_sets.values() for c in s})
    cap = cases.cinc(states=states)
    wide = cap.pivot_table(index="year", columns="ccode", values="cinc")
    wide = wide.reindex(range(int(wide.index.min()), max(int(years[-1]), int(wide.index.max()))
                              + 1)).ffill()
    values = []
    for y in years:
        members = [c for c in member_sets[int(y)] if c in wide.columns]
        shares = wide.loc[int(y), members].to_numpy(float) if int(y) in wide.index else []
        shares = np.nan_to_num(np.asarray(shares, float))
        values.append(asymmetry(shares) if len(shares) and shares.sum() > 0 else np.nan)
    return pd.Series(values, index=pd.Index(years, name="year"))


def scenario(name):
    """A named scenario: baseline drivers by year, dated shocks, and the coding behind them.

    Parameters
    ----------
    name : str
        One of `scenario_names`: ``"little_entente"`` (1920-1938), ``"ecowas"`` (2010-2030) or
        ``"balkan_entente"`` (1934-1940, coded before the model was first run on it).

    Returns
    -------
    Scenario
        name, title, alliance_id, drivers (DataFrame by year), shocks (DataFrame), coding.

    Raises
    ------
    LookupError
        (`UnknownScenarioError`) for an unknown name, listing the known ones.
    """
    _check_name(name)
    s = _scenario(name)
    return replace(s, drivers=s.drivers.copy(), shocks=s.shocks.copy(), coding=s.coding.copy())


@functools.lru_cache(maxsize=None)
def _compiled_scenario(name):
    s = _scenario(name)
    years = s.drivers.index.to_numpy()
    base = s.drivers[list(DRIVERS)].to_numpy(float)
    base.setflags(write=False)
    shocks = tuple((int(y), d, float(size)) for y, d, size in
                   zip(s.shocks["year"], s.shocks["driver"], s.shocks["size"], strict=True))
    return years, base, shocks
