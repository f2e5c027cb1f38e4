"""A user's Jupyter server on the class hub, started with less work (issue 24).

``python -m alliancekit._singleuser [arguments]`` is ``jupyterhub-singleuser [arguments]``, except
that two optional imports that the server makes at start-up, and almost never uses, are made on
first use instead:

- ``rfc3987_syntax``: jsonschema (imported by jupyter_events when the server starts) builds this
  package's grammar for the "iri" string format at import. That was the largest single part of a
  server's start here (about 1 s of CPU out of 3-4 s). The server's event schemas use no "iri"
  format, so the grammar is built only if something checks one.
- ``setuptools.archive_util``: nbgrader's utilities import it, and with it all of setuptools, for
  unpacking archives, which only the instructor's ``nbgrader zip_collect`` does.

Each is replaced in ``sys.modules`` by a stand-in whose functions import the real module and call
it: the first call (or any other attribute of the module) loads the real one, which then takes
its place, so behaviour is unchanged and only the cost moves. A module that is already imported
is left alone. ``hub/jupyterhub_config.py`` starts every user's server this way.
"""
from __future__ import annotations

import importlib
import sys
import types

#: Module -> the names other modules import from it by ``from module import name``.
DEFERRED = {
    "rfc3987_syntax": ("is_valid_syntax",),
    "setuptools.archive_util": ("unpack_archive", "unpack_tarfile", "unpack_zipfile"),
}


class _StandIn(types.ModuleType):
    """Holds a module's place until one of its names is used."""

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(_real(self.__name__), attr)


def _real(name: str) -> types.ModuleType:
    """The real module ``name``, imported now if only its stand-in is there."""
    if isinstance(sys.modules.get(name), _StandIn):
        del sys.modules[name]
    return importlib.import_module(name)


def _forwarder(module: str, name: str):
    def forward(*args, **kwargs):
        return getattr(_real(module), name)(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = name
    forward.__doc__ = f"{module}.{name}, imported on first call."
    return forward


def defer(module: str, names: tuple[str, ...]) -> bool:
    """Put a stand-in for ``module`` in ``sys.modules`` until one of its names is used.

    Parameters
    ----------
    module : str
        A module's full dotted name, e.g. ``"rfc3987_syntax"``.
    names : tuple of str
        Functions that other modules import from it with ``from module import name``; each is
        a stand-in function that imports the real module on its first call.

    Returns
    -------
    bool
        True if a stand-in was put in place; False if the module was already imported (it is
        then left alone).
    """
    if module in sys.modules:
        return False
    stand_in = _StandIn(module)
    stand_in.__doc__ = f"Stand-in for {module}, imported on first use (alliancekit._singleuser)."
    for name in names:
        setattr(stand_in, name, _forwarder(module, name))
    sys.modules[module] = stand_in
    return True


def main() -> int:
    """Defer the imports listed in `DEFERRED`, then run jupyterhub-singleuser."""
    for module, names in DEFERRED.items():
        defer(module, names)
    from jupyterhub.singleuser import main as singleuser

    sys.argv[0] = "jupyterhub-singleuser"
    return singleuser() or 0


if __name__ == "__main__":
    sys.exit(main())
