r"""How alliances come apart: the cohesion dynamics and the erosion mechanisms.

The model follows one alliance's cohesion as a number between 0 and 1 that drifts toward what its
drivers support, is eroded by shocks, and can tip once members begin to doubt one another.
Nothing here draws (`alliancekit.charts` does) and the model loads no data: it runs on a
`Scenario` handed to it (`alliancekit.drivers`), or on drivers given directly. The defaults below
are starting points for a student to argue with, not estimates.

Names kept for the lessons, exercises and students' copies that write ``ak.cohesion.<name>``:
the member calculus's pure names (``commitment_margin``, ``RELIABILITY`` ...) are re-exported
from `alliancekit.calculus`, the drivers' (``Scenario``, ``asymmetry``, ``DRIVERS`` ...) from
`alliancekit.drivers`. Thin adapters reach the case data on call, never on import: a scenario
*name* given to `simulate` or `simulate_paths`, `scenario` and `scenario_names` (homes in
`alliancekit.scenarios`), and ``member_calculus`` and ``member_inputs`` (re-exported from
`alliancekit.calculus`, whose adapters call their home, `alliancekit.calculus_cases`).

Sources: the mechanisms of Owusu & Bruce-Ghartey (2026): leadership, domestic politics, power
asymmetry, external shocks, and perception; Snyder (1997) on the alliance security dilemma for the
doubt feedback; Walt (1987) on shared threat; Keohane (1984) on institutions; Wendt (1992) on trust
and identity. The form is the proposal in ``docs/model.md``, section 2, with the changes marked (*).

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

Changes from the original proposal, and why (*):

- States are clipped to [0, 1] because they are shares, and α + γ ≤ 1 is required. Together these
  make the map monotone: C_t rises with C_{t−1} and C*_t and falls with D_{t−1}, and D_t does the
  reverse. By induction a higher erosion driver (or a doubt pulse) can never raise C, in the step
  where it lands or later, on the same noise path. The property test relies on this proof.
- Uniform rather than normal noise: a year's luck is bounded (never more than √3·σ_C), and
  uniform numbers are several times cheaper to draw, which matters for the explorer.
- Doubt feeds on shocks ΔX, not on the steady level of X. The baseline X (a decade of steady
  outside pressure, say) already lowers C*; letting it also pour doubt in every year would count it
  twice, and would make doubt settle at η·X/ρ whatever happened.
- The doubt pulse Z gives perception its own channel; in the original proposal doubt only
  fed on low cohesion
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
after the shock has ended. When γ·δ is small, C returns to C* (see ``tests/unit/test_cohesion.py``).

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
Snyder, G. H. (1997). Alliance Politics. Cornell University Press.
Walt, S. M. (1987). The Origins of Alliances. Cornell University Press.
Keohane, R. O. (1984). After Hegemony. Princeton University Press.
Wendt, A. (1992). Anarchy is What States Make of It. International Organization 46(2).
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from . import _validate as vd
from .calculus import (  # noqa: F401 (re-exported for ak.cohesion.<name>: lessons 01, 03)
    DEPTH,
    EPSILON,
    KAPPA,
    RELIABILITY,
    MemberMargin,
    commitment_margin,
    member_calculus,
    member_inputs,
    obligation_depth,
)
from .drivers import (  # noqa: F401 (re-exported for ak.cohesion.<name>)
    DRIVER_NAMES,
    DRIVERS,
    HOLDING,
    MECHANISM_DRIVER,
    Scenario,
    UnknownScenarioError,
    asymmetry,
    scenario_arrays,
)

#: Dated shocks: a DataFrame (year, driver[, size]), tuples (year, driver[, size]), or False.
ShockSpec = "pd.DataFrame | Iterable[tuple] | bool | None"

__all__ = [
    "CohesionParams", "Paths", "simulate_paths", "simulate", "fan", "dissolution_probability",
    "parameter_ranges",
    # re-exported from alliancekit.calculus and alliancekit.drivers, or thin adapters (above)
    "MemberMargin", "commitment_margin", "obligation_depth", "member_calculus", "member_inputs",
    "asymmetry", "Scenario", "scenario", "scenario_names", "DRIVERS", "DRIVER_NAMES",
    "MECHANISM_DRIVER", "DEPTH", "UnknownScenarioError",
]


# ------------------------------------------------------------- kept names (thin adapters)
def scenario(name: str) -> Scenario:
    """A named scenario; the same as `alliancekit.scenarios.scenario` (kept for lessons 05, 07).

    Parameters
    ----------
    name : str
        One of `scenario_names`.

    Returns
    -------
    Scenario
    """
    from . import scenarios

    return scenarios.scenario(name)


def scenario_names() -> list[str]:
    """The scenario names; the same as `alliancekit.scenarios.scenario_names` (kept here).

    Returns
    -------
    list of str
    """
    from . import scenarios

    return scenarios.scenario_names()


def _scenario_arrays(scenario: str | Scenario) -> tuple:
    """The arrays of a Scenario (pure), or of a named one (loaded by `alliancekit.scenarios`)."""
    if isinstance(scenario, Scenario):
        return scenario_arrays(scenario)
    from . import scenarios

    return scenarios.scenario_arrays_named(scenario)


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
            value = vd.number(name, getattr(self, name), lo, hi, lo_open=lo_open,
                              meaning=meaning)
            object.__setattr__(self, name, value)
        object.__setattr__(self, "k_years", vd.integer("k_years", self.k_years, 1))
        object.__setattr__(self, "shock_years", vd.integer("shock_years", self.shock_years, 1))
        if self.alpha + self.gamma > 1 + 1e-12:
            raise ValueError(f"alpha + gamma must be <= 1 (so a year cannot remove more cohesion "
                             f"than there is); got alpha={self.alpha}, gamma={self.gamma}")
        betas = dict(_BETA_DEFAULT)
        vd.mapping("betas", self.betas, empty=True)
        for name, value in self.betas.items():
            vd.choice("betas key (a driver)", name, DRIVERS)
            betas[name] = vd.number(f"betas[{name!r}]", value, 0, 20)
        object.__setattr__(self, "betas", betas)

    def beta_vector(self):
        """Signed weights in `DRIVERS` order (+ for holding drivers, − for eroding ones)."""
        return np.array([self.betas[d] * (1 if d in HOLDING else -1) for d in DRIVERS])


_PARAM_FIELDS = tuple(f.name for f in fields(CohesionParams))


def parameter_ranges() -> dict[str, tuple[float, float, float | None, str]]:
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
        out[name] = (0.0, 1.0, None, DRIVER_NAMES[name])
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


def _as_params(params, overrides):
    if params is None:
        params = CohesionParams()
    elif not isinstance(params, CohesionParams):
        raise TypeError(f"params must be a CohesionParams or None; got {vd.show(params)}")
    if overrides:
        return replace(params, **overrides)
    return params


def _driver_matrix(drivers, n_years):
    """(years, 8) float array from a mapping driver -> scalar or per-year array."""
    out = np.zeros((n_years, len(DRIVERS)))
    if drivers is None:
        return out
    if not isinstance(drivers, Mapping):
        raise TypeError("drivers must be a mapping from driver name (T, A, I, R, S, L, H, X) to a "
                        f"value or a per-year array; got {vd.show(drivers)}")
    for name, value in drivers.items():
        vd.choice("drivers key (a driver)", name, DRIVERS)
        arr = vd.array(f"drivers[{name!r}]", value, 0, 1, min_size=1,
                       meaning=DRIVER_NAMES[name])
        if arr.ndim > 1 or (arr.ndim == 1 and arr.size != n_years):
            raise ValueError(f"drivers[{name!r}] must be a number or have one value per year "
                             f"({n_years}); got shape {arr.shape}")
        out[:, DRIVERS.index(name)] = arr
    return out


_DTYPE = np.float32        # single precision: ample for shares in [0, 1], and twice as fast
_SQRT12 = math.sqrt(12.0)
_BLOCK_VALUES = 1 << 16   # years x runs per block of noise and alpha C*: 256 kB in float32
try:   # the clip ufunc itself: np.clip's Python wrapper costs more than the clipping here
    from numpy._core.umath import clip as _clip
except ImportError:  # pragma: no cover - other numpy layouts
    _clip = np.clip


def _integrate(z, x_driver, pulse, p, runs, rng, c0, d0, p0):
    """The time loop. z: (T,) index without run offsets; returns arrays of shape (T, N).

    About a dozen in-place numpy operations on N (or 3 x N) numbers per year. The terms that do
    not depend on the state (alpha C*_t and the noise) are made a block of years at a time in a
    small scratch array, and dissolution is computed in place in its output: apart from the
    outputs, a call allocates little, because fresh memory (page faults) cost more here than the
    arithmetic. Each operation, and its order, is that of the equations in the module docstring.
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
        alpha_, minus_gamma, delta_, lam_ = alpha, -gamma, delta, lam
    else:
        alpha, gamma, delta, eta, rho, lam = (float(r[0]) for r in rates)
        # the loop's factors as float32 scalars (a Python float would be converted on every call)
        alpha_, minus_gamma, delta_, lam_ = (_DTYPE(v) for v in (alpha, -gamma, delta, lam))
    # each driver off by N(0, driver_sd) shifts the index by sum_k beta_k e_k, which is
    # N(0, driver_sd^2 sum_k beta_k^2): one draw per run gives exactly that distribution
    scale = p.driver_sd * float(np.sqrt((p.beta_vector() ** 2).sum()))
    offset = driver_rng.standard_normal(runs) * scale if scale > 0 else np.zeros(runs)
    # C*_t = 1 / (1 + exp(-z_t) exp(-offset_n)), an outer product: one exp per year and run
    exp_z, exp_offset = np.exp(-z).astype(_DTYPE), np.exp(-offset).astype(_DTYPE)
    target = np.empty((n_years, runs), dtype=_DTYPE)

    keep_c = 1.0 - alpha                                      # 1 - alpha, scalar or (N,)
    keep_d = 1.0 - rho
    keep_p = 1.0 - lam
    # doubt inflow from shocks: eta dX_t + Z_t, (T,) or (T, N)
    inflow = (np.multiply.outer(x_driver, eta) + pulse[:, None] if np.ndim(eta)
              else eta * x_driver + pulse).astype(_DTYPE)
    use_inflow = np.any(inflow != 0, axis=-1).tolist() if inflow.ndim == 2 \
        else (inflow != 0).tolist()

    # noise_t = (u_t - 1/2) sqrt(12) sigma_C with u_t uniform on [0, 1): mean 0, sd sigma_C;
    # u_t sqrt(12) sigma_C goes into the increment, -sqrt(3) sigma_C is added after it. The u_t
    # are drawn for every year (year 0's unused) in order.
    width = _DTYPE(p.noise * _SQRT12)
    minus_half = -(width / 2)
    # C*_t, alpha C*_t and the noise are made a block of years at a time, while it is in cache
    block = max(1, min(n_years, _BLOCK_VALUES // runs))
    pull = np.empty((block, runs), dtype=_DTYPE)              # alpha C*_t for a block of years
    noise = np.empty((block, runs), dtype=_DTYPE) if p.noise > 0 else None

    def fill(first):
        rows = min(block, n_years - first)
        years = slice(first, first + rows)
        np.multiply.outer(exp_z[years], exp_offset, out=target[years])
        target[years] += 1.0
        np.reciprocal(target[years], out=target[years])
        np.multiply(target[years], alpha_, out=pull[:rows])
        if noise is not None:
            noise_rng.random(out=noise[:rows], dtype=_DTYPE)
            noise[:rows] *= width

    fill(0)

    # The state (C, D, P) of year t is out[t], one (3, N) block, so that the updates shared by
    # all three (decay, adding the increments, clipping) are one numpy call each.
    out = np.empty((n_years, 3, runs), dtype=_DTYPE)
    out[0, 0] = target[0] if c0 is None else c0
    out[0, 1] = d0
    out[0, 2] = out[0, 0] if p0 is None else p0
    keep = np.empty((3, runs), dtype=_DTYPE)    # full rows: a broadcast (3, 1) is 3x slower
    keep[0], keep[1], keep[2] = keep_c, keep_d, keep_p
    add = np.empty((3, runs), dtype=_DTYPE)
    add_c, add_d, add_p = add[0], add[1], add[2]
    theta, zero, one, inf = _DTYPE(p.theta), _DTYPE(0.0), _DTYPE(1.0), _DTYPE(np.inf)
    scale_d = np.ndim(delta_) > 0 or delta_ != 1
    for t in range(1, n_years):
        row = t % block
        if row == 0:
            fill(t)
        last, state = out[t - 1], out[t]
        c, d = last[0], last[1]
        # increments from last year's state:
        # C: alpha C*_t - gamma D C + noise_t      D: delta max(0, theta - C)      P: lambda C
        np.multiply(d, c, out=add_c)
        add_c *= minus_gamma
        add_c += pull[row]
        if noise is not None:
            add_c += noise[row]
        np.subtract(theta, c, out=add_d)
        _clip(add_d, zero, inf, out=add_d)                    # max(0, theta - C)
        if scale_d:                                           # (x * 1.0 is x: skipped)
            add_d *= delta_
        np.multiply(c, lam_, out=add_p)
        # (C, D, P) <- (1 - alpha, 1 - rho, 1 - lambda) (C, D, P) + increments (-sqrt(3) sigma_C
        # to C, eta dX_t + Z_t to D), clipped to [0, 1]
        np.multiply(last, keep, out=state)
        state += add
        if minus_half != 0:
            state[0] += minus_half
        if use_inflow[t]:
            state[1] += inflow[t]
        _clip(state, zero, one, out=state)
    cohesion, doubt, professed = out[:, 0], out[:, 1], out[:, 2]

    # dissolved from the first year that ends k consecutive years below C_min (absorbing):
    # below C_min, then (latest year first, so earlier rows are still "below") k years running,
    # then carried forward
    dissolved = cohesion < p.c_min
    for t in range(n_years - 1, p.k_years - 2, -1):
        for j in range(1, p.k_years):
            dissolved[t] &= dissolved[t - j]
    dissolved[:p.k_years - 1] = False
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
        vd.array("shock size", size, 0, 1)
        start = int(year) - first
        if start < 0 or start >= len(years):
            continue
        if driver == "doubt":
            pulse[start] += size
        elif driver in DRIVERS:
            bump[start:start + params.shock_years, DRIVERS.index(driver)] += size
        else:
            raise vd.unknown("shock driver", driver, (*DRIVERS, "doubt"))
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
    if isinstance(shocks, (str, bytes, Mapping)) or not hasattr(shocks, "__iter__"):
        raise TypeError("shocks must be a DataFrame, a list of (year, driver[, size]) tuples or "
                        f"False; got {vd.show(shocks)}")
    rows = []
    for item in shocks:
        if not isinstance(item, tuple) or len(item) not in (2, 3):
            raise TypeError("each of shocks must be a tuple (year, driver) or (year, driver, "
                            f"size); got {item!r}")
        rows.append((vd.integer("shock year", item[0]), item[1],
                     item[2] if len(item) == 3 else None))
    return rows


def simulate_paths(scenario: str | Scenario | None = None, *,
                   drivers: Mapping[str, ArrayLike] | None = None,
                   years: Iterable[int] | None = None, shocks: ShockSpec = None,
                   runs: int = 200, seed: int | np.random.Generator | None = None,
                   params: CohesionParams | None = None,
                   initial: Mapping[str, float] | None = None, **overrides: float) -> Paths:
    """Run an ensemble of the cohesion dynamics; return arrays of shape (runs, years).

    Same arguments as `simulate`; use this when you want arrays rather than a tidy frame.

    Returns
    -------
    Paths
        years (n_years,), and target, cohesion, doubt, professed, dissolved (runs, n_years).
    """
    runs = vd.integer("runs", runs, 1, 1_000_000)
    driver_over = {k: overrides.pop(k) for k in list(overrides) if k in DRIVERS}
    for name in overrides:
        vd.choice("parameter", name, (*_PARAM_FIELDS, *DRIVERS))
    p = _as_params(params, overrides)
    rng = vd.generator(seed)

    if scenario is not None:
        all_years, base, scen_shocks = _scenario_arrays(scenario)
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
        base[:, DRIVERS.index(name)] = vd.number(name, value, 0, 1, meaning=DRIVER_NAMES[name])

    bump, pulse = _shock_arrays(_normalise_shocks(shocks), all_years, p)
    drv = np.minimum(base + bump, 1.0)
    z = p.beta0 + drv @ p.beta_vector()
    c0 = d0 = p0 = None
    if initial is not None:
        vd.mapping("initial", initial)
        for key in initial:
            vd.choice("initial key", key, ("cohesion", "doubt", "professed"))
        c0 = initial.get("cohesion")
        d0 = initial.get("doubt", 0.0)
        p0 = initial.get("professed")
        for name, v in (("initial cohesion", c0), ("initial doubt", d0),
                        ("initial professed", p0)):
            if v is not None:
                vd.array(name, v, 0, 1)
    d0 = 0.0 if d0 is None else d0
    ix = DRIVERS.index("X")
    x_shock = drv[:, ix] - base[:, ix]           # the rise of X above its baseline (dated shocks)
    target, c, d, pr, dis = _integrate(z, x_shock, pulse, p, runs, rng, c0, d0, p0)
    return Paths(years=np.asarray(all_years), target=target.T, cohesion=c.T, doubt=d.T,
                 professed=pr.T, dissolved=dis.T)


def _year_range(years):
    if isinstance(years, numbers.Number):
        raise TypeError(f"years must be consecutive whole years, e.g. range(1920, 1939); got "
                        f"{vd.show(years)}")
    if isinstance(years, range) and years.step == 1 and 1 <= years.start < years.stop <= 10_000:
        yrs = np.arange(years.start, years.stop)      # already whole years in range: no checks
    else:
        yrs = np.asarray(vd.years("years", years, 1, 9999))
    if yrs.size < 2 or np.any(np.diff(yrs) != 1):
        raise ValueError("years must be at least two consecutive whole years, e.g. "
                         f"range(1920, 1939); got {years!r}")
    return yrs


def simulate(scenario: str | Scenario | None = None, *,
             drivers: Mapping[str, ArrayLike] | None = None,
             years: Iterable[int] | None = None, shocks: ShockSpec = None,
             runs: int = 200, seed: int | np.random.Generator | None = None,
             params: CohesionParams | None = None,
             initial: Mapping[str, float] | None = None, **overrides: float) -> pd.DataFrame:
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
    Owusu & Bruce-Ghartey (2026); Snyder (1997); docs/model.md, section 2.

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


def fan(frame: pd.DataFrame, quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95),
        column: str = "cohesion") -> pd.DataFrame:
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
    vd.choice("column", column, ("target", "cohesion", "doubt", "professed", "gap"))
    vd.frame("frame (from simulate)", frame, ["run", "year", column])
    qs = vd.array("quantiles", quantiles, 0, 1, ndim=1, min_size=1)
    years, values = _by_year(frame, column)
    out = pd.DataFrame({"year": years, "mean": values.mean(axis=1)})
    for q, row in zip(qs, np.quantile(values, qs, axis=1), strict=True):
        out[f"q{q * 100:g}"] = row
    return out


def dissolution_probability(frame: pd.DataFrame) -> pd.DataFrame:
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
    vd.frame("frame (from simulate)", frame, ["run", "year", "dissolved"])
    years, values = _by_year(frame, "dissolved")
    counted = ~np.isnan(values)
    share = np.where(counted, values, 0).sum(axis=1) / counted.sum(axis=1)
    return pd.DataFrame({"year": years, "probability": share.astype(float),
                         "runs": counted.sum(axis=1)})
