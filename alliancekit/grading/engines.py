"""One SQLAlchemy engine per gradebook for the life of a grading process.

nbgrader opens its gradebook (``nbgrader.api.Gradebook``) about a dozen times for each submission
it autogrades (the autograde converter, its preprocessors, the API's score reads), and each opening
makes a new SQLAlchemy engine. An engine keeps a cache of the SQL it has compiled, so every opening
started from an empty cache and compiled the same queries again, and set up a new connection pool.

`shared_engines` hands every opening in its block the engine already made for that database URL,
from a dictionary the grading process keeps (``_Worker.engines`` in `alliancekit.grading`), so
the compiled SQL is reused across openings and submissions. ``Gradebook.close`` still disposes of
the engine's pool as it always did; the next opening simply connects again. nbgrader's own
factory is put back when the block ends, also on error: the swap lasts only while a grading
process autogrades one submission.

Measured on ex02-patterns, 8 submissions graded by one process, quiet 2-core machine, twice
each way: 3.01 and 3.26 s per submission without, 2.42 and 2.50 s with (the grading process's
own CPU 0.73-0.80 s and 0.47-0.49 s); the scores were the same.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["shared_engines"]


@contextmanager
def shared_engines(engines: dict) -> Iterator[None]:
    """Within the block, every gradebook nbgrader opens reuses one engine per database URL.

    Parameters
    ----------
    engines : dict
        The grading process's engines, by (URL, options); filled here as gradebooks are opened
        and kept by the caller for its next block.

    Examples
    --------
    >>> import nbgrader.api
    >>> factory = nbgrader.api.create_engine
    >>> engines = {}
    >>> with shared_engines(engines):
    ...     first = nbgrader.api.create_engine("sqlite://", future=True)
    ...     again = nbgrader.api.create_engine("sqlite://", future=True)
    >>> first is again, len(engines), nbgrader.api.create_engine is factory
    (True, 1, True)
    """
    import nbgrader.api as gradebook_module

    made_by_nbgrader = gradebook_module.create_engine

    def one_engine_per_url(url, *args, **kwargs):
        key = (str(url), args, tuple(sorted(kwargs.items())))
        if key not in engines:
            engines[key] = made_by_nbgrader(url, *args, **kwargs)
        return engines[key]

    gradebook_module.create_engine = one_engine_per_url
    try:
        yield
    finally:
        gradebook_module.create_engine = made_by_nbgrader
