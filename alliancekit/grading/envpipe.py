"""A sandbox's environment handed to bubblewrap through a pipe, never on a command line.

Any local user can read every process's command line (``ps``, ``/proc/<pid>/cmdline``), so a
student's variant key given as ``bwrap --setenv ALLIANCEKIT_VARIANT_KEY <key>`` would be seen by
every classmate logged in to the same machine. `env_pipe` writes the ``--setenv`` arguments to a
pipe instead, whose read end bubblewrap reads with ``--args FD``. Inside the sandbox the variables
are in the environment of the sandbox's own processes, which ``/proc/<pid>/environ`` (mode 0400)
shows only to their owner and to root.
"""
from __future__ import annotations

import os

__all__ = ["env_pipe", "PIPE_BYTES"]

#: The most bytes written to the pipe: less than a pipe's buffer, so writing never blocks.
PIPE_BYTES = 60_000


def env_pipe(env: dict[str, str]) -> int:
    """The read end of a pipe holding ``--setenv NAME VALUE`` for each variable, for ``--args``.

    Parameters
    ----------
    env : dict of str to str
        The sandbox's environment variables.

    Returns
    -------
    int
        A file descriptor (the caller passes it to bubblewrap and closes it after the start).

    Raises
    ------
    ValueError
        If a name or value holds a NUL byte, a name is empty or holds ``=``, or the whole is
        over `PIPE_BYTES`.
    """
    parts = []
    for name, value in env.items():
        if not name or "=" in name or "\0" in name or "\0" in value:
            raise ValueError(f"env: {name!r} cannot be a sandbox's environment variable "
                             "(no NUL byte anywhere, no '=' or empty name)")
        parts += ["--setenv", name, value]
    data = b"".join(p.encode("utf-8") + b"\0" for p in parts)
    if len(data) > PIPE_BYTES:
        raise ValueError(f"env: {len(data)} bytes of environment; at most {PIPE_BYTES} allowed")
    read, write = os.pipe()
    try:
        os.write(write, data)
    finally:
        os.close(write)
    return read
