"""nbgrader configuration for the alliancekit exercises (command line; no JupyterHub needed).

Run every ``nbgrader`` command from the repository root (the course root), for example::

    nbgrader generate_assignment ex01-theory --force
    alliancekit-grade ex01-theory           # sandboxed; plain `nbgrader autograde` is not

Layout (nbgrader's own names in brackets):

    solutions/<assignment>/<assignment>.ipynb        the one source of truth  [source]
    exercises/<assignment>/<assignment>.ipynb        student versions, generated  [release]
    submitted/<student>/<assignment>/...             collected submissions  [submitted]
    autograded/, feedback/, gradebook.db             created by grading; kept out of git

See INSTRUCTORS.md for the whole workflow.
"""
from pathlib import Path

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

# The course root is the folder that holds this file, whatever the current directory.
c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "alliancekit"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# The assignments are the folders of solutions/: ex01-theory, ex02-patterns, ex03-europe,
# ex04-little-entente, ex05-erosion, ex06-small-powers, ex07-managing (one per lesson 01-07).
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py", "*.md", ".DS_Store",
]

# Student versions: strip solutions and hidden tests; keep read-only cells read-only.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"
c.GenerateAssignment.create_assignment = True

# Collecting from an LMS export (`nbgrader zip_collect ASSIGNMENT`): put the downloaded zip files in
# downloaded/<assignment>/archive/. The pattern below reads Canvas-style file names such as
# "smithjane_1234_5678_ex01-theory.ipynb" (an optional "late_" or "LATE_" after the name is allowed:
# the file is collected like any other, since nbgrader cannot tell from it how late it was): the
# student id is the part before the first underscore, the notebook name is the tail. Adapt it to
# your LMS (see INSTRUCTORS.md); nbgrader matches it against the file's full path.
c.FileNameCollectorPlugin.named_regexp = (
    r".*/(?P<student_id>[A-Za-z0-9.-]+)_(?:[Ll][Aa][Tt][Ee]_)?\d+_\d+_"
    r"(?P<file_id>ex\d\d-[a-z-]+\.ipynb)$"
)
c.FileNameCollectorPlugin.valid_ext = [".ipynb"]

# Autograding: a per-cell time limit, a bounded output, and deleted grade cells put back
# (nbgrader issues #1682 and #1941) so that a damaged submission is still graded.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.OverwriteCells.add_missing_cells = True
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 50

# Feedback pages (`nbgrader generate_feedback`): hidden tests' code never reaches a student, even
# when a hidden test fails (its traceback is cut to the error's type and message), and each cell's
# output is capped by bytes (HideHiddenTests). A test cell shows only its verdict and the visible
# check's own message, never what the submission printed while it ran (StudentView); the
# student's other cells keep their outputs (see below). Last, no markup that could run script is
# left (SanitiseNotebook). See alliancekit/grading/feedback.py and sanitise.py.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "alliancekit.grading.feedback.HideHiddenTests",
    "alliancekit.grading.feedback.StudentView",
    "alliancekit.grading.budget.CapFeedbackOutputs",  # the page's byte budget (2 MiB)
    "alliancekit.grading.sanitise.SanitiseNotebook",
]
c.CapFeedbackOutputs.max_bytes = 2 * 1024 ** 2
# A student's own answer outputs (their charts, as sanitised SVG) stay on the feedback page: with
# alliancekit-grade the hidden tests run in the trusted judge and their text never enters the
# student's kernel; a test that calls the student's function (passing it the tests' arguments)
# runs after the submission's last cell, so no output of the student's code can quote them.
c.StudentView.keep_answer_outputs = True

# Formgrader shows a submission as nbconvert HTML from the instructor's own server: sanitise it
# there too, so that a notebook graded by plain `nbgrader autograde` carries no script into it.
# (alliancekit-grade already sanitises autograded/ in place; this is the second wall.)
c.HTMLExporter.preprocessors = ["alliancekit.grading.sanitise.SanitiseNotebook"]

# Untrusted submissions: grade them with `alliancekit-grade`, which runs each submission's kernel
# in a bubblewrap sandbox (alliancekit/grading/sandbox.py) and its tests in a separate trusted
# judge (alliancekit/grading/judging.py). Plain `nbgrader autograde` runs student code, and the
# tests, with your own rights.
