"""What grading left behind for one week, read back as one object per student.

Sources, all written by the grading pipeline (nothing is re-run):

* the gradebook (SQLite or PostgreSQL, the course's ``db_url``): the graded cells with their
  points, each submission's scores, time stamp and lateness; the students (the late penalty
  follows from the lateness, the score and the late policy, :mod:`dlcourse.grading.late`);
* the graded notebooks in ``autograde/autograded/STUDENT/WEEK/``: the message each failed test
  cell showed, cells that timed out, a kernel that died, the code of the answer cells;
* the per-submission reports ``autograde/reports/WEEK/STUDENT.json``
  (:func:`dlcourse.grading.autograde.read_report`): a failed grading run and the review flags;
* the released notebooks in ``course/WEEK/``: the template text of each answer cell, which
  the similarity pass leaves out.

A manually graded cell that nobody has graded yet has the score ``None`` (not zero).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat

from dlcourse.grading.autograde import read_report
from dlcourse.grading.course import Course
from dlcourse.grading.execute import STATE_KEY
from dlcourse.grading.late import late_policy, penalty_points
from dlcourse.grading.synthetic import nbgrader_meta

#: nbgrader's error name for a cell that did not finish within ``Execute.timeout``.
TIMEOUT_ERROR = "CellTimeoutError"
#: The error name :mod:`dlcourse.grading.execute` gives the cell in which the kernel died.
KERNEL_DIED_ERROR = "KernelDied"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class GradedCell:
    """A cell of the week that carries points."""

    notebook: str
    grade_id: str
    max_score: float
    manual: bool  # graded by a person (a written answer), not by tests

    @property
    def kind(self) -> str:
        return "graded by hand" if self.manual else "autograded"


@dataclass
class StudentWeek:
    """One student's submission of the week (or its absence)."""

    student: str
    scores: dict[str, float | None] = field(default_factory=dict)  # by grade_id; None: not
    # graded yet (a written answer waiting for a person)
    failures: dict[str, str] = field(default_factory=dict)  # grade_id -> message shown
    answers: dict[str, str] = field(default_factory=dict)  # grade_id of an answer cell -> code
    timestamp: datetime | None = None
    seconds_late: float = 0.0
    late_penalty: float = 0.0
    timed_out_in: list[str] = field(default_factory=list)
    kernel_died_in: str | None = None
    grading_failed: str = ""  # why the grader could not grade it (autograde's report)
    flags: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        """Points earned in the cells graded so far, before the late penalty."""
        return sum(s for s in self.scores.values() if s is not None)

    @property
    def final_score(self) -> float:
        return max(0.0, self.score - self.late_penalty)

    @property
    def waiting(self) -> list[str]:
        """Cells still waiting for a person."""
        return [g for g, s in self.scores.items() if s is None]


@dataclass
class Cohort:
    """A week's graded cells and every student's results."""

    week: str
    cells: list[GradedCell]
    submissions: list[StudentWeek]
    without_submission: list[str]  # students in the gradebook who handed nothing in
    due_date: datetime | None = None
    templates: dict[str, str] = field(default_factory=dict)  # answer cell -> released text

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.cells)


def failure_message(outputs: list) -> str:
    """The message a failed cell showed: the first error's ``Name: message`` (first line), or
    the first line it wrote to stderr."""
    for output in outputs:
        if output.get("output_type") == "error":
            value = _ANSI.sub("", str(output.get("evalue", ""))).strip().splitlines()
            name = _ANSI.sub("", str(output.get("ename", "Error")))
            return f"{name}: {value[0]}" if value else name
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            lines = _ANSI.sub("", str(output.get("text", ""))).strip().splitlines()
            if lines:
                return f"stderr: {lines[0]}"
    return ""


def _error_names(outputs: list) -> list[str]:
    return [str(o.get("ename", "")) for o in outputs if o.get("output_type") == "error"]


def read_graded_notebook(path: Path, student: StudentWeek) -> None:
    """Fill ``student`` with what one graded notebook shows: failure messages of the graded
    test cells, time-outs, a kernel death, and the code of the answer cells."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id") or f"cell {index}"
        if cell.cell_type != "code":
            continue
        outputs = list(cell.get("outputs", []))
        names = _error_names(outputs)
        if TIMEOUT_ERROR in names:
            student.timed_out_in.append(grade_id)
        if meta.get("solution"):
            student.answers[grade_id] = cell.source
        if meta.get("grade") and not meta.get("solution"):
            message = failure_message(outputs)
            if message:
                student.failures[grade_id] = message
        if student.kernel_died_in is None and KERNEL_DIED_ERROR in names:
            student.kernel_died_in = grade_id
    died = nb.metadata.get(STATE_KEY, {}).get("kernel_died_in")
    if died:
        student.kernel_died_in = died


def released_templates(course: Course, week: str) -> dict[str, str]:
    """The released (student) text of every answer cell of ``week``."""
    templates: dict[str, str] = {}
    for path in course.released_notebooks(week):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = nbgrader_meta(cell)
            if meta.get("solution") and cell.cell_type == "code":
                templates[meta["grade_id"]] = cell.source
    return templates


def _cell_order(course: Course, week: str) -> dict[str, int]:
    order: dict[str, int] = {}
    for path in course.released_notebooks(week) or course.source_notebooks(week):
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = nbgrader_meta(cell).get("grade_id")
            if grade_id and grade_id not in order:
                order[grade_id] = len(order)
    return order


def read_cohort(course: Course, week: str) -> Cohort:
    """Everything grading recorded about ``week``. A week that was never registered or graded
    gives a cohort without cells and submissions."""
    from nbgrader.api import MissingEntry

    order = _cell_order(course, week)
    with course.gradebook() as gb:
        try:
            assignment = gb.find_assignment(week)
        except MissingEntry:
            return Cohort(week, [], [], sorted(s.id for s in gb.students),
                          templates=released_templates(course, week))
        cells = []
        for notebook in assignment.notebooks:
            # A graded cell that is also an answer cell is a "manually graded answer".
            answers = {cell.name for cell in notebook.solution_cells}
            cells += [
                GradedCell(notebook.name, cell.name, float(cell.max_score),
                           manual=cell.cell_type == "markdown" or cell.name in answers)
                for cell in notebook.grade_cells
            ]
        cells.sort(key=lambda c: (c.notebook, order.get(c.grade_id, len(order)), c.grade_id))
        submissions = []
        for submission in assignment.submissions:
            student = StudentWeek(
                submission.student.id,
                timestamp=submission.timestamp,
                seconds_late=float(submission.total_seconds_late or 0.0),
            )
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    waiting = grade.needs_manual_grade and grade.manual_score is None
                    student.scores[grade.name] = None if waiting else float(grade.score or 0.0)
            submissions.append(student)
        handed_in = {s.student for s in submissions}
        without = sorted(s.id for s in gb.students if s.id not in handed_in)
        due = assignment.duedate
    for student in submissions:
        for path in sorted((course.autograded_dir / student.student / week).glob("*.ipynb")):
            read_graded_notebook(path, student)
        report = read_report(course, week, student.student)
        if report.get("status") == "failed":
            student.grading_failed = report.get("reason", "") or "grading failed"
        student.flags = list(report.get("flags", []))
    policy = late_policy(course.config())
    for student in submissions:
        student.late_penalty = penalty_points(policy, student.seconds_late, student.score)
    submissions.sort(key=lambda s: s.student)
    return Cohort(week, cells, submissions, without, due, released_templates(course, week))

