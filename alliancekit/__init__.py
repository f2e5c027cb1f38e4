"""alliancekit: sourced case data and small teaching models for a course on why alliances end.

The package is imported by every lesson, so importing it is kept cheap: submodules (and the
heavy libraries they need, such as pandas and altair) load only when first used::

    import alliancekit as ak
    ak.cases.members("triple_alliance", "1900-01-01")   # loads pandas and the data now

Modules
-------
cases       the case data (alliances, members, events, capabilities, sources)
survival    how long alliances last: Kaplan-Meier estimates with censoring, competing risks
termination how ATOP alliances ended: one label per ATOP termmode code
cohesion    member calculus and cohesion dynamics
outside_options  a member's outside option coded another way, beside the coded one
sensitivity where the cohesion model's inputs come from, and how much its answer hangs on each
networks    signed alliance networks and structural balance
landscape   Axelrod & Bennett's landscape theory
strategies  small-state portfolios: hedging, diversification, autonomy
charts      altair chart builders with one colour-blind-safe theme (sets the offline renderer)
widgets     the ipywidgets explorers used by the lessons
checks      self-checks for learners without an instructor
grading     a robust nbgrader autograding command for instructors
abrogation  lesson 09: why alliances are abrogated (Leeds & Savun 2007), a Cox model
fulfilment  lesson 09: honour rates under two codings of the same wars
europe1936  lesson 09: the pre-registered 1936 landscape (Axelrod & Bennett 1993)
replication_charts  lesson 09's chart builders
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "cases", "survival", "cohesion", "networks", "landscape", "strategies", "charts", "widgets",
    "checks", "grading", "termination", "sensitivity", "outside_options",
    "abrogation", "fulfilment", "europe1936", "replication_charts",
)
_REEXPORTS = {"cite": "cases", "data_versions": "cases"}

__all__ = [*_SUBMODULES, *_REEXPORTS, "__version__"]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _REEXPORTS:
        module = importlib.import_module(f"{__name__}.{_REEXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'alliancekit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
