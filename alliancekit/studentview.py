"""What a student's JupyterLab serves: the whole course except the worked solutions.

``python3 tasks.py course`` and Binder start JupyterLab with::

    --ServerApp.contents_manager_class=alliancekit.studentview.StudentContentsManager

Then ``solutions/`` (the nbgrader source with the model answers and hidden tests) is left out of
the file browser and every request for it, through ``/api/contents/solutions...`` or
``/files/solutions/...``, answers 404, as for a file that does not exist. Self-learners who want the
worked solutions open them deliberately with ``python3 tasks.py solutions``.

This keeps the answers out of sight during an exercise; it is not a lock. The repository is open
and ``solutions/`` is on disk, so a student's own code (or a terminal) can read it. Instructors who
grade should read "The solutions are public" in INSTRUCTORS.md.
"""
from __future__ import annotations

import os

from jupyter_server.base.handlers import AuthenticatedFileHandler
from jupyter_server.services.contents.filemanager import AsyncFileContentsManager
from tornado import web
from traitlets import default

__all__ = ["StudentContentsManager", "StudentFileHandler", "HIDDEN_FOLDERS", "is_withheld"]

#: Top-level folders of the repository that a student's server does not serve.
HIDDEN_FOLDERS = ("solutions",)


def is_withheld(path: str) -> bool:
    """Whether an API path (relative to the served root) lies in a withheld folder.

    Parameters
    ----------
    path : str
        A contents-API path such as ``"solutions/ex01-theory/ex01-theory.ipynb"``; leading and
        trailing slashes are ignored.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_withheld("/solutions/ex01-theory/ex01-theory.ipynb"), is_withheld("course/01.ipynb")
    (True, False)
    """
    first = path.strip("/").split("/", 1)[0]
    return first in HIDDEN_FOLDERS


def _refuse(path: str) -> None:
    raise web.HTTPError(404, f"No such file or directory: {path}")


class StudentFileHandler(AuthenticatedFileHandler):
    """``/files/...`` downloads, answering 404 inside the withheld folders (symlinks resolved)."""

    def validate_absolute_path(self, root: str, absolute_path: str) -> str:
        resolved = os.path.realpath(absolute_path)
        relative = os.path.relpath(resolved, os.path.realpath(root)).replace(os.sep, "/")
        if is_withheld(relative):
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)


class StudentContentsManager(AsyncFileContentsManager):
    """JupyterLab's file manager, minus the top-level folders in :data:`HIDDEN_FOLDERS`."""

    @default("files_handler_class")
    def _student_files_handler(self):
        return StudentFileHandler

    def should_list(self, name: str) -> bool:
        return name not in HIDDEN_FOLDERS and super().should_list(name)

    async def is_hidden(self, path: str) -> bool:
        return is_withheld(path) or await super().is_hidden(path)

    async def file_exists(self, path: str = "") -> bool:
        return not is_withheld(path) and await super().file_exists(path)

    async def dir_exists(self, path: str) -> bool:
        return not is_withheld(path) and await super().dir_exists(path)

    async def exists(self, path: str) -> bool:
        return not is_withheld(path) and await super().exists(path)

    async def get(self, path, content=True, type=None, format=None, require_hash=False):  # noqa: A002
        if is_withheld(path):
            _refuse(path)
        return await super().get(path, content=content, type=type, format=format,
                                 require_hash=require_hash)

    async def save(self, model, path=""):
        if is_withheld(path):
            _refuse(path)
        return await super().save(model, path)

    async def delete_file(self, path):
        if is_withheld(path):
            _refuse(path)
        return await super().delete_file(path)

    async def rename_file(self, old_path, new_path):
        if is_withheld(old_path) or is_withheld(new_path):
            _refuse(old_path)
        return await super().rename_file(old_path, new_path)
