"""Support for the grading-contract tests: a throw-away copy of the course, realistic
submissions made from the student version, and nbgrader grading them for real."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from mutants import Alternative, Mutant, alternatives_for, mutants_for

from dlcourse.grading.autograde import SubmissionResult, autograde
from dlcourse.grading.course import Course
from dlcourse.grading.synthetic import answered as _answered
from dlcourse.grading.synthetic import nbgrader_meta  # noqa: F401  (used by other tests)

REPO = Path(__file__).resolve().parents[1]


def copy_course(target: Path) -> Course:
    """A copy of the course (config, solutions, released notebooks) with its own gradebook."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "nbgrader_config.py", target / "nbgrader_config.py")
    for folder in ("solutions", "course"):
        shutil.copytree(REPO / folder, target / folder, ignore=shutil.ignore_patterns(".ipynb*"))
    return Course(target)


def answered(student_nb: nbformat.NotebookNode, solution_nb: nbformat.NotebookNode,
             mutants: list[Mutant] = ()) -> nbformat.NotebookNode:
    """The student version answered as a student would, with the ``mutants``' wrong answers."""
    return _answered(student_nb, solution_nb, mutants)


COMBINED = "mutants-combined"
ALTERNATIVES = "alternatives-{group}"


@dataclass
class GradedWeek:
    """A week graded for real by nbgrader in a throw-away course copy."""

    week: str
    course: Course
    results: dict[str, SubmissionResult] = field(default_factory=dict)
    full_mutants: list[Mutant] = field(default_factory=list)
    alternatives: dict[str, list[Alternative]] = field(default_factory=dict)  # by submission

    @property
    def solution(self) -> SubmissionResult:
        return self.results["solution"]


def grade_week(
    course: Course,
    week: str,
    alternatives: list[Alternative] | None = None,
    reference: bool = True,
) -> GradedWeek:
    """Grade the answered notebook, the untouched student version, one submission that holds
    all of the week's ``full`` mutants at once (these three only with ``reference``), and one
    submission per group of alternative correct answers (default: all of the week's)."""
    full = [m for m in mutants_for(week) if m.full] if reference else []
    groups: dict[str, list[Alternative]] = {}
    if alternatives is None:
        alternatives = alternatives_for(week)
    for alternative in alternatives:
        groups.setdefault(ALTERNATIVES.format(group=alternative.group), []).append(alternative)
    graded = GradedWeek(week, course, full_mutants=full, alternatives=groups)
    submissions: dict[str, dict[str, nbformat.NotebookNode]] = {"solution": {}, "untouched": {}}
    for source in course.source_notebooks(week):
        solution_nb = nbformat.read(source, as_version=4)
        student_nb = nbformat.read(course.release_dir / week / source.name, as_version=4)
        cells = {nbgrader_meta(c).get("grade_id") for c in solution_nb.cells}
        if reference:
            submissions["solution"][source.name] = answered(student_nb, solution_nb)
            submissions["untouched"][source.name] = student_nb
        here = [m for m in full if m.cell in cells]
        if here:
            submissions.setdefault(COMBINED, {})[source.name] = answered(
                student_nb, solution_nb, here
            )
        for student, alternatives in groups.items():
            submissions.setdefault(student, {})[source.name] = answered(
                student_nb, solution_nb, [a for a in alternatives if a.cell in cells]
            )
    submissions = {student: nbs for student, nbs in submissions.items() if nbs}
    for student, notebooks in submissions.items():
        folder = course.submitted_dir / student / week
        folder.mkdir(parents=True, exist_ok=True)
        for name, nb in notebooks.items():
            nbformat.write(nb, folder / name)
    for result in autograde(course, week, students=list(submissions)):
        graded.results[result.student] = result
    return graded


def failure_text(course: Course, student: str, week: str, grade_id: str) -> str:
    """The error a graded test cell showed in ``student``'s autograded notebook ("" if none)."""
    for path in sorted((course.autograded_dir / student / week).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if nbgrader_meta(cell).get("grade_id") != grade_id:
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    return f"{output.get('ename')}: {output.get('evalue')}"
    return ""
