"""Synthetic submissions made from the course's own notebooks, for tests and benchmarks.

A synthetic student fills the released (student) notebook with the solution code, as a student
who solved everything would — or answers only some exercises, or none.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path

import nbformat

from dlcourse.grading.course import Course

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def nbgrader_meta(cell: nbformat.NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def strip_markers(source: str) -> str:
    """Solution code as a student would write it: without nbgrader's markers."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in MARKERS).strip(
        "\n"
    )


def answered(
    student_nb: nbformat.NotebookNode,
    solution_nb: nbformat.NotebookNode,
    replacements: Iterable = (),
    only: set[str] | None = None,
) -> nbformat.NotebookNode:
    """The student notebook with answer cells filled from the solution.

    ``replacements`` are objects with ``cell`` (a solution grade_id) and ``source`` (the code
    to put there instead, e.g. a wrong answer); ``only`` limits which answer cells are filled.
    """
    answers = {
        nbgrader_meta(c)["grade_id"]: strip_markers(c.source)
        for c in solution_nb.cells
        if nbgrader_meta(c).get("solution")
    }
    for replacement in replacements:
        if replacement.cell not in answers:
            raise KeyError(f"unknown solution cell {replacement.cell!r}")
        answers[replacement.cell] = replacement.source.strip("\n")
    nb = copy.deepcopy(student_nb)
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and (only is None or meta["grade_id"] in only):
            cell.source = answers[meta["grade_id"]]
    return nb


def synthetic_cohort(course: Course, week: str, size: int, folder: Path) -> list[str]:
    """Write ``size`` submissions of ``week`` into ``folder/STUDENT/WEEK/``: half answer
    everything, a quarter answer the first half of the exercises, a quarter hand in the
    untouched notebook. Returns the student ids."""
    students = []
    for source in course.source_notebooks(week):
        solution_nb = nbformat.read(source, as_version=4)
        student_nb = nbformat.read(course.release_dir / week / source.name, as_version=4)
        exercises = [nbgrader_meta(c)["grade_id"] for c in solution_nb.cells
                     if nbgrader_meta(c).get("solution")]
        half = set(exercises[: len(exercises) // 2])
        for i in range(size):
            student = f"student-{i + 1:03d}"
            kind = i % 4
            if kind in (0, 1):
                nb = answered(student_nb, solution_nb)
            elif kind == 2:
                nb = answered(student_nb, solution_nb, only=half)
            else:
                nb = student_nb
            target = folder / student / week
            target.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target / source.name)
            if student not in students:
                students.append(student)
    return students
