"""alliancekit: sourced case data and small teaching models for a course on why alliances end.

The package is imported by every lesson, so importing it is kept cheap: submodules (and the
heavy libraries they need, such as pandas and altair) load only when first used::

    import alliancekit as ak
    ak.cases.members("triple_alliance", "1900-01-01")   # loads pandas and the data now

Modules, in the order data flows (each imports only modules above it)
----------------------------------------------------------------------
termination how ATOP alliances ended: one label per ATOP termmode code (a codebook, no data)
published   figures published by others (Leeds, Long & Mitchell's 74.5 %): one home each
cases       the case data (alliances, members, events, capabilities, sources); the only reader
            of files
chronology  the course-wide timeline: every dated event of the case data
maps        schematic maps: capitals and alliance ties on a given day
summaries   membership over time and power by side, from the case data
survival    how long alliances last: Kaplan-Meier estimates with censoring, competing risks
networks    signed networks and structural balance (pure: graphs in, results out)
landscape   Axelrod & Bennett's landscape theory (pure: arrays in, results out)
europe      the great powers' case data, 1872-1918, as inputs to networks and landscape
europe1936  lesson 10: the pre-registered 1936 landscape (Axelrod & Bennett 1993)
calculus    the member calculus: stay or leave? (pure: arrays in, results out)
calculus_cases  the member calculus of real members, from the coded inputs and CINC scores
drivers     the cohesion model's drivers, power asymmetry and the Scenario it runs (pure)
scenarios   the coded drivers and shocks of the named cohesion scenarios, from the case data
cohesion    the cohesion dynamics (pure; it keeps the calculus and scenario names lessons call)
sensitivity where the cohesion model's inputs come from, and how much its answer hangs on each
outside_options  a member's outside option coded another way, beside the coded one
strategies  small-state portfolios: hedging, diversification, autonomy (pure)
svgtext     titles and descriptions written into a chart's SVG (for screen readers)
render      the chart theme, the offline renderer, descriptions and data tables
model_charts  chart builders for model output (margins, fans, portfolios, sensitivity)
charts      chart builders for the case data (survival, membership, power, networks); also
            reachable: every model_charts builder
coursecharts  chart builders for the course's own pages: the timeline and the schematic maps
explorer    the Explorer machinery: controls wired to one model call and one chart
widgets     the explorers used by the lessons
checks      self-checks for learners without an instructor
grading     the grading wing for instructors: ``alliancekit-grade`` (``grading``), the sandbox
            each submission's kernel runs in (``grading.sandbox``, ``grading._jail``), the
            trusted judge that runs the tests (``grading.judging``, ``grading.judge``,
            ``grading.plaindata``), feedback pages without hidden tests (``grading.feedback``)
            and item analysis (``grading.itemanalysis``)
studentview   the Jupyter server extension that serves students their working copy
abrogation  lesson 09: why alliances are abrogated (Leeds & Savun 2007), a Cox model
fulfilment  lessons 06 and 09: honour rates under two codings of the same wars
replication_charts  lessons 09 and 10: chart builders
display     pandas tables in a notebook: inside a region a keyboard can scroll

Private helpers: ``_validate`` (argument checks and their errors), ``_bipartition`` (two-bloc
splits shared by networks and landscape), ``_geometry`` (clipping the maps' land outline).
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "termination", "published", "cases", "chronology", "maps", "summaries", "survival", "networks",
    "landscape", "europe", "europe1936", "abrogation", "fulfilment", "calculus", "calculus_cases",
    "drivers", "scenarios",
    "cohesion", "sensitivity", "outside_options", "strategies", "render", "model_charts",
    "replication_charts", "charts", "coursecharts", "liveview", "explorer", "replication_explorers",
    "widgets", "checks", "grading", "studentview", "svgtext", "display", "variants",
)
_REEXPORTS = {"cite": "cases", "data_versions": "cases"}

__all__ = [*_SUBMODULES, *_REEXPORTS, "__version__"]


def _register_display() -> None:
    """In IPython, show pandas tables in a keyboard-scrollable region (see `display`)."""
    import sys

    if "IPython" in sys.modules:
        importlib.import_module(f"{__name__}.display").register()


_register_display()


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _REEXPORTS:
        module = importlib.import_module(f"{__name__}.{_REEXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'alliancekit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
