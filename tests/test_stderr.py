"""StderrIsNotFailure: a graded cell that passed its assertions but wrote to stderr keeps its
points; an exception still scores zero. (End to end: week 02's group-3 alternative, graded by
the contract tests, warns on stderr in a graded cell.)"""

from __future__ import annotations

import nbformat
from nbgrader import utils

from dlcourse.grading.stderr import StderrIsNotFailure


def _graded_cell(*outputs):
    cell = nbformat.v4.new_code_cell("check()", outputs=list(outputs))
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 2,
                                 "locked": True}
    return cell


def test_warning_on_stderr_keeps_the_points_and_the_text():
    warning = nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful\n")
    nb = nbformat.v4.new_notebook(cells=[_graded_cell(warning)])
    assert utils.determine_grade(nb.cells[0])[0] == 0  # what nbgrader alone would give
    nb, _ = StderrIsNotFailure().preprocess(nb, {})
    assert utils.determine_grade(nb.cells[0]) == (2, 2)
    assert nb.cells[0].outputs[0].text == "UserWarning: careful\n"


def test_an_exception_still_scores_zero():
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue="wrong", traceback=[])
    warning = nbformat.v4.new_output("stream", name="stderr", text="warn\n")
    nb = nbformat.v4.new_notebook(cells=[_graded_cell(warning, error)])
    nb, _ = StderrIsNotFailure().preprocess(nb, {})
    assert utils.determine_grade(nb.cells[0]) == (0, 2)


def test_cells_that_are_not_graded_are_left_alone():
    cell = nbformat.v4.new_code_cell(
        "x", outputs=[nbformat.v4.new_output("stream", name="stderr", text="log\n")]
    )
    nb, _ = StderrIsNotFailure().preprocess(nbformat.v4.new_notebook(cells=[cell]), {})
    assert nb.cells[0].outputs[0].name == "stderr"
