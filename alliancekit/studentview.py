"""What a student's Jupyter server serves: the whole course except the worked solutions.

The student launch (``python3 tasks.py course``, Binder, a student's server on the class hub) puts
:data:`CONFIG_DIR` on ``JUPYTER_CONFIG_PATH``. Its settings:

- serve files through :class:`StudentContentsManager`, which answers 404, as for a file that does
  not exist, for anything that resolves into ``solutions/``;
- load this module as a server extension, which answers 404 before any handler runs for every
  URL that names a path into ``solutions/`` (the contents API and its checkpoints, ``/files``,
  ``/view``, ``/nbconvert``, Notebook 7's ``/tree``, ``/notebooks``, ``/edit``, JupyterLab's
  ``/lab/tree`` and ``/doc/tree``);
- switch off nbgrader's instructor parts (the Formgrader and the course list on the server, the
  Formgrader, course list and Create Assignment panels in JupyterLab). :data:`NO_EXCHANGE_DIR`,
  added where no nbgrader exchange exists (``tasks.py course``, Binder), also switches off the
  Assignment List; a class hub keeps it.

Every check goes through one resolver, :func:`is_withheld`: it decodes percent escapes, reads
backslashes as separators, folds ``.``, ``..`` and repeated slashes, compares names after Unicode
and case folding, and follows symlinks (a link in ``my-work/`` to ``../solutions`` is refused) by
comparing the real folder on disk, which also covers case-insensitive file systems.

This keeps the answers out of sight during an exercise; it is not a lock. ``solutions/`` is on
disk, so a student's own code (a kernel) or a terminal can read it. Self-learners open the
solutions deliberately with ``python3 tasks.py solutions``; instructors who grade should read "The
solutions are public" in INSTRUCTORS.md.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import errno
import os
import re
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import unquote

from jupyter_server.base.handlers import AuthenticatedFileHandler
from jupyter_server.services.contents.filemanager import AsyncFileContentsManager
from jupyter_server.services.kernels.handlers import MainKernelHandler
from jupyter_server.services.sessions.handlers import SessionHandler, SessionRootHandler
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.routing import Matcher, PathMatches, Rule
from traitlets import default

__all__ = ["StudentContentsManager", "StudentFileHandler", "HIDDEN_FOLDERS", "CONFIG_DIR",
           "NO_EXCHANGE_DIR", "canonical_path", "is_withheld", "withheld_url",
           "refresh_git_entry"]

#: Top-level folders of the served root that a student's server does not serve.
HIDDEN_FOLDERS = ("solutions",)
#: The student launch's Jupyter configuration folder (put it on ``JUPYTER_CONFIG_PATH``).
CONFIG_DIR = Path(__file__).resolve().parent / "student_config"
#: Added after :data:`CONFIG_DIR` where there is no nbgrader exchange: no Assignment List.
NO_EXCHANGE_DIR = CONFIG_DIR / "no-exchange"

#: URL routes whose tail is a path under the served root (after the server's base URL).
PATH_ROUTES = re.compile(
    r"(?:api/contents|files|view|nbconvert/[^/]+|tree|notebooks|edit|consoles"
    r"|(?:lab|doc)(?:/workspaces/[^/]+)?/tree)(?:/(?P<path>.*))?$")

_MAX_DECODINGS = 5


def _fold(name: str) -> str:
    """A file name as a case-insensitive, Unicode-normalised file system may see it."""
    return unicodedata.normalize("NFKC", name).casefold().rstrip(". ")


_HIDDEN_KEYS = {_fold(name) for name in HIDDEN_FOLDERS}


def canonical_path(path: str) -> str:
    """The one normalised spelling of a path below the served root, read without the disk.

    Parameters
    ----------
    path : str
        A contents-API or URL path, e.g. ``"course/../solutions"`` or ``"%2E/solutions"``.

    Returns
    -------
    str
        The path with percent escapes decoded (repeatedly, so ``%252E`` is ``.``), backslashes
        read as slashes, Unicode in NFC form, and ``""``, ``.`` and ``..`` segments folded
        (``..`` never climbs above the root). No leading or trailing slash.

    Examples
    --------
    >>> canonical_path("course/..//%2E/solutions\\\\ex01/")
    'solutions/ex01'
    """
    if not isinstance(path, str):
        raise TypeError(f"path must be a str, got {type(path).__name__}")
    for _ in range(_MAX_DECODINGS):
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    path = unicodedata.normalize("NFC", path).replace("\\", "/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)


def _same_file(a, b) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _resolves_into_hidden(root: str, relative: str) -> bool:
    """Whether ``root/relative``, symlinks followed, lies in (or is) a withheld folder."""
    real_root = os.path.realpath(root)
    hidden = []
    for name in HIDDEN_FOLDERS:
        try:
            hidden.append(os.stat(os.path.join(real_root, name)))
        except OSError:
            continue
    target = os.path.realpath(os.path.join(real_root, *relative.split("/")))
    try:
        inside = os.path.relpath(target, real_root).replace(os.sep, "/")
    except ValueError:  # Windows: a link to another drive is outside the root
        inside = "../"
    if not inside.startswith("../") and _fold(inside.split("/", 1)[0]) in _HIDDEN_KEYS:
        return True
    if not hidden:
        return False
    # Walk up from the real target: an ancestor that is the withheld folder itself (same device
    # and inode) catches other spellings the file system accepts (case, Unicode, 8.3 names).
    current = target
    while True:
        try:
            found = os.stat(current)
        except OSError:
            found = None
        if found is not None and any(_same_file(found, h) for h in hidden):
            return True
        parent = os.path.dirname(current)
        if parent == current or current == real_root:
            return False
        current = parent


def _check_root(root) -> None:
    if root is not None and not isinstance(root, (str, os.PathLike)):
        raise TypeError(f"root must be a folder (str or os.PathLike) or None; got "
                        f"{type(root).__name__} {root!r:.80}")


def is_withheld(path: str, root: str | os.PathLike | None = None) -> bool:
    """Whether a path (relative to the served root) names something a student is not served.

    Parameters
    ----------
    path : str
        A contents-API or URL path, in any spelling (see :func:`canonical_path`).
    root : str or os.PathLike, optional
        The served root folder. With it, symlinks are followed on disk, so a link that resolves
        into a withheld folder is withheld too; without it, only the spelling is checked.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_withheld("/solutions/ex01-theory/ex01-theory.ipynb"), is_withheld("course/01.ipynb")
    (True, False)
    >>> is_withheld("my-work/../SOLUTIONS"), is_withheld("%2E/solutions"), is_withheld("solutions2")
    (True, True, False)
    """
    _check_root(root)
    relative = canonical_path(path)
    if relative and _fold(relative.split("/", 1)[0]) in _HIDDEN_KEYS:
        return True
    if root is None or not relative:
        return False
    return _resolves_into_hidden(os.fspath(root), relative)


def withheld_url(url_path: str, base_url: str = "/", root: str | os.PathLike | None = None
                 ) -> bool:
    """Whether a request's URL path names a withheld path on one of :data:`PATH_ROUTES`.

    Parameters
    ----------
    url_path : str
        The request's path as sent (percent escapes not yet decoded), e.g.
        ``"/lab/tree/course/%2E%2E/solutions"``.
    base_url : str
        The server's base URL (``"/"``, or ``"/user/<name>/"`` on a hub).
    root : str or os.PathLike, optional
        The served root folder (see :func:`is_withheld`).

    Returns
    -------
    bool

    Examples
    --------
    >>> withheld_url("/api/contents/./solutions"), withheld_url("/api/contents/course")
    (True, False)
    """
    _check_root(root)
    if not isinstance(url_path, str) or not isinstance(base_url, str):
        raise TypeError(f"url_path and base_url must be str; got url_path={url_path!r:.80}, "
                        f"base_url={base_url!r:.80}")
    text = url_path
    for _ in range(_MAX_DECODINGS):  # the route itself may be spelled with escapes too
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    text = re.sub(r"/{2,}", "/", text.replace("\\", "/"))
    base = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    if not text.startswith(base):
        return False
    match = PATH_ROUTES.match(text[len(base):])
    return bool(match and match.group("path") and is_withheld(match.group("path"), root))


def refresh_git_entry(os_path: str | os.PathLike) -> bool:
    """After a save: tell git a filtered file is unchanged when its cleaned content is.

    ``tasks.py course`` installs nbstripout as the clone's git filter for the lessons, so git
    compares a lesson without its outputs. git still reports a file whose size changed as
    modified without running the filter (nbstripout issue #65), so a lesson run and saved would
    show as changed until ``git add``. When the file's cleaned content equals what git's index
    holds, this refreshes the index entry (``git update-index``), which changes no content. A
    lesson whose text the student changed is left alone, and shows as changed, as it should.

    Parameters
    ----------
    os_path : str or os.PathLike
        The file just saved.

    Returns
    -------
    bool
        True when the entry was refreshed; False when the file is not tracked, has no git filter,
        differs from the index, or git is unavailable.
    """
    folder, name = os.path.split(os.fspath(os_path))

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True,
                              timeout=60)

    try:
        attribute = git("check-attr", "filter", "--", name)
        if attribute.returncode or attribute.stdout.strip().endswith(": unspecified"):
            return False
        staged = git("rev-parse", "--verify", "--quiet", f":./{name}")
        cleaned = git("hash-object", "--", name)  # through the clean filter, as `git add` does
        if staged.returncode or cleaned.returncode or staged.stdout != cleaned.stdout:
            return False
        return git("update-index", "-q", "--", name).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


# ----------------------------------------------------------------------------- the server side
#: Runs :func:`refresh_git_entry` after saves, one at a time, off the server's event loop.
_GIT_REFRESHER = concurrent.futures.ThreadPoolExecutor(max_workers=1,
                                                       thread_name_prefix="git-refresh")


def _refuse(path: str) -> None:
    raise web.HTTPError(404, f"No such file or directory: {path}")


#: Set while a folder is being listed: a withheld entry is then skipped, not an error.
_LISTING = contextvars.ContextVar("alliancekit_studentview_listing", default=False)


class StudentFileHandler(AuthenticatedFileHandler):
    """``/files/...`` downloads, answering 404 for anything that resolves into a withheld folder."""

    def validate_absolute_path(self, root: str, absolute_path: str) -> str:
        relative = os.path.relpath(absolute_path, root).replace(os.sep, "/")
        if is_withheld(relative, root):
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)


class StudentContentsManager(AsyncFileContentsManager):
    """JupyterLab's file manager, minus anything that resolves into :data:`HIDDEN_FOLDERS`."""

    @default("files_handler_class")
    def _student_files_handler(self):
        return StudentFileHandler

    def _withheld(self, path: str) -> bool:
        return is_withheld(path, self.root_dir)

    def _check(self, *paths: str) -> None:
        for path in paths:
            if self._withheld(path):
                if _LISTING.get():  # a folder listing skips entries that raise EACCES
                    raise PermissionError(errno.EACCES, "withheld from students", path)
                _refuse(path)

    async def is_hidden(self, path: str) -> bool:
        return self._withheld(path) or await super().is_hidden(path)

    async def file_exists(self, path: str = "") -> bool:
        return not self._withheld(path) and await super().file_exists(path)

    async def dir_exists(self, path: str) -> bool:
        return not self._withheld(path) and await super().dir_exists(path)

    async def exists(self, path: str) -> bool:
        return not self._withheld(path) and await super().exists(path)

    async def _dir_model(self, path, content=True):
        token = _LISTING.set(True)
        try:
            return await super()._dir_model(path, content=content)
        finally:
            _LISTING.reset(token)

    async def get(self, path, content=True, type=None, format=None, require_hash=False):  # noqa: A002
        self._check(path)
        token = _LISTING.set(False)  # the folder asked for is refused with a 404, not skipped
        try:
            return await super().get(path, content=content, type=type, format=format,
                                     require_hash=require_hash)
        finally:
            _LISTING.reset(token)

    async def save(self, model, path=""):
        self._check(path)
        saved = await super().save(model, path)
        if path.endswith(".ipynb"):  # a run lesson does not show as changed in git
            # After the save has answered: the refresh runs the git filter (seconds on a busy
            # machine), and a student should not wait for it. One worker keeps refreshes in order.
            os_path = self._get_os_path(path.strip("/"))
            asyncio.get_running_loop().run_in_executor(_GIT_REFRESHER, refresh_git_entry, os_path)
        return saved

    async def delete_file(self, path):
        self._check(path)
        return await super().delete_file(path)

    async def rename_file(self, old_path, new_path):
        self._check(old_path, new_path)
        return await super().rename_file(old_path, new_path)

    async def copy(self, from_path, to_path=None):
        self._check(from_path, *([to_path] if to_path else []))
        return await super().copy(from_path, to_path)

    async def get_kernel_path(self, path, model=None):
        self._check(path)  # no session (and no kernel) for a notebook in solutions/
        return await super().get_kernel_path(path, model=model)

    async def create_checkpoint(self, path):
        self._check(path)
        return await super().create_checkpoint(path)

    async def list_checkpoints(self, path):
        self._check(path)
        return await super().list_checkpoints(path)

    async def restore_checkpoint(self, checkpoint_id, path):
        self._check(path)
        return await super().restore_checkpoint(checkpoint_id, path)

    async def delete_checkpoint(self, checkpoint_id, path):
        self._check(path)
        return await super().delete_checkpoint(checkpoint_id, path)


class _WithheldRoutes(Matcher):
    """Matches every request whose URL names a withheld path (see :func:`withheld_url`)."""

    def __init__(self, base_url: str, root: str):
        self.base_url, self.root = base_url, root

    def match(self, request):
        return {} if withheld_url(request.path, self.base_url, self.root) else None


class _NotServed(web.RequestHandler):
    """Answers 404, whatever the method, as for a path that does not exist."""

    def check_xsrf_cookie(self):  # refused anyway: 404 for every method, not 403
        return None

    def prepare(self):
        raise web.HTTPError(404)

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(NOT_SERVED_PAGE)


#: What a student who opens a withheld path sees (a 404: the same for every spelling).
NOT_SERVED_PAGE = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>404: Not served here"
    "</title></head><body><h1>404: Not served here</h1><p>The worked solutions are kept out "
    "of the course's student view, so that you try each exercise set in <code>my-work/</code> "
    "first. Working alone on your own copy, you can open them deliberately with "
    "<code>python3 tasks.py solutions</code>; in a class, ask your instructor whether you may."
    "</p></body></html>")


class _BodyPathGuard:
    """For handlers whose JSON body names a path: 404 when it resolves into a withheld folder."""

    def _refuse_withheld_body(self) -> None:
        try:
            body = self.get_json_body()
        except web.HTTPError:
            return  # the handler itself answers a malformed body
        path = body.get("path") if isinstance(body, dict) else None
        if isinstance(path, str) and is_withheld(path, self.contents_manager.root_dir):
            _refuse(path)


class _StudentSessions(_BodyPathGuard, SessionRootHandler):
    """``POST /api/sessions``: no session, and so no kernel, for a notebook in solutions/."""

    @web.authenticated
    async def post(self):
        self._refuse_withheld_body()
        return await super().post()


class _StudentSession(_BodyPathGuard, SessionHandler):
    """``PATCH /api/sessions/<id>``: a session cannot be moved into solutions/."""

    @web.authenticated
    async def patch(self, session_id):
        self._refuse_withheld_body()
        return await super().patch(session_id)


class _StudentKernels(_BodyPathGuard, MainKernelHandler):
    """``POST /api/kernels``: no kernel started with its working folder in solutions/."""

    @web.authenticated
    async def post(self):
        self._refuse_withheld_body()
        return await super().post()


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "alliancekit.studentview"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Answer 404 before any other handler for URLs into a withheld folder."""
    router = serverapp.web_app.default_router
    base = serverapp.base_url
    rules = [Rule(_WithheldRoutes(base, serverapp.root_dir), _NotServed),
             Rule(PathMatches(url_path_join(base, "/api/sessions")), _StudentSessions),
             Rule(PathMatches(url_path_join(base, r"/api/sessions/(?P<session_id>[\w-]+)")),
                  _StudentSession),
             Rule(PathMatches(url_path_join(base, "/api/kernels")), _StudentKernels)]
    router.rules[0:0] = [router.process_rule(rule) for rule in rules]
    serverapp.log.info("alliancekit.studentview: %s not served", ", ".join(HIDDEN_FOLDERS))
