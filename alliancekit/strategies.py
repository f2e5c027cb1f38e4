r"""Small-state strategies: one patron, diversification, autonomy, hedging.

A small state facing a threat can rely on partners, on itself, or on a mix. Partner j honours its
commitment with probability :math:`r_j` in normal times. With probability ``q`` a *common shock*
hits every partner at once (a patron's retrenchment, a systemic crisis) and cuts each
reliability to :math:`r_j (1 - \varphi)`. Given the shock state, partners decide independently.

Probability that at least one partner helps (docs/model.md, section 5)::

    pi = (1 - q) * [1 - prod_j (1 - r_j)]  +  q * [1 - prod_j (1 - r_j (1 - phi))]

The common shock is what makes partners *correlated*. For partners i and j, with
:math:`H_j = 1` when j honours::

    P(H_j = 1)            = r_j (1 - q phi)                       (the marginal, observed rate)
    Cov(H_i, H_j)         = r_i r_j q (1 - q) phi**2
    Corr(H_i, H_j)        = Cov / sqrt(m_i (1 - m_i) m_j (1 - m_j)),   m_j = r_j (1 - q phi)

Calibration. Observed honour rates such as Leeds, Long & Mitchell's (2000) "about 0.75" are
*marginal* rates: they already include the bad times. :func:`compare_strategies` therefore takes
the marginal rate ``m`` and sets the normal-times reliability to ``r = m / (1 - q phi)``, so that
raising ``q`` or ``phi`` changes only the correlation between partners, not how often each one
honours on average (this needs ``q phi <= 1 - m``). Then a single patron's help probability
stays at ``m`` while a portfolio's falls as the correlation grows: by Jensen's inequality,
``1 - prod(1 - r)`` is concave in the shared reliability, so spreading reliability across shock
states lowers its mean. This is the sense in which correlated partners make diversification
worth less. (Without the calibration a shock lowers every partner's average too, which muddles
the comparison.)

Security and cost of a portfolio. Partner j brings help of capacity :math:`h_j` (in units of the
threat: 1 = enough to meet it) and a commitment of depth :math:`d_j` (defence 1, neutrality 0.5,
consultation 0.25) with an entanglement cost per unit depth :math:`e_j`. The small state's own
capability is ``a`` (same units), bought at ``cost_per_capability`` per unit above its baseline.
Help does not add up across partners in this model: the strongest partner that turns up sets the
help received. Sorting partners by capacity, :math:`h_{(1)} \ge h_{(2)} \ge \dots`::

    expected help | shock state = sum_k h_(k) * r_(k)' * prod_{l<k} (1 - r_(l)')
    security = E[expected help] + a
    cost     = sum_j e_j * d_j  +  cost_per_capability * (a - baseline)
    net      = security - cost

with :math:`r' = r` in normal times and :math:`r (1-\varphi)` under the shock. With equal
capacities ``h`` this is docs/model.md's ``security = pi * h + a``. Entanglement grows with both the
depth and the number of commitments (Snyder 1984 on entrapment).

Defaults are starting points to argue with, not estimates.

References
----------
Leeds, B. A., Long, A. G., & Mitchell, S. M. (2000). Reevaluating alliance reliability: specific
threats, specific promises. *Journal of Conflict Resolution*, 44(5), 686-699.
Berkemeier, M., & Fuhrmann, M. (2018). Reassessing the fulfillment of alliance commitments in war.
*Research & Politics*, 5(2).
Snyder, G. H. (1984). The security dilemma in alliance politics. *World Politics*, 36(4), 461-495.
Kuik, C.-C. (2008). The essence of hedging. *Contemporary Southeast Asia*, 30(2), 159-185.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from . import _validate as vd
from .published import LLM_PUBLISHED_RATE

__all__ = [
    "LLM_HONOURED",
    "Partner",
    "Portfolio",
    "MonteCarlo",
    "DEFAULT_STRATEGIES",
    "strategy_table",
    "help_probability",
    "help_probability_mc",
    "honour_correlation",
    "normal_times_reliability",
    "portfolio",
    "compare_strategies",
    "correlation_sweep",
]

#: Share of alliance commitments honoured in wars 1816-1944 reported by Leeds, Long & Mitchell
#: (2000): 74.5 %. The figure lives in `alliancekit.published` (``LLM_PUBLISHED_RATE``); this
#: name is the strategies model's default honour rate, the same number. The shipped data's own
#: estimates are `alliancekit.fulfilment.reliability_estimates`.
LLM_HONOURED = LLM_PUBLISHED_RATE


# --------------------------------------------------------------------------- validation
def _prob(x, name: str) -> float:
    return vd.probability(name, x)


def _probs(r, name: str = "reliability") -> np.ndarray:
    a = np.atleast_1d(vd.array(name, r, 0, 1, meaning="probabilities; [] for no partner"))
    if a.ndim != 1:
        raise ValueError(f"{name} must be a number or a 1-D sequence of probabilities")
    return a


def _nonneg(x, name: str, upper: float = math.inf) -> float:
    return vd.number(name, x, 0, None if math.isinf(upper) else upper)


# --------------------------------------------------------------------------- help probability
def help_probability(reliability: float | Sequence[float], q: float, phi: float) -> float:
    """Probability that at least one partner honours its commitment (closed form).

    Parameters
    ----------
    reliability : float or sequence of float
        Normal-times probability r_j in [0, 1] that each partner honours. An empty sequence
        (no partners) gives 0.
    q : float
        Probability in [0, 1] of a common shock.
    phi : float
        Share in [0, 1] by which the shock cuts every partner's reliability.

    Returns
    -------
    float
        ``(1-q)[1 - prod(1-r)] + q[1 - prod(1 - r(1-phi))]``.

    References
    ----------
    docs/model.md, section 5; Leeds, Long & Mitchell (2000) for r of about 0.75.

    Examples
    --------
    >>> round(help_probability([0.75, 0.75], q=0.0, phi=0.0), 4)
    0.9375
    >>> round(help_probability([0.75, 0.75], q=1.0, phi=1.0), 4)
    0.0
    """
    r = _probs(reliability)
    q, phi = _prob(q, "q"), _prob(phi, "phi")
    calm = 1.0 - np.prod(1.0 - r)
    shocked = 1.0 - np.prod(1.0 - r * (1.0 - phi))
    return float((1.0 - q) * calm + q * shocked)


@dataclass(frozen=True)
class MonteCarlo:
    """A Monte Carlo estimate: ``estimate`` +- ``std_error`` from ``n_draws`` draws."""

    estimate: float
    std_error: float
    n_draws: int


def help_probability_mc(
    reliability: float | Sequence[float], q: float, phi: float, n_draws: int = 100_000,
    seed: int | None = 0,
) -> MonteCarlo:
    """Estimate :func:`help_probability` by simulation (a check on the closed form).

    Each draw: a common shock happens with probability ``q``; then each partner honours
    independently with probability ``r_j`` (or ``r_j (1 - phi)`` under the shock).

    Parameters
    ----------
    reliability, q, phi
        As in :func:`help_probability`.
    n_draws : int
        Number of simulated crises, 1..10,000,000.
    seed : int, optional
        Random seed; the same seed gives the same estimate.

    Returns
    -------
    MonteCarlo
    """
    r = _probs(reliability)
    q, phi = _prob(q, "q"), _prob(phi, "phi")
    n_draws = vd.integer("n_draws", n_draws, 1, 10_000_000)
    rng = vd.generator(seed)
    shock = rng.random(n_draws) < q
    p = np.where(shock[:, None], r * (1.0 - phi), r)
    helped = (rng.random((n_draws, r.size)) < p).any(axis=1)
    est = float(helped.mean())
    return MonteCarlo(estimate=est, std_error=math.sqrt(max(est * (1 - est), 1e-12) / n_draws),
                      n_draws=int(n_draws))


def honour_correlation(r_i: float, r_j: float, q: float, phi: float) -> float:
    """Correlation between two partners' decisions to honour, induced by the common shock.

    ``r_i r_j q (1-q) phi**2 / sqrt(m_i (1-m_i) m_j (1-m_j))`` with ``m = r (1 - q phi)``;
    0 when either marginal rate is 0 or 1.

    Examples
    --------
    >>> honour_correlation(0.75, 0.75, q=0.0, phi=0.9)
    0.0
    >>> round(honour_correlation(1.0, 1.0, q=0.25, phi=1.0), 6)
    1.0
    """
    r_i, r_j = _prob(r_i, "r_i"), _prob(r_j, "r_j")
    q, phi = _prob(q, "q"), _prob(phi, "phi")
    m_i, m_j = r_i * (1 - q * phi), r_j * (1 - q * phi)
    var = m_i * (1 - m_i) * m_j * (1 - m_j)
    if var <= 0:
        return 0.0
    return float(r_i * r_j * q * (1 - q) * phi**2 / math.sqrt(var))


def normal_times_reliability(marginal: float, q: float, phi: float) -> float:
    """The normal-times reliability r that gives an observed (marginal) honour rate.

    ``r = marginal / (1 - q phi)``; requires ``q phi <= 1 - marginal`` so that r <= 1.

    Examples
    --------
    >>> normal_times_reliability(0.75, q=0.25, phi=0.8)
    0.9375
    """
    m = _prob(marginal, "marginal")
    q, phi = _prob(q, "q"), _prob(phi, "phi")
    if q * phi > 1 - m + 1e-12:
        raise ValueError(
            f"q * phi must be at most 1 - marginal = {1 - m:.3g} for an observed honour rate of "
            f"{m:.3g} (otherwise partners would need a reliability above 1 in normal times); "
            f"got q * phi = {q * phi:.3g}. Lower q or phi, or the marginal rate."
        )
    return min(1.0, m / (1 - q * phi)) if q * phi < 1 else 0.0


# --------------------------------------------------------------------------- portfolios
@dataclass(frozen=True)
class Partner:
    """One partner in a portfolio.

    Attributes
    ----------
    reliability : float
        Normal-times probability in [0, 1] that it honours.
    capacity : float
        Help it can bring, in units of the threat (>= 0; 1 = enough to meet it).
    depth : float
        Depth of the commitment in [0, 1] (defence 1, neutrality 0.5, consultation 0.25).
    entanglement : float
        Cost (>= 0, in units of security) per unit of depth: the risk of being dragged into the
        partner's quarrels.
    name : str
        A label.
    """

    reliability: float
    capacity: float = 1.0
    depth: float = 1.0
    entanglement: float = 0.05
    name: str = ""

    def __post_init__(self):
        _prob(self.reliability, "reliability")
        _nonneg(self.capacity, "capacity", 10.0)
        _prob(self.depth, "depth")
        _nonneg(self.entanglement, "entanglement", 10.0)


@dataclass(frozen=True)
class Portfolio:
    """Security and cost of a set of partners plus own capability.

    Attributes
    ----------
    n_partners : int
    help_probability : float
        Probability that at least one partner helps (the closed form).
    expected_help : float
        Expected capacity of the strongest partner that helps (0 if none does).
    own_capability : float
    security : float
        ``expected_help + own_capability``.
    entanglement_cost : float
        ``sum_j e_j d_j``.
    capability_cost : float
        ``cost_per_capability * (own_capability - baseline)``.
    cost : float
        Sum of the two costs.
    net : float
        ``security - cost``.
    """

    n_partners: int
    help_probability: float
    expected_help: float
    own_capability: float
    security: float
    entanglement_cost: float
    capability_cost: float
    cost: float
    net: float


def _as_partners(partners) -> list[Partner]:
    if partners is None or isinstance(partners, (str, bytes, Mapping)) \
            or not hasattr(partners, "__iter__"):
        raise TypeError(f"partners must be a list of Partner objects or dicts; got "
                        f"{vd.show(partners)}")
    out = []
    for k, p in enumerate(partners):
        if isinstance(p, Partner):
            out.append(p)
        elif isinstance(p, Mapping):
            try:
                out.append(Partner(**p))
            except TypeError as err:
                raise TypeError(f"partners[{k}]: {err}") from None
        else:
            raise TypeError(
                f"partners[{k}] must be a Partner or a dict with keys reliability, capacity, "
                f"depth, entanglement; got {p!r}"
            )
    return out


def _expected_help(r: np.ndarray, h: np.ndarray) -> float:
    order = np.argsort(-h, kind="stable")
    r, h = r[order], h[order]
    none_before = np.concatenate(([1.0], np.cumprod(1.0 - r)[:-1]))
    return float(np.sum(h * r * none_before))


def portfolio(
    partners: Sequence,
    own_capability: float = 0.1,
    *,
    q: float = 0.0,
    phi: float = 0.0,
    baseline_capability: float = 0.1,
    cost_per_capability: float = 0.4,
) -> Portfolio:
    """Security and cost of a portfolio of partners and own capability.

    Parameters
    ----------
    partners : sequence of Partner or dict
        Each with ``reliability`` (normal times, [0, 1]), ``capacity`` (>= 0), ``depth``
        ([0, 1]) and ``entanglement`` (>= 0). May be empty (pure autonomy).
    own_capability : float
        The small state's own capability ``a`` in units of the threat, >= baseline.
    q, phi : float
        Common shock probability and depth, in [0, 1].
    baseline_capability : float
        Capability the state has without extra investment, >= 0.
    cost_per_capability : float
        Cost of each unit of capability above the baseline, >= 0.

    Returns
    -------
    Portfolio

    References
    ----------
    docs/model.md, section 5; Snyder (1984) on entanglement.

    Examples
    --------
    >>> p = portfolio([{"reliability": 0.75, "capacity": 1.0, "depth": 1.0, "entanglement": 0.1}])
    >>> round(p.security, 3), round(p.cost, 3)
    (0.85, 0.1)
    """
    ps = _as_partners(partners)
    q, phi = _prob(q, "q"), _prob(phi, "phi")
    base = _nonneg(baseline_capability, "baseline_capability", 10.0)
    a = _nonneg(own_capability, "own_capability", 10.0)
    if a < base:
        raise ValueError(
            f"own_capability must be at least baseline_capability = {base}; got {a}"
        )
    cpc = _nonneg(cost_per_capability, "cost_per_capability", 100.0)
    r = np.array([p.reliability for p in ps], dtype=float)
    h = np.array([p.capacity for p in ps], dtype=float)
    if ps:
        pi = help_probability(r, q, phi)
        help_ = (1 - q) * _expected_help(r, h) + q * _expected_help(r * (1 - phi), h)
    else:
        pi, help_ = 0.0, 0.0
    ent = float(sum(p.entanglement * p.depth for p in ps))
    cap_cost = cpc * (a - base)
    security = help_ + a
    return Portfolio(
        n_partners=len(ps), help_probability=pi, expected_help=help_, own_capability=a,
        security=security, entanglement_cost=ent, capability_cost=cap_cost,
        cost=ent + cap_cost, net=security - ent - cap_cost,
    )


#: The four strategies compared by :func:`compare_strategies`. Partners get the calibrated
#: normal-times reliability unless a spec gives one. Illustrative defaults, to be argued with,
#: built on three stated assumptions: (1) a shallower commitment brings proportionally less help
#: (capacity = depth x what the partner could bring); (2) a great-power patron could bring enough
#: to meet the threat (1.0) but entangles more per unit of depth (0.15: it drags the client into
#: its own quarrels, Snyder 1984) than a middle power (0.6 and 0.06); (3) own capability costs
#: ``cost_per_capability`` per unit above the baseline. Hedging keeps a shallow tie to a patron,
#: one more partner and some own capability (Kuik 2008).
DEFAULT_STRATEGIES = {
    "single patron": {
        "partners": [dict(capacity=1.0, depth=1.0, entanglement=0.15, name="patron")],
        "own_capability": 0.1,
    },
    "diversification": {
        "partners": [dict(capacity=0.6, depth=1.0, entanglement=0.06, name=f"middle power {k}")
                     for k in (1, 2, 3)],
        "own_capability": 0.1,
    },
    "autonomy": {
        "partners": [],
        "own_capability": 0.6,
    },
    "hedging": {
        "partners": [dict(capacity=0.5, depth=0.5, entanglement=0.15, name="patron (shallow)"),
                     dict(capacity=0.6, depth=1.0, entanglement=0.06, name="middle power")],
        "own_capability": 0.3,
    },
}


def strategy_table(strategies: dict | None = None) -> pd.DataFrame:
    """The strategies' inputs as a table, one row per partner (a strategy with none gets one row).

    Parameters
    ----------
    strategies : dict, optional
        Name -> ``{"partners": [...], "own_capability": float}`` as in `DEFAULT_STRATEGIES`
        (the default).

    Returns
    -------
    pandas.DataFrame
        strategy, own capability (units of the threat the state meets alone), partner, capacity
        (units of the threat the partner could meet), depth (share of it promised, 0-1),
        entanglement (risk cost per unit of depth).

    Examples
    --------
    >>> strategy_table().groupby("strategy", sort=False).size().to_dict()
    {'single patron': 1, 'diversification': 3, 'autonomy': 1, 'hedging': 2}
    """
    strategies = DEFAULT_STRATEGIES if strategies is None else strategies
    vd.mapping("strategies (name -> specification)", strategies)
    rows = []
    for name, spec in strategies.items():
        if not isinstance(spec, Mapping):
            raise TypeError(f"strategies[{name!r}] must be a dict with 'partners' and "
                            f"'own_capability'; got {vd.show(spec)}")
        partners = spec.get("partners") or [{"name": "(none)"}]
        for p in partners:
            rows.append({"strategy": name, "own capability": spec.get("own_capability", 0.0),
                         "partner": p.get("name", ""), "capacity": p.get("capacity"),
                         "depth": p.get("depth"), "entanglement": p.get("entanglement")})
    return pd.DataFrame(rows)


def compare_strategies(
    q: float,
    phi: float,
    *,
    reliability: float = LLM_HONOURED,
    calibrate: bool = True,
    strategies: Mapping | None = None,
    baseline_capability: float = 0.1,
    cost_per_capability: float = 0.4,
) -> pd.DataFrame:
    """Rank single patron, diversification, autonomy and hedging under a common shock.

    Parameters
    ----------
    q : float
        Probability of a common shock, in [0, 1].
    phi : float
        Depth of the shock, in [0, 1].
    reliability : float
        Partners' honour rate in [0, 1]; by default 0.745 (Leeds, Long & Mitchell 2000). The
        shipped Berkemeier & Fuhrmann (2018) data give about 0.50 over all wars (see
        :func:`alliancekit.fulfilment.reliability_estimates`): try both.
    calibrate : bool
        If True (default), ``reliability`` is the observed marginal rate and the normal-times
        reliability is ``reliability / (1 - q phi)`` (so q and phi change only the correlation;
        needs ``q phi <= 1 - reliability``). If False, ``reliability`` is the normal-times rate
        and the shock also lowers the average.
    strategies : mapping, optional
        Name -> {"partners": [dict(capacity, depth, entanglement[, reliability])],
        "own_capability": float}; partners without a reliability get the calibrated one.
        Default :data:`DEFAULT_STRATEGIES`.
    baseline_capability, cost_per_capability : float
        As in :func:`portfolio`.

    Returns
    -------
    pandas.DataFrame
        One row per strategy, best first: ``strategy``, ``n_partners``, ``help_probability``,
        ``security``, ``cost``, ``net``, ``rank`` (1 = highest net), and the shared ``q``,
        ``phi``, ``reliability`` (normal times), ``marginal_reliability`` and ``correlation``
        (between two partners' decisions).

    References
    ----------
    docs/model.md, section 5; Leeds, Long & Mitchell (2000); Kuik (2008) on hedging.

    Examples
    --------
    >>> compare_strategies(0.0, 0.0)["strategy"].tolist()
    ['single patron', 'hedging', 'diversification', 'autonomy']
    >>> compare_strategies(0.25, 1.0)["strategy"].tolist()
    ['single patron', 'hedging', 'autonomy', 'diversification']
    """
    q, phi = _prob(q, "q"), _prob(phi, "phi")
    m = _prob(reliability, "reliability")
    if vd.flag("calibrate", calibrate):
        r = normal_times_reliability(m, q, phi)
    else:
        r = m
        m = r * (1 - q * phi)
    rho = honour_correlation(r, r, q, phi)
    strategies = DEFAULT_STRATEGIES if strategies is None else strategies
    vd.mapping("strategies (name -> specification)", strategies)
    rows = []
    for name, spec in strategies.items():
        if not isinstance(spec, Mapping) or "partners" not in spec:
            raise TypeError(
                f"strategies[{name!r}] must be a dict with 'partners' (list) and "
                f"'own_capability' (float)"
            )
        partners = [{"reliability": r, **{k: v for k, v in p.items() if v is not None}}
                    for p in spec["partners"]]
        res = portfolio(
            partners, spec.get("own_capability", baseline_capability), q=q, phi=phi,
            baseline_capability=baseline_capability, cost_per_capability=cost_per_capability,
        )
        rows.append({"strategy": name, "n_partners": res.n_partners,
                     "help_probability": res.help_probability, "security": res.security,
                     "cost": res.cost, "net": res.net})
    out = pd.DataFrame(rows).sort_values("net", ascending=False, kind="stable",
                                         ignore_index=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["q"], out["phi"] = q, phi
    out["reliability"], out["marginal_reliability"], out["correlation"] = r, m, rho
    return out


def correlation_sweep(
    q: float = 0.25,
    phis: Sequence[float] | None = None,
    **options,
) -> pd.DataFrame:
    """:func:`compare_strategies` over a range of shock depths: how the ranking moves.

    Parameters
    ----------
    q : float
        Probability of the common shock, in [0, 1].
    phis : sequence of float, optional
        Shock depths in [0, 1]; default 0, 0.1, ..., 1. With calibration every ``q * phi`` must
        be at most ``1 - reliability``.
    **options
        Passed to :func:`compare_strategies`.

    Returns
    -------
    pandas.DataFrame
        The stacked rankings, one block per ``phi`` (tidy: ready for a line chart of ``net`` or
        ``rank`` against ``correlation``).
    """
    phis = np.linspace(0.0, 1.0, 11) if phis is None else np.atleast_1d(
        vd.array("phis (shock depths)", phis, 0, 1, min_size=1))
    frames = [compare_strategies(q, float(phi), **options) for phi in phis]
    return pd.concat(frames, ignore_index=True)
