"""Execute a notebook headless with a fresh kernel, as the lesson tests and benchmarks do.

``tests/conftest.py`` patches nbclient's message polling for jupyter/nbclient#312 (widget notebooks
that stall until the cell timeout); import this module from pytest, or call `patch_nbclient` first
when running it elsewhere (the benchmarks do).
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from alliancekit._env import put_on_path

#: Seconds a single cell may run before the run fails (keeps a stalled cell bounded and visible).
CELL_TIMEOUT = 60
KERNEL = "python3"


def _environment() -> None:
    """Kernels come from this interpreter's environment, whatever PATH the caller had."""
    put_on_path()


def run_notebook(path, timeout: int = CELL_TIMEOUT, kernel_name: str = KERNEL,
                 allow_errors: bool = False) -> nbformat.NotebookNode:
    """Execute a notebook top to bottom in a fresh kernel; return the executed copy.

    The kernel's working directory is the notebook's folder, so relative paths in lessons work as
    they do in JupyterLab. The file on disk is not changed.

    Parameters
    ----------
    path : str or Path
        The ``.ipynb`` file.
    timeout : int
        Seconds allowed per cell (> 0).
    kernel_name : str
        Jupyter kernel to start.
    allow_errors : bool
        If False (default), the first cell that raises stops the run with
        ``nbclient.exceptions.CellExecutionError`` naming the cell and the error.

    Returns
    -------
    nbformat.NotebookNode
        The notebook with outputs.

    Raises
    ------
    ValueError
        If ``timeout`` is not a positive number.
    FileNotFoundError
        If ``path`` does not exist.
    nbclient.exceptions.CellExecutionError, nbclient.exceptions.CellTimeoutError
        On the first failing or timed-out cell.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds; got {timeout!r}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {path}")
    _environment()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name=kernel_name, allow_errors=allow_errors,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    client.execute()
    return nb


def run_source(cells, cwd=".", timeout: int = CELL_TIMEOUT,
               kernel_name: str = KERNEL) -> nbformat.NotebookNode:
    """Execute a throw-away notebook made of the given code cells (e.g. a benchmark baseline).

    Parameters
    ----------
    cells : list of str
        Source of each code cell.
    cwd : str or Path
        Kernel working directory.

    Returns
    -------
    nbformat.NotebookNode
    """
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    _environment()
    NotebookClient(nb, timeout=timeout, kernel_name=kernel_name,
                   resources={"metadata": {"path": str(Path(cwd).resolve())}}).execute()
    return nb


def patch_nbclient() -> None:
    """Apply the conftest's jupyter/nbclient#312 work-around outside pytest (benchmarks)."""
    root = Path(__file__).resolve().parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    import conftest  # noqa: F401  (patches on import)
