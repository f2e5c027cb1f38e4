"""Which answer names a test cell reads, found from its source (hidden tests included).

The judge asks the student's kernel only for these names. A name counts when the test reads it
and does not bind it itself (by assignment, ``def``, ``for``, ``import``, ``with ... as``, a
comprehension or an ``except ... as``), and it is neither a builtin nor a name the read-only set-up
cells define (those the judge rebuilds itself). When a test reads ``globals()``, string constants
that look like names are counted too, because such a test looks answers up by name
(``globals()["p_base"]``).

Only names cross into the student's sandbox, never the test's text.
"""
from __future__ import annotations

import ast
import builtins

__all__ = ["answer_names", "bound_names"]


def bound_names(source: str) -> set[str]:
    """Names that running ``source`` binds at its top level (what a set-up cell defines).

    Parameters
    ----------
    source : str
        Python source of a cell.

    Returns
    -------
    set of str
        Assigned, defined and imported names, anywhere in the cell (over-counting is harmless).
    """
    tree = ast.parse(source)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            found.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                found.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            found.add(node.name)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            found.update(node.names)
        elif isinstance(node, ast.MatchAs) and node.name:
            found.add(node.name)
    return found


def answer_names(source: str, known: set[str] | frozenset = frozenset()) -> list[str]:
    """The names a test cell reads that only the student's namespace can supply.

    Parameters
    ----------
    source : str
        The test cell's full source, hidden tests included.
    known : set of str, optional
        Names the judge defines itself (those of the read-only set-up cells).

    Returns
    -------
    list of str
        Sorted names to ask the student's kernel for.

    Raises
    ------
    SyntaxError
        If the test cell is not valid Python.
    """
    tree = ast.parse(source)
    read: set[str] = set()
    uses_globals = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            read.add(node.id)
            uses_globals = uses_globals or node.id in ("globals", "locals", "vars")
    if uses_globals:
        read |= {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                 and isinstance(node.value, str) and node.value.isidentifier()}
    skip = bound_names(source) | set(known) | set(vars(builtins))
    return sorted(read - skip)
