"""The similarity pass (dlcourse.grading.similarity) on the course's own answers: the reference
solution, a copy of it with renamed variables, and the correct answers in other styles that the
grading-contract tests keep in tests/mutants/ (written independently of the solution)."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import REPO
from mutants import alternatives_for

from dlcourse.grading.course import Course
from dlcourse.grading.similarity import THRESHOLD, similar_pairs
from dlcourse.grading.synthetic import nbgrader_meta, strip_markers

COURSE = Course(REPO)


def answer_cells(week: str) -> tuple[dict[str, str], dict[str, str]]:
    """The solution's code of every code answer cell, and the released text of each."""
    solution = nbformat.read(COURSE.source_notebooks(week)[0], as_version=4)
    released = nbformat.read(COURSE.released_notebooks(week)[0], as_version=4)

    def cells(nb: nbformat.NotebookNode, clean) -> dict[str, str]:
        return {nbgrader_meta(c)["grade_id"]: clean(c.source) for c in nb.cells
                if nbgrader_meta(c).get("solution") and c.cell_type == "code"}

    return cells(solution, strip_markers), cells(released, str)


def renamed(code: str) -> str:
    """Every name the code assigns, renamed (as a student hiding a copy would)."""
    for name in sorted(set(re.findall(r"^\s*([a-z_]\w*)\s*=", code, re.M)), key=len,
                       reverse=True):
        code = re.sub(rf"\b{name}\b", f"my_{name}", code)
    return code


def test_a_copy_with_renamed_variables_is_flagged_with_its_cells_side_by_side():
    solution, templates = answer_cells("02_convolution")
    copy = {cell: renamed(code) for cell, code in solution.items()}
    assert copy != solution
    pairs = similar_pairs({"ada": solution, "ben": copy}, templates)
    assert [(p.first, p.second) for p in pairs] == [("ada", "ben")]
    assert pairs[0].similarity >= 0.95
    shown = {c.grade_id for c in pairs[0].cells}
    assert shown and shown <= set(solution)
    assert all("<mark>" in c.first_html and "<mark>" in c.second_html for c in pairs[0].cells)
    assert any("my_" in c.second_html for c in pairs[0].cells)


@pytest.mark.parametrize("week", COURSE.weeks())
def test_independent_correct_answers_are_not_flagged(week):
    solution, templates = answer_cells(week)
    students = {"reference": solution}
    for group in (1, 2):
        answers = dict(solution)
        for alternative in alternatives_for(week):
            if alternative.group == group:
                answers[alternative.cell] = alternative.source
        assert answers != solution
        students[f"style-{group}"] = answers
    assert similar_pairs(students, templates) == []
    # and they are far from the threshold, not just under it
    assert not similar_pairs(students, templates, threshold=THRESHOLD / 2)


def test_the_released_text_is_left_out():
    solution, templates = answer_cells("02_convolution")
    untouched = dict(templates)
    assert similar_pairs({"ann": untouched, "bob": dict(templates)}, templates) == []
    # the same long template in front of two different answers is not a match either
    long_template = "def helper(image, kernel):\n" + "\n".join(
        f"    value_{i} = image.sum() * kernel.mean() + {i}" for i in range(12))
    first = {"cell": long_template + "\n    return image[::2]"}
    second = {"cell": long_template + "\n    total = 0\n    for row in kernel:\n"
                                      "        total += len(row)\n    return total"}
    assert similar_pairs({"ann": first, "bob": second}, {"cell": long_template}) == []
    assert similar_pairs({"ann": first, "bob": second}, {}), "without the template: similar"


def test_an_exact_copy_is_similarity_one_and_the_threshold_is_inclusive():
    solution, templates = answer_cells("02_convolution")
    pairs = similar_pairs({"a": solution, "b": dict(solution)}, templates, threshold=1.0)
    assert [(p.first, p.second, p.similarity) for p in pairs] == [("a", "b", 1.0)]
