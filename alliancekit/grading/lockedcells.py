"""The read-only set-up cells of a submission, in the set's own order whatever the notebook's.

nbgrader restores the *source* of a read-only cell the student edited, but neither the *place* of
one the student moved nor a read-only cell that is not a test and was deleted. The judge
(`alliancekit.grading.judging.JudgedExecute`) must not depend on either: the names the set-up and
input cells define are its own, rebuilt by running those cells from the gradebook, and never asked
of the student's kernel. This module holds the two pieces of that:

- `restore_missing` puts a deleted set-up cell back into the submission (from the gradebook, after
  the nearest cell that comes before it in the set, as nbgrader's ``add_missing_cells`` does for
  test cells) and names the set-up cells that were moved, for a note to the instructor;
- `SetupOrder` says which set-up cells the judge runs when: in the gradebook's order, each before
  the first test that follows it in the set, whatever order the notebook has.
"""
from __future__ import annotations

from alliancekit.grading.metadata import nbgrader_of

__all__ = ["gradebook_order", "restore_missing", "SetupOrder"]

NOTICE = ("# This read-only cell was missing from the submission; alliancekit-grade put it back "
          "from the gradebook.\n")


def gradebook_order(resources: dict) -> list[str]:
    """The grade ids of every cell of the notebook the gradebook knows, in the set's order.

    Parameters
    ----------
    resources : dict
        nbgrader's resources for the notebook being graded.

    Returns
    -------
    list of str
        Grade ids in the order nbgrader recorded them (the source notebook's), the order nbgrader's
        own ``OverwriteCells.add_missing_cells`` relies on.
    """
    from nbgrader.api import Gradebook

    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gb:
        notebook = gb.find_notebook(info["notebook"], info["assignment"])
        return [cell.name for cell in notebook.source_cells]


def restore_missing(nb, trusted: dict[str, tuple[str, str]],
                    order: list[str]) -> tuple[list[str], list[str]]:
    """Put the set-up cells a submission lacks back in place; name the ones it moved.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The submission being graded (changed in place).
    trusted : dict
        `alliancekit.grading.judging.trusted_cells`: ``{grade id: ("test" | "setup", source)}``.
    order : list of str
        `gradebook_order`.

    Returns
    -------
    restored : list of str
        Grade ids of the set-up cells put back (each after the nearest cell before it in the set
        that the submission still has, or first).
    moved : list of str
        Grade ids of set-up cells the submission has on the wrong side of a test cell.
    """
    from nbformat.v4 import new_code_cell

    rank = {name: i for i, name in enumerate(order)}
    restored = []
    for name in order:
        if trusted.get(name, ("",))[0] != "setup":
            continue
        present = [nbgrader_of(c).get("grade_id") for c in nb.cells]
        if name in present:
            continue
        before = [i for i, gid in enumerate(present) if gid in rank and rank[gid] < rank[name]]
        cell = new_code_cell(NOTICE + trusted[name][1], metadata={
            "deletable": False, "editable": False,
            "nbgrader": {"grade": False, "solution": False, "locked": True, "grade_id": name,
                         "schema_version": 3}})
        nb.cells.insert(max(before) + 1 if before else 0, cell)
        restored.append(name)
    place = {}
    for i, cell in enumerate(nb.cells):
        gid = nbgrader_of(cell).get("grade_id")
        if gid in trusted and gid in rank and gid not in place:
            place[gid] = i
    tests = [g for g in place if trusted[g][0] == "test"]
    moved = [g for g in place if trusted[g][0] == "setup"
             and any((rank[t] < rank[g]) != (place[t] < place[g]) for t in tests)]
    return restored, moved


class SetupOrder:
    """When the judge runs each set-up cell: the gradebook's order, whatever the notebook's.

    A set-up cell runs before the first test that follows it in the set; when the notebook
    reaches it, it runs then only if every test before it in the set has run already (otherwise
    it waits for the next such test, or for the end). Set-up cells never run out of their order.

    Parameters
    ----------
    trusted : dict
        `alliancekit.grading.judging.trusted_cells`, in the gradebook's order.
    order : list of str
        `gradebook_order` (grade ids missing from it go last, in ``trusted``'s order).

    Examples
    --------
    >>> cells = {"setup": ("setup", "x = 1"), "q1-tests": ("test", "assert x"),
    ...          "summary": ("setup", "print(x)")}
    >>> plan = SetupOrder(cells, ["setup", "q1-tests", "summary"])
    >>> plan.at_cell("summary"), plan.before_test("q1-tests"), plan.rest()
    ([], ['setup'], ['summary'])
    """

    def __init__(self, trusted: dict[str, tuple[str, str]], order: list[str]):
        known = [g for g in order if g in trusted]
        known += [g for g in trusted if g not in known]
        self._order = known
        self._kind = {g: trusted[g][0] for g in known}
        self._done: set[str] = set()

    def _pending(self, upto: int) -> list[str]:
        due = [g for g in self._order[:upto] if self._kind[g] == "setup" and g not in self._done]
        self._done.update(due)
        return due

    def before_test(self, test: str) -> list[str]:
        """The set-up cells to run (in order) before the test ``test``; marks the test as run."""
        self._done.add(test)
        if test not in self._order:
            return self._pending(len(self._order))
        return self._pending(self._order.index(test))

    def at_cell(self, setup: str) -> list[str]:
        """The set-up cells to run now that the notebook reached the set-up cell ``setup``."""
        if setup not in self._order:
            return []
        where = self._order.index(setup)
        if any(self._kind[g] == "test" and g not in self._done for g in self._order[:where]):
            return []
        return self._pending(where + 1)

    def rest(self) -> list[str]:
        """The set-up cells not run yet, in order (at the end of the notebook)."""
        return self._pending(len(self._order))

    def names(self) -> list[str]:
        """Every set-up cell's grade id, in order."""
        return [g for g in self._order if self._kind[g] == "setup"]
