"""``alliancekit-grade collect SET``: check the inbound folders, then collect with nbgrader.

Plain ``nbgrader collect`` copies each student's latest inbound folder with ``shutil.copytree``,
which follows symbolic links with the instructor's rights: a link in a student's folder pointing at
the gradebook or ``solutions/`` brings that file into ``submitted/``, where the student's own
notebook can read it while it is graded. Here, before nbgrader's collect (its Python API) runs,
every inbound folder of the set is checked, and a student whose folder carries any of these is
refused, with a message saying why:

- a symbolic link anywhere in it (or the folder itself a link);
- a device, FIFO or socket;
- a file or folder owned by another Unix user, where the student's name is a Unix user;
- a file larger than ``max_file_mb``, more than ``max_files`` files, or files totalling more than
  ``max_total_mb`` (apparent sizes: a sparse file counts at the size its copies will have).

Only the offending folder is refused: a student whose newest folder was refused (a folder forged
under their id by a classmate, say) is collected from their newest folder that passes the checks.

The submission time is the one in the inbound folder's name (which nbgrader's collect already uses
to pick the latest submission), never the ``timestamp.txt`` inside it, which the student can
rewrite after submitting: a ``timestamp.txt`` that disagrees with the name is reported and replaced
in ``submitted/`` by the name's time, so a back-dated file dodges no late penalty. A folder changed
well after the time in its name (its entries' change times, which no user can set back) is
reported too, for the instructor to judge.

Files the released set does not have (by name) are reported and collected, but never reach the
grading sandbox (`alliancekit.grading.sandbox` shows only the set's own files). The copy itself is
done by `SafeCollect`, nbgrader's own collect with a copy that takes regular files only and never
follows a link, so that a folder changed between the check and the copy still cannot bring in a
link's target.
"""
from __future__ import annotations

import argparse
import datetime
import fnmatch
import os
import pwd
import stat
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect
from traitlets import Integer, List, Unicode

__all__ = ["Verdict", "check_folder", "released_files", "collect_set", "SafeCollect",
           "check_exchange_hidden", "main"]

MiB = 1024 ** 2
_NBGRADER_FILES = {"timestamp.txt"}


@dataclass(frozen=True)
class Verdict:
    """What the checks found in one student's inbound folders.

    Attributes
    ----------
    student : str
        The student id, as nbgrader reads it from the folder's name.
    problems : tuple of str
        Reasons to refuse the submission (links, special files, owners, sizes).
    unexpected : tuple of str
        Files the released set does not have; collected, but never shown to the grader's kernel.
    skipped : tuple of str
        Folders under the student's id refused while another of their folders is collected, each
        with its reasons.
    times : tuple of str
        What disagreed about the submission time (``timestamp.txt``, late changes): reported; the
        time in the folder's name is used.
    """

    student: str
    problems: tuple = field(default_factory=tuple)
    unexpected: tuple = field(default_factory=tuple)
    skipped: tuple = field(default_factory=tuple)
    times: tuple = field(default_factory=tuple)

    @property
    def refused(self) -> bool:
        """Whether the submission is refused (it has at least one problem)."""
        return bool(self.problems)


def released_files(course: Path, assignment: str, release: str = "release",
                   source: str = "source", ignore=()) -> set[str]:
    """Names of the files a set hands out: the top level of its released (or source) folder.

    Parameters
    ----------
    course : path
        The course root.
    assignment : str
        The set's name (e.g. ``ex01-theory``).
    release, source : str
        nbgrader's ``release_directory`` and ``source_directory`` (relative to the course root).
    ignore : sequence of str
        nbgrader's ``CourseDirectory.ignore`` patterns; from the source folder only notebooks
        count, since it may hold paired text files with the solutions.

    Returns
    -------
    set of str
        File names; empty when neither folder exists.
    """
    released = Path(course) / release / assignment
    if released.is_dir():
        return {p.name for p in released.iterdir() if p.is_file()
                and not any(fnmatch.fnmatch(p.name, pat) for pat in ignore)}
    folder = Path(course) / source / assignment
    if folder.is_dir():
        return {p.name for p in folder.glob("*.ipynb") if p.is_file()}
    return set()


def _uid_of(student: str) -> int | None:
    try:
        return pwd.getpwnam(student).pw_uid
    except KeyError:
        return None


def check_folder(folder: Path, student: str, expected: set[str], *, max_file_mb: float = 20,
                 max_files: int = 100, max_total_mb: float = 50, owners: bool = True) -> Verdict:
    """Check one inbound folder without following any link.

    Parameters
    ----------
    folder : path
        The inbound folder (``<student>+<set>+<timestamp>...``).
    student : str
        The student id the folder claims.
    expected : set of str
        The set's own file names (`released_files`).
    max_file_mb : float, default 20
        Largest file accepted, in MiB.
    max_files : int, default 100
        Most files accepted.
    max_total_mb : float, default 50
        Most bytes accepted for all files together, in MiB (apparent sizes, so a sparse file
        counts at the size nbgrader's copies of it into ``autograded/`` and ``feedback/`` take).
    owners : bool, default True
        Check that the files belong to the student's Unix user (inbound folders); False for
        ``submitted/``, whose files the instructor's collect copied and owns.

    Returns
    -------
    Verdict
    """
    problems: list[str] = []
    unexpected: list[str] = []
    uid = _uid_of(student) if owners else None
    top = Path(folder)
    info = os.lstat(top)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        return Verdict(student, (f"{top.name} is a link or not a folder",))
    files = total = 0
    for here, dirs, names in os.walk(top, followlinks=False):
        for name in sorted(dirs + names):
            path = Path(here) / name
            rel = path.relative_to(top).as_posix()
            info = os.lstat(path)
            mode = info.st_mode
            if stat.S_ISLNK(mode):
                problems.append(f"{rel} is a symbolic link (to {os.readlink(path)})")
                continue
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                problems.append(f"{rel} is a device, FIFO or socket, not a file")
                continue
            if uid is not None and info.st_uid != uid:
                problems.append(f"{rel} belongs to uid {info.st_uid}, not to {student}")
            if stat.S_ISREG(mode):
                files += 1
                total += info.st_size
                if info.st_size > max_file_mb * MiB:
                    problems.append(f"{rel} is {info.st_size / MiB:.0f} MiB, over the "
                                    f"{max_file_mb:g} MiB limit")
            if Path(rel).parent == Path(".") and stat.S_ISREG(mode):
                if name not in expected and name not in _NBGRADER_FILES:
                    unexpected.append(rel)
            elif Path(rel).parent != Path(".") or stat.S_ISDIR(mode):
                unexpected.append(rel)
    if files > max_files:
        problems.append(f"{files} files, over the limit of {max_files}")
    if total > max_total_mb * MiB:
        problems.append(f"its files total {total / MiB:.0f} MiB, over the limit of "
                        f"{max_total_mb:g} MiB")
    if uid is not None and info_owner(top) != uid:
        problems.insert(0, f"the folder belongs to uid {info_owner(top)}, not to {student}")
    return Verdict(student, tuple(dict.fromkeys(problems)), tuple(unexpected))


def check_submitted(course: Path, assignment: str, student: str) -> tuple[str, ...]:
    """Reasons not to grade ``submitted/<student>/<assignment>``, checked without following links.

    nbgrader's autograde copies a submission folder with the grader's rights and follows links,
    so a link there (to the gradebook, ``solutions/``, a classmate or ``/dev/zero``), a special
    file, a folder that is itself a link, or an oversized file would be read, copied into
    ``autograded/`` and ``feedback/``, or fill the disk, whatever the sandbox does later. Such a
    submission is not graded at all.

    Parameters
    ----------
    course : path
        The course root.
    assignment, student : str
        The set and the student id (folder names under ``submitted/``).

    Returns
    -------
    tuple of str
        The problems found; empty when the submission may be graded.
    """
    student_dir = Path(course) / "submitted" / student
    for path in (student_dir, student_dir / assignment):
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            return (f"{path.relative_to(course)} is a link or not a folder",)
    expected = released_files(Path(course), assignment)
    return check_folder(student_dir / assignment, student, expected, owners=False).problems


def shown(text: str, *, spreadsheet: bool = False) -> str:
    """Student-controlled text made safe to print or to write into a CSV report.

    Control characters (terminal escape sequences among them) become ``?``; with
    ``spreadsheet``, a leading ``=``, ``+``, ``-`` or ``@``, which a spreadsheet would run as a
    formula, is quoted with ``'``.

    Parameters
    ----------
    text : str
        A student id, a file name or a note that quotes one.
    spreadsheet : bool, default False
        Whether the text goes into a CSV cell.

    Examples
    --------
    >>> shown("\x1b[2Jroot"), shown("+1+1", spreadsheet=True)
    ('?[2Jroot', "'+1+1")
    """
    text = "".join("?" if unicodedata.category(ch) == "Cc" else ch for ch in str(text))
    return "'" + text if spreadsheet and text[:1] in ("=", "+", "-", "@") else text


#: How long after the time in its name a folder may still change (nbgrader's own copying).
LATE_CHANGE = datetime.timedelta(minutes=10)


def folder_time(folder: Path) -> datetime.datetime | None:
    """The submission time in an inbound folder's name (``<student>+<set>+<time>+<random>``).

    Parameters
    ----------
    folder : path
        The inbound folder.

    Returns
    -------
    datetime.datetime or None
        The time in UTC (naive, as nbgrader keeps it); None when the name holds no readable time.
    """
    from nbgrader.utils import parse_utc

    parts = Path(folder).name.rsplit("+", 3)
    try:
        return parse_utc(parts[2]) if len(parts) >= 3 else None
    except (ValueError, OverflowError, TypeError):
        return None


def check_times(folder: Path) -> list[str]:
    """Where a folder's ``timestamp.txt`` or its change times disagree with the time in its name.

    Parameters
    ----------
    folder : path
        An inbound folder that passed `check_folder` (no links in it).

    Returns
    -------
    list of str
        One sentence per disagreement; empty when all agree.
    """
    from nbgrader.utils import parse_utc

    when = folder_time(folder)
    if when is None:
        return []
    found = []
    text, claimed = None, None
    try:
        fd = os.open(Path(folder) / "timestamp.txt",
                     os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            text = handle.read(200).decode("utf-8", "replace").strip()
    except FileNotFoundError:
        pass
    except OSError:
        text = "(unreadable)"
    try:
        claimed = parse_utc(text) if text else None
    except (ValueError, OverflowError, TypeError):
        pass
    if text is not None and (claimed is None or abs(claimed - when) > datetime.timedelta(
            seconds=1)):
        found.append(f"timestamp.txt says {shown(text)!r} but the folder's name says "
                     f"{when:%Y-%m-%d %H:%M:%S} UTC; the name's time is used")
    changed = max((os.lstat(Path(here) / n).st_ctime for here, dirs, names
                   in os.walk(folder, followlinks=False) for n in dirs + names),
                  default=os.lstat(folder).st_ctime)
    changed = max(changed, os.lstat(folder).st_ctime)
    changed_at = datetime.datetime.fromtimestamp(changed, datetime.timezone.utc).replace(
        tzinfo=None)
    if changed_at - when > LATE_CHANGE:
        found.append(f"the folder was changed at {changed_at:%Y-%m-%d %H:%M} UTC, after the "
                     f"time in its name ({when:%Y-%m-%d %H:%M} UTC): check it by hand")
    return found


def info_owner(path: Path) -> int:
    """The uid owning ``path`` itself (a link is not followed)."""
    return os.lstat(path).st_uid


class SafeCollect(ExchangeCollect):
    """nbgrader's collect, skipping refused students and copying regular files only.

    ``refused`` lists student ids not to collect and ``skipped`` folder names never to pick
    (filled by `collect_set` from its checks). The collected folder's ``timestamp.txt`` is
    written from the time in its name (`folder_time`).
    """

    refused = List(Unicode(), help="student ids whose submissions are not collected"
                   ).tag(config=True)
    skipped = List(Unicode(), help="inbound folder names never collected").tag(config=True)
    max_file_mb = Integer(20, help="largest file copied, in MiB").tag(config=True)
    max_total_mb = Integer(50, help="most MiB copied per submission").tag(config=True)

    def _path_to_record(self, path):
        name = os.path.split(path)[1]
        if name in self.skipped:  # its time may be unreadable; it is never picked anyway
            return {"username": name.rsplit("+", 3)[0], "filename": name,
                    "timestamp": datetime.datetime.min}
        return super()._path_to_record(path)

    def _sort_by_timestamp(self, records):
        # a student's folders that passed the checks first, newest first
        return sorted(records, key=lambda r: (r["filename"] not in self.skipped, r["timestamp"]),
                      reverse=True)

    def init_src(self):
        super().init_src()
        self.src_records = [r for r in self.src_records if r["username"] not in self.refused
                            and r["filename"] not in self.skipped]

    def do_copy(self, src, dest, log=None):
        ignore = list(self.coursedir.ignore) if self.coursedir is not None else []
        os.makedirs(dest, exist_ok=False)
        left = self.max_total_mb * MiB  # the folder may have grown since it was checked
        for here, dirs, names in os.walk(src, followlinks=False):
            rel = os.path.relpath(here, src)
            target = os.path.normpath(os.path.join(dest, rel))
            dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(here, d))
                       and not any(fnmatch.fnmatch(d, p) for p in ignore)]
            for d in dirs:
                os.makedirs(os.path.join(target, d), exist_ok=True)
            for name in names:
                if any(fnmatch.fnmatch(name, p) for p in ignore):
                    continue
                left -= _copy_regular(os.path.join(here, name), os.path.join(target, name),
                                      min(self.max_file_mb * MiB, left), self.log)
        when = folder_time(Path(src))
        if when is not None:  # the time in the name, not the student's timestamp.txt
            stamp = os.path.join(dest, "timestamp.txt")
            if os.path.lexists(stamp):
                os.unlink(stamp)
            with open(stamp, "w") as out:
                out.write(f"{when:%Y-%m-%d %H:%M:%S.%f} UTC")


def _copy_regular(src: str, dest: str, limit: int, log) -> int:
    """Copy one file if it is a regular file (opened without following a link) under ``limit``.

    Returns the bytes copied (0 when the file was not).
    """
    try:
        fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        log.warning("not collected: %s (%s)", src, exc.strerror)
        return 0
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            log.warning("not collected: %s (not a regular file, or over the size left)", src)
            return 0
        left = info.st_size  # never more than was checked, should the file grow meanwhile
        with open(dest, "wb") as out:
            while left > 0 and (chunk := handle.read(min(left, MiB))):
                out.write(chunk)
                left -= len(chunk)
        return info.st_size - left


def check_exchange_hidden(config) -> None:
    """Refuse when nbgrader's exchange (``Exchange.root``) lies in a folder the sandbox shows.

    Parameters
    ----------
    config : traitlets.config.Config
        The course's nbgrader configuration.

    Raises
    ------
    alliancekit.grading.sandbox.SandboxError
        If the exchange is inside Python's, the environment's or the library's folder.
    """
    from alliancekit.grading import sandbox

    root = config.Exchange.get("root", "/srv/nbgrader/exchange")
    try:
        sandbox.check_course_hidden(Path(root))
    except sandbox.SandboxError as exc:
        raise sandbox.SandboxError(f"nbgrader's exchange: {exc}") from None


def _inbound(config) -> Path:
    root = config.Exchange.get("root", "/srv/nbgrader/exchange")
    return Path(root) / config.CourseDirectory.get("course_id", "") / "inbound"


def collect_set(assignment: str, course: Path, *, max_file_mb: float = 20,
                max_files: int = 100, max_total_mb: float = 50, update: bool = True
                ) -> tuple[list[Verdict], dict]:
    """Check every inbound folder of a set, then run nbgrader's collect on the rest.

    Parameters
    ----------
    assignment : str
        The set's name.
    course : path
        The course root (holding ``nbgrader_config.py``).
    max_file_mb : float, default 20
        Largest file accepted, in MiB.
    max_files : int, default 100
        Most files accepted per submission.
    max_total_mb : float, default 50
        Most bytes accepted per submission, all files together, in MiB.
    update : bool, default True
        Replace an already collected submission with a newer one (as ``nbgrader collect``).

    Returns
    -------
    verdicts : list of Verdict
        One per student found in the inbound folder, sorted by student.
    result : dict
        nbgrader's answer (``success``, ``log``, ``error``).
    """
    from alliancekit.grading import _load_config

    config = _load_config(Path(course).resolve())
    inbound = _inbound(config)
    if not inbound.is_dir():
        raise FileNotFoundError(f"the exchange's inbound folder {inbound} does not exist; check "
                                "Exchange.root and CourseDirectory.course_id in nbgrader_config.py")
    coursedir = config.CourseDirectory
    expected = released_files(Path(course), assignment, coursedir.get("release_directory",
                              "release"), coursedir.get("source_directory", "source"),
                              coursedir.get("ignore", ()))
    found: dict[str, list[tuple[Path, Verdict]]] = {}
    for folder in sorted(inbound.glob(f"*+{assignment}+*")):
        student = folder.name.rsplit("+", 3)[0]
        verdict = check_folder(folder, student, expected, max_file_mb=max_file_mb,
                               max_files=max_files, max_total_mb=max_total_mb)
        if not verdict.refused and folder_time(folder) is None:
            verdict = Verdict(student, ("the time in the folder's name cannot be read",))
        found.setdefault(student, []).append((folder, verdict))
    verdicts, skipped = [], []
    for student, pairs in sorted(found.items()):
        good = [(f, v) for f, v in pairs if not v.refused]
        bad = [(f, v) for f, v in pairs if v.refused]
        skipped += [f.name for f, _ in bad]
        if not good:  # nothing of theirs to collect
            verdicts.append(Verdict(student, tuple(dict.fromkeys(
                p for _, v in bad for p in v.problems))))
            continue
        newest, verdict = max(good, key=lambda fv: folder_time(fv[0]))
        verdicts.append(Verdict(
            student, (), verdict.unexpected,
            tuple(f"{shown(f.name)}: " + "; ".join(v.problems) for f, v in bad),
            tuple(check_times(newest))))
    config.SafeCollect.refused = [v.student for v in verdicts if v.refused]
    config.SafeCollect.skipped = skipped
    config.SafeCollect.max_file_mb = int(max_file_mb)
    config.SafeCollect.max_total_mb = int(max_total_mb)
    config.ExchangeFactory.collect = SafeCollect
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=config)
    return verdicts, api.collect(assignment, update=update)


def main(argv: list[str]) -> int:
    """Command line: ``alliancekit-grade collect SET [--course DIR]``; exit 1 if any refused."""
    parser = argparse.ArgumentParser(
        prog="alliancekit-grade collect",
        description="Check the exchange's inbound folders of a set (links, special files, owners, "
                    "sizes, unexpected files), then collect the rest with nbgrader.")
    parser.add_argument("assignment", help="set name, e.g. ex01-theory")
    parser.add_argument("--course", default=".", help="course root (default: here)")
    parser.add_argument("--max-file-mb", type=float, default=20,
                        help="largest file accepted, in MiB (default %(default)g)")
    parser.add_argument("--max-files", type=int, default=100,
                        help="most files per submission (default %(default)d)")
    parser.add_argument("--max-total-mb", type=float, default=50,
                        help="most MiB per submission, all files together (default %(default)g)")
    args = parser.parse_args(argv)
    if not args.max_file_mb > 0 or args.max_files < 1 or not args.max_total_mb > 0:
        print("alliancekit-grade collect: error: --max-file-mb, --max-files and --max-total-mb "
              "must be positive", file=sys.stderr)
        return 2
    try:
        verdicts, result = collect_set(args.assignment, Path(args.course),
                                       max_file_mb=args.max_file_mb, max_files=args.max_files,
                                       max_total_mb=args.max_total_mb)
    except (FileNotFoundError, ValueError) as exc:
        print(f"alliancekit-grade collect: error: {exc}", file=sys.stderr)
        return 2
    for v in verdicts:
        if v.refused:
            print(f"REFUSED {shown(v.student)}: " + "; ".join(shown(p) for p in v.problems))
            continue
        extra = (f" (not graded, not part of the set: {', '.join(map(shown, v.unexpected))})"
                 if v.unexpected else "")
        print(f"ok      {shown(v.student)}{extra}")
        for text in v.skipped:
            print(f"  REFUSED folder {shown(text)} (their newest folder that passed is collected)")
        for text in v.times:
            print(f"  TIME    {shown(v.student)}: {shown(text)}")
    if not result.get("success"):
        print("nbgrader collect failed:\n" + (result.get("error") or result.get("log") or ""),
              file=sys.stderr)
        return 2
    refused = sum(v.refused for v in verdicts)
    folders = sum(len(v.skipped) for v in verdicts)
    print(f"{len(verdicts) - refused} collected, {refused} refused"
          + (f", {folders} other folder(s) refused" if folders else ""))
    return 1 if refused or folders else 0
