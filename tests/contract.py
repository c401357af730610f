"""Support for the grading-contract tests: a throw-away copy of the course, realistic
submissions made from the student version, and nbgrader grading them for real."""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from exercise_runner import tests_after
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


def week_tests_after(course: Course, week: str) -> dict[str, tuple[str, ...]]:
    """For every answer cell of ``week``, the graded test cells that follow it."""
    found: dict[str, tuple[str, ...]] = {}
    for source in course.source_notebooks(week):
        found.update(tests_after(nbformat.read(source, as_version=4)))
    return found


def _defined_names(source: str) -> set[str]:
    """Names a cell defines at its top level (functions, classes, assignments)."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        for target in ast.walk(node) if isinstance(node, ast.Assign | ast.AnnAssign) else ():
            if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store):
                names.add(target.id)
    return names


def _used_names(source: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}


def split_alternatives(
    course: Course, week: str
) -> tuple[list[Alternative], list[Alternative]]:
    """The week's alternatives in two parts: those graded end to end by nbgrader inside the
    combined-mutant submission (one per answer cell that holds no mutant and whose tests no
    mutant fails), and the rest, which are tried at the exercise level (see
    ``exercise_runner``), in the same sandboxed kernel, against the same test cells. Every
    notebook run costs a kernel and its training, so this keeps the week to three graded
    submissions."""
    full = [m for m in mutants_for(week) if m.full]
    mutated = {m.cell for m in full}
    failing = {gid for m in full for gid in m.fails}
    checked_by = week_tests_after(course, week)
    wrong_names = set().union(*(_defined_names(m.source) for m in full))
    combined: list[Alternative] = []
    rest: list[Alternative] = []
    for alternative in sorted(alternatives_for(week), key=lambda a: a.group):
        fits = (
            alternative.cell not in mutated
            and not set(checked_by.get(alternative.cell, ())) & failing
            and not _used_names(alternative.source) & wrong_names  # builds on a wrong answer
            and all(a.cell != alternative.cell for a in combined)
        )
        (combined if fits else rest).append(alternative)
    return combined, rest


def grade_week(
    course: Course,
    week: str,
    alternatives: list[Alternative] | None = None,
    reference: bool = True,
) -> GradedWeek:
    """Grade, with ``reference``, the answered notebook, the untouched student version, and
    one submission that holds all of the week's ``full`` mutants at once together with the
    alternatives that :func:`split_alternatives` puts there. Without ``reference`` (an
    author trying ``alternatives``): one submission per group of alternatives."""
    full = [m for m in mutants_for(week) if m.full] if reference else []
    groups: dict[str, list[Alternative]] = {}
    if reference:
        if alternatives is not None:
            raise ValueError("with reference=True the week's own alternatives are graded")
        if full:
            groups[COMBINED] = split_alternatives(course, week)[0]
    else:
        for alternative in alternatives or []:
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
        for student, placed in groups.items():
            changes = [a for a in placed if a.cell in cells]
            if student == COMBINED:
                changes = here + changes
            submissions.setdefault(student, {})[source.name] = answered(
                student_nb, solution_nb, changes
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
