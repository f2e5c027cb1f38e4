"""The last step inside a grading sandbox: drop privileges, set resource limits, run the command.

`alliancekit.grading.sandbox` runs this file inside the bubblewrap sandbox, with ``python -I -S``
so that it needs nothing but the standard library. For a student's kernel (the defaults of
`alliancekit.grading.sandbox.Limits`; ``--uid`` only when grading as root)::

    python -I -S _jail.py --uid 61234 --nproc 64 --data 2147483648 --fsize 67108864 \\
        --nofile 512 --cpu 605 -- python -m ipykernel_launcher -f <box>/conn/kernel.json

and for the judges' parent the command after ``--`` is
``python -m alliancekit.grading.judgeserver`` (`alliancekit.grading.judging.JudgeServer`).

Options (all optional, each a whole number):

``--uid``     switch to this uid and gid (used when grading as root, where ``RLIMIT_NPROC`` is
              ignored; bubblewrap grants only the capabilities needed to switch);
``--nproc``   processes and threads the submission may have at once (``RLIMIT_NPROC``);
``--data``    writable memory in bytes (``RLIMIT_DATA``: heap and private mappings), i.e. the
              memory limit (not ``RLIMIT_AS``, which counts address space merely reserved);
``--fsize``   largest file in bytes the submission may write (``RLIMIT_FSIZE``);
``--nofile``  open files (``RLIMIT_NOFILE``);
``--cpu``     CPU seconds (``RLIMIT_CPU``), a backstop to the grader's wall-clock limit.

POSIX message queues are refused (``RLIMIT_MSGQUEUE`` 0). Limits are set as both soft and hard
limits, so the submission cannot raise them again, and ``PR_SET_NO_NEW_PRIVS`` is set so that
no set-uid program can give privileges back.
"""
import os
import resource
import sys

_LIMITS = {
    "--nproc": resource.RLIMIT_NPROC,
    "--data": resource.RLIMIT_DATA,
    "--fsize": resource.RLIMIT_FSIZE,
    "--nofile": resource.RLIMIT_NOFILE,
    "--cpu": resource.RLIMIT_CPU,
}


def _no_new_privileges() -> None:
    import ctypes

    pr_set_no_new_privs = 38
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")


def main(argv: list) -> None:
    if "--" not in argv:
        sys.exit("_jail.py: usage: _jail.py [--uid N] [--nproc N] ... -- COMMAND ...")
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1:]
    if len(options) % 2 or not command:
        sys.exit("_jail.py: every option needs a whole-number value, and a command must follow --")
    values = dict(zip(options[::2], (int(v) for v in options[1::2]), strict=True))
    unknown = set(values) - set(_LIMITS) - {"--uid"}
    if unknown:
        sys.exit(f"_jail.py: unknown options {sorted(unknown)}")
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # no POSIX message queue: it would outlive its maker in the IPC namespace, which the kernels
    # forked from one parent share (kernelserver.py clears System V objects; these it cannot see)
    resource.setrlimit(resource.RLIMIT_MSGQUEUE, (0, 0))
    for flag, limit in _LIMITS.items():
        if flag in values:
            resource.setrlimit(limit, (values[flag], values[flag]))
    _no_new_privileges()
    if "--uid" in values:
        uid = values["--uid"]
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        if os.getuid() != uid or os.geteuid() != uid:
            sys.exit("_jail.py: could not switch to the grading uid")
    os.umask(0o077)
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
