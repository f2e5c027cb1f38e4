"""Figures published by others that several modules compare with: one home for each.

Pure constants with their sources; nothing here reads the case data.

References
----------
Leeds, B. A., Long, A. G., & Mitchell, S. M. (2000). Reevaluating alliance reliability: specific
threats, specific promises. *Journal of Conflict Resolution*, 44(5), 686-699.
"""
from __future__ import annotations

__all__ = ["LLM_PUBLISHED_RATE"]

#: Leeds, Long & Mitchell's (2000) published honour rate, as a share: their abstract says
#: "alliances are reliable 74.5% of the time" (wars 1816-1944). The one place the figure is kept;
#: `alliancekit.fulfilment` and `alliancekit.strategies` (``LLM_HONOURED``) take it from here.
#: (`alliancekit.calculus.RELIABILITY`, 0.75, is a model default rounded from it, not a copy.)
LLM_PUBLISHED_RATE = 0.745
